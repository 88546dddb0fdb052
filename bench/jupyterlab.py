"""Slider drag → repainted chart in a real JupyterLab, for every explorer of every chapter.

JupyterLab is started as ``make lab`` starts it (``tools/lab.py``) on a copy of the
chapters; each chapter with an explorer is opened in headless Chromium and run (Run All).
Then every slider of every explorer is dragged with the mouse, across its track and back,
one pointer move every 16 ms (a 60 Hz pointer), as a reader drags it.

One sample per slider input, measured in the page with ``performance.now()``: from the
moment the slider shows a new value (its readout changes, as the drag moves it) to the
first repaint of the chart that shows that value *or a later one of the same drag* (the
chart reports each repaint, after the next animation frame, with the values it shows; see
``coopmodels/frontends/live_chart.js``). Inputs that no repaint ever shows are counted as
missed. While the kernel computes one value, ipywidgets holds back the values that follow
and sends only the newest, so a fast drag skips positions instead of queueing them.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import nbformat

from bench.measure import percentiles
from tools.lab import LabPage, copy_chapters, running_lab
from tools.site import CHROMIUM, CHROMIUM_ARGS, ROOT, toc_pages

POINTER_INTERVAL_S = 0.016
MOVES_PER_DRAG = 40
EXPLORE_CALL = re.compile(r"(?:^|[^.\w])explore\(")

# Starts recording, for one slider of one explorer: readout changes and chart repaints.
RECORD_JS = """([explorer, name]) => {
  const readout = explorer.querySelector(`.coop-lab-control-${name} .widget-readout`);
  window.__coopInputs = []; window.__coopPaints = [];
  window.__coopObserver = new MutationObserver(() => window.__coopInputs.push(
      {t: performance.now(), text: readout.innerText}));
  window.__coopObserver.observe(readout, {childList: true, characterData: true, subtree: true});
  window.__coopOnPaint = (event) => window.__coopPaints.push(
      {t: event.detail.painted, value: event.detail.drawn[name],
       draw: event.detail.painted - event.detail.received});
  explorer.addEventListener('coop-paint', window.__coopOnPaint);
}"""

STOP_JS = """(explorer) => {
  window.__coopObserver.disconnect();
  explorer.removeEventListener('coop-paint', window.__coopOnPaint);
  return [window.__coopInputs, window.__coopPaints];
}"""


def readout_number(text: str) -> float | None:
    """The number a slider's readout shows ("1,200", "−40", "0.25 · full")."""
    match = re.match(r"\s*([-−]?[\d,]*\.?\d+)", text)
    return float(match.group(1).replace(",", "").replace("−", "-")) if match else None


def latencies(inputs: list[dict], paints: list[dict]) -> tuple[list[float], int]:
    """Per input, ms to the first repaint showing it or a later input (see the module
    docstring); and how many inputs no repaint showed."""
    values = [readout_number(i["text"]) for i in inputs]
    samples, missed = [], 0
    for i, start in enumerate(inputs):
        if values[i] is None:
            continue
        shown = None
        for paint in paints:
            if paint["t"] < start["t"] or paint["value"] is None:
                continue
            later = [values[j] for j in range(i, len(inputs)) if inputs[j]["t"] <= paint["t"]]
            if any(v is not None and abs(v - paint["value"]) < 1e-6 for v in later):
                shown = paint["t"]
                break
        if shown is None:
            missed += 1
        else:
            samples.append(shown - start["t"])
    return samples, missed


def drag(page, handle, track) -> None:
    """Drag a slider's handle to the far end of its track and back, at 60 Hz."""
    box, bar = handle.bounding_box(), track.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    left, right = bar["x"] + 2, bar["x"] + bar["width"] - 2
    far = right if right - x > x - left else left
    page.mouse.move(x, y)
    page.mouse.down()
    for target in (far, left + right - far):
        start = x
        for k in range(1, MOVES_PER_DRAG + 1):
            x = start + (target - start) * k / MOVES_PER_DRAG
            page.mouse.move(x, y)
            time.sleep(POINTER_INTERVAL_S)
    page.mouse.up()


def explorer_chapters() -> list[str]:
    """Notebooks of the table of contents that show an explorer."""
    found = []
    for doc in toc_pages():
        path = ROOT / f"{doc}.ipynb"
        if path.exists() and any(c.cell_type == "code" and EXPLORE_CALL.search(c.source)
                                 for c in nbformat.read(path, as_version=4).cells):
            found.append(doc)
    return found


