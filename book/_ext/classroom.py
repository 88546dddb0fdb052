"""Sphinx extension: the book's classroom editions, API reference and exercise table.

One source, three editions, chosen with ``classroom_edition`` (``tools/classroom/
editions.py`` writes the configuration of each; ``make book``, ``make student``,
``make instructor``):

* ``book`` (the normal edition): solutions in collapsed dropdowns. A notebook page's
  download button offers the *executed* chapter notebook (copied over the unexecuted
  source in ``_sources`` when the build finishes).
* ``student``: no solution by any route. Solution nodes are removed from every page
  (``coopbook_hide_solutions``, so the search index never sees them), no source file is
  copied (``html_copy_source = False``: ``_sources`` would hold the full notebook), and
  a notebook page's download button offers the *student notebook*
  (``notebooks/<chapter>.student.ipynb``, written by ``tools/classroom/notebooks.py``
  after the build). Links to pages left out of this edition (``classroom_omitted_docs``:
  the instructor guide) become plain text.
* ``instructor``: the answer key. Solutions are expanded (no dropdown) with their code
  shown, and the instructor pages are in its table of contents.

In every edition the print stylesheet (``_static/classroom-print.css``) prints hidden
content in full without "Click to show" buttons, and wraps long code lines.

Directives:

* ``{classroom-api}``: the API reference, generated with autodoc for exactly the
  functions that code exercises name on their ``*Uses:*`` lines, each with links to the
  exercises that use it.
* ``{classroom-exercises}``: a table of every exercise: number, track, time, the name
  of its autograded question (code exercises) and the functions it uses.

When a build finishes, what the book resolved (chapter and exercise numbers, labels,
page titles, citation texts) is written to ``classroom.json`` beside the HTML folder;
the student notebooks and assignments (``tools/classroom``) read it, so they number
and cite exactly as the book does.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the chapters are read with tools/classroom/source.py
    sys.path.insert(0, str(ROOT))

logger = logging.getLogger(__name__)

EDITIONS = ("book", "student", "instructor")
RESOLVED_FILE = "classroom.json"
CITE_ROLE = re.compile(r"\{cite:(\w+)\}`([^`]+)`")


def edition(app: Sphinx) -> str:
    return app.config.classroom_edition


def configure_edition(app: Sphinx, config) -> None:
    """Check the edition and derive what it implies; configure autodoc for the API page."""
    if config.classroom_edition not in EDITIONS:
        raise ExtensionError(f"classroom_edition must be one of {EDITIONS}, "
                             f"not {config.classroom_edition!r}")
    if config.classroom_edition == "student":
        config.coopbook_hide_solutions = True
        config.html_copy_source = False
    # Signatures without type hints: they would be cross-references to numpy and pandas
    # types the book does not document (nitpicky builds warn on each).
    config.autodoc_typehints = "none"
    config.add_module_names = False
    config.toc_object_entries_show_parents = "all"  # "coopmodels.backlog.simulate()"


def student_notebook_name(docname: str) -> str:
    """Where the student notebook of a chapter lives in the student site."""
    from tools.classroom.notebooks import STUDENT_FOLDER, student_notebook_file

    return f"{STUDENT_FOLDER}/{student_notebook_file(docname)}"


# --- links to pages an edition leaves out -------------------------------------------------

def omit_links_to_absent_pages(app: Sphinx, env, node, contnode):
    """A link to a page left out of this edition (the instructor guide in the student
    edition) is kept as plain text instead of failing the strict build."""
    if node.get("reftype") != "doc":
        return None
    from sphinx.util import docname_join

    target = docname_join(node.get("refdoc", ""), node["reftarget"])
    if target not in app.config.classroom_omitted_docs:
        return None
    if node.get("refexplicit"):
        return contnode
    return nodes.inline("", page_title(app, target))


def page_title(app: Sphinx, docname: str) -> str:
    """The first heading of a page's source (for a page this edition leaves out)."""
    for suffix in (".md", ".ipynb"):
        path = Path(app.srcdir) / f"{docname}{suffix}"
        if path.exists():
            match = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
            if match:
                return match[1].strip().strip('"')
    return docname


# --- solutions in the instructor edition ----------------------------------------------------

