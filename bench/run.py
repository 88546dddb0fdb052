"""``make bench``: measure the book against its budgets; write results.json and results.md.

    python -m bench.run [--skip-make-test]

Benchmarks report; they do not fail (machines are noisy). A missed budget is marked ❌ in
the table. Budgets come from the design document and are not to be loosened here.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import pkgutil
import platform
import sys
from importlib import metadata
from pathlib import Path

import bench
from bench import build, jupyterlab, models, peers, site
from bench.measure import ROOT

BUDGETS = {
    "model_p95_ms": 20.0,            # model evaluation behind one slider move, live
    "slider_p95_ms": 100.0,          # slider move to repainted chart, static HTML
    "lab_drag_p95_ms": 100.0,        # slider drag to repainted chart, real JupyterLab
    "page_data_bytes": 1_500_000,    # data embedded in one page
    "first_visit_bytes": 1_500_000,  # everything a first visit loads, any page (gzip)
    "first_visit_text_bytes": 1_000_000,  # the same, pages without charts (gzip)
    "clean_build_s": 180.0,          # clean build, every notebook executed, 2 cores
    "make_test_s": 600.0,            # make test
    "abm_reference_s": 5.0,          # agent-based model, 100k agents x 100 steps
}
LIBRARIES = ["numpy", "pandas", "altair", "vl-convert-python", "jupyter-book", "myst-nb",
             "ipywidgets", "playwright", "simpy"]


def scaling_runs() -> list[dict[str, object]]:
    """Every ``bench/scaling_<model>.py``'s ``measure()``: time against problem size."""
    return [importlib.import_module(f"bench.{info.name}").measure()
            for info in pkgutil.iter_modules(bench.__path__)
            if info.name.startswith("scaling_")]


def machine() -> dict[str, object]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines
                if line.startswith("model name")), platform.processor())
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpu_count": os.cpu_count(), "cpu": cpu, "python": sys.version.split()[0],
            "platform": platform.platform(), "libraries": versions}


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} kB"


