// The revival report's charts: stalled and revived per week, and by the chosen grouping. Data comes from the page's JSON block.
(function () {
  "use strict";
  function draw() {
    var data = document.getElementById("revival-data");
    if (!data || !window.Chart) return;
    var d = JSON.parse(data.textContent);
    var css = getComputedStyle(document.documentElement);
    var color = function (name) { return css.getPropertyValue(name).trim(); };
    Chart.defaults.font.family = css.getPropertyValue("--font").trim();
    Chart.defaults.color = color("--muted");
    var grid = { color: color("--line") };
    var bars = function (labels, stalled, revived) {
      return {
        type: "bar",
        data: {
          labels: labels,
          datasets: [
            { label: "Stalled", data: stalled, backgroundColor: color("--warn"), borderRadius: 4 },
            { label: "Revived", data: revived, backgroundColor: color("--c3"), borderRadius: 4 }
          ]
        },
        options: { maintainAspectRatio: false, scales: { x: { grid: { display: false } }, y: { beginAtZero: true, grid: grid } } }
      };
    };
    new Chart(document.getElementById("revival-weeks"), bars(d.weeks, d.entered, d.revived));
    new Chart(document.getElementById("revival-lines"), bars(d.keys, d.lineEntered, d.lineRevived));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
