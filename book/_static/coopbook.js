// Upgrade every chart on the page from its build-time SVG to the live Vega view.
// Specs sit in <script type="application/json" class="coop-chart-spec"> elements written
// by coopmodels.embed; Vega comes from the book's own _static/vendor (no network).
(function () {
  "use strict";
  function upgrade(specElement) {
    var target = document.getElementById(specElement.dataset.target);
    if (!target || !window.vegaEmbed) return;
    var view = target.querySelector(".coop-chart-view");
    var spec = JSON.parse(specElement.textContent);
    window.vegaEmbed(view, spec, { actions: false, renderer: "svg" })
      .then(function (result) {
        target.coopView = result.view;  // for tests and benchmarks
        target.classList.add("coop-live");
        var svg = view.querySelector("svg");
        if (svg && target.dataset.description) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", target.dataset.description);
        }
      })
      .catch(function (error) { console.error("coopbook chart:", error); });
  }
  function upgradeAll() {
    document.querySelectorAll("script.coop-chart-spec").forEach(upgrade);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", upgradeAll);
  } else {
    upgradeAll();
  }
})();
