// Charts of the campaign, attribution and content reports: each page lists its charts in #report-chart as
// { charts: [{ canvas, labels, datasets: [{ label, data }], horizontal }] }; the tables beside them hold the same figures.
(function () {
  "use strict";
  function draw() {
    var data = document.getElementById("report-chart");
    if (!data || !window.Chart) return;
    var css = getComputedStyle(document.documentElement);
    var color = function (name) { return css.getPropertyValue(name).trim(); };
    var palette = [color("--c1"), color("--c2"), color("--c3"), color("--warn")];
    Chart.defaults.font.family = css.getPropertyValue("--font").trim();
    Chart.defaults.color = color("--muted");
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    var grid = { color: color("--line") };
    JSON.parse(data.textContent).charts.forEach(function (c) {
      var canvas = document.getElementById(c.canvas);
      if (!canvas) return;
      var value = { beginAtZero: true, grid: grid };
      var category = { grid: { display: false } };
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: c.labels,
          datasets: c.datasets.map(function (d, i) { return { label: d.label, data: d.data, backgroundColor: palette[i % palette.length], borderRadius: 4 }; })
        },
        options: {
          indexAxis: c.horizontal ? "y" : "x",
          maintainAspectRatio: false,
          scales: c.horizontal ? { x: value, y: category } : { x: category, y: value }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
