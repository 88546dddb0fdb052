"""Build and test times.

* Clean build: the whole book into a fresh output folder (``bench/_work``), every
  notebook executed, with the same strict flags as ``make build``; then the same command
  again, which rebuilds from the execution cache.
* ``make test``: the README's test command on this checkout, as a reader would run it
  after ``make book`` (its build step then reuses the execution cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import ROOT

WORK = ROOT / "bench" / "_work"


def build_flags() -> list[str]:
    match = re.search(r"^JB_FLAGS\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)
    return match.group(1).split()


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds a command takes; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def book_build_times() -> dict[str, object]:
    """Clean and cached build times; the built site is left in ``bench/_work``."""
    shutil.rmtree(WORK, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".",
               "--path-output", str(WORK), *build_flags()]
    env = os.environ | {"COOPBOOK_BUILD": "1"}  # as the book's extension sets it
    clean = timed(command, env)
    cached = timed(command, env)
    return {"clean_build_s": clean, "cached_rebuild_s": cached,
            "html": str((WORK / "_build" / "html").relative_to(ROOT))}


def make_test_time() -> dict[str, object]:
    """Seconds of ``make test`` and whether it passed (a failure is reported, not raised)."""
    start = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return {"make_test_s": time.perf_counter() - start, "passed": result.returncode == 0}
