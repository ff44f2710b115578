#!/usr/bin/env python3
"""Prints the slowest tests recorded in the TRX files under a folder: slowest-tests.py FOLDER [COUNT]."""
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
for trx in glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True):
    for r in ET.parse(trx).getroot().iterfind(".//t:Results/t:UnitTestResult", ns):
        if r.get("duration"):
            results.append((seconds(r.get("duration")), r.get("outcome", ""), r.get("testName", "?")))

if results:
    print(f"Slowest {min(count, len(results))} of {len(results)} tests:")
    for took, outcome, name in sorted(results, reverse=True)[:count]:
        print(f"  {took:7.1f} s  {name}" + ("" if outcome == "Passed" else f"  ({outcome.lower()})"))