def expand_solutions(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Instructor edition: solutions open (no dropdown), with their hidden code shown."""
    if edition(app) != "instructor":
        return
    from myst_nb.sphinx_ import HideCodeCellNode
    from sphinx_exercise.nodes import solution_node

    for solution in doctree.findall(solution_node):
        solution["classes"] = [c for c in solution["classes"] if c != "dropdown"]
        for hidden in list(solution.findall(HideCodeCellNode)):
            hidden.replace_self(hidden.children)


# --- download buttons ------------------------------------------------------------------------

DOWNLOAD_GROUP = "download-buttons"
SOURCE_BUTTONS = {"download-source-button", "download-notebook-button"}


def set_download_buttons(app: Sphinx, pagename: str, templatename: str, context: dict,
                         doctree) -> None:
    """Student edition: a notebook page offers its student notebook, and no source file.

    (Runs after sphinx-book-theme has made its buttons.) The other editions keep the
    theme's source button, which offers the executed notebook (see
    :func:`publish_executed_notebooks`).
    """
    if edition(app) != "student":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != DOWNLOAD_GROUP:
            continue
        buttons = [b for b in group["buttons"] if b.get("label") not in SOURCE_BUTTONS]
        if is_notebook_page(app, pagename):
            buttons.insert(0, {
                "type": "link",
                "url": context["pathto"](student_notebook_name(pagename), 1),
                "text": ".ipynb (student)",
                "tooltip": "Download the student notebook",
                "icon": "fas fa-code",
                "label": "download-student-notebook-button",
            })
        group["buttons"] = buttons


def is_notebook_page(app: Sphinx, docname: str) -> bool:
    return docname in app.env.found_docs and str(app.env.doc2path(docname)).endswith(".ipynb")


def publish_executed_notebooks(app: Sphinx, exception) -> None:
    """Normal and instructor editions: ``_sources/<page>.ipynb`` (what the download
    button offers) becomes the executed notebook, with the outputs the book shows, instead
    of the committed source, which has none. The outputs come from the execution cache
    (myst-nb's own copy in ``jupyter_execute`` has none when the cache served them)."""
    if exception or edition(app) == "student" or app.builder.name != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    for docname in sorted(app.env.found_docs):
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        if not (is_notebook_page(app, docname) and target.exists()):
            continue
        notebook = nbformat.read(app.env.doc2path(docname), as_version=4)
        try:
            _, executed = cache.merge_match_into_notebook(notebook)
        except KeyError:
            logger.warning("classroom: %s is not in the execution cache; its download "
                           "stays the unexecuted source", docname)
            continue
        nbformat.write(executed, target)


# --- what the book resolved, for the student notebooks and assignments ------------------------

def number_text(number) -> str:
    return ".".join(str(n) for n in number) if number else ""


def resolved(app: Sphinx) -> dict:
    """Numbers, labels, titles and citation texts exactly as this build shows them."""
    env = app.env
    std = env.get_domain("std")
    docs = {}
    for docname in sorted(env.found_docs):
        docs[docname] = {"title": env.titles[docname].astext(),
                         "number": number_text(env.toc_secnumbers.get(docname, {}).get(""))}
    labels = {}
    for label, (docname, anchor) in std.anonlabels.items():
        if docname not in env.found_docs:
            continue
        title = std.labels.get(label, (None, None, ""))[2]
        figures = env.toc_fignumbers.get(docname, {})
        kind, number = next(((k, numbers[anchor]) for k, numbers in figures.items()
                             if anchor in numbers), (None, None))
        if kind is None:  # a section: its own number, or its page's
            sections = env.toc_secnumbers.get(docname, {})
            kind, number = "section", sections.get(f"#{anchor}", sections.get(""))
        labels[label] = {"docname": docname, "anchor": anchor, "title": title,
                         "kind": kind, "number": number_text(number)}
    return {
        "edition": edition(app),
        "baseurl": app.config.html_baseurl or "",
        "numfig_format": dict(app.config.numfig_format),
        "docs": docs,
        "labels": labels,
        "citations": citation_texts(app),
    }


def citation_texts(app: Sphinx) -> dict[str, str]:
    """``"p:key1,key2"`` -> ``"(Author, 2024; Other, 2025)"``, for every citation role
    in the book's sources, formatted by sphinxcontrib-bibtex with the book's style."""
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets
    from sphinxcontrib.bibtex.style.referencing import format_references
    from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

    domain = app.env.get_domain("cite")
    by_key = {c.key: c for c in domain.citations}
    texts = {}
    for docname in app.env.found_docs:
        source = Path(app.env.doc2path(docname))
        for role, target in set(CITE_ROLE.findall(source.read_text(encoding="utf-8"))):
            targets = parse_citation_targets(target)
            references = [
                (c.entry, c.formatted_entry,
                 SphinxReferenceInfo(builder=app.builder, fromdocname=docname,
                                     todocname=c.bibliography_key.docname,
                                     citation_id=c.citation_id, title=None,
                                     pre_text=t.pre, post_text=t.post))
                for t in targets if (c := by_key.get(t.key))]
            if references:
                text = format_references(domain.reference_style, role, references)
                shown = nodes.inline()
                shown += text.render(domain.backend)  # docutils nodes, as in the book
                texts[f"{role}:{target}"] = shown.astext()
    return texts


def write_resolved(app: Sphinx, exception) -> None:
    if exception or app.builder.name != "html":
        return
    path = Path(app.outdir).parent / RESOLVED_FILE
    path.write_text(json.dumps(resolved(app), indent=1, sort_keys=True), encoding="utf-8")


# --- directives ------------------------------------------------------------------------------

class MystDirective(SphinxDirective):
    """A directive that writes MyST Markdown and parses it in place."""

    def parse_markdown(self, text: str) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines()), self.content_offset, container)
        return container.children

    def read_chapters(self):
        from tools.classroom.source import chapters

        found = chapters()
        for chapter in found:
            self.env.note_dependency(str(chapter.path))
        return found


