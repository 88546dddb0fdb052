"""``make dist``: the built book as one zip that works from a USB stick or a school server.

    python -m tools.dist              # _build/html -> _build/dist/working-together-<edition>.zip
    python -m tools.dist --student    # make student's site -> …-<edition>-student.zip

The zip holds one folder, ``working-together-<edition>/``, with the site and a
``README.txt``: unzipped, ``index.html`` opens the book from ``file://`` with no network
(charts, sliders, search and navigation included; ``tests/test_dist.py`` checks every
page that way). The site's ``.gz`` copies are kept for servers that serve them; source
maps (for debugging the theme) are left out. Entries are sorted and dated with the
edition's date, so the same build gives the same zip.
"""

from __future__ import annotations

import argparse
import datetime
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = {".map"}
STORED = {".gz", ".woff2", ".woff", ".png", ".jpg", ".zip"}   # already compressed

README = """{title}
Edition {edition}, {date}.

To read the book, open index.html in this folder (double-click it). Everything is in this
folder: no network is needed, and the charts, sliders and search work offline.

To put it on a web server, copy the whole folder. The .gz files are compressed copies
that servers can send instead (for example nginx with "gzip_static on;"); a server that
does not use them ignores them.
"""


def edition() -> dict:
    """The book's title, authors, edition and date, from CITATION.cff (the one source of
    the edition and its date)."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    released = cff["date-released"]
    if isinstance(released, str):
        released = datetime.date.fromisoformat(released)
    authors = ", ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}"
                        .strip() for a in cff.get("authors", []))
    return {"title": cff["title"], "authors": authors, "edition": str(cff["version"]),
            "date": released}


def dist_paths(student: bool = False) -> tuple[Path, Path]:
    """The built site a zip is made from, and the zip's path (named by the edition)."""
    name = f"working-together-{edition()['edition']}{'-student' if student else ''}"
    site = ROOT / "_build" / ("student/_build/html" if student else "html")
    return site, ROOT / "_build" / "dist" / f"{name}.zip"


def make_zip(site: Path, target: Path, folder: str) -> Path:
    """Zip ``site`` into ``target`` under ``folder/``; returns ``target``."""
    if not (site / "index.html").exists():
        raise SystemExit(f"no built book in {site}: build it first")
    book = edition()
    stamp = (book["date"].year, book["date"].month, book["date"].day, 0, 0, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        readme = README.format(title=book["title"], edition=book["edition"],
                               date=f"{book['date']:%Y-%m-%d}")
        archive.writestr(zipfile.ZipInfo(f"{folder}/README.txt", stamp), readme)
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            if path.suffix in LEFT_OUT:
                continue
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = (zipfile.ZIP_STORED if path.suffix in STORED
                                  else zipfile.ZIP_DEFLATED)
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true",
                        help="the student edition (make student), without solutions")
    args = parser.parse_args()
    site, target = dist_paths(args.student)
    folder = target.name.removesuffix(".zip")
    target = make_zip(site, target, folder)
    print(f"{target} ({target.stat().st_size / 1e6:.1f} MB): unzip it and open "
          f"{folder}/index.html")


if __name__ == "__main__":
    main()
