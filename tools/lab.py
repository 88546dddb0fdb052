"""JupyterLab for the chapters, set up for classrooms: ``make lab``, the JupyterLab test
and the JupyterLab benchmark all start it from here.

What the settings do (each is needed in a classroom container, offline):

* ``--allow-root``: many classroom containers run as root, where JupyterLab refuses to
  start without it;
* no news and no update check: JupyterLab would otherwise ask a remote host for news and
  new versions and show a pop-up (``--LabApp.news_url=None``, the update-check class, and
  the app settings in ``tools/jupyterlab/overrides.json``);
* ``--LabApp.extension_manager=readonly``: the extension manager does not search PyPI;
* the server's root is ``book/`` and it opens Chapter 1; the kernel is this environment's
  Python, where ``coopmodels`` is installed (``make install``), so every chapter imports it.

Usage: ``python -m tools.lab [extra JupyterLab arguments]`` (what ``make lab`` runs).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
SETTINGS = Path(__file__).resolve().parent / "jupyterlab"
"""App settings for JupyterLab (``overrides.json``): no news, no update check."""

FIRST_CHAPTER = "01_the_question.ipynb"


def lab_arguments(root_dir: Path, *, open_path: str | None = FIRST_CHAPTER) -> list[str]:
    """The JupyterLab command-line settings shared by ``make lab``, tests and benchmarks."""
    arguments = [
        "--allow-root",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={SETTINGS}",
        "--LabApp.extension_manager=readonly",
    ]
    if open_path:
        arguments.append(f"--LabApp.default_url=/lab/tree/{open_path}")
    return arguments


def jupyter() -> str:
    """The ``jupyter`` command of this environment (next to its Python)."""
    return str(Path(sys.executable).parent / "jupyter")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_lab(root_dir: Path, *, log: Path | None = None) -> Iterator[str]:
    """A JupyterLab server for tests: on a free localhost port, no token, no browser, its
    own (temporary) Jupyter configuration, data and runtime folders so that nothing of
    the user's own Jupyter setup applies; stopped when the block ends. Yields its URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="coop-lab-") as home:
        env = os.environ | {
            "JUPYTER_CONFIG_DIR": f"{home}/config", "JUPYTER_DATA_DIR": f"{home}/data",
            "JUPYTER_RUNTIME_DIR": f"{home}/runtime", "JUPYTER_PLATFORM_DIRS": "1",
        }
        command = [jupyter(), "lab", *lab_arguments(root_dir, open_path=None),
                   "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                   "--IdentityProvider.token=", "--ServerApp.password=",
                   f"--LabApp.workspaces_dir={home}/workspaces",
                   "--LabApp.expose_app_in_browser=True"]
        out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"JupyterLab did not start (exit {server.poll()})"
                                           ) from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if log:
                out.close()


def copy_chapters(target: Path) -> Path:
    """A copy of ``book/`` to open in a test server, so that nothing a test does (running
    cells, autosave) touches the chapters themselves."""
    shutil.copytree(BOOK, target, ignore=shutil.ignore_patterns("_static", "_ext"))
    return target


# -- driving JupyterLab in Chromium (tests and benchmarks) -------------------------------

# The open notebook's cells as the notebook model holds them (not as drawn).
CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  for (const cell of panel.content.model.cells) {
    const json = cell.toJSON();
    cells.push({type: json.cell_type, source: cell.sharedModel.getSource(),
                count: json.execution_count ?? null, outputs: json.outputs || [],
                metadata: json.metadata || {}});
  }
  return cells;
}"""

KERNEL_STATUS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return kernel ? kernel.status : 'none';
}"""

# Closes the open notebook without saving, and shuts its kernel down.
CLOSE_JS = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.shutdown();
  panel.context.model.dirty = false;
  panel.dispose();
}"""


class LabPage:
    """One Chromium page on a JupyterLab server, recording what tests must check: console
    errors and requests to any host but the server's (those are blocked)."""

    def __init__(self, browser, url: str, *, width: int = 1400, height: int = 1000) -> None:
        from urllib.parse import urlsplit

        self.url = url
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        local = urlsplit(url).netloc

        def route(route_request) -> None:
            request_url = route_request.request.url
            if urlsplit(request_url).netloc == local or request_url.startswith(
                    ("data:", "blob:", "about:")):
                route_request.continue_()
            else:
                self.foreign_requests.append(request_url)
                route_request.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: m.type == "error"
                     and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"page error: {e}"))

    def open(self, path: str, *, timeout_s: float = 120) -> None:
        """Open a notebook (``?reset``: no tabs restored) and wait for its idle kernel."""
        self.page.goto(f"{self.url}/lab/tree/{path}?reset")
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell",
                                    timeout=timeout_s * 1000)
        self.wait_for_kernel(timeout_s)

    def kernel_status(self) -> str:
        return self.page.evaluate(KERNEL_STATUS_JS)

    def wait_for_kernel(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while self.kernel_status() != "idle":
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel not idle after {timeout_s} s")
            time.sleep(0.2)

    def cells(self) -> list[dict]:
        return self.page.evaluate(CELLS_JS)

    def run_all(self, *, timeout_s: float = 600) -> list[dict]:
        """Run All (as from the Run menu); wait until every code cell has run, or one has
        raised, and the kernel is idle again. Returns the cells."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        deadline = time.monotonic() + timeout_s
        while True:
            time.sleep(0.5)
            cells = self.cells()
            code = [c for c in cells if c["type"] == "code"]
            failed = any(o.get("output_type") == "error" for c in code for o in c["outputs"])
            done = failed or all(c["count"] is not None for c in code)
            if done and self.kernel_status() == "idle":
                if failed:
                    return cells
                return self._wait_for_prose(deadline)
            if time.monotonic() > deadline:
                raise TimeoutError(f"Run All did not finish in {timeout_s} s")

    def _wait_for_prose(self, deadline: float) -> list[dict]:
        """Wait until jupyterlab-myst has stored the value of every ``{eval}`` of the
        prose (cell metadata ``user_expressions``), or until the deadline."""
        while True:
            cells = self.cells()
            waiting = [c for c in cells if c["type"] == "markdown" and "{eval}" in c["source"]
                       and not c["metadata"].get("user_expressions")]
            if not waiting or time.monotonic() > deadline:
                return cells
            time.sleep(0.5)

    def close_notebook(self) -> None:
        self.page.evaluate(CLOSE_JS)

    def close(self) -> None:
        self.context.close()


if __name__ == "__main__":
    os.execv(jupyter(), [jupyter(), "lab", *lab_arguments(BOOK), *sys.argv[1:]])
