"""The built book as readers use it: on a phone and on a desk, in light and dark mode,
with the numbers behind every chart and scenarios shared as links.

For every page of the table of contents, at 390 px in light mode and at 1280 px in dark
mode (one page load each): nothing overflows sideways outside a scroll box, chart text is
at least 11 px, chart text reads against the page (contrast), every chart has a Data
table whose CSV matches it (opened, the tables still fit), and in dark mode axe-core
finds no serious or critical violation (test_site.py scans light mode).

For every page with explorers: set every control, reload the page's address, and get the
same settings and the same drawn marks; a malformed link gives the starting point and a
notice, with no console error. Single checks: a link from another edition, Copy link and
Reset, an empty panel's note, and links from ``file://``.

Needs ``_build/html`` (``make build``) and Chromium, as test_site.py.
"""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_site import BLOCKING_IMPACTS, MARKS_JS, SET_VALUE_JS, WAIT_FOR_CHANGE_JS
from tools.site import BUILD, toc_pages

pytestmark = pytest.mark.browser

MIN_CHART_TEXT_PX = 11
MIN_TEXT_CONTRAST = 4.5
DESK_WIDTH = 1280
VIEWS = {"phone-light": (390, "light"), "desk-dark": (DESK_WIDTH, "dark")}
EXPLORER_PAGES = [doc for doc in toc_pages()
                  if 'coop-chart coop-explorer' in (BUILD / f"{doc}.html").read_text()] \
    if (BUILD / "index.html").exists() else []

# Elements of the article that stick out of the viewport sideways with no scroll box
# (an ancestor that scrolls) around them, or out of the left of their scroll box (which
# cannot scroll that way): content a reader cannot reach.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  if (document.documentElement.scrollWidth > width + 1)
    problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const scrollBox = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return a;
    }
    return null;
  };
  const name = el => el.tagName.toLowerCase() + '.' +
                     (el.getAttribute('class') || '').split(' ')[0];
  for (const el of document.querySelectorAll('.bd-article *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    const scroller = scrollBox(el);
    if ((box.right > width + 1 || box.left < -1) && !scroller)
      problems.push(name(el) + ' spans ' + Math.round(box.left) + '..' + Math.round(box.right));
    if (scroller && box.left < scroller.getBoundingClientRect().left - scroller.scrollLeft - 1)
      problems.push(name(el) + ' starts left of its scroll box ' + name(scroller));
  }
  return problems.slice(0, 8);
}"""

# Every visible text of every live chart: its size on screen and its contrast with the
# page behind the chart (halos, drawn in the page's colour behind labels, left out).
CHART_TEXT_JS = """() => {
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = c => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = el => {
    for (let a = el; a; a = a.parentElement) {
      const colour = rgb(getComputedStyle(a).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] > 0.5))
        return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const chart of document.querySelectorAll('.coop-chart')) {
    const behind = background(chart);
    for (const text of chart.querySelectorAll('.coop-chart-view svg text')) {
      const style = getComputedStyle(text);
      if (!text.textContent.trim() || Number(style.opacity) === 0 || style.display === 'none' ||
          !text.getBoundingClientRect().width) continue;
      if (style.stroke !== 'none' && parseFloat(style.strokeWidth) >= 3) continue;  // a halo
      const m = text.getScreenCTM();
      out.push({text: text.textContent.slice(0, 40), chart: chart.id,
                px: parseFloat(style.fontSize) * Math.hypot(m.a, m.b),
                contrast: contrast(rgb(style.fill), behind)});
    }
  }
  return out;
}"""

# Opens every chart's Data disclosure; resolves when every one has its table(s).
OPEN_DATA_JS = """async () => {
  const boxes = Array.from(document.querySelectorAll('details.coop-data'));
  boxes.forEach(d => { d.open = true; });
  const start = performance.now();
  while (performance.now() - start < 5000 &&
         !boxes.every(d => d.querySelector('table.coop-data-table'))) {
    await new Promise(r => setTimeout(r, 50));
  }
  return boxes.length;
}"""

# Per chart: its tables as text, and its CSV files decoded.
DATA_JS = """() => Array.from(document.querySelectorAll('.coop-chart')).map(chart => {
  const extras = chart.nextElementSibling;
  const box = extras && extras.querySelector('details.coop-data');
  if (!box) return {chart: chart.id, missing: true};
  return {chart: chart.id, tables: Array.from(box.querySelectorAll('table')).map(t => ({
      caption: t.caption ? t.caption.textContent : '',
      colScopes: Array.from(t.tHead.rows[0].cells).map(c => c.tagName + ':' + c.scope),
      headers: Array.from(t.tHead.rows[0].cells).map(c => c.textContent),
      numeric: Array.from(t.tHead.rows[0].cells).map((_, i) =>
        !!(t.tBodies[0].rows[0] && t.tBodies[0].rows[0].cells[i] &&
           t.tBodies[0].rows[0].cells[i].classList.contains('coop-num'))),
      rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent)),
      rowHeaders: Array.from(t.tBodies[0].rows).every(r => r.cells.length < 2 ||
        (r.cells[0].tagName === 'TH' && r.cells[0].scope === 'row'))})),
    csv: Array.from(box.querySelectorAll('a.coop-csv')).map(a => ({href: a.href,
                                                                   download: a.download}))};
})"""

CONTROLS_JS = """(chart) => Array.from(chart.querySelectorAll('.vega-bindings input')).map(i =>
  i.type === 'checkbox' || i.type === 'radio' ? i.name + '=' + i.value + ':' + i.checked
                                               : i.name + '=' + i.value)"""

# Moves every control of an explorer away from where it is: a range to its other end, a
# checkbox flipped, a radio group to its last other option (clicked, as a reader does).
# Returns the controls that did not take the new value.
MOVE_ALL_JS = """(chart) => {
  const stuck = [];
  for (const input of chart.querySelectorAll('.vega-bindings input')) {
    if (input.type === 'range') {
      input.value = Number(input.value) === Number(input.min) ? input.max : input.min;
      input.dispatchEvent(new Event('input', {bubbles: true}));
    } else if (input.type === 'checkbox') {
      const was = input.checked;
      input.click();
      if (input.checked === was) stuck.push(input.name);
    }
  }
  const groups = new Set(Array.from(chart.querySelectorAll('.vega-bindings input[type=radio]'),
                                    input => input.name));
  for (const name of groups) {
    const pick = Array.from(chart.querySelectorAll(`input[type=radio][name="${name}"]`))
      .filter(option => !option.checked).pop();
    pick.click();
    if (!pick.checked) stuck.push(name + '=' + pick.value);
  }
  return stuck;
}"""


@contextmanager
def reader(browser, *, width: int = 1280, theme: str = "light"):
    """A fresh page at this width and theme; yields (page, console errors)."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=theme)
    context.add_init_script(f"localStorage.setItem('mode', '{theme}');"
                            f"localStorage.setItem('theme', '{theme}');")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))
    try:
        yield page, errors
    finally:
        context.close()


