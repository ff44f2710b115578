// Charts for the service-level page: first touches within the SLA per rep, and MQLs delivered against commitments.
// The tables beside them hold the same numbers, so the page reads fine without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("sla-data");
    if (!data || !window.Chart) return;
    var d = JSON.parse(data.textContent);
    var css = getComputedStyle(document.documentElement);
    var color = function (name) { return css.getPropertyValue(name).trim(); };
    Chart.defaults.font.family = color("--font");
    Chart.defaults.color = color("--muted");
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    var grid = { color: color("--line") };
    // The numbers are read, not watched: no growing bars.
    Chart.defaults.animation = false;

    var sales = document.getElementById("sales-chart");
    if (sales) {
      new Chart(sales, {
        type: "bar",
        data: {
          labels: d.reps,
          datasets: [
            { label: "First touch within SLA (%)", data: d.withinSla, backgroundColor: color("--c3"), borderRadius: 4, yAxisID: "y" },
            { label: "Breaches", data: d.breaches, backgroundColor: color("--warn"), borderRadius: 4, yAxisID: "y2" }
          ]
        },
        options: {
          maintainAspectRatio: false,
          scales: {
            x: { grid: { display: false } },
            y: { beginAtZero: true, max: 100, grid: grid, title: { display: true, text: "% within SLA" } },
            y2: { beginAtZero: true, position: "right", grid: { display: false }, ticks: { precision: 0 }, title: { display: true, text: "Breaches" } }
          }
        }
      });
    }
    var marketing = document.getElementById("marketing-chart");
    if (marketing) {
      new Chart(marketing, {
        type: "bar",
        data: {
          labels: d.commitments,
          datasets: [
            { label: "MQLs delivered", data: d.delivered, backgroundColor: color("--c2"), borderRadius: 4 },
            { label: "MQLs committed", data: d.committed, backgroundColor: color("--line-strong"), borderRadius: 4 }
          ]
        },
        options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { beginAtZero: true, grid: grid, ticks: { precision: 0 } }, y: { grid: { display: false } } } }
      });
    }
  });
})();