class ApiReference(MystDirective):
    """The functions code exercises use (``*Uses:*`` lines), documented by autodoc."""

    def run(self) -> list[nodes.Node]:
        import importlib

        used: dict[str, list[str]] = defaultdict(list)
        for chapter in self.read_chapters():
            for exercise in chapter.exercises:
                for name in exercise.uses:
                    used[name].append(exercise.label)
        by_module: dict[str, list[str]] = defaultdict(list)
        for name in sorted(used):
            module, _, attribute = name.rpartition(".")
            by_module[module].append(attribute)

        lines = []
        for module in sorted(by_module):
            imported = importlib.import_module(f"coopmodels.{module}")
            summary = (imported.__doc__ or "").strip().splitlines()[0]
            lines += [f"**`{module}`**: {summary}", ""]
            for attribute in by_module[module]:
                value = getattr(imported, attribute)
                used_in = ", ".join(f"{{numref}}`{label}`"
                                    for label in used[f"{module}.{attribute}"])
                lines += api_entry(f"coopmodels.{module}", attribute, value, used_in)
        return self.parse_markdown("\n".join(lines))


def api_entry(module: str, attribute: str, value: object, used_in: str) -> list[str]:
    """MyST for one documented object: autodoc for a function, a table for parameters."""
    from coopmodels.params import ParamSet
    from coopmodels.prose import parameter_table

    if isinstance(value, ParamSet):
        table = parameter_table(value, columns=("Parameter", "Name", "Default", "Range"))
        return [f"````{{py:data}} {attribute}", f":module: {module}", "",
                "The model's parameters, by name (pass them as keyword arguments); "
                f"used in {used_in}.", "", table, "````", ""]
    # autodoc writes reStructuredText, so it is called from an eval-rst block
    directive = (f".. autofunction:: {module}.{attribute}" if callable(value)
                 else f".. autodata:: {module}.{attribute}")  # a constant, with its value
    return ["````{eval-rst}", directive, "````", "", f"*Used in* {used_in}.", ""]


class question_name(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """Placeholder for an autograded question's name, known once numbers are assigned."""


class ExerciseTable(MystDirective):
    """Every exercise of the book: number, track, time, question name, functions used."""

    def run(self) -> list[nodes.Node]:
        rows = ["| Exercise | Track | Time | Autograded question | Uses |", "|---|---|---|---|---|"]
        for chapter in self.read_chapters():
            for exercise in chapter.exercises:
                question = "—"
                if exercise.track == "Code":
                    question = f"{{classroom-question}}`{chapter.docname}#{exercise.index}`"
                minutes = f"{exercise.minutes} min" if exercise.minutes else "—"
                uses = ", ".join(f"`{name}`" for name in exercise.uses) or "—"
                rows.append(f"| {{numref}}`{exercise.label}` | {exercise.track or '—'} | "
                            f"{minutes} | {question} | {uses} |")
        return self.parse_markdown("\n".join(rows))


def question_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    docname, _, index = text.rpartition("#")
    node = question_name(text, "", docname=docname, index=int(index))
    return [node], []


def fill_question_names(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(question_name))
    if not placeholders:
        return
    from tools.classroom.source import question_name as name_of

    for node in placeholders:
        chapter = number_text(app.env.toc_secnumbers.get(node["docname"], {}).get(""))
        node.replace_self(nodes.literal("", name_of(f"{chapter}.{node['index']}")))


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx.ext.autodoc")
    app.add_config_value("classroom_edition", "book", "env")
    app.add_config_value("classroom_omitted_docs", [], "env")
    app.connect("config-inited", configure_edition, priority=800)
    app.connect("missing-reference", omit_links_to_absent_pages)
    app.connect("doctree-resolved", expand_solutions)
    app.connect("doctree-resolved", fill_question_names)
    app.connect("html-page-context", set_download_buttons, priority=600)
    app.connect("build-finished", publish_executed_notebooks)
    app.connect("build-finished", write_resolved)
    app.add_directive("classroom-api", ApiReference)
    app.add_directive("classroom-exercises", ExerciseTable)
    app.add_role("classroom-question", question_role)
    app.add_node(question_name)
    app.add_css_file("classroom-print.css", media="print")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
