"""The chapters in a real JupyterLab (``make lab``'s settings), driven in headless Chromium.

One JupyterLab server on a free local port serves a copy of ``book/``; every chapter of
the table of contents is opened once and run with Run All, and everything is checked on
that run: no error output, no console error, no request to another host, every explorer
present, every control of every explorer changes its chart, the prose shows no raw MyST
markup (``{glue``, ``{cite``, ``:::`` …) and no unevaluated ``{eval}``, and what the book
hides is collapsed. The server is stopped at the end. A separate check opens a notebook
someone else ran (so untrusted) and finds each explorer's PNG.

The tests that do not need a browser (how ``tools/jupyter_view.py`` collapses cells,
whether the chapters carry that metadata) are not browser-marked.
"""

from __future__ import annotations

import functools
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT, chapter_notebooks
from tools import jupyter_view
from tools.lab import LabPage, copy_chapters, running_lab

CHAPTERS = chapter_notebooks()

RAW_MARKUP = re.compile(
    r"\{(glue|cite|eval|numref|ref|doc|term|exercise|solution|admonition)[:}\-]|:::|```")
UNEVALUATED = re.compile(r"\btxt\.[A-Za-z_]\w*")
# Roles jupyterlab-myst does not know: it drops the role and shows its content as typed.
UNKNOWN_ROLE = re.compile(r"\{(glue(?::\w+)?)\}`([^`]+)`")
EXPLORE_CALL = re.compile(r"(?:^|[^.\w])explore\(")

# jupyterlab-myst resolves references within one notebook only; a reference to another
# chapter is logged as this console error (and shown as its label). Such a message is
# allowed only for a label that another chapter of the book defines.
CROSS_REFERENCE = re.compile(r"^Cross reference target was not found: (\S+)$")

# The chart's drawing, as a signature: the geometry of every mark.
MARKS_JS = """(el) => Array.from(el.querySelectorAll('.coop-lab-chart svg .role-mark > *'))
    .map(e => (e.getAttribute('d') || '') + (e.getAttribute('transform') || '')).join('|')"""

# Resolves with the chart's signature once it differs from `before` (or after 10 s).
CHANGED_JS = f"""([el, before]) => new Promise(resolve => {{
    const start = performance.now();
    (function poll() {{
        const now = ({MARKS_JS})(el);
        if (now !== before || performance.now() - start > 10000) return resolve(now);
        requestAnimationFrame(poll);
    }})();
}})"""


def labels_defined_in_the_book() -> set[str]:
    labels = set()
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                labels |= set(re.findall(r"^\(([\w\-]+)\)=", cell.source, re.MULTILINE))
                labels |= set(re.findall(r"^:label: ([\w\-]+)", cell.source, re.MULTILINE))
    return labels


# -- without a browser: the collapse metadata ------------------------------------------