# Radio names shared by two charts: the browser would make them one group.
SHARED_RADIOS_JS = """() => {
  const owner = {};
  const shared = new Set();
  document.querySelectorAll('.coop-chart').forEach((chart, i) => {
    chart.querySelectorAll('input[type=radio]').forEach(r => {
      if (r.name in owner && owner[r.name] !== i) shared.add(r.name);
      owner[r.name] = i;
    });
  });
  return Array.from(shared);
}"""

# Legend labels Vega cut short with an ellipsis (allowed on a phone, where labels are
# shortened on purpose; never at desk width).
CUT_LABELS_JS = """() => Array.from(document.querySelectorAll(
  '.coop-chart svg .role-legend-label text')).map(t => t.textContent)
  .filter(t => t.endsWith('\u2026'))"""

BLACK_MARKS_JS = """() => Array.from(document.querySelectorAll(
  '.coop-chart svg g[class^="mark-"] path'))
  .filter(p => ['stroke', 'fill'].some(a => /^(#000000|#000|black)$/i.test(
    p.getAttribute(a) || ''))).length"""


def control(page, parameter: str):
    """The first explorer's control of a model parameter (Vega names it ``s_<name>``)."""
    return page.locator(f".coop-explorer .vega-bindings input[name=s_{parameter}]").first


def goto(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.coop-chart'))"
        ".every(c => c.classList.contains('coop-live'))", timeout=20_000)


def parse_csv(href: str) -> list[list[str]]:
    assert href.startswith("data:text/csv;charset=utf-8,"), href[:40]
    return list(csv.reader(io.StringIO(unquote(href.split(",", 1)[1]))))


