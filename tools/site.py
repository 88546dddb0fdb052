"""The built book as tests and benchmarks see it: its pages, a local server, Chromium.

One place for what ``tests/test_site.py`` and ``bench/site.py`` both need: the pages of
the table of contents, a quiet HTTP server on a free localhost port, and how to start
Debian's Chromium headless with no network chatter (Playwright never downloads one).

The server sends the build's precompressed ``.gz`` copy of a file (gzip transfer, as a
production server with ``gzip_static`` would) when the browser accepts gzip.
``make serve`` runs it: ``python -m tools.site [--port 8000] [directory]``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("COOPBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def toc_pages() -> list[str]:
    """Every page of the table of contents, as paths without suffix (``book/intro``)."""
    def files(entries: list[dict]) -> Iterator[str]:
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("chapters", "sections", "parts"):
                yield from files(entry.get(key, []))

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"], *files(toc.get("parts", []) + toc.get("chapters", []))]


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a file's ``.gz`` copy, sent with ``Content-Encoding: gzip``, when the
    client accepts gzip and the copy exists."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and os.path.isfile(path + ".gz")):
            return super().send_head()
        file = open(path + ".gz", "rb")  # noqa: SIM115 (the base class closes it)
        stat = os.fstat(file.fileno())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.end_headers()
        return file


class _QuietHandler(GzipHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def main() -> None:
    """``make serve``: serve the built book on localhost until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve the built book (gzip where possible).")
    parser.add_argument("directory", nargs="?", default=str(BUILD))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    handler = functools.partial(GzipHandler, directory=args.directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {args.directory} at http://localhost:{args.port}/ (Ctrl-C to stop)")
        with suppress(KeyboardInterrupt):
            server.serve_forever()


if __name__ == "__main__":
    main()
