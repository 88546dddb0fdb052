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
