"""Sphinx extension that keeps the built book offline.

* **Vega**: writes the Vega / Vega-Lite / Vega-Embed bundle (from vl-convert, matching
  the Vega-Lite version Altair writes) to ``book/_static/vendor/``, and adds it, with the
  book's chart script, to the pages that have charts. The file is generated, not committed.
* **Math**: renders LaTeX math to MathML at build time (docutils' converter), so pages
  need no MathJax and no CDN; browsers draw MathML natively and screen readers read it.
* **Citations**: docutils gives bibliography entries the deprecated ARIA role
  ``doc-biblioentry`` inside a ``list``, which accessibility checkers flag as a critical
  error; entries are written as plain list items instead.
* **Student edition**: with ``coopbook_hide_solutions = True`` every exercise solution
  is removed from the pages (``make student``). sphinx-exercise's own ``hide_solutions``
  fails on gated solutions (solution-start / solution-end), so this removes the merged
  solution nodes after they are resolved.
* **Widget state**: myst-nb writes the notebook's saved ipywidgets state into the page;
  the book shows no live widgets (explorers have an HTML view), so it is dropped.
* **Computed text**: ``{eval}`txt.name``` shows a value a chapter computed (see
  :mod:`coopmodels.prose`). myst-nb's own ``eval`` role needs a live kernel (inline
  execution, no cache); this one reads the value glued under the same key, so the book
  keeps its execution cache and the same Markdown also renders in JupyterLab, where
  jupyterlab-myst evaluates the expression in the kernel.
* **Thebe**: Jupyter Book always loads sphinx-thebe, which writes a CDN address (and, in
  this version, declares it twice, a script error). The book has no Thebe, so its files
  are dropped from every page.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.utils.math import latex2mathml
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)


class EvalFromGlue:
    """The ``{eval}`` role in a cached build: the text glued under the role's content."""

    def __call__(self, name, rawtext, text, lineno, inliner, options=None, content=()):
        from myst_nb.core.variables import RetrievalError, create_warning
        from myst_nb.ext.glue.utils import retrieve_glue_data

        document = inliner.document
        line = inliner.reporter.get_source_and_line(lineno)[1]
        try:
            data = retrieve_glue_data(document, text)
            shown = data.data["text/plain"]
        except (RetrievalError, KeyError):
            message = (f"{{eval}}`{text}` has no value: compute it with txt.numbers(...) or "
                       "txt.words(...) in a code cell above this text")
            return [], [create_warning(message, document, line, subtype="eval")]
        return [nodes.inline(shown, shown, classes=["computed-text"])], []


def register_eval_role(app: Sphinx) -> None:
    """Replace myst-nb's ``eval`` role (registered when myst-nb is set up) with ours."""
    app.add_role("eval", EvalFromGlue(), override=True)

VENDOR_DIR = Path(__file__).resolve().parent.parent / "_static" / "vendor"
BUNDLE = "vega-bundle.js"


def vega_bundle_path() -> str:
    """Path of the vendored bundle below ``_static``, named by its Vega-Lite version."""
    from coopmodels.embed import VEGA_LITE_VERSION

    return f"vendor/vega-lite-{VEGA_LITE_VERSION}/{BUNDLE}"


def vendor_vega(app: Sphinx) -> None:
    """Write the Vega bundle for Altair's Vega-Lite version, unless it is already there."""
    import vl_convert

    from coopmodels.embed import VEGA_LITE_VERSION

    target = VENDOR_DIR.parent / vega_bundle_path()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
        # The bundle declares top-level constants; a function scope keeps them off the
        # page's global scope (it still sets window.vegaEmbed, window.vega, window.vegaLite).
        target.write_text("(function(){\n" + bundle + "\n})();\n", encoding="utf-8")
        logger.info("coopbook: vendored Vega-Lite %s bundle to %s", VEGA_LITE_VERSION, target)


CHART_SCRIPTS = ("coopbook-links.js", "coopbook-data.js", "coopbook.js")
"""The book's chart scripts (classic scripts, so pages also work from ``file://``):
scenario links, data tables, then the loader that draws the charts and calls both."""


def add_chart_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree: object) -> None:
    """On pages with charts only: Vega, then the scripts that make charts live.

    All are deferred, so the page renders while they load, and run in this order.
    """
    if "coop-chart-spec" in context.get("body", ""):
        app.add_js_file(vega_bundle_path(), loading_method="defer")
        for script in CHART_SCRIPTS:
            app.add_js_file(script, loading_method="defer")


def _mathml(latex: str, block: bool) -> str:
    try:
        return latex2mathml.tex2mathml(latex, as_block=block)
    except latex2mathml.MathError as error:
        raise ValueError(f"cannot convert math to MathML: {latex!r} ({error})") from error


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_mathml(node.astext(), block=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})</span>')
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        self.body.append(_mathml(part, block=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_citation(self, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


WIDGET_STATE_TYPE = "application/vnd.jupyter.widget-state+json"


def is_unwanted(asset: object) -> bool:
    """A Thebe script or style, or saved widget state."""
    attributes = getattr(asset, "attributes", {})
    if attributes.get("type") == WIDGET_STATE_TYPE:
        return True
    name = str(getattr(asset, "filename", asset) or "")
    return "thebe" in name or "THEBE" in attributes.get("body", "")


def drop_unwanted_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                         doctree: object) -> None:
    """Remove Thebe's files and saved widget state from a page (see module docstring)."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not is_unwanted(asset)]


def remove_solutions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop every exercise solution from the page (student edition)."""
    if not app.config.coopbook_hide_solutions:
        return
    from sphinx_exercise.nodes import solution_node

    for node in list(doctree.findall(solution_node)):
        node.parent.remove(node)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", register_eval_role)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.add_config_value("coopbook_hide_solutions", False, "env")
    app.connect("doctree-resolved", remove_solutions)
    app.connect("builder-inited", vendor_vega)
    app.connect("html-page-context", add_chart_scripts)
    app.connect("html-page-context", drop_unwanted_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
