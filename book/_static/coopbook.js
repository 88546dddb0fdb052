// The book's charts, made live: every chart on the page is upgraded from its build-time
// SVG to the live Vega view, fitted to the width of its column, coloured for the page's
// light or dark theme, and drawn again (keeping its settings) when either changes.
//
// Specs sit in <script type="application/json" class="coop-chart-spec"> elements written
// by coopmodels.embed; Vega comes from the book's own _static/vendor (no network).
//
// Other scripts hook in through window.coopbook (they are loaded before this one):
//   coopbook.hooks.prepare  fn(record, spec)  before a chart is drawn: may change the spec
//   coopbook.hooks.rendered fn(record)        after it is drawn (record.view: the Vega view)
//   coopbook.hooks.changed  fn(record, name)  when a reader moves one of its controls
// A record is {element, extras (a box after the chart for controls), meta (the spec's
// usermeta.coopbook), values (the settings of its parameters, by name), view}. Charts set coopView on their element (tests,
// benchmarks) and the class coop-live once drawn.
(function () {
  "use strict";
  var book = window.coopbook = window.coopbook || {};
  var hooks = book.hooks = book.hooks || {};
  ["prepare", "rendered", "changed"].forEach(function (name) { hooks[name] = hooks[name] || []; });
  book.records = [];

  var MIN_PANEL_WIDTH = 160;
  var NARROW = 560;           // below this column width: one legend column, shorter labels
  var DEFAULT_EXTRA = 110;    // first guess of what axes and labels add to a panel's width

  function isDark() { return document.documentElement.dataset.theme === "dark"; }

  // Deep merge of plain objects (the dark config over the chart's own).
  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  // Replace the colours named in `swap` (e.g. black on a dark page) anywhere in a spec
  // but its data.
  function recolour(node, swap) {
    if (Array.isArray(node)) {
      node.forEach(function (value, i) { node[i] = recolour(value, swap); });
    } else if (node && typeof node === "object") {
      Object.keys(node).forEach(function (key) {
        if (key !== "datasets" && key !== "data") node[key] = recolour(node[key], swap);
      });
    } else if (typeof node === "string" && Object.prototype.hasOwnProperty.call(swap, node)) {
      return swap[node];
    }
    return node;
  }

  // Break text into lines no wider than `width` pixels in `font`, at spaces.
  var measurer = document.createElement("canvas").getContext("2d");
  function wrap(text, width, font) {
    if (typeof text !== "string") return text;
    measurer.font = font;
    if (measurer.measureText(text).width <= width) return text;
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      var longer = line ? line + " " + word : word;
      if (line && measurer.measureText(longer).width > width) { lines.push(line); line = word; }
      else line = longer;
    });
    if (line) lines.push(line);
    return lines;
  }
  book.wrap = wrap;

  function panelsOf(spec) { return spec.vconcat || [spec]; }

  // Titles above a panel and its x axis title start at the plot's left edge: wrap them
  // to the plot's width.
  function wrapTitles(node, width, font) {
    if (!node || typeof node !== "object") return;
    if (typeof node.title === "string") node.title = wrap(node.title, width, "bold 14px " + font);
    var x = node.encoding && node.encoding.x;
    if (x && x.title) {
      x.title = [].concat(x.title).reduce(function (all, t) {
        return all.concat(wrap(t, width, "13px " + font));
      }, []);
    }
    (node.layer || []).forEach(function (child) { wrapTitles(child, width, font); });
  }

  // Keep every axis's labels (a bar chart's categories) within `limit` pixels.
  function limitLabels(node, limit) {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) { node.forEach(function (child) { limitLabels(child, limit); }); return; }
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "axis" && value && typeof value === "object") {
        value.labelLimit = Math.min(value.labelLimit || limit, limit);
      } else if (value && typeof value === "object" && key !== "datasets" && key !== "data") {
        limitLabels(value, limit);
      }
    });
  }

  // Fit the spec's panels to `available` pixels (charts whose meta says fit: false keep
  // their size and scroll sideways in their own box instead).
  function fit(record, spec, available) {
    if (record.meta.fit === false || !available) return;
    var panels = panelsOf(spec);
    var natural = Math.max.apply(null, panels.map(function (p) {
      return typeof p.width === "number" ? p.width : 0;
    }));
    if (!natural) return;
    var extra = record.extra || DEFAULT_EXTRA;
    var width = Math.max(MIN_PANEL_WIDTH, Math.min(natural, Math.floor(available - extra)));
    record.natural = natural;
    record.panelWidth = width;
    if (width >= natural && available >= NARROW) return;
    var font = (spec.config && spec.config.font) || "sans-serif";
    panels.forEach(function (panel) {
      if (typeof panel.width === "number") panel.width = Math.round(panel.width * width / natural);
      wrapTitles(panel, panel.width || width, font);
    });
    spec.config = spec.config || {};
    spec.config.legend = merge(spec.config.legend || {}, {labelLimit: width - 30});
    if (available < NARROW) {
      spec.config.legend.columns = 1;
      limitLabels(spec, Math.round(available * 0.38));
    }
  }

  function prepare(record) {
    var spec = JSON.parse(record.source.textContent);
    (spec.params || []).forEach(function (param) {
      if (Object.prototype.hasOwnProperty.call(record.values, param.name)) {
        param.value = record.values[param.name];
      }
    });
    record.available = record.element.clientWidth;
    fit(record, spec, record.available);
    hooks.prepare.forEach(function (hook) { hook(record, spec); });
    if (isDark() && record.meta.dark) spec.config = merge(spec.config || {}, record.meta.dark);
    if (isDark() && record.meta.dark_colours) spec = recolour(spec, record.meta.dark_colours);
    record.theme = isDark() ? "dark" : "light";
    return spec;
  }

  // Vega writes a group of radio buttons inside one <label> (one label for several
  // controls, which assistive technology reads poorly): make it a labelled radiogroup.
  // Vega names each radio button after its signal, so two explorers with the same lever
  // on one page would share one group (choosing in one unchecks the other): give each
  // explorer's radios a name of their own.
  var drawings = 0;
  function fixRadioGroups(target) {
    drawings += 1;
    target.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.name = r.name.replace(/-coop\d+$/, "") + "-coop" + drawings;
    });
    target.querySelectorAll(".vega-bind-radio").forEach(function (options, index) {
      var outer = options.parentElement;
      if (!outer || outer.tagName !== "LABEL") return;
      var group = document.createElement("div");
      group.setAttribute("role", "radiogroup");
      var name = outer.querySelector(".vega-bind-name");
      if (name) {
        name.id = target.id ? target.id + "-choice-" + index : "";
        group.setAttribute("aria-labelledby", name.id);
      }
      while (outer.firstChild) group.appendChild(outer.firstChild);
      outer.replaceWith(group);
    });
  }

  function listen(record) {
    var view = record.view;
    (record.spec.params || []).forEach(function (param) {
      if (!param.bind) return;
      record.values[param.name] = view.signal(param.name);
      view.addSignalListener(param.name, function (name, value) {
        record.values[name] = value;
        hooks.changed.forEach(function (hook) { hook(record, name); });
      });
    });
  }

  function render(record) {
    var spec = prepare(record);
    var target = record.element.querySelector(".coop-chart-view");
    var ticket = record.renders = (record.renders || 0) + 1;
    // Errors only in the console: an empty panel (a setting with nothing to draw) makes
    // Vega warn about empty scale extents, which is expected.
    return window.vegaEmbed(target, spec, { actions: false, renderer: "svg", logLevel: 1 })
      .then(function (result) {
        if (ticket !== record.renders) { result.finalize(); return; }  // a newer draw won
        if (record.result) record.result.finalize();
        record.result = result;
        record.view = result.view;
        record.spec = spec;
        record.element.coopView = result.view;  // for tests and benchmarks
        fixRadioGroups(record.element);
        listen(record);
        var svg = target.querySelector("svg");
        if (svg && record.panelWidth && record.meta.fit !== false) {
          // Learn what axes and labels add to the panels (from the drawing's own width,
          // not its size on screen, which CSS may shrink); draw again if too wide.
          var drawn = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
          record.extra = drawn - record.panelWidth;
          if (drawn > record.available + 1 && (record.refits || 0) < 2 &&
              record.panelWidth > MIN_PANEL_WIDTH) {
            record.refits = (record.refits || 0) + 1;
            return render(record);
          }
        }
        record.element.classList.add("coop-live");
        hooks.rendered.forEach(function (hook) { hook(record); });
      })
      .catch(function (error) { console.error("coopbook chart:", error); });
  }
  book.render = render;

  function redrawIf(condition) {
    book.records.forEach(function (record) {
      if (record.view && condition(record)) { record.refits = 0; render(record); }
    });
  }

  function start() {
    if (!window.vegaEmbed) return;
    document.querySelectorAll("script.coop-chart-spec").forEach(function (source) {
      var element = document.getElementById(source.dataset.target);
      if (!element) return;
      var meta = {};
      try { meta = (JSON.parse(source.textContent).usermeta || {}).coopbook || {}; }
      catch (error) { console.error("coopbook chart:", error); return; }
      if (meta.fit === false) element.classList.add("coop-scroll");
      var extras = document.createElement("div");  // toolbar, data table (other scripts)
      extras.className = "coop-chart-extras";
      element.parentNode.insertBefore(extras, element.nextSibling);
      book.records.push({ element: element, source: source, meta: meta, values: {},
                          extras: extras });
    });
    book.records.forEach(render);
    new MutationObserver(function () {
      var theme = isDark() ? "dark" : "light";
      redrawIf(function (record) { return record.theme !== theme; });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    if (window.ResizeObserver) {
      var pending;
      var observer = new ResizeObserver(function () {
        clearTimeout(pending);
        pending = setTimeout(function () {
          redrawIf(function (record) {
            var now = record.element.clientWidth;
            if (!record.panelWidth || Math.abs(now - record.available) <= 8) return false;
            // Only when the fitted size changes: a chart with room to spare never redraws.
            return record.panelWidth < record.natural ||
                   now < record.panelWidth + (record.extra || 0);
          });
        }, 200);
      });
      book.records.forEach(function (record) { observer.observe(record.element); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