def budget_row(what: str, key: str, measured: float, shown: str, unit: str) -> str:
    """A table row: what, the budget for ``key``, the measurement and ✅ or ❌."""
    budget = BUDGETS[key]
    limit = kb(budget) if unit == "kB" else f"{budget:,.0f} {unit}"
    return f"| {what} | ≤ {limit} | {shown} | {'✅' if measured <= budget else '❌'} |"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {m['date']} on {m['cpu_count']} cores ({m['cpu']}), Python {m['python']}.",
        "Written by `make bench` (see README, *Benchmarks*); budgets from the design document.",
        "",
        "## Budgets",
        "",
        "| What | Budget | Measured | |",
        "|---|---|---|---|",
    ]
    for entry in results["models"]:
        run = entry["run"]
        lines.append(budget_row(
            f"Model `{entry['model']}`: evaluation per slider move, p95", "model_p95_ms",
            run["p95_ms"], f"{run['p95_ms']:.2f} ms (p50 {run['p50_ms']:.2f})", "ms"))
    for entry in results["slider_response"]:
        lines.append(budget_row(
            f"`{entry['page']}`: slider move → repainted chart, p95", "slider_p95_ms",
            entry["p95_ms"],
            f"{entry['p95_ms']:.1f} ms (p50 {entry['p50_ms']:.1f}, {entry['n']} moves)", "ms"))
    for entry in results.get("jupyterlab", {}).get("explorers", []):
        if not entry["inputs"]:  # only choices and checkboxes: nothing is dragged
            continue
        missed = f", {entry['missed']} missed" if entry["missed"] else ""
        shown = (f"{entry['p95_ms']:.1f} ms (p50 {entry['p50_ms']:.1f}, {entry['n']} inputs"
                 f"{missed})" if entry["n"] else "no input measured")
        lines.append(budget_row(
            f"`{entry['page']}`, `{entry['model']}` in JupyterLab: slider drag → repainted "
            "chart, p95", "lab_drag_p95_ms", entry.get("p95_ms", float("inf")), shown, "ms"))
    for entry in results["page_weight"]["pages"]:
        data = entry["embedded_data_bytes"]
        lines.append(budget_row(
            f"`{entry['page']}`: chart data embedded in the page", "page_data_bytes", data,
            f"{kb(data)} (page {kb(entry['html_bytes'])})", "kB"))
    for entry in results["first_visit"]:
        key = "first_visit_text_bytes" if entry["text_only"] else "first_visit_bytes"
        kind = "text-only page" if entry["text_only"] else "page with charts"
        lines.append(budget_row(
            f"`{entry['page']}` ({kind}): first visit, transferred with gzip", key,
            entry["transferred_bytes"],
            f"{kb(entry['transferred_bytes'])} ({kb(entry['loaded_bytes'])} uncompressed)",
            "kB"))
    b = results["build"]
    lines.append(budget_row("Clean build, every notebook executed", "clean_build_s",
                            b["clean_build_s"], f"{b['clean_build_s']:.1f} s", "s"))
    if "make_test_s" in results["test"]:
        t = results["test"]["make_test_s"]
        outcome = "" if results["test"]["passed"] else " (tests FAILED)"
        lines.append(budget_row("`make test` (after `make book`)", "make_test_s", t,
                                f"{t:.1f} s{outcome}", "s"))
    for scaling in results["scaling"]:
        target = scaling["target"]
        lines.append(budget_row(
            f"`{scaling['model']}`: {target['agents']:,} agents x {target['months']} steps",
            "abm_reference_s", scaling["reference_workload_s"],
            f"{scaling['reference_workload_s']:.2f} s", "s"))
    w = results["page_weight"]
    lines += [
        "",
        "## For information",
        "",
        f"- Cached rebuild (nothing changed): {b['cached_rebuild_s']:.1f} s.",
        f"- Whole site: {kb(w['site_bytes'])}, of which the shared `_static` folder "
        f"(theme, fonts, Vega; a page loads only part of it) {kb(w['shared_static_bytes'])}.",
    ]
    lines.append("- First visits are measured in Chromium with an empty cache, served by the "
                 "book's own server (`make serve`), which sends the build's precompressed "
                 "`.gz` copies: the budget is checked against the bytes transferred; the "
                 "uncompressed size (what a server without gzip, or the `file://` zip, "
                 "loads) is given in brackets.")
    lab = results.get("jupyterlab")
    if lab and "error" in lab:
        lines.append(f"- JupyterLab drags not measured: {lab['error']}")
    elif lab:
        echo = lab["echo_baseline"]
        lines.append(f"- JupyterLab, a bare ipywidgets slider echoed by the kernel into a label "
                     f"(the widget round trip alone, no model, no chart), same drags: p50 "
                     f"{echo['p50_ms']:.0f} ms, p95 {echo['p95_ms']:.0f} ms.")
        for entry in lab["explorers"]:
            draw = entry.get("browser_draw")
            if not entry["inputs"]:
                lines.append(f"- `{entry['model']}` in JupyterLab: no slider to drag (its "
                             "controls are choices and checkboxes).")
            elif draw:
                lines.append(f"- `{entry['model']}` in JupyterLab, browser's share (data "
                             f"received → chart repainted): p50 {draw['p50_ms']:.0f} ms, "
                             f"p95 {draw['p95_ms']:.0f} ms.")
    for entry in results["models"]:
        r = entry["live_redraw"]
        lines.append(f"- `{entry['model']}` live redraw in Jupyter, kernel side (run + chart "
                     "data): "
                     f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms.")
    for scaling in results["scaling"]:
        lines += ["", f"## Scaling: `{scaling['model']}`", "",
                  f"Time per step over {scaling['months']} steps; linear in agents + ties "
                  "if the last column stays flat.", "",
                  "| Agents | Tie ends | Seconds per step | ns per (agent + tie end) |",
                  "|---|---|---|---|"]
        lines += [f"| {row['agents']:,} | {row['tie_ends']:,} | "
                  f"{row['seconds_per_month']:.4f} | {row['ns_per_agent_and_tie']:.0f} |"
                  for row in scaling["rows"]]
    lines += ["", "## Peer comparisons", "",
              "Interleaved in one process (ours, reference, ours, …); median times; accuracy is "
              "the largest relative error against the model's definition computed directly.", "",
              "| Comparison | Reference | Ours | Reference | Speed-up | Error (ours / ref) |",
              "|---|---|---|---|---|---|"]
    for pair in results["peers"]["pairs"]:
        lines.append(f"| {pair['name']}: {pair['description']} | {pair['reference_library']} | "
                     f"{pair['ours_median_ms']:.2f} ms | {pair['reference_median_ms']:.0f} ms | "
                     f"{pair['speedup']:,.0f}× | {pair['ours_max_rel_error']:.1e} / "
                     f"{pair['reference_max_rel_error']:.1e} |")
    for skipped in results["peers"]["skipped"]:
        lines.append(f"| {skipped['module']}: skipped, `{skipped['missing']}` not installed "
                     "(`pip install -r requirements-bench.txt`) | | | | | |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-make-test", action="store_true",
                        help="do not time `make test` (it runs every test)")
    args = parser.parse_args()

    results: dict[str, object] = {"machine": machine(), "budgets": BUDGETS}
    print("model latency ...", flush=True)
    results["models"] = models.run_all()
    print("peer comparisons ...", flush=True)
    results["peers"] = peers.run_all()
    print("scaling ...", flush=True)
    results["scaling"] = scaling_runs()
    print("clean and cached build ...", flush=True)
    results["build"] = build.book_build_times()
    html = ROOT / results["build"]["html"]
    print("page weight and slider response in Chromium ...", flush=True)
    results["page_weight"] = site.page_weight(html)
    results.update(site.browse(html))
    print("slider drags in JupyterLab ...", flush=True)
    try:
        results["jupyterlab"] = jupyterlab.drag_latency()
    except Exception as error:  # report it; keep every other figure
        results["jupyterlab"] = {"error": f"{type(error).__name__}: {error}", "explorers": []}
    results["test"] = {} if args.skip_make_test else build.make_test_time()

    out = ROOT / "bench"
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results))
    print((out / "results.md").read_text())


if __name__ == "__main__":
    main()
