// Scenario links: every explorer's settings live in the page's address, so a reader can
// share the exact scenario they built. Loaded before coopbook.js, which calls its hooks.
//
// Format (the fragment, so it also works from file:// and never reaches a server):
//
//   #s=<explorer>:<parameter>=<value>,<parameter>=<value>;s=<explorer>:...;v=<edition>
//
//   <explorer>  the model's name (police_capacity), with -2, -3 ... for the second, third
//               explorer of the same model on one page; never the chart's content id
//   <parameter> the model's parameter name; an on/off control is 1 or 0; compare=0 when
//               the reader hid the starting point
//   <edition>   the book's edition (<meta name="coopbook-edition">, else "dev")
//
// Only explorers moved from their starting point are listed, every slider of each; the
// first one listed is the one the link is about (the page scrolls to it). On load, values
// off a slider's grid snap to the nearest position. A link that cannot be read, or names
// a setting this explorer does not have, gives the starting point and a polite notice; a
// link from another edition restores what still fits and says so.
//
// Beside each explorer: "Copy link to this scenario" and "Reset".
(function () {
  "use strict";
  var book = window.coopbook = window.coopbook || {};
  var hooks = book.hooks = book.hooks || {};
  ["prepare", "rendered", "changed"].forEach(function (name) { hooks[name] = hooks[name] || []; });

  var DEV_EDITION = "dev";
  var NAME = /^[A-Za-z_][\w-]*$/;
  var NUMBER = /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i;
  var COMPARE = "compare";

  function edition() {
    var meta = document.querySelector('meta[name="coopbook-edition"]');
    return (meta && meta.content.trim()) || DEV_EDITION;
  }

  // Read a fragment. Returns null if it is not a scenario link (e.g. a section anchor),
  // else {edition, entries: [{key, values: {name: number}}], broken: [keys], unreadable}.
  function parse(hash) {
    var text = (hash || "").replace(/^#/, "");
    try { text = decodeURIComponent(text); } catch (error) { /* keep it as it is */ }
    if (!/^s=|(^|;)v=/.test(text)) return null;
    var link = { edition: null, entries: [], broken: [], unreadable: false };
    text.split(";").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      var field = part.slice(0, eq), rest = part.slice(eq + 1);
      if (eq < 0) { link.unreadable = true; return; }
      if (field === "v") { link.edition = rest; return; }
      if (field !== "s") { link.unreadable = true; return; }
      var colon = rest.indexOf(":");
      var key = colon < 0 ? rest : rest.slice(0, colon);
      if (!NAME.test(key)) { link.unreadable = true; return; }
      var entry = { key: key, values: {} }, ok = colon >= 0;
      (colon < 0 ? "" : rest.slice(colon + 1)).split(",").forEach(function (pair) {
        var bits = pair.split("=");
        if (bits.length !== 2 || !/^\w+$/.test(bits[0]) || !NUMBER.test(bits[1])) ok = false;
        else entry.values[bits[0]] = Number(bits[1]);
      });
      if (ok) link.entries.push(entry); else link.broken.push(key);
    });
    if (!link.entries.length && !link.broken.length) link.unreadable = true;
    return link;
  }

  function explorers() {
    return book.records.filter(function (record) { return record.meta.explorer; });
  }

  // The explorer's key on this page: its model's name, numbered from the second on.
  function keyOf(record) {
    if (record.linkKey) return record.linkKey;
    var counts = {};
    explorers().forEach(function (each) {
      var name = each.meta.explorer.key;
      counts[name] = (counts[name] || 0) + 1;
      each.linkKey = counts[name] > 1 ? name + "-" + counts[name] : name;
    });
    return record.linkKey;
  }

  function paramSpec(spec, signal) {
    return (spec.params || []).filter(function (p) { return p.name === signal; })[0];
  }

  // The value a control takes for a linked number: snapped to its nearest position.
  function snap(param, number) {
    var bind = param.bind || {};
    if (bind.input === "checkbox") return number >= 0.5;
    if (bind.options) {
      return bind.options.reduce(function (best, option) {
        return Math.abs(option - number) < Math.abs(best - number) ? option : best;
      }, bind.options[0]);
    }
    var min = Number(bind.min), max = Number(bind.max), step = Number(bind.step) || 1;
    var position = Math.round((Math.min(max, Math.max(min, number)) - min) / step);
    return Number((min + position * step).toFixed(10));
  }

  function asNumber(value) { return value === true ? 1 : value === false ? 0 : Number(value); }

  // The starting point: every control's value in the spec as built (before a link).
  function defaults(record, spec) {
    var values = {};
    record.meta.explorer.controls.forEach(function (control) {
      var param = paramSpec(spec, control.signal);
      values[control.signal] = param ? param.value : control["default"];
    });
    values[record.meta.explorer.compare] = true;
    return values;
  }

  function isDefault(record) {
    var start = record.startValues;
    return Object.keys(start).every(function (name) {
      return asNumber(record.values[name]) === asNumber(start[name]);
    });
  }

  // The fragment for the page's explorers, `first` listed first.
  function format(first) {
    var moved = explorers().filter(function (record) {
      return record.view && !isDefault(record);
    });
    if (first && moved.indexOf(first) < 0) moved.unshift(first);
    moved.sort(function (a, b) { return (b === first) - (a === first); });
    if (!moved.length) return "";
    var parts = moved.map(function (record) {
      var pairs = record.meta.explorer.controls.map(function (control) {
        return control.param + "=" + asNumber(record.values[control.signal]);
      });
      if (!record.values[record.meta.explorer.compare]) pairs.push(COMPARE + "=0");
      return "s=" + keyOf(record) + ":" + pairs.join(",");
    });
    return "#" + parts.join(";") + ";v=" + edition();
  }

  function pageAddress(hash) {
    return location.href.replace(/#.*$/, "") + hash;
  }

  var written = null;  // the fragment this script wrote last
  function writeAddress(hash) {
    if (hash === (location.hash || "") || (!hash && !parse(location.hash))) return;
    written = hash;
    var address = pageAddress(hash);
    try { history.replaceState(history.state, "", address); }
    catch (error) { location.replace(hash || "#"); }  // file:// pages in some browsers
  }

  // -- notices --------------------------------------------------------------------------

  function notice(record, text) {
    var host = record.element;
    var box = host.previousElementSibling;
    if (!box || !box.classList.contains("coop-notice")) {
      box = document.createElement("div");
      box.className = "coop-notice";
      box.setAttribute("role", "status");
      var message = document.createElement("p");
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", function () { box.remove(); });
      box.appendChild(message);
      box.appendChild(dismiss);
      host.parentNode.insertBefore(box, host);
    }
    var paragraph = box.querySelector("p");
    paragraph.textContent = paragraph.textContent ? paragraph.textContent + " " + text : text;
  }

  // -- restoring a link -------------------------------------------------------------------

  var link = null, linkChecked = false;

  function linkedValues(record, spec, entry, sameEdition) {
    var values = {}, snapped = false, unknown = [];
    var controls = {};
    record.meta.explorer.controls.forEach(function (control) { controls[control.param] = control; });
    Object.keys(entry.values).forEach(function (name) {
      var number = entry.values[name];
      if (name === COMPARE) { values[record.meta.explorer.compare] = number !== 0; return; }
      var control = controls[name];
      var param = control && paramSpec(spec, control.signal);
      if (!param) { unknown.push(name); return; }
      var value = snap(param, number);
      if (asNumber(value) !== number) snapped = true;
      values[control.signal] = value;
    });
    if (unknown.length && sameEdition) return { broken: true };
    return { values: values, snapped: snapped, unknown: unknown };
  }

  function checkLink() {
    if (linkChecked) return;
    linkChecked = true;
    link = parse(location.hash);
    if (!link) return;
    var first = explorers()[0];
    var known = {};
    explorers().forEach(function (record) { known[keyOf(record)] = record; });
    var strangers = link.entries.filter(function (entry) { return !known[entry.key]; });
    if (link.broken.some(function (key) { return !known[key]; })) link.unreadable = true;
    if (first && (link.unreadable || strangers.length)) {
      notice(first, link.unreadable
        ? "This page’s address holds settings that could not be read, so the explorers show their starting points."
        : "The link names an explorer that is not on this page (" +
          strangers.map(function (e) { return e.key; }).join(", ") + "); the others are restored.");
    }
    link.broken.forEach(function (key) {
      if (known[key]) known[key].linkBroken = true;
    });
  }

  hooks.prepare.push(function (record, spec) {
    if (!record.meta.explorer || record.linkApplied) return;
    record.linkApplied = true;
    checkLink();
    record.startValues = defaults(record, spec);
    if (!link || link.unreadable) return;
    var key = keyOf(record);
    if (record.linkBroken) {
      notice(record, "This link’s settings for this explorer could not be read, so it shows its starting point.");
      return;
    }
    var entry = link.entries.filter(function (e) { return e.key === key; })[0];
    if (!entry) return;
    var sameEdition = link.edition === edition();
    var restored = linkedValues(record, spec, entry, sameEdition);
    if (restored.broken) {
      notice(record, "This link names settings this explorer does not have, so it shows its starting point.");
      return;
    }
    (spec.params || []).forEach(function (param) {
      if (Object.prototype.hasOwnProperty.call(restored.values, param.name)) {
        param.value = record.values[param.name] = restored.values[param.name];
      }
    });
    record.linkTarget = link.entries[0] === entry;
    if (!sameEdition) {
      notice(record, "This link was made with " + (link.edition ? "edition “" + link.edition + "”" :
        "another edition") + " of the book; this is “" + edition() + "”. Its settings were " +
        "restored as closely as this edition’s sliders allow" +
        (restored.unknown.length ? " (this edition has no “" + restored.unknown.join("”, “") + "”)" : "") + ".");
    } else if (restored.snapped) {
      notice(record, "Some settings in this link are not slider positions; the nearest positions are shown.");
    }
  });

  // -- toolbar: copy link, reset ------------------------------------------------------------

  function button(text, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "coop-button";
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function copyLink(record, status) {
    var hash = format(record);
    writeAddress(hash);
    var address = pageAddress(hash);
    function showAddress() {
      status.textContent = "Copy this link: ";
      var field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.value = address;
      field.className = "coop-link-field";
      field.setAttribute("aria-label", "Link to this scenario");
      status.appendChild(field);
      field.focus();
      field.select();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(address).then(function () {
        status.textContent = "Link copied. It opens this page with these settings.";
      }, showAddress);
    } else {
      showAddress();
    }
  }

  function reset(record) {
    var view = record.view;
    Object.keys(record.startValues).forEach(function (name) {
      view.signal(name, record.startValues[name]);
    });
    view.runAsync();
  }

  hooks.rendered.push(function (record) {
    if (!record.meta.explorer) return;
    if (!record.toolbar) {
      var toolbar = record.toolbar = document.createElement("div");
      toolbar.className = "coop-toolbar";
      var status = document.createElement("span");
      status.className = "coop-status";
      status.setAttribute("aria-live", "polite");
      toolbar.appendChild(button("Copy link to this scenario", function () { copyLink(record, status); }));
      toolbar.appendChild(button("Reset to the starting point", function () {
        status.textContent = "";
        reset(record);
      }));
      toolbar.appendChild(status);
      record.extras.insertBefore(toolbar, record.extras.firstChild);
    }
    if (record.linkTarget && !record.scrolled) {
      record.scrolled = true;
      record.element.scrollIntoView({ block: "start" });
    }
  });

  var pending;
  hooks.changed.push(function (record) {
    if (!record.meta.explorer) return;
    clearTimeout(pending);
    pending = setTimeout(function () {
      writeAddress(format(isDefault(record) ? null : record));
    }, 300);
  });

  // A link pasted into the address bar of the open page.
  window.addEventListener("hashchange", function () {
    if (location.hash === written) return;
    var fresh = parse(location.hash);
    if (!fresh) return;
    link = fresh;
    explorers().forEach(function (record) {
      if (!record.view) return;
      var entry = fresh.entries.filter(function (e) { return e.key === keyOf(record); })[0];
      var restored = entry && linkedValues(record, record.spec, entry, fresh.edition === edition());
      var values = restored && !restored.broken ? restored.values : {};
      Object.keys(record.startValues).forEach(function (name) {
        record.view.signal(name, Object.prototype.hasOwnProperty.call(values, name)
          ? values[name] : record.startValues[name]);
      });
      record.view.runAsync();
      if (!entry && fresh.unreadable) notice(record, "This address’s settings could not be read.");
    });
  });

  book.links = { parse: parse, format: format, keyOf: keyOf, snap: snap, edition: edition };
})();