def measure_chapter(lab: LabPage, doc: str) -> list[dict[str, object]]:
    page = lab.page
    lab.open(Path(doc).name + ".ipynb")
    lab.run_all()
    results = []
    explorers = page.locator(".coop-lab-explorer")
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        explorer.scroll_into_view_if_needed()
        chart = explorer.locator(".coop-lab-chart")
        chart.locator("svg").first.wait_for(timeout=30_000)
        page.wait_for_function("(el) => el.dataset.drawn", arg=chart.element_handle())
        names = list(json.loads(chart.get_attribute("data-drawn")))
        model = next(c[len("coop-lab-model-"):] for c in explorer.get_attribute("class").split()
                     if c.startswith("coop-lab-model-"))
        samples, missed, moves, draws = [], 0, 0, []
        for name in names:
            control = explorer.locator(f".coop-lab-control-{name}")
            handle = control.locator(".noUi-handle")
            if not handle.count():
                continue  # a checkbox or a drop-down: not dragged
            control.scroll_into_view_if_needed()
            page.evaluate(RECORD_JS, [explorer.element_handle(), name])
            drag(page, handle.first, control.locator(".noUi-target").first)
            time.sleep(1.5)  # let the last value arrive and be drawn
            inputs, paints = page.evaluate(STOP_JS, explorer.element_handle())
            found, lost = latencies(inputs, paints)
            draws += [paint["draw"] for paint in paints]
            samples += found
            missed += lost
            moves += len(inputs)
        results.append({"page": doc, "model": model, "inputs": moves, "missed": missed,
                        **(percentiles(samples) if samples else {"n": 0}),
                        "browser_draw": percentiles(draws) if draws else None})
    lab.close_notebook()
    return results


ECHO_NOTEBOOK = """import ipywidgets as widgets
slider = widgets.IntSlider(value=0, min=0, max=100, continuous_update=True)
label = widgets.Label("0")
label.add_class("coop-lab-echo-label")
slider.observe(lambda change: setattr(label, "value", str(change["new"])), names="value")
slider.add_class("coop-lab-control-echo")
box = widgets.VBox([slider, label])
box.add_class("coop-lab-echo")
box"""

# Like RECORD_JS, for the echo: the label's text changes stand for repaints.
ECHO_RECORD_JS = """(box) => {
  const readout = box.querySelector('.widget-readout');
  const label = box.querySelector('.coop-lab-echo-label');
  window.__coopInputs = []; window.__coopPaints = [];
  window.__coopObserver = new MutationObserver(() => window.__coopInputs.push(
      {t: performance.now(), text: readout.innerText}));
  window.__coopObserver.observe(readout, {childList: true, characterData: true, subtree: true});
  new MutationObserver(() => window.__coopPaints.push(
      {t: performance.now(), value: Number(label.innerText), draw: 0}))
    .observe(label, {childList: true, characterData: true, subtree: true});
}"""


def echo_baseline(lab: LabPage, root: Path) -> dict[str, float]:
    """The same drag on a bare ipywidgets slider whose kernel callback only echoes the
    value into a label: what the widget round trip costs on this machine, without any
    model or chart."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(ECHO_NOTEBOOK)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, root / "echo.ipynb")
    page = lab.page
    lab.open("echo.ipynb")
    lab.run_all()
    box = page.locator(".coop-lab-echo")
    box.locator(".noUi-handle").wait_for(timeout=30_000)
    page.evaluate(ECHO_RECORD_JS, box.element_handle())
    drag(page, box.locator(".noUi-handle").first, box.locator(".noUi-target").first)
    time.sleep(1.5)
    inputs, paints = page.evaluate("() => [window.__coopInputs, window.__coopPaints]")
    samples, missed = latencies(inputs, paints)
    lab.close_notebook()
    if not samples:
        raise RuntimeError(f"echo baseline: no sample ({len(inputs)} inputs, "
                           f"{len(paints)} echoes)")
    return {**percentiles(samples), "missed": missed}


def drag_latency() -> dict[str, object]:
    """Every explorer of every chapter: drag → repaint percentiles (see module docstring)."""
    from playwright.sync_api import sync_playwright

    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="coop-bench-lab-") as work:
        root = copy_chapters(Path(work) / "book")
        with running_lab(root) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            lab = LabPage(browser, url)
            baseline = echo_baseline(lab, root)
            for doc in explorer_chapters():
                print(f"  {doc} ...", flush=True)
                results += measure_chapter(lab, doc)
            lab.close()
            browser.close()
    return {"explorers": results, "echo_baseline": baseline,
            "seconds": time.monotonic() - started,
            "pointer_interval_ms": POINTER_INTERVAL_S * 1000}


if __name__ == "__main__":
    print(json.dumps(drag_latency(), indent=2))
