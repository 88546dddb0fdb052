"""The built site: page weight, and kernel-free slider response in headless Chromium.

Page weight counts the bytes of each page's HTML and of the chart data embedded in it;
the browser pass adds what a first visit to each page loads in all (HTML, scripts,
styles, fonts), each page in a fresh browser context (empty cache), from the book's own
server, which sends the build's precompressed ``.gz`` copies: ``transferred_bytes`` is
what crosses the network (gzip), ``loaded_bytes`` the same files uncompressed.

Slider response is measured inside the page with ``performance.now()``: for every control
of every explorer, set a new value from the slider's own grid (seeded) and dispatch the
``input`` event (or flip an on/off checkbox, or pick another of a lever's labelled
choices), wait until Vega has changed the chart's SVG (a MutationObserver on it), then
wait for the next animation frame, when the browser paints. That interval is one
sample: "slider move to repainted chart".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.measure import percentiles
from tools.site import CHROMIUM, CHROMIUM_ARGS, serve, toc_pages

MOVES_PER_SLIDER = 15
SPEC = re.compile(r'<script type="application/json" class="coop-chart-spec"[^>]*>(.*?)</script>',
                  re.DOTALL)

CONTROLS = (".vega-bindings input[type=range], .vega-bindings input[type=radio], "
            ".vega-bindings input[type=checkbox]:not([name=coop_compare])")
"""The model's controls in an explorer (not its "compare with the starting point" toggle)."""

# Moves every control of one explorer MOVES times; returns the sample times in ms.
MOVE_SLIDERS_JS = """async (chart, moves) => {
  const CONTROLS = __CONTROLS__;
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  const svg = chart.querySelector('.coop-chart-view svg');
  // Every control of the model: ranges, on/off checkboxes, groups of radio buttons (one
  // entry per group); not the "compare with the starting point" display toggle.
  const inputs = Array.from(chart.querySelectorAll(CONTROLS)).filter((input, i, all) =>
      input.type !== 'radio' || all.findIndex(other => other.name === input.name) === i);
  const samples = [];
  for (let move = 0; move < moves; move++) {
    for (const input of inputs) {
      let act;
      if (input.type === 'range') {
        const min = Number(input.min), step = Number(input.step);
        const count = Math.round((Number(input.max) - min) / step) + 1;
        let value = input.value;
        while (String(value) === input.value) value = min + step * Math.floor(random() * count);
        act = () => { input.value = value;
                      input.dispatchEvent(new Event('input', {bubbles: true})); };
      } else if (input.type === 'checkbox') {
        act = () => input.click();
      } else {
        const group = Array.from(chart.querySelectorAll(`input[type=radio][name="${input.name}"]`));
        const others = group.filter(option => !option.checked);
        const choice = others[Math.floor(random() * others.length)];
        act = () => choice.click();
      }
      await frame();
      const changed = new Promise(resolve => {
        const observer = new MutationObserver(() => { observer.disconnect(); resolve(true); });
        observer.observe(svg, {subtree: true, childList: true, attributes: true,
                               characterData: true});
        setTimeout(() => { observer.disconnect(); resolve(false); }, 3000);
      });
      const start = performance.now();
      act();
      const ok = await changed;
      await frame();
      samples.push(ok ? performance.now() - start : null);
    }
  }
  return samples;
}""".replace("__CONTROLS__", json.dumps(CONTROLS))


def page_weight(html_root: Path) -> dict[str, object]:
    """Bytes of every page and of the chart data embedded in it; shared assets once."""
    pages = []
    for doc in toc_pages():
        text = (html_root / f"{doc}.html").read_text(encoding="utf-8")
        pages.append({"page": doc, "html_bytes": len(text.encode()),
                      "embedded_data_bytes": sum(len(s.encode()) for s in SPEC.findall(text))})
    static = html_root / "_static"
    shared = sum(p.stat().st_size for p in static.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in html_root.rglob("*") if p.is_file())
    return {"pages": pages, "shared_static_bytes": shared, "site_bytes": total}


COUNT_CONTROLS_JS = f"""(chart) => {{ const CONTROLS = {json.dumps(CONTROLS)};
  const inputs = Array.from(chart.querySelectorAll(CONTROLS));
  return new Set(inputs.map(input => input.type === 'radio' ? input.name : input)).size; }}"""

# Bytes of every response of the page: as transferred (encoded) and uncompressed (decoded).
LOADED_BYTES_JS = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce((total, entry) => ({transferred: total.transferred + (entry.encodedBodySize || 0),
                                loaded: total.loaded + (entry.decodedBodySize || 0)}),
            {transferred: 0, loaded: 0})"""


def first_visit(browser, url: str, doc: str) -> dict[str, object]:
    """What a first visit to one page loads, in a fresh context (nothing cached)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/{doc}.html", wait_until="networkidle")
    page.wait_for_function("() => Array.from(document.querySelectorAll('.coop-chart'))"
                           ".every(c => c.classList.contains('coop-live'))")
    sizes = page.evaluate(LOADED_BYTES_JS)
    charts = page.locator(".coop-chart").count()
    context.close()
    return {"page": doc, "transferred_bytes": sizes["transferred"],
            "loaded_bytes": sizes["loaded"], "text_only": charts == 0}


def browse(html_root: Path) -> dict[str, list[dict[str, object]]]:
    """Per page: bytes a first visit loads; per page with sliders: p50/p95 of a slider
    move to the repainted chart."""
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict[str, object]]] = {"slider_response": [], "first_visit": []}
    with serve(html_root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for doc in toc_pages():
            results["first_visit"].append(first_visit(browser, url, doc))
            page.goto(f"{url}/{doc}.html", wait_until="networkidle")
            page.wait_for_function("() => Array.from(document.querySelectorAll('.coop-chart'))"
                                   ".every(c => c.classList.contains('coop-live'))")
            samples, sliders = [], 0
            for chart in page.locator(".coop-explorer").all():
                sliders += chart.evaluate(COUNT_CONTROLS_JS)
                samples += chart.evaluate(MOVE_SLIDERS_JS, MOVES_PER_SLIDER)
            if sliders:
                timed = [s for s in samples if s is not None]
                results["slider_response"].append({"page": doc, "sliders": sliders,
                                "unchanged_moves": len(samples) - len(timed),
                                **percentiles(timed)})
        browser.close()
    return results
