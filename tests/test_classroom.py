"""The classroom pack, as a teacher and a student get it.

Needs the builds ``make test`` makes first: the book (``make build``), the student and
instructor editions (``make student``, ``make instructor``) and the assignments
(``make assignments``). Browser checks use Debian's Chromium (``tools/site.py``).

* **No solution leaks from the student edition.** The solution texts are derived from
  the chapter sources (every Markdown and code piece between ``solution-start`` and
  ``solution-end``, and what the solutions' code printed), kept where they are
  distinctive (found nowhere else in the book) and shown by the normal edition (so each
  phrase is known to match the rendered text). None may appear in any file of the
  student site (pages, search index, notebooks, downloads), on any page as Chromium
  shows it, in any download it offers, in a search, or in a printed page.
* **Student notebooks** are plain Markdown, numbered as the book, and run top to bottom.
* **Autograders** pass the solution notebook and fail the blank one.
* **Instructor edition**: its pages, solutions open, printed in full with wrapped code.
"""

from __future__ import annotations

import concurrent.futures
import functools
import html
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from tools.classroom.editions import INSTRUCTOR_PAGES, NOT_FOR_STUDENTS, site
from tools.classroom.markdown import FENCE_OPEN, ROLE, TARGET_LINE
from tools.classroom.notebooks import STUDENT_FOLDER, student_notebook_file
from tools.classroom.source import Chapter, chapters, chapters_with_exercises, question_name
from tools.site import ROOT, serve, toc_pages

pytestmark = pytest.mark.classroom

BOOK, STUDENT, INSTRUCTOR = site("book"), site("student"), site("instructor")
TEXT_SUFFIXES = {".html", ".js", ".json", ".txt", ".md", ".ipynb", ".css", ".zip", ".py"}
PHRASE_WORDS = 8
CODE_WORDS = 4
SOLUTION_CHAPTERS = chapters_with_exercises()
IDS = [c.name for c in SOLUTION_CHAPTERS]


def require(path: Path, command: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `{command}` first")
    return path


# --- text as a reader would find it --------------------------------------------------------

def normalise(text: str) -> str:
    """Lower-case words and numbers only, one space apart: rendering (HTML tags, smart
    quotes, highlighting, line breaks) does not change a phrase."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def html_text(source: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", source))


def notebook_text(notebook: dict) -> str:
    """Every string of a notebook's cells: sources and outputs."""
    parts: list[str] = []

    def strings(value) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            for item in value:
                strings(item)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)

    for cell in notebook.get("cells", []):
        strings(cell.get("source", ""))
        strings(cell.get("outputs", []))
    return "\n".join(parts)


def file_text(name: str, data: bytes) -> str:
    """The text a file holds, read by its kind (zip archives member by member)."""
    suffix = Path(name).suffix
    if suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(file_text(member, archive.read(member))
                             for member in archive.namelist())
    text = data.decode("utf-8", errors="replace")
    if suffix == ".ipynb":
        return notebook_text(json.loads(text))
    return html_text(text) if suffix == ".html" else text


# --- solution texts, from the chapter sources ------------------------------------------------

@dataclass
class Solutions:
    """Distinctive texts of one chapter's solutions, each shown by the normal edition."""

    chapter: Chapter
    phrases: dict[str, str] = field(default_factory=dict)  # phrase -> exercise label
    words: dict[str, str] = field(default_factory=dict)  # solution-only word -> label


