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
* **Book builds**: sets ``COOPBOOK_BUILD=1`` for the kernels that execute the chapters,
  so explorers carry their kernel-free HTML (in Jupyter they carry widgets and a PNG).
* **Thebe**: Jupyter Book always loads sphinx-thebe, which writes a CDN address (and, in
  this version, declares it twice, a script error) and a Binder configuration pointing at
  another project into every page. The book has no Thebe: its event handlers are
  disconnected and its files dropped from every page.
* **Repository and launch links** follow one setting, ``repository: url:`` in
  ``_config.yml``: empty shows no repository, "suggest an edit" or launch links; with a
  URL the repository and edit buttons appear, and on notebook pages the launch menu
  (Binder, Colab for GitHub repositories, and "your JupyterHub", which asks the reader
  for their hub's address). See :func:`repository_options`.
* **Edition**: ``CITATION.cff`` next to ``_config.yml`` is the one source of the book's
  edition (``version``) and date (``date-released``). Every page gets
  ``<meta name="coopbook-edition">`` (and ``coopbook-edition-date``) for scripts, and a
  "Cite this page / the book" box.
* **Precompressed copies**: after the build every text asset of the site (HTML, scripts,
  styles, SVG) gets a ``.gz`` copy beside it, for servers that serve those
  (``tools/site.py``'s server, nginx's ``gzip_static``).
* **Opened from a folder** (``file://``, the ``make dist`` zip): Sphinx's search fetches
  each result's page to show a summary, which browsers refuse on ``file://``; there the
  results are listed without summaries (``FILE_PROTOCOL_JS``).
* **Icons**: the theme's 1.5 MB Font Awesome script is replaced by a stub
  (``_static/scripts/fontawesome.js``); the theme's stylesheet draws the same icons from
  the web font.
"""

from __future__ import annotations

import datetime
import gzip
import html
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import yaml
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


def disconnect_thebe(app: Sphinx, config: object) -> None:
    """Disconnect every sphinx-thebe event handler (see module docstring)."""
    for listeners in list(app.events.listeners.values()):
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


# --- repository and launch links ------------------------------------------------------

LAUNCH_URL_KEYS = ("binderhub_url", "colab_url", "jupyterhub_url", "deepnote_url",
                   "jupyterlite_url")


def repository_options(theme_options: dict) -> dict:
    """Theme options with every source and launch link decided by the repository URL.

    Empty URL: no repository, edit or issues button and no launch link. With a URL: the
    repository and "suggest an edit" buttons, and the launch links configured under
    ``launch_buttons`` (Colab only for a GitHub repository, the only kind it opens).
    Thebe stays off.
    """
    options = dict(theme_options)
    url = str(options.get("repository_url") or "").strip()
    launch = dict(options.get("launch_buttons") or {})
    launch["thebe"] = False
    options["repository_url"] = url
    options["use_repository_button"] = bool(url)
    options["use_edit_page_button"] = bool(url)
    options["use_issues_button"] = False
    if not url:
        launch.update(dict.fromkeys(LAUNCH_URL_KEYS, ""))
    elif "github.com/" not in url:
        launch["colab_url"] = ""
    options["launch_buttons"] = launch
    return options


def configure_repository_links(app: Sphinx, config: object) -> None:
    config.html_theme_options = repository_options(config.html_theme_options or {})
    if config.html_theme_options["repository_url"]:
        app.add_js_file("coopbook-launch.js", loading_method="defer")


def gitpull_path(repository_url: str, branch: str, path_in_repository: str,
                 interface: str = "jupyterlab") -> str:
    """The nbgitpuller path that opens this notebook on a JupyterHub (after
    ``/hub/user-redirect/``)."""
    repo_name = repository_url.rstrip("/").rsplit("/", 1)[-1]
    prefix = "lab/tree" if interface == "jupyterlab" else "tree"
    return "git-pull?" + urlencode({"repo": repository_url, "branch": branch or "main",
                                    "urlpath": f"{prefix}/{repo_name}/{path_in_repository}"},
                                   safe="/")


def add_your_jupyterhub(app: Sphinx, pagename: str, templatename: str, context: dict,
                        doctree: object) -> None:
    """Add "your JupyterHub" to a notebook page's launch menu (asks the reader for the hub)."""
    options = app.config.html_theme_options
    group = next((b for b in context.get("header_buttons", [])
                  if b.get("label") == "launch-buttons"), None)
    if group is None or not options.get("repository_url"):
        return
    source = Path(app.env.doc2path(pagename, base=False)).with_suffix(".ipynb").as_posix()
    relpath = str(options.get("path_to_docs") or "").strip("/")
    path = f"{relpath}/{source}" if relpath else source
    launch = options.get("launch_buttons", {})
    target = gitpull_path(options["repository_url"], options.get("repository_branch", ""),
                          path, launch.get("notebook_interface", "jupyterlab"))
    group["buttons"].append({
        "type": "javascript", "text": "Your JupyterHub",
        "tooltip": "Open this notebook on your own JupyterHub (asks for its address)",
        "javascript": f"coopbookOpenOnJupyterHub('{target}')",
        "icon": "_static/images/logo_jupyterhub.svg", "label": "launch-your-jupyterhub"})


# --- edition and "cite this" ----------------------------------------------------------


def read_edition(confdir: str | os.PathLike) -> dict | None:
    """Title, authors, edition and date from ``CITATION.cff`` (None when there is none)."""
    path = Path(confdir) / "CITATION.cff"
    if not path.exists():
        return None
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    released = cff["date-released"]
    if isinstance(released, str):
        released = datetime.date.fromisoformat(released)
    authors = [a.get("name") or " ".join(filter(None, (a.get("given-names"),
                                                       a.get("family-names"))))
               for a in cff.get("authors", [])]
    return {"title": cff["title"], "authors": ", ".join(authors),
            "edition": str(cff["version"]), "date": released}


def cite_box(edition: dict, page_title: str, page_url: str, is_root: bool) -> str:
    """HTML of the "Cite this" box: the page (in the book) and the book, edition and date."""
    year = edition["date"].year
    when = (f"edition {html.escape(edition['edition'])}, "
            f"{edition['date'].day} {edition['date']:%B %Y}")
    book = f"<cite>{html.escape(edition['title'])}</cite>"
    authors = html.escape(edition["authors"])
    link = f' <a href="{html.escape(page_url)}">{html.escape(page_url)}</a>' if page_url else ""
    items = []
    if not is_root:
        items.append(f"<p><strong>This page:</strong> {authors} ({year}). "
                     f"“{html.escape(page_title)}.” In {book}, {when}.{link}</p>")
    items.append(f"<p><strong>The book:</strong> {authors} ({year}). {book}, {when}."
                 f"{link if is_root else ''}</p>")
    return ('<details class="coop-cite">\n<summary>Cite this '
            f'{"book" if is_root else "page or the book"}</summary>\n'
            + "\n".join(items) + "\n</details>\n")


def add_edition(app: Sphinx, pagename: str, templatename: str, context: dict,
                doctree: object) -> None:
    """Edition meta tags on every page; the "Cite this" box on every page with content."""
    edition = app.env.coopbook_edition
    if edition is None:
        return
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="coopbook-edition" content="{html.escape(edition["edition"])}" />'
        f'\n<meta name="coopbook-edition-date" content="{edition["date"]:%Y-%m-%d}" />')
    if doctree is None or "body" not in context:
        return
    base = (app.config.html_baseurl or "").rstrip("/")
    url = f"{base}/{pagename}.html" if base else ""
    title = re.sub(r"<[^>]+>", "", context.get("title", ""))
    context["body"] += cite_box(edition, html.unescape(title), url,
                                is_root=pagename == app.config.root_doc)


def load_edition(app: Sphinx) -> None:
    app.env.coopbook_edition = read_edition(app.confdir)
    if app.env.coopbook_edition is None:
        logger.info("coopbook: no CITATION.cff next to the configuration; no edition shown")


# --- precompressed copies -------------------------------------------------------------

COMPRESSIBLE = {".html", ".js", ".css", ".svg", ".json", ".txt", ".xml"}
MIN_COMPRESS_BYTES = 1024


def precompress(outdir: str | os.PathLike) -> int:
    """Write ``name.gz`` beside every text asset of at least 1 kB that has none or an older
    one; remove ``.gz`` files whose source is gone. Returns how many were written."""
    written = 0
    for path in Path(outdir).rglob("*"):
        if path.suffix == ".gz":
            if not path.with_suffix("").exists():
                path.unlink()
            continue
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        size = path.stat().st_size
        target = path.with_name(path.name + ".gz")
        if size < MIN_COMPRESS_BYTES or (target.exists()
                                         and target.stat().st_mtime >= path.stat().st_mtime):
            continue
        target.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        written += 1
    return written


def precompress_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        written = precompress(app.outdir)
        logger.info("coopbook: %d precompressed (.gz) copies written", written)


FILE_PROTOCOL_JS = ('if (location.protocol === "file:") '
                    'DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;')


def setup(app: Sphinx) -> dict:
    # Notebooks executed for the book (any edition) run in kernels started from this
    # process: tell the explorers to carry the kernel-free HTML view, not the widget+PNG
    # view meant for Jupyter (see coopmodels.frontends.jupyter.BUILD_VARIABLE).
    os.environ.setdefault("COOPBOOK_BUILD", "1")
    app.connect("builder-inited", register_eval_role)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.add_config_value("coopbook_hide_solutions", False, "env")
    app.connect("doctree-resolved", remove_solutions)
    app.connect("builder-inited", vendor_vega)
    app.connect("html-page-context", add_chart_scripts)
    app.connect("html-page-context", drop_unwanted_assets, priority=900)
    app.connect("config-inited", disconnect_thebe)
    app.connect("config-inited", configure_repository_links)
    app.connect("builder-inited", load_edition)
    app.connect("html-page-context", add_your_jupyterhub, priority=600)
    app.connect("html-page-context", add_edition)
    app.connect("build-finished", precompress_site, priority=900)
    app.add_js_file(None, body=FILE_PROTOCOL_JS, priority=210)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