def test_collapse_tool_collapses_the_code_the_book_hides():
    cells = [
        nbformat.v4.new_markdown_cell("Text."),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("x", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_markdown_cell(
            "```{exercise-start} Paper · 5 min\n:label: ex\n```\nDo it.\n```{exercise-end}\n"
            "```\n\n```{solution-start} ex\n:class: dropdown\n```\nFirst words."),
        nbformat.v4.new_code_cell("answer = 2"),
        nbformat.v4.new_markdown_cell("More solution.\n```{solution-end}\n```\n\n## Next"),
        nbformat.v4.new_code_cell("after = 3"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    sources = [c.source for c in cells]
    assert jupyter_view.prepare(notebook)
    both = {"source_hidden": True, "outputs_hidden": True}
    assert [c.metadata.get("jupyter", {}) for c in notebook.cells] == [
        {}, both, {"source_hidden": True}, {}, both, {}, {}]
    assert [c.source for c in notebook.cells] == sources
    assert not jupyter_view.prepare(notebook), "running it again changes nothing"
    nbformat.validate(notebook)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_collapses_in_jupyterlab_what_the_book_hides(path):
    notebook = nbformat.read(path, as_version=4)
    assert not jupyter_view.prepare(notebook), (
        f"run `python tools/jupyter_view.py {path.relative_to(ROOT)}` (or make outputs)")


# -- in JupyterLab ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """JupyterLab on a copy of the chapters, and a page of the session's Chromium."""
    root = copy_chapters(tmp_path_factory.mktemp("lab") / "book")
    started = time.monotonic()
    with running_lab(root, log=root.parent / "jupyterlab.log") as url:
        page = LabPage(browser, url)
        yield Lab(url, root, page)
        page.close()
    print(f"\nJupyterLab test: {time.monotonic() - started:.0f} s in all")


class Lab:
    """The server, its copy of the chapters, and each chapter's one run (memoised)."""

    def __init__(self, url: str, root: Path, page: LabPage) -> None:
        self.url, self.root, self.page = url, root, page

    @functools.cache  # noqa: B019  (one run per chapter, for the module's lifetime)
    def run(self, name: str) -> dict:
        page = self.page
        page.console_errors.clear()
        page.open(name)
        cells = page.run_all()
        report = {"cells": cells, "prose": prose_texts(page), "explorers": [],
                  "collapsed": collapsed_cells(page)}
        for index in range(page.page.locator(".coop-lab-explorer").count()):
            report["explorers"].append(move_every_control(page, index))
        report["console_errors"] = list(page.console_errors)
        report["foreign_requests"] = list(page.foreign_requests)
        page.close_notebook()
        return report


PROSE_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell:not(.jp-mod-collapsed)'))
    .map(cell => { const r = cell.querySelector('.myst, .jp-RenderedMarkdown');
                   return r ? r.innerText : null; })"""

COLLAPSED_JS = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  return notebook.widgets.map(cell => ({input: !!cell.inputHidden,
      outputs: cell.model.type === 'code' ? !!cell.outputHidden : null}));
}"""


def prose_texts(page: LabPage) -> list[str]:
    return page.page.evaluate(PROSE_JS)


def collapsed_cells(page: LabPage) -> list[dict]:
    return page.page.evaluate(COLLAPSED_JS)


def move_every_control(page: LabPage, index: int) -> dict:
    """Move each control of explorer ``index`` away from its start, check the chart
    changed, and put it back (so one control's effect is never hidden by another's)."""
    p = page.page
    explorer = p.locator(".coop-lab-explorer").nth(index)
    explorer.scroll_into_view_if_needed()
    p.wait_for_function(f"() => ({MARKS_JS})(document.querySelectorAll("
                        f"'.coop-lab-explorer')[{index}]) !== ''", timeout=30_000)
    handle = explorer.element_handle()
    report = {"model": explorer.get_attribute("class"), "controls": []}
    controls = explorer.locator(".coop-lab-controls .widget-slider .noUi-handle, "
                                ".coop-lab-controls input[type=checkbox], "
                                ".coop-lab-controls select")
    for k in range(controls.count()):
        control = controls.nth(k)
        tag = control.evaluate("e => e.tagName.toLowerCase()")
        before = handle.evaluate(MARKS_JS)
        undo = change(p, control, tag)
        moved = p.evaluate(CHANGED_JS, [handle, before])
        label = control.evaluate(
            "e => (e.closest('.widget-vbox, .widget-checkbox') || e).innerText.trim()")
        report["controls"].append({"control": label.split("\n")[0], "changed": moved != before})
        undo()
        back = p.evaluate(CHANGED_JS, [handle, moved])
        report["controls"][-1]["restored"] = back == before
    return report


def change(p, control, tag: str):
    """Change a control to another value; returns how to put it back."""
    if tag == "input":  # a checkbox
        control.click()
        return control.click
    if tag == "select":
        original = control.input_value()
        options = control.evaluate("s => Array.from(s.options).map(o => o.value)")
        control.select_option(next(v for v in options if v != original))
        return lambda: control.select_option(original)
    # a slider: set its noUiSlider (as a drag does) to the end further from its value
    target = control.evaluate_handle("h => h.closest('.noUi-target')")
    original = target.evaluate("t => Number(t.noUiSlider.get(true))")
    target.evaluate("""t => { const r = t.noUiSlider.options.range;
                               const v = Number(t.noUiSlider.get(true));
                               t.noUiSlider.set(r.max - v > v - r.min ? r.max : r.min); }""")
    return lambda: target.evaluate("(t, v) => t.noUiSlider.set(v)", original)


CHAPTER_NAMES = [p.name for p in CHAPTERS]


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_chapter_runs_in_jupyterlab_without_error_output(lab, name):
    errors = [f"{o['ename']}: {o['evalue']}" for c in lab.run(name)["cells"]
              for o in c["outputs"] if o.get("output_type") == "error"]
    assert not errors
    code = [c for c in lab.run(name)["cells"] if c["type"] == "code"]
    assert all(c["count"] is not None for c in code), "Run All stopped before the end"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_chapter_has_no_console_error_and_no_outside_request(lab, name):
    report = lab.run(name)
    assert report["foreign_requests"] == [], "requests to other hosts"
    defined = labels_defined_in_the_book()
    unexplained = []
    for message in report["console_errors"]:
        lines = message.splitlines()
        references = [CROSS_REFERENCE.match(line) for line in lines]
        if lines and all(references) and all(m.group(1) in defined for m in references):
            continue  # jupyterlab-myst: a reference to another chapter (module docstring)
        unexplained.append(message)
    assert unexplained == [], "console errors"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_every_explorer_is_shown_and_every_control_moves_its_chart(lab, name):
    report = lab.run(name)
    calls = sum(1 for c in report["cells"]
                if c["type"] == "code" and EXPLORE_CALL.search(c["source"]))
    assert len(report["explorers"]) == calls, "an explorer is missing"
    for explorer in report["explorers"]:
        still = [c["control"] for c in explorer["controls"] if not c["changed"]]
        assert explorer["controls"] and not still, f"{explorer['model']}: no change from {still}"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_prose_shows_no_raw_markup_and_every_computed_value(lab, name):
    report = lab.run(name)
    texts = report["prose"]
    assert texts and None not in texts, "a Markdown cell is not rendered"
    raw = sorted({m.group(0) for text in texts for m in RAW_MARKUP.finditer(text)})
    assert not raw, f"raw MyST markup in the prose: {raw}"
    shown = "\n".join(texts)
    unknown = sorted({m.group(0) for cell in report["cells"] if cell["type"] == "markdown"
                      for m in UNKNOWN_ROLE.finditer(cell["source"]) if m.group(2) in shown})
    assert not unknown, f"shown as typed (jupyterlab-myst has no such role): {unknown}"
    unevaluated = sorted({m.group(0) for text in texts for m in UNEVALUATED.finditer(text)})
    assert not unevaluated, f"{{eval}} without a value: {unevaluated}"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_what_the_book_hides_is_collapsed_in_jupyterlab(lab, name):
    notebook = nbformat.read(lab.root / name, as_version=4)
    expected = jupyter_view.hidden_parts(notebook)
    shown = lab.run(name)["collapsed"]
    assert len(shown) == len(expected)
    for index, (want, got) in enumerate(zip(expected, shown, strict=True)):
        assert got["input"] == (jupyter_view.SOURCE in want), f"cell {index}"
        # (outputs: JupyterLab shows a cell's outputs again when it runs)


@pytest.mark.browser
def test_an_untrusted_notebook_shows_each_explorer_as_a_png(lab):
    """A notebook run elsewhere (here: by nbclient, unsigned) opens untrusted: JupyterLab
    must show the PNG each explorer carries, not a widget error or a run of text."""
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from coopmodels import backlog, policy\nfrom coopmodels.explore import explore\n"
        "display(explore(backlog.MODEL))\ndisplay(explore(policy.MODEL))")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    env = {k: v for k, v in os.environ.items() if k != "COOPBOOK_BUILD"}  # not the book
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(env=env)
    outputs = notebook.cells[0].outputs
    assert [sorted(o["data"]) for o in outputs] == [
        ["application/vnd.jupyter.widget-view+json", "image/png", "text/plain"]] * 2
    nbformat.write(notebook, lab.root / "received.ipynb")
    page = lab.page
    page.console_errors.clear()
    page.open("received.ipynb")
    area = page.page.locator(".jp-Cell .jp-OutputArea").first
    area.locator("img").nth(1).wait_for(timeout=30_000)
    assert area.locator("img").count() == 2
    assert "Error displaying widget" not in area.inner_text()
    page.page.screenshot(path=str(lab.root.parent / "untrusted.png"))
    errors = list(page.console_errors)
    page.close_notebook()
    assert errors == []