def windows(text: str, size: int) -> list[str]:
    words = normalise(text).split()
    if len(words) < size:
        return []
    starts = sorted({*range(0, len(words) - size + 1, size // 2), len(words) - size})
    return [" ".join(words[i:i + size]) for i in starts]


def output_text(cell) -> str:
    """What a code cell printed (streams and plain-text results; not HTML or charts)."""
    parts = []
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        parts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(parts)


def solution_and_other_texts(chapter: Chapter, executed) -> tuple[list, list[str]]:
    """(label, kind, text) of every solution piece; and every other text of the chapter."""
    solution, other = [], []
    for piece in chapter.pieces:
        outputs = (output_text(executed.cells[piece.cell_index])
                   if piece.kind == "code" and piece.cell_index < len(executed.cells) else "")
        if piece.kind == "code" and piece.region != "solution":  # tables as shown, too
            cell = executed.cells[piece.cell_index]
            other.append(html_text(notebook_text({"cells": [{"outputs": cell.outputs}]})))
        if piece.region == "solution" and piece.kind != "directive":
            if piece.kind == "markdown":  # roles and math render differently: split there
                for part in re.split(r"\{[\w:-]+\}`[^`]*`|\$[^$]*\$", piece.source):
                    solution.append((piece.label, "prose", part))
            else:
                solution += [(piece.label, "code", line) for line in piece.source.split("\n")]
                solution += [(piece.label, "output", line) for line in outputs.split("\n")]
        else:
            other += [piece.source, outputs]
    return solution, other


@functools.cache
def book_other_text() -> str:
    """Everything the book shows that is not a solution: the chapters' other pieces, the
    Markdown pages, and the API page's docstrings."""
    texts = [file_text("api.html", (BOOK / "book" / "api.html").read_bytes())]
    for page in toc_pages():  # the Markdown pages as built (references show the .bib notes)
        if (ROOT / f"{page}.md").exists():
            texts.append(file_text("page.html", (BOOK / f"{page}.html").read_bytes()))
    for chapter in chapters():
        texts += solution_and_other_texts(chapter, executed(chapter))[1]
    return normalise("\n".join(texts))


@functools.cache
def stem(word: str) -> str:
    """The word as Sphinx's search index stores it (English Snowball stem): a search
    for a solution word also finds every other word with the same stem."""
    import snowballstemmer

    return snowballstemmer.stemmer("english").stemWord(word)


def executed(chapter: Chapter):
    """The executed chapter the normal edition offers (with outputs)."""
    path = require(BOOK / "_sources" / f"{chapter.docname}.ipynb", "make build")
    return nbformat.read(path, as_version=4)


def solutions(chapter: Chapter) -> Solutions:
    return _solutions(chapter.docname)


@functools.cache
def _solutions(docname: str) -> Solutions:
    chapter = next(c for c in SOLUTION_CHAPTERS if c.docname == docname)
    other = book_other_text()
    shown = normalise(file_text("page.html", (BOOK / f"{chapter.docname}.html").read_bytes()))
    found = Solutions(chapter)
    other_stems = {stem(word) for word in other.split()}
    for label, kind, text in solution_and_other_texts(chapter, executed(chapter))[0]:
        if kind == "prose":
            candidates = windows(text, PHRASE_WORDS)
        else:
            words = normalise(text).split()
            candidates = [" ".join(words)] if len(words) >= CODE_WORDS else []
        for phrase in candidates:
            if phrase not in other and phrase in shown:
                found.phrases.setdefault(phrase, label)
        for word in normalise(text).split():
            # Sphinx's search also lists pages whose indexed stems *contain* the search
            # word's stem, so a solution word must not be part of any other stem.
            if (len(word) >= 6 and word.isalpha() and word in shown
                    and not any(stem(word) in other_stem for other_stem in other_stems)):
                found.words.setdefault(word, label)
    return found


def leaks(texts: dict[str, str]) -> list[str]:
    """``where: phrase (exercise)`` for every solution phrase found in ``texts``."""
    found = []
    for where, text in texts.items():
        shown = normalise(text)
        for chapter in SOLUTION_CHAPTERS:
            for phrase, label in solutions(chapter).phrases.items():
                if phrase in shown:
                    found.append(f"{where}: {phrase!r} ({label})")
    return found


def site_files(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): file_text(path.name, path.read_bytes())
            for path in sorted(root.rglob("*"))
            if path.is_file() and path.suffix in TEXT_SUFFIXES}


# --- the student edition ---------------------------------------------------------------------

@pytest.mark.parametrize("chapter", SOLUTION_CHAPTERS, ids=IDS)
def test_every_solution_has_distinctive_text_the_normal_edition_shows(chapter):
    """The leak checks below are only as good as these phrases: each solution must give at
    least one, and each must be found in the normal edition's page."""
    require(BOOK / "index.html", "make build")
    covered = set(solutions(chapter).phrases.values())
    missing = [e.label for e in chapter.exercises if e.solution and e.label not in covered]
    assert not missing, f"no distinctive solution text found for {missing}"


def test_the_leak_check_finds_solutions_where_they_are():
    """Planted solutions are caught: the normal edition's chapter pages and its executed
    notebooks hold every solution, and the check finds them there, in HTML and in
    notebook JSON, also inside a zip archive."""
    chapter = SOLUTION_CHAPTERS[-1]
    page = (BOOK / f"{chapter.docname}.html").read_bytes()
    notebook = (BOOK / "_sources" / f"{chapter.docname}.ipynb").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("planted.ipynb", notebook)
    planted = {"page.html": file_text("page.html", page),
               "planted.ipynb": file_text("planted.ipynb", notebook),
               "planted.zip": file_text("planted.zip", archive.getvalue())}
    found = leaks(planted)
    for where in planted:
        assert any(f.startswith(f"{where}:") for f in found), f"nothing found in {where}"


def test_no_file_of_the_student_edition_holds_solution_text():
    """Pages, search index, student notebooks and their zip, scripts: every text file."""
    require(STUDENT / "index.html", "make student")
    found = leaks(site_files(STUDENT))
    assert not found, "solution text in the student edition:\n" + "\n".join(found[:20])


def test_student_edition_has_no_sources_no_instructor_pages_and_no_executed_copies():
    require(STUDENT / "index.html", "make student")
    assert not (STUDENT / "_sources").exists(), "_sources holds the full notebooks"
    for page in NOT_FOR_STUDENTS:
        assert not (STUDENT / f"{page}.html").exists(), f"{page} is in the student edition"
    build = STUDENT.parent
    for intermediate in ("jupyter_execute", ".doctrees", "_sources"):
        assert not (build / intermediate).exists(), f"{intermediate} left by the student build"


def test_every_image_of_the_student_edition_is_on_one_of_its_pages():
    """An image no page shows could be a removed solution's figure."""
    pages = "\n".join(p.read_text() for p in STUDENT.rglob("*.html"))
    unused = [p.name for p in (STUDENT / "_images").glob("*") if p.name not in pages]
    assert not unused, f"images no page shows: {unused}"


# --- the student edition in a browser --------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(browser):
    """The session's Chromium (``tests/conftest.py``)."""
    return browser


@pytest.fixture(scope="module")
def student_url():
    require(STUDENT / "index.html", "make student")
    with serve(STUDENT) as url:
        yield url


@pytest.fixture(scope="module")
def book_url():
    require(BOOK / "index.html", "make build")
    with serve(BOOK) as url:
        yield url


STUDENT_PAGES = [page for page in toc_pages() if page not in NOT_FOR_STUDENTS]
DOWNLOAD_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
    .filter(a => a.hasAttribute('download') || /(_sources|_downloads|notebooks)\\//.test(a.href)
                 || /\\.(ipynb|md|zip|py)$/.test(a.pathname))
    .map(a => a.href)"""


@pytest.mark.parametrize("page", STUDENT_PAGES)
def test_student_page_and_its_downloads_show_no_solution(chromium, student_url, page):
    """What a student sees on each page, and every file the page offers for download."""
    context = chromium.new_context()
    tab = context.new_page()
    response = tab.goto(f"{student_url}/{page}.html", wait_until="load")
    assert response.ok
    texts = {page: tab.evaluate("() => document.body.innerText")}
    for link in sorted(set(tab.evaluate(DOWNLOAD_LINKS_JS))):
        download = tab.request.get(link)
        assert download.ok, f"{link}: HTTP {download.status}"
        texts[link] = file_text(link.split("?")[0], download.body())
    context.close()
    found = leaks(texts)
    assert not found, "\n".join(found[:20])
    if (ROOT / f"{page}.ipynb").exists():
        offered = [link for link in texts if link.endswith(student_notebook_file(page))]
        assert offered, f"{page} does not offer its student notebook"


def search_results(browser, url: str, word: str) -> list[str]:
    """Pages a search for ``word`` lists (Sphinx's search page, as a reader uses it)."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{url}/search.html?q={word}", wait_until="load")
    tab.wait_for_function("""() => {
        const s = document.querySelector('.search-summary');
        return s && /Search finished|did not match/.test(s.innerText); }""", timeout=30_000)
    pages = tab.evaluate("""() => Array.from(document.querySelectorAll(
        '#search-results ul.search li a')).map(a => new URL(a.href).pathname)""")
    context.close()
    return pages


@pytest.mark.parametrize("chapter", SOLUTION_CHAPTERS, ids=IDS)
def test_searching_for_solution_words_finds_them_only_in_the_normal_edition(
        chromium, book_url, student_url, chapter):
    """A word only a solution uses: the normal edition's search lists the chapter (so the
    word is indexed), the student edition's does not."""
    page = f"/{chapter.docname}.html"
    checked = 0
    for word in sorted(solutions(chapter).words)[:6]:
        if page not in search_results(chromium, book_url, word):
            continue  # not a word the index keeps as it is (stemming, stop words)
        assert page not in search_results(chromium, student_url, word), (
            f"searching the student edition for {word!r} lists {page}")
        checked += 1
        if checked == 2:
            break
    if solutions(chapter).words:
        assert checked, f"no solution-only word of {chapter.name} is found by the search"


# --- student notebooks -----------------------------------------------------------------------

NOTEBOOK_CHAPTERS = chapters()
NOTEBOOK_IDS = [c.name for c in NOTEBOOK_CHAPTERS]


def student_notebook(chapter: Chapter):
    path = require(STUDENT / STUDENT_FOLDER / student_notebook_file(chapter.docname),
                   "make student")
    return nbformat.read(path, as_version=4)


def book_exercise_numbers(chapter: Chapter) -> dict[str, str]:
    """Exercise label -> number, as the normal edition's page shows them."""
    page = (BOOK / f"{chapter.docname}.html").read_text()
    numbers = {}
    for exercise in chapter.exercises:
        match = re.search(rf'id="{re.escape(exercise.label)}".*?Exercise (\d+\.\d+)', page,
                          re.DOTALL)
        assert match, f"{exercise.label} not found on the book's page"
        numbers[exercise.label] = match[1]
    return numbers


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS, ids=NOTEBOOK_IDS)
def test_student_notebook_is_plain_markdown_numbered_as_the_book(chapter):
    notebook = student_notebook(chapter)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert not ROLE.search(markdown), f"MyST role left: {ROLE.search(markdown)[0]}"
    assert not any(FENCE_OPEN.match(line) for line in markdown.split("\n")), "directive left"
    assert not any(TARGET_LINE.match(line) for line in markdown.split("\n")), "target left"
    for label, number in book_exercise_numbers(chapter).items():
        title = chapter.exercise(label).title
        header = f"**Exercise {number} ({title})**" if title else f"**Exercise {number}**"
        assert header in markdown, f"{label}: no {header!r}"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "import coopmodels" in code[0].source, "the first code cell sets up the library"
    assert not code[0].metadata.get("jupyter", {}).get("source_hidden"), "setup is visible"
    assert not any(c.outputs for c in code), "a student notebook has no outputs"
    for exercise in chapter.exercises:
        for name in exercise.stored_results if exercise.track == "Code" else ():
            assert re.search(rf"^{name} = \.\.\.$", "\n".join(c.source for c in code),
                             re.MULTILINE), f"no answer cell for {name}"


@pytest.fixture(scope="module")
def student_notebook_runs(tmp_path_factory) -> dict[str, str | None]:
    """Every student notebook run as a student runs it (a fresh kernel, the library
    installed, no book around it), as many at once as there are cores: chapter name ->
    the error, or None."""
    import asyncio

    from nbclient import NotebookClient

    async def run(chapter: Chapter, limit: asyncio.Semaphore) -> str | None:
        async with limit:
            client = NotebookClient(student_notebook(chapter), timeout=600,
                                    kernel_name="python3", resources={"metadata": {
                                        "path": str(tmp_path_factory.mktemp(chapter.name))}})
            try:
                await client.async_execute()
            except Exception as error:  # reported by the test of that chapter
                return f"{type(error).__name__}: {error}"
            return None

    async def run_all() -> list[str | None]:
        limit = asyncio.Semaphore(os.cpu_count() or 1)
        return await asyncio.gather(*(run(c, limit) for c in NOTEBOOK_CHAPTERS))

    # in a thread of its own: Playwright's sync API keeps an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        errors = thread.submit(asyncio.run, run_all()).result()
    return dict(zip(NOTEBOOK_IDS, errors, strict=True))


@pytest.mark.xdist_group("student-notebooks")  # one worker runs them all, once
@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS, ids=NOTEBOOK_IDS)
def test_student_notebook_runs_top_to_bottom(chapter, student_notebook_runs):
    error = student_notebook_runs[chapter.name]
    assert error is None, error[-3000:]


def test_the_normal_edition_offers_executed_notebooks():
    for chapter in NOTEBOOK_CHAPTERS:
        notebook = executed(chapter)
        assert any(c.get("outputs") for c in notebook.cells if c.cell_type == "code"), (
            f"{chapter.name}: the download is not the executed notebook")


# --- assignments (otter-grader) --------------------------------------------------------------

ASSIGNMENT_CHAPTERS = [c for c in SOLUTION_CHAPTERS if any(e.track == "Code" for e in c.exercises)]


@pytest.mark.xdist_group("autograder")  # beside the student notebooks, on another worker
@pytest.mark.parametrize("chapter", ASSIGNMENT_CHAPTERS,
                         ids=[c.name for c in ASSIGNMENT_CHAPTERS])
def test_autograder_passes_the_solution_and_fails_the_blank_notebook(chapter):
    from tools.classroom.assignments import OUTPUT, autograder_zip, grade, questions

    folder = require(OUTPUT / chapter.name, "make assignments")
    numbers = book_exercise_numbers(chapter)
    expected = sorted(question_name(numbers[e.label]) for e in chapter.exercises
                      if e.track == "Code")
    assert questions(folder) == expected, "one autograded question per code exercise"
    autograder = autograder_zip(folder)
    solution = grade(autograder, folder / "dist" / "autograder" / f"{chapter.name}.ipynb")
    assert solution == dict.fromkeys(expected, 1.0), f"the solution notebook: {solution}"
    blank = grade(autograder, folder / "dist" / "student" / f"{chapter.name}.ipynb")
    assert blank == dict.fromkeys(expected, 0.0), f"the blank notebook: {blank}"


# --- instructor edition and the API page -----------------------------------------------------

def test_instructor_edition_has_its_pages_and_every_solution_open():
    require(INSTRUCTOR / "index.html", "make instructor")
    for page in INSTRUCTOR_PAGES:
        assert (INSTRUCTOR / f"{page}.html").exists(), f"{page} missing"
    for chapter in SOLUTION_CHAPTERS:
        page = (INSTRUCTOR / f"{chapter.docname}.html").read_text()
        classes = re.findall(r'<div class="([^"]*\bsolution\b[^"]*)"', page)
        assert len(classes) == sum(1 for e in chapter.exercises if e.solution)
        assert not [c for c in classes if "dropdown" in c.split()], "a solution is closed"
        assert "<details" not in "".join(re.findall(
            r'<div class="solution.*?</section>', page, re.DOTALL)), "code hidden"
    for page in INSTRUCTOR_PAGES:
        assert not (BOOK / f"{page}.html").exists(), f"{page} is in the normal edition"


def test_api_page_documents_every_function_exercises_use():
    page = require(BOOK / "book" / "api.html", "make build").read_text()
    for chapter in SOLUTION_CHAPTERS:
        for exercise in chapter.exercises:
            for name in exercise.uses:
                assert f'id="coopmodels.{name}"' in page, f"{name} is not on the API page"


# --- print -----------------------------------------------------------------------------------

def printed(browser, root: Path, page: str) -> tuple[str, list[str]]:
    """The text of ``page`` printed to PDF by Chromium (as "Print to PDF" does), and the
    text of the page's collapsed admonitions (dropdowns)."""
    from pypdf import PdfReader

    with serve(root) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{url}/{page}.html", wait_until="load")
        collapsed = tab.evaluate("""() => Array.from(document.querySelectorAll(
            '.admonition.dropdown')).map(e => e.textContent)""")
        pdf = tab.pdf(format="A4", print_background=True)
        context.close()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return text, collapsed


def letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


PRINTED_CHAPTER = max(SOLUTION_CHAPTERS, key=lambda c: sum(
    len(cell.source) for e in c.exercises for cell in e.solution_code))


def test_printed_student_page_has_no_solution_and_no_toggle_labels(chromium):
    require(STUDENT / "index.html", "make student")
    text, collapsed = printed(chromium, STUDENT, PRINTED_CHAPTER.docname)
    assert "Exercise" in text, "the page printed"
    assert not leaks({"printed page": text})
    assert "Click to" not in text
    assert collapsed, "the page has dropdowns (What you should see)"
    for content in collapsed:  # printed open, as paper has no buttons
        assert letters(content)[-200:] in letters(text), f"not printed: {content[:80]!r}"


def test_printed_instructor_page_has_every_solution_in_full(chromium):
    """Solutions open, no "Click to hide", every line of solution code whole."""
    require(INSTRUCTOR / "index.html", "make instructor")
    text, _ = printed(chromium, INSTRUCTOR, PRINTED_CHAPTER.docname)
    assert "Click to" not in text
    shown = letters(text)
    for exercise in PRINTED_CHAPTER.exercises:
        for cell in exercise.solution_code:
            if "remove-cell" in cell.metadata.get("tags", []):
                continue
            for line in cell.source.split("\n"):
                assert letters(line) in shown, f"{exercise.label}: printed line cut: {line!r}"
