// Charts of the Reports pages, drawn from the JSON each page embeds in #report-data.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("report-data");
    if (!el || !window.Chart) return;
    var d = JSON.parse(el.textContent);
    var css = getComputedStyle(document.documentElement);
    var color = function (name) { return css.getPropertyValue(name).trim(); };
    var palette = [color("--c2"), color("--c3"), color("--c1"), "#f59e0b", "#0ea5e9", "#94a3b8"];
    Chart.defaults.font.family = css.getPropertyValue("--font").trim();
    Chart.defaults.color = color("--muted");
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    var grid = { color: color("--line") };
    var bar = function (id, labels, datasets, horizontal) {
      var canvas = document.getElementById(id);
      if (!canvas) return;
      new Chart(canvas, {
        type: "bar", data: { labels: labels, datasets: datasets },
        options: {
          indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false,
          scales: horizontal ? { x: { beginAtZero: true, grid: grid }, y: { grid: { display: false } } } : { x: { grid: { display: false } }, y: { beginAtZero: true, grid: grid } }
        }
      });
    };
    if (d.kind === "funnel") {
      bar("funnel-steps-chart", d.steps, [{ label: "People", data: d.counts, backgroundColor: palette[0], borderRadius: 4 }], true);
      bar("funnel-trend-chart", d.buckets, d.trend.map(function (s, i) { return { label: s.label, data: s.data, backgroundColor: palette[i % palette.length], borderRadius: 3 }; }));
    } else if (d.kind === "velocity") {
      bar("velocity-chart", d.labels, [
        { label: "Median days", data: d.median, backgroundColor: palette[0], borderRadius: 4 },
        { label: "90th percentile", data: d.p90, backgroundColor: palette[1], borderRadius: 4 }
      ], true);
    } else if (d.kind === "traffic") {
      var canvas = document.getElementById("traffic-trend-chart");
      if (canvas) new Chart(canvas, {
        type: "line",
        data: { labels: d.buckets, datasets: [
          { label: "Sessions", data: d.sessions, borderColor: palette[0], backgroundColor: palette[0], tension: .25 },
          { label: "Known sessions", data: d.known, borderColor: palette[1], backgroundColor: palette[1], tension: .25 },
          { label: "Visitors", data: d.visitors, borderColor: palette[2], backgroundColor: palette[2], tension: .25 }
        ] },
        options: { maintainAspectRatio: false, scales: { x: { grid: { display: false } }, y: { beginAtZero: true, grid: grid } } }
      });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
