// The numbers behind every chart: a "Data" disclosure under each chart with the numbers
// it draws at the current setting, as a table (caption, header cells with units) and a
// CSV download; and a description of the current setting for screen readers. Loaded
// before coopbook.js, which calls its hooks.
//
// What a table shows is read from the chart's spec (usermeta.coopbook.tables, written by
// coopmodels.charts): per panel, its columns (data field, header with unit, number
// format). The rows are the data of the marks Vega has drawn (its scenegraph), so the
// table is exactly what the chart shows; rows of the faint starting point are left out.
// Tables are built only while their disclosure is open, so moving a slider costs nothing
// otherwise.
(function () {
  "use strict";
  var book = window.coopbook = window.coopbook || {};
  var hooks = book.hooks = book.hooks || {};
  ["prepare", "rendered", "changed"].forEach(function (name) { hooks[name] = hooks[name] || []; });

  var REFERENCE_FLAG = "coop_ref";
  var NOTE = "coop_note";
  var ANNOUNCE_DELAY = 700;  // ms after the last move before the setting is announced
  var TABLE_DELAY = 60;      // ms after a move before an open table is rebuilt

  // A d3-style number format ("," grouping, ".2" decimals, "~" trims zeros, type f/d/%).
  function formatNumber(value, specifier) {
    if (value === null || value === undefined || value === "" || isNaN(value)) return "";
    var match = /^(,)?(?:\.(\d+))?(~)?([fd%])?$/.exec(specifier || ",.3~f");
    if (!match) return String(value);
    var grouping = !!match[1], trim = !!match[3], type = match[4] || "f";
    var digits = match[2] === undefined ? (type === "d" ? 0 : 6) : Number(match[2]);
    var number = Number(value) * (type === "%" ? 100 : 1);
    if (type === "d") digits = 0;
    // Never show a value that is not zero as zero: give it two significant digits.
    if (number !== 0 && Math.abs(number) < 0.5 * Math.pow(10, -digits)) {
      digits = Math.min(12, Math.ceil(-Math.log10(Math.abs(number))) + 1);
      trim = true;
    }
    var text = number.toLocaleString("en-US", {
      useGrouping: grouping, maximumFractionDigits: digits,
      minimumFractionDigits: trim ? 0 : digits });
    return type === "%" ? text + "%" : text;
  }
  book.formatNumber = formatNumber;

  // -- what the chart draws -----------------------------------------------------------

  // The panels of a drawn chart: each concatenated view's group, or the whole chart.
  function panelGroups(view) {
    var root = view.scenegraph().root.items[0];
    var groups = [];
    (root.items || []).forEach(function (mark) {
      if (mark.marktype === "group" && mark.role === "scope") {
        (mark.items || []).forEach(function (item) { groups.push(item); });
      }
    });
    return groups.length ? groups : [root];
  }

  // Every datum drawn by a data mark under a scenegraph group (axes, legends left out).
  function drawnData(group) {
    var seen = new Set(), data = [];
    (function visit(node) {
      (node.items || []).forEach(function (mark) {
        if (mark.marktype === "group") {
          (mark.items || []).forEach(visit);
        } else if (mark.role === "mark") {
          (mark.items || []).forEach(function (item) {
            var datum = item.datum;
            if (datum && !seen.has(datum)) { seen.add(datum); data.push(datum); }
          });
        }
      });
    })(group);
    return data;
  }

  function cell(column, value) {
    if (value === null || value === undefined) return "";
    if (column.labels && Object.prototype.hasOwnProperty.call(column.labels, value)) {
      return column.labels[value];
    }
    return column.kind === "number" ? formatNumber(value, column.format) : String(value);
  }

  // A chart not drawn by coopmodels.charts: one table of the fields its marks carry.
  function guessTable(group, index) {
    var fields = [];
    drawnData(group).forEach(function (datum) {
      Object.keys(datum).forEach(function (key) {
        if (!/^coop_|^_/.test(key) && fields.indexOf(key) < 0) fields.push(key);
      });
    });
    return { title: "Chart data" + (index ? " " + (index + 1) : ""), columns: fields.map(function (key) {
      return { field: key, title: key, kind: "text" };
    }) };
  }

  // Tables for the chart's current setting: [{title, headers, rows, note}].
  function tablesOf(record) {
    var groups = panelGroups(record.view);
    var specs = record.meta.tables || groups.map(guessTable);
    return specs.map(function (table, index) {
      var group = specs.length === groups.length ? groups[index] : groups[0];
      var data = drawnData(group);
      var columns = table.columns.slice();
      if (table.better) columns.push({ field: table.better.field, title: table.better.title,
                                       kind: "text", labels: table.better.labels, better: true });
      var rows = [], seen = new Set();
      data.forEach(function (datum) {
        if (datum[REFERENCE_FLAG]) return;
        if (!table.columns.every(function (c) { return datum[c.field] !== undefined; })) return;
        var row = columns.map(function (c) {
          var shown = cell(c, datum[c.field]);
          return c.better && shown === String(datum[c.field]) ? "" : shown;
        });
        var key = JSON.stringify(row);  // one row per datum, though several marks draw it
        if (!seen.has(key)) { seen.add(key); rows.push(row); }
      });
      var notes = data.filter(function (d) { return d[NOTE]; }).map(function (d) {
        return [].concat(d[NOTE]).join(" ");
      });
      return { title: table.title, headers: columns.map(function (c) { return c.title; }),
               numeric: columns.map(function (c) { return c.kind === "number"; }),
               rows: rows, note: notes[0] || (rows.length ? "" : table.empty || "Nothing to draw.") };
    });
  }
  book.tablesOf = tablesOf;

  // -- the disclosure ---------------------------------------------------------------------

  function csvText(table) {
    function quote(text) {
      text = String(text);
      return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    var lines = [table.headers.map(quote).join(",")];
    table.rows.forEach(function (row) {
      lines.push(row.map(function (text, i) {
        return quote(table.numeric[i] ? text.replace(/,/g, "") : text);
      }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function fileName(title, index) {
    var slug = String(title || "chart").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "").slice(0, 60);
    return (slug || "chart-" + (index + 1)) + ".csv";
  }

  function settingText(record) {
    var explorer = record.meta.explorer;
    if (!explorer) return "";
    return "Current setting: " + explorer.controls.map(function (control) {
      var value = record.values[control.signal];
      var number = value === true ? 1 : value === false ? 0 : Number(value);
      var shown = formatNumber(number, ",.4~f");
      if (control.choices) {  // a lever: its meaning, or its number if the unit names none
        var coded = control.choices[String(number)];
        return control.label + ": " + (coded ? coded.replace(/^[^=]*=\s*/, "") : shown);
      }
      return control.label + " " + shown + " " + control.unit;
    }).join("; ") + ".";
  }
  book.settingText = settingText;

  function fill(record) {
    var body = record.dataBody;
    body.textContent = "";
    var setting = settingText(record);
    if (setting) {
      var p = document.createElement("p");
      p.className = "coop-data-setting";
      p.textContent = setting;
      body.appendChild(p);
    }
    tablesOf(record).forEach(function (table, index) {
      var wrapper = document.createElement("div");
      wrapper.className = "coop-table-wrap";
      wrapper.tabIndex = 0;  // a scroll box must be reachable by keyboard
      var element = document.createElement("table");
      element.className = "coop-data-table";
      var caption = element.createCaption();
      caption.textContent = table.title;
      var head = element.createTHead().insertRow();
      table.headers.forEach(function (header) {
        var th = document.createElement("th");
        th.scope = "col";
        th.textContent = header;
        head.appendChild(th);
      });
      var tbody = element.createTBody();
      if (!table.rows.length) {
        var row = tbody.insertRow(), td = row.insertCell();
        td.colSpan = table.headers.length;
        td.textContent = table.note;
      }
      table.rows.forEach(function (values) {
        var row = tbody.insertRow();
        values.forEach(function (text, i) {
          var c = i === 0 ? document.createElement("th") : document.createElement("td");
          if (i === 0) c.scope = "row";
          if (table.numeric[i]) c.className = "coop-num";
          c.textContent = text;
          row.appendChild(c);
        });
      });
      wrapper.appendChild(element);
      body.appendChild(wrapper);
      var download = document.createElement("a");
      download.className = "coop-csv";
      download.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csvText(table));
      download.download = fileName(table.title, index);
      download.textContent = "Download CSV" + ((record.meta.tables || []).length > 1
        ? " (" + table.title + ")" : "");
      body.appendChild(download);
    });
  }

  function describe(record) {
    var svg = record.element.querySelector(".coop-chart-view svg");
    var description = record.element.dataset.description || "";
    var setting = settingText(record);
    if (svg && description) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", setting ? description + " " + setting : description);
    }
  }

  hooks.rendered.push(function (record) {
    describe(record);
    if (!record.dataBody) {
      var details = document.createElement("details");
      details.className = "coop-data";
      var summary = document.createElement("summary");
      summary.textContent = "Data";
      var body = record.dataBody = document.createElement("div");
      body.className = "coop-data-body";
      details.appendChild(summary);
      details.appendChild(body);
      details.addEventListener("toggle", function () { if (details.open) fill(record); });
      record.details = details;
      record.extras.appendChild(details);
      if (record.meta.explorer) {
        var live = record.announcer = document.createElement("p");
        live.className = "coop-sr-only";
        live.setAttribute("aria-live", "polite");
        record.extras.appendChild(live);
      }
    }
    if (record.details.open) fill(record);
  });

  // After a move: the open table follows at once (once Vega has drawn); the description
  // and the screen-reader announcement once the reader pauses.
  hooks.changed.push(function (record) {
    clearTimeout(record.tableTimer);
    clearTimeout(record.announceTimer);
    if (record.details && record.details.open) {
      record.tableTimer = setTimeout(function () {
        record.view.runAsync().then(function () { fill(record); });
      }, TABLE_DELAY);
    }
    record.announceTimer = setTimeout(function () {
      describe(record);
      if (record.announcer) record.announcer.textContent = settingText(record);
    }, ANNOUNCE_DELAY);
  });
})();
