"""The book's sources: table of contents, committed notebooks, citations of every default."""

from __future__ import annotations

import importlib
import pkgutil
import re

import nbformat
import pytest

import coopmodels
from coopmodels.params import ParamSet

from .conftest import ROOT, chapter_notebooks, source_of, toc_pages

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
MAX_NOTEBOOK_BYTES = 150_000
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def bibliography_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text()
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.MULTILINE))


def all_param_sets() -> dict[str, ParamSet]:
    """Every module-level ParamSet in the package (model parameters, the county, ...)."""
    found = {}
    for info in pkgutil.iter_modules(coopmodels.__path__):
        module = importlib.import_module(f"coopmodels.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, ParamSet):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_page_in_the_table_of_contents_exists():
    for page in toc_pages():
        assert source_of(page).exists()


def test_every_chapter_file_is_in_the_table_of_contents():
    listed = {source_of(page) for page in toc_pages()}
    sources = {*ROOT.glob("book/*.ipynb"), *ROOT.glob("book/*.md")}
    assert sources <= listed, f"not in _toc.yml: {sorted(p.name for p in sources - listed)}"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_notebook_is_committed_without_bulky_outputs(path):
    assert path.stat().st_size < MAX_NOTEBOOK_BYTES
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, "widget state must not be committed"
    checked = [c for c in notebook.cells if c.cell_type == "code" and CHECK_MARKER in c.source]
    assert checked, "a chapter checks at least one result the text relies on"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECK_MARKER in cell.source:
            assert cell.outputs, "a checked cell needs its stored output (make outputs)"
        else:
            assert not cell.outputs, f"unchecked cell has outputs: {cell.source[:60]!r}"


def test_every_parameter_source_is_in_the_bibliography():
    keys = bibliography_keys()
    for where, params in all_param_sets().items():
        for param in params.values():
            missing = set(param.citation_keys) - keys
            for cited in CITE_ROLE.findall(param.note):
                missing |= {k.strip() for k in cited.split(",")} - keys
            assert not missing, f"{where}.{param.name} cites unknown keys {missing}"


def test_every_citation_in_the_chapters_is_in_the_bibliography():
    keys = bibliography_keys()
    for page in toc_pages():
        path = source_of(page)
        text = path.read_text()
        for cited in CITE_ROLE.findall(text):
            missing = {k.strip() for k in cited.split(",")} - keys
            assert not missing, f"{path.name} cites unknown keys {missing}"


# A chapter, section or exercise named by number in running text ("Exercise 4",
# "Chapter 6", "Section 7.2") instead of a {numref} / {ref} link, which Sphinx numbers.
HAND_TYPED_REFERENCE = re.compile(r"\b(?:Chapters?|Exercises?|Sections?)\s+\d")
ROLE = re.compile(r"\{[a-z:]+\}`[^`]*`")
EVAL_ROLE = re.compile(r"\{eval\}`txt\.(\w+)`")
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`")


def prose_of(page: str) -> list[str]:
    """The Markdown of a page: its Markdown cells, or the whole file for a .md page."""
    path = source_of(page)
    if path.suffix == ".md":
        return [path.read_text()]
    return [c.source for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "markdown"]


@pytest.mark.parametrize("page", toc_pages())
def test_references_to_chapters_and_exercises_are_links(page):
    for text in prose_of(page):
        bare = ROLE.sub("", text)
        found = HAND_TYPED_REFERENCE.findall(bare)
        assert not found, (f"{page}: hand-typed {found}; use {{numref}}`Chapter %s <ch-...>` "
                           "or {numref}`exercise-label`")


def names_set_by_txt(code: str) -> set[str]:
    """Names a code cell gives ``txt`` (``txt.numbers(fmt, name=...)``, ``txt.words(...)``);
    a name built by an f-string in ``**{f"prefix_{...}": ...}`` counts by its prefix."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"numbers", "words"}
                and getattr(node.func.value, "id", None) == "txt"):
            for keyword in node.keywords:
                if keyword.arg is not None:
                    names.add(keyword.arg)
                elif isinstance(keyword.value, ast.Dict | ast.DictComp):
                    keys = (keyword.value.keys if isinstance(keyword.value, ast.Dict)
                            else [keyword.value.key])
                    for key in keys:
                        if isinstance(key, ast.JoinedStr) and key.values:
                            names.add(str(getattr(key.values[0], "value", "")) + "*")
    return names


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_computed_text_is_set_before_the_prose_that_shows_it(path):
    """Every {eval}`txt.name` is set in a code cell above it (JupyterLab evaluates the
    prose in order), and the old {glue} roles are gone (JupyterLab cannot show them)."""
    set_so_far: set[str] = set()
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "code":
            set_so_far |= names_set_by_txt(cell.source)
            continue
        assert not GLUE_ROLE.search(cell.source), f"cell {index}: use {{eval}}`txt.name`"
        for name in EVAL_ROLE.findall(cell.source):
            by_prefix = any(name.startswith(p[:-1]) for p in set_so_far if p.endswith("*"))
            assert name in set_so_far or by_prefix, (
                f"cell {index} shows txt.{name} before a code cell sets it")


def figure_texts(figure: float) -> set[str]:
    """Ways a note may quote a published figure: 734, 1,800,000, 0.4 / 40%, 1.8 million."""
    from coopmodels.params import format_number

    texts = {format_number(figure), f"{figure:g}", f"{figure:,g}"}
    if 0 < abs(figure) < 1:
        texts |= {f"{100 * figure:g}%", f"{format_number(round(100 * figure, 6))}%"}
    if abs(figure) >= 1e6:
        texts.add(f"{figure / 1e6:g} million")
    return texts


def test_every_parameter_says_what_kind_of_number_it_is():
    from coopmodels.params import KINDS

    for where, params in all_param_sets().items():
        for param in params.values():
            assert param.kind in KINDS, f"{where}.{param.name}: kind {param.kind!r}"


def test_every_note_stands_on_its_own():
    """A note is read alone (a chapter's table, the register, a tooltip), in no fixed
    order: it never points to its neighbours."""
    for where, params in all_param_sets().items():
        for param in params.values():
            assert not re.search(r"\bsee (above|below)\b|\bas above\b", param.note, re.I), (
                f"{where}.{param.name}: {param.note!r}")


def test_sourced_empirical_defaults_match_the_figure_their_note_quotes():
    """An empirical default that cites a source follows from a published figure: the
    figure is recorded, quoted in the note, and the default is that figure (to the
    slider's step). A default its source does not give must be an assumption."""
    for where, params in all_param_sets().items():
        for param in params.values():
            if param.kind != "empirical" or not param.citation_keys:
                continue
            name = f"{where}.{param.name}"
            assert param.figure is not None, f"{name} cites a source but records no figure"
            assert abs(param.default - param.figure) <= param.step / 2 + 1e-9, (
                f"{name}: default {param.default} is not the figure {param.figure}")
            assert any(text in param.note for text in figure_texts(param.figure)), (
                f"{name}: the note does not quote the figure {param.figure}")


SOURCED_FLOOR_PERCENT = 45
"""Share of empirical defaults that start from a published figure, which may not fall.

The team's target is 60%. The 2026 edition reaches 47%: the other empirical defaults have
no published figure in the form the models use (the searches are listed under "Not found"
in ``evidence/``), so they stay labelled assumptions with ranges wide enough for both
sides. Raise this floor whenever a default is newly sourced."""


def test_the_share_of_sourced_empirical_defaults_does_not_fall():
    from coopmodels.prose import sourcing_by_chapter

    share = sourcing_by_chapter().loc["Whole book", "sourced_percent"]
    assert share >= SOURCED_FLOOR_PERCENT, f"only {share:.0f}% of empirical defaults sourced"
