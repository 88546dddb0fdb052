"""Build the student or the instructor edition of the book.

Usage: ``python -m tools.classroom.editions student|instructor [jupyter-book flags]``
(``make student``, ``make instructor``; the Makefile passes its strict flags).

Both are built from the same sources as the book (``_config.yml``, ``_toc.yml``), with
what differs written here, into ``_build/editions/``:

* the configuration sets ``classroom_edition`` (``book/_ext/classroom.py`` does the
  rest) and points the execution cache at the main build's (``_build/.jupyter_cache``),
  so no notebook is executed again: run ``make build`` first (the Makefile does);
* the table of contents: the student edition leaves out the instructor pages
  (:data:`NOT_FOR_STUDENTS`); the instructor edition adds them as a last part.

Each edition is built fresh into ``_build/<edition>/`` (JB writes the site to
``_build/<edition>/_build/html``). The student build then gets its student notebooks
(:mod:`tools.classroom.notebooks`), and everything but its HTML is deleted: the executed
notebooks (``jupyter_execute``) and doctrees of that build still hold the solutions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tools.site import ROOT

BUILD = ROOT / "_build"
EDITIONS = ("student", "instructor")
INSTRUCTOR_PART = {
    "caption": "For instructors",
    "numbered": False,
    "chapters": [{"file": "book/instructor/answer_key"},
                 {"file": "book/instructor/lesson_plans"},
                 {"file": "book/instructor/syllabus"},
                 {"file": "book/instructor/rubric"}],
}
INSTRUCTOR_PAGES = [entry["file"] for entry in INSTRUCTOR_PART["chapters"]]
NOT_FOR_STUDENTS = ["book/instructor_guide", *INSTRUCTOR_PAGES]


def site(edition: str) -> Path:
    """Where an edition's HTML is (``book`` is the normal edition, ``make build``)."""
    if edition == "book":
        return BUILD / "html"
    return BUILD / edition / "_build" / "html"


def config(edition: str) -> dict:
    """``_config.yml`` with the edition's settings."""
    settings = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = settings.setdefault("sphinx", {})
    # local extensions are found relative to the configuration file: make them absolute
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    sphinx.setdefault("config", {})["classroom_edition"] = edition
    if edition == "student":
        sphinx["config"]["classroom_omitted_docs"] = NOT_FOR_STUDENTS
    settings.setdefault("execute", {})["cache"] = str(BUILD / ".jupyter_cache")
    settings["title"] = f"{settings['title']} ({edition} edition)"
    return settings


def toc(edition: str) -> dict:
    """``_toc.yml`` with the edition's pages."""
    contents = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    if edition == "student":
        for part in contents.get("parts", []):
            part["chapters"] = [c for c in part["chapters"]
                                if c.get("file") not in NOT_FOR_STUDENTS]
    else:
        contents.setdefault("parts", []).append(INSTRUCTOR_PART)
    return contents


def build(edition: str, flags: list[str]) -> float:
    """Build ``edition`` afresh; return the seconds it took."""
    if edition not in EDITIONS:
        raise SystemExit(f"unknown edition {edition!r}: choose from {EDITIONS}")
    if not (BUILD / ".jupyter_cache").exists():
        raise SystemExit("no execution cache: build the book first (make build)")
    settings = BUILD / "editions"
    settings.mkdir(parents=True, exist_ok=True)
    config_path, toc_path = settings / f"_config.{edition}.yml", settings / f"_toc.{edition}.yml"
    config_path.write_text(yaml.safe_dump(config(edition), sort_keys=False), encoding="utf-8")
    toc_path.write_text(yaml.safe_dump(toc(edition), sort_keys=False), encoding="utf-8")
    output = BUILD / edition
    shutil.rmtree(output, ignore_errors=True)

    start = time.perf_counter()
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", str(ROOT), "--config", str(config_path),
                             "--toc", str(toc_path), "--path-output", str(output), *flags],
                            cwd=ROOT, check=False)
    if result.returncode:
        raise SystemExit(result.returncode)
    if edition == "student":
        from tools.classroom.notebooks import STUDENT_FOLDER, write_student_notebooks

        write_student_notebooks(site(edition) / STUDENT_FOLDER)
        for intermediate in ("jupyter_execute", ".doctrees"):
            shutil.rmtree(output / "_build" / intermediate, ignore_errors=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    edition, flags = argv[0], argv[1:]
    seconds = build(edition, flags)
    print(f"\nThe {edition} edition is built in {seconds:.0f} s: "
          f"{site(edition) / 'index.html'}")


if __name__ == "__main__":
    main(sys.argv[1:])