def check_data_tables(page) -> None:
    """Every chart has a Data table (caption, scoped headers, units) and a matching CSV."""
    page.evaluate(OPEN_DATA_JS)
    for chart in page.evaluate(DATA_JS):
        assert not chart.get("missing"), f"{chart['chart']}: no Data control"
        assert chart["tables"], f"{chart['chart']}: no data table"
        assert len(chart["csv"]) == len(chart["tables"])
        for table, link in zip(chart["tables"], chart["csv"], strict=True):
            assert table["caption"] and table["rows"], table
            assert all(scope == "TH:col" for scope in table["colScopes"])
            assert table["rowHeaders"], "each row is headed by its first cell"
            assert link["download"].endswith(".csv")
            rows = parse_csv(link["href"])
            assert rows[0] == table["headers"]
            if len(table["rows"]) == 1 and len(table["rows"][0]) == 1:
                continue  # an empty panel's note, in place of rows
            shown = [[cell.replace(",", "") if numeric else cell
                      for cell, numeric in zip(row, table["numeric"], strict=True)]
                     for row in table["rows"]]
            assert rows[1:] == shown, f"{chart['chart']}: CSV differs from its table"


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("doc", toc_pages())
def test_reader_view(browser, site_url, doc, view):
    width, theme = VIEWS[view]
    with reader(browser, width=width, theme=theme) as (page, errors):
        goto(page, f"{site_url}/{doc}.html")
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        assert page.evaluate(OVERFLOW_JS) == [], "content off-screen outside a scroll box"
        texts = page.evaluate(CHART_TEXT_JS)
        small = [t for t in texts if t["px"] < MIN_CHART_TEXT_PX - 0.05]
        assert not small, f"chart text under {MIN_CHART_TEXT_PX} px: {small[:5]}"
        faint = [t for t in texts if t["contrast"] < MIN_TEXT_CONTRAST]
        assert not faint, f"chart text that does not read against the page: {faint[:5]}"
        assert page.evaluate(SHARED_RADIOS_JS) == [], "two explorers share a radio group"
        check_data_tables(page)
        assert page.evaluate(OVERFLOW_JS) == [], "a data table sticks out of its box"
        assert errors == []
        if width >= DESK_WIDTH:
            assert page.evaluate(CUT_LABELS_JS) == [], "legend labels cut short"
        if theme == "dark":
            assert page.evaluate(BLACK_MARKS_JS) == 0, "black marks vanish on a dark page"
        if theme == "dark":  # (axe fetches style sheets itself, some at wrong addresses)
            results = Axe().run(page)
            blocking = [v for v in results.response["violations"]
                        if v["impact"] in BLOCKING_IMPACTS]
            assert not blocking, "\n".join(
                f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
                for v in blocking)


@pytest.mark.parametrize("doc", EXPLORER_PAGES)
def test_explorer_settings_round_trip_through_the_link(browser, site_url, doc):
    with reader(browser) as (page, errors):
        goto(page, f"{site_url}/{doc}.html")
        explorers = page.locator(".coop-explorer")
        defaults = [chart.evaluate(CONTROLS_JS) for chart in explorers.all()]
        for chart in explorers.all():
            before = chart.evaluate(MARKS_JS)
            assert chart.evaluate(MOVE_ALL_JS) == [], "a click did not choose its option"
            chart.evaluate(WAIT_FOR_CHANGE_JS, before)
        page.wait_for_function("() => location.hash.startsWith('#s=')", timeout=5_000)
        page.wait_for_timeout(400)  # the address follows the last move after 300 ms
        link = page.url
        moved = [chart.evaluate(CONTROLS_JS) for chart in explorers.all()]
        marks = [chart.evaluate(MARKS_JS) for chart in explorers.all()]
        assert moved != defaults
        assert re.search(r"#s=[a-z_]+(-\d+)?:\w+=[-\d.e]+.*;v=\S+$", link), link

        fresh = page.context.new_page()
        fresh.on("console", lambda m: m.type == "error" and errors.append(m.text))
        goto(fresh, link)
        again = fresh.locator(".coop-explorer")
        assert [chart.evaluate(CONTROLS_JS) for chart in again.all()] == moved
        assert [chart.evaluate(MARKS_JS) for chart in again.all()] == marks
        assert fresh.locator(".coop-notice").count() == 0
        for chart in again.all():  # screen readers hear the setting the link restored
            label = chart.locator("svg").first.get_attribute("aria-label")
            names = chart.evaluate("c => Array.from(c.querySelectorAll('.vega-bind-name'),"
                                   " n => n.textContent.split(' (')[0])")
            assert "Current setting: " in label and all(n in label for n in names[:-1])

        key = fresh.evaluate(
            "() => coopbook.links.keyOf(coopbook.records.find(r => r.meta.explorer))")
        for broken in (f"#s={key}:nonsense=lots;v=dev", "#s=%%;v=", "#s=" + key + ":,,==;v=dev"):
            bad = page.context.new_page()
            bad.on("console", lambda m: m.type == "error" and errors.append(m.text))
            bad.on("pageerror", lambda e: errors.append(str(e)))
            goto(bad, f"{site_url}/{doc}.html{broken}")
            assert [c.evaluate(CONTROLS_JS) for c in bad.locator(".coop-explorer").all()] \
                == defaults, f"{broken}: not the starting point"
            notice = bad.locator(".coop-notice").first
            assert notice.is_visible() and notice.get_attribute("role") == "status", broken
            bad.close()
        assert errors == []


