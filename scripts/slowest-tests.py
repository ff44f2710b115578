#!/usr/bin/env python3
"""Prints the slowest tests recorded in the TRX files under a folder, then the test classes that took longest in all
(a class's tests summed: a slow fixture shows there even when each test is quick): slowest-tests.py FOLDER [COUNT]."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

folder = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


results = []
classes = {}
for trx in glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True):
    root = ET.parse(trx).getroot()
    class_of = {u.get("id"): m.get("className", "?") for u in root.iterfind(".//t:TestDefinitions/t:UnitTest", ns)
                for m in u.iterfind("t:TestMethod", ns)}
    for r in root.iterfind(".//t:Results/t:UnitTestResult", ns):
        if r.get("duration"):
            took = seconds(r.get("duration"))
            results.append((took, r.get("outcome", ""), r.get("testName", "?")))
            total, tests = classes.get(class_of.get(r.get("testId"), "?"), (0.0, 0))
            classes[class_of.get(r.get("testId"), "?")] = (total + took, tests + 1)

if results:
    print(f"Slowest {min(count, len(results))} of {len(results)} tests:")
    for took, outcome, name in sorted(results, reverse=True)[:count]:
        print(f"  {took:7.1f} s  {name}" + ("" if outcome == "Passed" else f"  ({outcome.lower()})"))

if classes:
    print(f"Slowest {min(count, len(classes))} of {len(classes)} test classes (their tests' durations summed):")
    for name, (took, tests) in sorted(classes.items(), key=lambda c: c[1][0], reverse=True)[:count]:
        print(f"  {took:7.1f} s  {name} ({tests} tests)")
