"""The built book in a real browser (headless Chromium from Debian, no network).

For every page of the table of contents: no console error, no request to any host but
the local server, every chart renders marks, every slider of every explorer changes the
drawn chart, and axe-core finds no serious or critical accessibility violation.

Needs ``_build/html`` (``make build``) and Chromium at ``/usr/bin/chromium`` (or the path
in ``COOPBOOK_CHROMIUM``). Playwright never downloads a browser here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tools.site import toc_pages

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}

# Signature of what a chart draws: the geometry of every mark, in document order.
MARKS_JS = """(chart) => Array.from(chart.querySelectorAll('svg .role-mark > *'))
    .map(e => (e.getAttribute('d') || '') + (e.getAttribute('transform') || '')).join('|')"""


# Sets a control to a value ("far": a range's further end, a checkbox flipped, a radio
# group's last other option) as a reader would, firing its event.
SET_VALUE_JS = """(input, value) => {
    if (input.type === 'checkbox') {
        if (value === "far" || String(input.checked) !== value) input.click();
        return;
    }
    if (input.type === 'radio') {
        const group = Array.from(document.getElementsByName(input.name));
        const pick = value === "far" ? group.filter(o => !o.checked).pop()
                                     : group.find(o => o.value === value);
        pick.click();
        return;
    }
    if (value === "far") value = Number(input.value) < Number(input.max) ? input.max : input.min;
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
}"""

# A control's current value, as SET_VALUE_JS takes it back.
VALUE_JS = """(input) => input.type === 'checkbox' ? String(input.checked)
    : input.type === 'radio' ? Array.from(document.getElementsByName(input.name))
                                    .find(o => o.checked).value
    : input.value"""

# Every control of a model (a radio group once; not the "compare" display toggle).
CONTROLS = (".vega-bindings input[type=range], .vega-bind-radio label:first-child input, "
            ".vega-bindings input[type=checkbox]:not([name=coop_compare])")

# Resolves once the chart's marks differ from `before`, or after 5 s (the caller checks).
WAIT_FOR_CHANGE_JS = f"""(chart, before) => new Promise(resolve => {{
    const start = performance.now();
    (function poll() {{
        if (({MARKS_JS})(chart) !== before || performance.now() - start > 5000) return resolve();
        requestAnimationFrame(poll);
    }})();
}})"""


@pytest.fixture
def page_report(browser, site_url):
    """A fresh page that blocks and records every request leaving the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    report = {"external": [], "errors": []}
    local = urlsplit(site_url).netloc

    def route(route_request) -> None:
        url = route_request.request.url
        if urlsplit(url).netloc == local or url.startswith(("data:", "blob:", "about:")):
            route_request.continue_()
        else:
            report["external"].append(url)
            route_request.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and report["errors"].append(m.text))
    page.on("pageerror", lambda e: report["errors"].append(str(e)))
    page.on("response", lambda r: r.status >= 400 and report["errors"].append(
        f"HTTP {r.status} for {r.url}"))
    yield page, report
    context.close()


def open_page(page, site_url: str, doc: str) -> None:
    page.goto(f"{site_url}/{doc}.html", wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.coop-chart'))"
        ".every(c => c.classList.contains('coop-live'))", timeout=20_000)


@pytest.mark.parametrize("doc", toc_pages())
def test_page_loads_offline_without_errors(page_report, site_url, doc):
    page, report = page_report
    open_page(page, site_url, doc)
    page.wait_for_load_state("networkidle")
    assert report["external"] == [], "requests to other hosts"
    assert report["errors"] == [], "console errors"


@pytest.mark.parametrize("doc", toc_pages())
def test_every_chart_draws_marks_and_every_slider_moves_its_chart(page_report, site_url, doc):
    page, report = page_report
    open_page(page, site_url, doc)
    for chart in page.locator(".coop-chart").all():
        assert chart.evaluate(MARKS_JS), "chart drew no marks"
        assert chart.locator("svg").first.get_attribute("aria-label"), "chart has no label"
        for slider in chart.locator(CONTROLS).all():
            # Each slider is moved from the default state, then put back, so that one
            # slider's effect is never hidden by another's (no cooperation, no effect).
            before = chart.evaluate(MARKS_JS)
            original = slider.evaluate(VALUE_JS)
            slider.evaluate(SET_VALUE_JS, "far")
            chart.evaluate(WAIT_FOR_CHANGE_JS, before)
            label = slider.evaluate("(i) => i.closest('.vega-bind').innerText")
            moved = chart.evaluate(MARKS_JS)
            assert moved != before, f"slider {label!r} did not move the chart"
            slider.evaluate(SET_VALUE_JS, original)
            chart.evaluate(WAIT_FOR_CHANGE_JS, moved)
    assert report["errors"] == []


@pytest.mark.parametrize("doc", toc_pages())
def test_no_serious_accessibility_violations(page_report, site_url, doc):
    page, _ = page_report
    open_page(page, site_url, doc)
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in blocking)
