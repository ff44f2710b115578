// Progressive enhancement for Tandem's pages: every form works without this file.
(function () {
  "use strict";

  // Elements already wired are skipped, so re-running after an htmx swap never binds twice.
  function once(el) { if (el.__tandem) return false; el.__tandem = true; return true; }

  document.documentElement.classList.add("js");

  // The phone menu: one button opens and closes the whole list.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var sidebar = toggle.closest(".sidebar");
      var open = !sidebar.classList.contains("menu-open");
      sidebar.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function init(root) {
    // A warning that applies to some choices only (the reasons that would record a missed attempts promise).
    root.querySelectorAll("[data-warn-for]").forEach(function (warn) {
      if (!once(warn)) return;
      var select = document.getElementById(warn.getAttribute("data-warn-for"));
      if (!select) return;
      var reasons = warn.getAttribute("data-warn-reasons").split(" ");
      var update = function () { warn.hidden = reasons.indexOf(select.value) < 0; };
      select.addEventListener("change", update);
      update();
    });

    // Select-all and a live count for bulk actions.
    root.querySelectorAll("[data-select-all]").forEach(function (all) {
      if (!once(all)) return;
      var form = all.closest("form");
      var boxes = function () { return form.querySelectorAll("input[name=ids]"); };
      var count = form.querySelector("[data-selected-count]");
      var update = function () {
        var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
        if (count) count.textContent = n === 0 ? "Select leads to act on them" : n + (n === 1 ? " lead selected" : " leads selected");
        form.classList.toggle("has-selection", n > 0);
      };
      all.addEventListener("change", function () { boxes().forEach(function (b) { b.checked = all.checked; }); update(); });
      form.addEventListener("change", function (e) { if (e.target.name === "ids") update(); });
      update();
    });

    // Reason codes only for the stages that need one, and only that stage's codes.
    root.querySelectorAll("[data-reason-for]").forEach(function (stage) {
      if (!once(stage)) return;
      var reason = document.getElementById(stage.getAttribute("data-reason-for"));
      if (!reason) return;
      var wrapper = reason.closest("[data-reason-field]") || reason;
      var update = function () {
        var groups = reason.querySelectorAll("optgroup[data-stage]");
        var any = false;
        groups.forEach(function (g) {
          var on = g.getAttribute("data-stage") === stage.value;
          g.hidden = !on; g.disabled = !on; any = any || on;
        });
        wrapper.hidden = !any;
        reason.hidden = !any;
        reason.required = any;
        if (!any) reason.value = "";
        else if (reason.selectedOptions.length && reason.selectedOptions[0].parentElement.disabled) reason.value = "";
      };
      stage.addEventListener("change", update);
      update();
    });

    // Call outcome only for calls.
    root.querySelectorAll("[data-outcome-field]").forEach(function (field) {
      if (!once(field)) return;
      var form = field.closest("form");
      var update = function () {
        var t = form.querySelector("input[name=Type]:checked");
        field.hidden = !t || t.value !== "call";
      };
      form.addEventListener("change", update);
      update();
    });

    root.querySelectorAll("[data-confirm]").forEach(function (form) {
      if (!once(form)) return;
      form.addEventListener("submit", function (e) { if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault(); });
    });

    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (!once(el)) return;
      el.addEventListener("change", function () {
        var ask = el.form.getAttribute("data-confirm");
        if (!ask) { el.form.requestSubmit(); return; }
        // A change that needs a yes: on "no" the control goes back to what it was and nothing is sent.
        if (window.confirm(ask)) { el.form.submit(); return; }
        if (el.tagName === "SELECT") Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
      });
    });

    root.querySelectorAll("[data-copy]").forEach(function (btn) {
      if (!once(btn)) return;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(btn.getAttribute("data-copy")).then(function () { btn.textContent = "Copied"; });
      });
    });
  }

  function charts() {
    var data = document.getElementById("home-data");
    if (!data || !window.Chart) return;
    var d = JSON.parse(data.textContent);
    var css = getComputedStyle(document.documentElement);
    var color = function (name) { return css.getPropertyValue(name).trim(); };
    Chart.defaults.font.family = css.getPropertyValue("--font").trim();
    Chart.defaults.color = color("--muted");
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    var grid = { color: color("--line") };

    new Chart(document.getElementById("funnel-chart"), {
      type: "bar",
      data: {
        labels: d.weeks,
        datasets: [
          { label: "New leads", data: d.newLeads, backgroundColor: color("--c1"), borderRadius: 4 },
          { label: "MQLs", data: d.mqls, backgroundColor: color("--c2"), borderRadius: 4 },
          { label: "Accepted", data: d.accepted, backgroundColor: color("--c3"), borderRadius: 4 }
        ]
      },
      options: { maintainAspectRatio: false, scales: { x: { grid: { display: false } }, y: { beginAtZero: true, grid: grid } } }
    });
    new Chart(document.getElementById("touch-chart"), {
      type: "doughnut",
      data: { labels: ["Touched", "Never touched"], datasets: [{ data: [d.touched, d.neverTouched], backgroundColor: [color("--c3"), color("--warn")], borderWidth: 0 }] },
      options: { maintainAspectRatio: false, cutout: "68%", plugins: { legend: { position: "bottom" } } }
    });
    new Chart(document.getElementById("source-chart"), {
      type: "bar",
      data: {
        labels: d.sources,
        datasets: [
          { label: "Leads", data: d.sourceLeads, backgroundColor: color("--c1"), borderRadius: 4 },
          { label: "MQLs", data: d.sourceMqls, backgroundColor: color("--c2"), borderRadius: 4 }
        ]
      },
      options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { beginAtZero: true, grid: grid }, y: { grid: { display: false } } } }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); charts(); });
  // htmx swaps in new results; wire them up too.
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
