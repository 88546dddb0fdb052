"""Links to the book's source, launch links and the edition, from one setting each.

``repository: url:`` in ``_config.yml`` decides every repository, "suggest an edit" and
launch link (none when it is empty); ``CITATION.cff`` gives the edition every page shows.
Checked on the option logic itself and on two small books built with the project's own
configuration and extension: one with a repository URL, one without.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from .conftest import ROOT
from .test_strict_build import build, make_book

REPO = "https://github.com/example-org/working-together"


def load_extension():
    """The book's Sphinx extension, imported from book/_ext."""
    spec = importlib.util.spec_from_file_location("coopbook", ROOT / "book/_ext/coopbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


coopbook = load_extension()


def test_empty_repository_url_turns_every_source_and_launch_link_off():
    options = coopbook.repository_options({
        "repository_url": "", "use_repository_button": True, "use_edit_page_button": True,
        "launch_buttons": {"binderhub_url": "https://mybinder.org", "thebe": True,
                           "colab_url": "https://colab.research.google.com"}})
    assert not options["use_repository_button"]
    assert not options["use_edit_page_button"]
    launch = options["launch_buttons"]
    assert not any(launch[key] for key in coopbook.LAUNCH_URL_KEYS)
    assert launch["thebe"] is False


def test_repository_url_turns_links_on_and_colab_only_for_github():
    launch = {"binderhub_url": "https://mybinder.org",
              "colab_url": "https://colab.research.google.com"}
    github = coopbook.repository_options({"repository_url": REPO, "launch_buttons": launch})
    assert github["use_repository_button"] and github["use_edit_page_button"]
    assert github["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert github["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    gitlab = coopbook.repository_options({"repository_url": "https://gitlab.com/a/b",
                                          "launch_buttons": launch})
    assert gitlab["launch_buttons"]["binderhub_url"]
    assert gitlab["launch_buttons"]["colab_url"] == ""


def test_jupyterhub_path_opens_the_notebook_in_the_cloned_repository():
    path = coopbook.gitpull_path(REPO, "main", "book/04_trust.ipynb")
    query = parse_qs(urlsplit(path).query)
    assert path.startswith("git-pull?")
    assert query == {"repo": [REPO], "branch": ["main"],
                     "urlpath": ["lab/tree/working-together/book/04_trust.ipynb"]}


def test_cite_box_names_page_book_edition_and_date(tmp_path):
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    edition = coopbook.read_edition(tmp_path)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert edition["edition"] == str(cff["version"])
    box = coopbook.cite_box(edition, "Courts", "https://example.org/book/x.html", is_root=False)
    assert "“Courts.”" in box and f"edition {cff['version']}" in box
    assert str(edition["date"].year) in box and 'href="https://example.org/book/x.html"' in box
    assert coopbook.read_edition(tmp_path / "missing") is None


def built_book(where: Path, repository_url: str) -> Path:
    """A two-page book (intro.md, chapter.ipynb) with the given repository URL; its HTML."""
    (where / "book").mkdir()
    make_book(where, "1 + 1", "Fine.")
    shutil.copy(ROOT / "CITATION.cff", where / "CITATION.cff")
    config = (where / "_config.yml").read_text()
    config, count = re.subn(r'(?m)^(repository:\n  url:) ""', rf'\1 "{repository_url}"', config)
    assert count == 1, "_config.yml has no `repository: url:` setting"
    (where / "_config.yml").write_text(config)
    result = build(where)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return where / "_build" / "html" / "book"


@pytest.fixture(scope="module")
def with_repository(tmp_path_factory) -> Path:
    return built_book(tmp_path_factory.mktemp("with-repo"), REPO)


@pytest.fixture(scope="module")
def without_repository(tmp_path_factory) -> Path:
    return built_book(tmp_path_factory.mktemp("no-repo"), "")


def test_repository_url_shows_repository_edit_and_launch_links(with_repository):
    chapter = (with_repository / "chapter.html").read_text()
    intro = (with_repository / "intro.html").read_text()
    for page in (chapter, intro):
        assert f'href="{REPO}"' in page, "repository button"
    assert f'href="{REPO}/edit/main/book/chapter.ipynb"' in chapter, "suggest an edit"
    assert f'href="{REPO}/edit/main/book/intro.md"' in intro, "suggest an edit"
    assert ('href="https://mybinder.org/v2/gh/example-org/working-together/main'
            '?urlpath=lab/tree/book/chapter.ipynb"') in chapter
    assert ('href="https://colab.research.google.com/github/example-org/working-together/'
            'blob/main/book/chapter.ipynb"') in chapter
    assert "coopbookOpenOnJupyterHub('git-pull?repo=" in chapter
    assert "coopbook-launch.js" in chapter
    assert "mybinder.org" not in intro, "launch links only on notebook pages"


def test_empty_repository_url_shows_no_source_or_launch_link(without_repository):
    for page in without_repository.glob("*.html"):
        text = page.read_text()
        assert "github.com" not in text, page.name
        assert "mybinder.org" not in text and "colab.research" not in text, page.name
        assert "coopbookOpenOnJupyterHub" not in text, page.name
        assert "btn-source-repository-button" not in text, page.name


@pytest.mark.parametrize("which", ["with_repository", "without_repository"])
def test_no_thebe_configuration_and_the_edition_on_every_page(which, request):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for page in request.getfixturevalue(which).glob("*.html"):
        text = page.read_text()
        assert "thebe" not in text.lower(), page.name
        assert "binder-examples" not in text, page.name
        assert f'<meta name="coopbook-edition" content="{cff["version"]}" />' in text
        assert '<details class="coop-cite">' in text