def test_a_link_from_another_edition_restores_what_fits_and_says_so(browser, site_url):
    doc = "book/05_police_capacity"
    with reader(browser) as (page, errors):
        goto(page, f"{site_url}/{doc}.html#s=police_capacity:calls_per_hour=62,"
                   "officers_on_duty=1000,retired_slider=3;v=2019")
        calls, officers = control(page, "calls_per_hour"), control(page, "officers_on_duty")
        step = float(calls.get_attribute("step"))
        assert abs(float(calls.input_value()) - 62) <= step / 2, "snapped to the nearest position"
        assert officers.input_value() == officers.get_attribute("max"), "clamped to the range"
        notice = page.locator(".coop-notice").inner_text()
        assert "2019" in notice and "retired_slider" in notice
        assert errors == []


def test_copy_link_and_reset(browser, site_url):
    with reader(browser) as (page, errors):
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        goto(page, f"{site_url}/book/05_police_capacity.html")
        chart = page.locator(".coop-explorer").first
        defaults = chart.evaluate(CONTROLS_JS)
        chart.evaluate(MOVE_ALL_JS)
        page.get_by_role("button", name="Copy link to this scenario").first.click()
        page.wait_for_function("() => document.querySelector('.coop-status').textContent")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url and "#s=police_capacity:" in copied
        page.get_by_role("button", name="Reset to the starting point").first.click()
        page.wait_for_function("() => !location.hash", timeout=5_000)
        assert chart.evaluate(CONTROLS_JS) == defaults
        assert errors == []


def test_an_empty_panel_says_why_and_its_table_too(browser, site_url):
    """Chapter 2 with no detainer honoured: no one removed, no precision to plot."""
    with reader(browser) as (page, errors):
        goto(page, f"{site_url}/book/02_information_sharing.html#s=screening:"
                   "honour_rate=0;v=dev")
        chart = page.locator(".coop-explorer").first
        page.wait_for_function("() => /No one is removed/.test("
                               "document.querySelector('.coop-explorer svg').textContent)")
        page.evaluate(OPEN_DATA_JS)
        tables = page.locator(".coop-explorer + .coop-chart-extras table")
        (precision,) = [t for t in tables.all() if "Precision" in t.locator("caption").inner_text()]
        assert precision.locator("tbody td").count() == 1  # the note, not a blank table
        assert "No one is removed" in precision.locator("tbody").inner_text()
        assert chart.evaluate(MARKS_JS), "the other panels still draw"
        assert errors == []


def test_links_work_from_file_urls(browser):
    """A reader who opens the book from disk (make dist) keeps scenario links."""
    doc = BUILD / "book" / "05_police_capacity.html"
    with reader(browser) as (page, errors):
        goto(page, doc.as_uri())
        slider = control(page, "calls_per_hour")
        step = float(slider.get_attribute("step"))
        chosen = float(slider.get_attribute("min")) + 2 * step  # a position off the default
        page.goto(doc.as_uri() + f"#s=police_capacity:calls_per_hour={chosen:g};v=dev")
        page.reload()  # (a new address differing only in its fragment does not reload)
        goto(page, page.url)
        assert float(slider.input_value()) == chosen
        slider.evaluate(SET_VALUE_JS, "far")
        page.wait_for_function(f"() => !location.hash.includes('calls_per_hour={chosen:g}')",
                               timeout=5_000)
        assert urlsplit(page.url).scheme == "file" and "#s=police_capacity:" in page.url
        assert errors == []
