"""Benchmark: time and peak memory of each stage for plans of 100, 1,000 and 10,000 actions.

Run with `make bench` (not part of `make test`). Each size runs in a fresh
process so memory figures are not polluted by the previous size. Stages are
timed in-process; "peak MB" is the process's maximum resident set size after
that stage (so it only grows). The whole `eqplan build` command is then
timed as a separate process, which includes Python start-up and imports.
Results are printed as a table and saved to bench/results/results.json.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SIZES = (100, 1_000, 10_000)
TARGETS = {100: (2.0, None), 10_000: (15.0, 500.0)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stages(size: int, workdir: Path) -> dict:
    """Run each stage once in this process and record seconds and peak memory."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    from pipeline import frameworks
    from pipeline.render.html import render_html
    from pipeline.render.summary_xlsx import write_summary
    from pipeline.render.word import default_template, render_word
    from pipeline.validate import check
    from pipeline.view import build_view
    from pipeline.workbook import build_plan, read_workbook, write_template

    path = generate(size, workdir / f"plan-{size}.xlsx")
    results = {}

    def timed(name, func):
        start = time.perf_counter()
        value = func()
        results[name] = {
            "seconds": round(time.perf_counter() - start, 3),
            "peak_mb": round(_peak_mb(), 1),
        }
        return value

    framework = frameworks.load("eflg-2021")
    timed("template", lambda: write_template(framework, workdir / "template.xlsx"))
    raw = timed("read", lambda: read_workbook(path))
    plan, _ = timed("model", lambda: build_plan(raw, None))
    found = timed("validate", lambda: check(plan))
    view = timed("summarise", lambda: build_view(plan, found))
    timed("summary_xlsx", lambda: write_summary(view, workdir / "summary.xlsx"))
    timed("word", lambda: render_word(view, workdir / "plan.docx", default_template("rag")))
    timed("html", lambda: render_html(view, workdir / "plan.html"))
    results["workbook"] = str(path)
    return results


def whole_build(path: Path, out: Path) -> dict:
    """Time `eqplan build` as its own process and read its peak memory from wait4."""
    command = [sys.executable, "-m", "pipeline", "build", str(path), "-o", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"eqplan build failed on {path}: {process.stderr.read().decode()[-500:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--stages":
        size = int(sys.argv[2])
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(stages(size, Path(work))))
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in sys.argv[1:]] or list(SIZES)
    report = {}
    for size in sizes:
        completed = subprocess.run(
            [sys.executable, __file__, "--stages", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        stage = json.loads(completed.stdout.strip().splitlines()[-1])
        workbook = RESULTS / f"plan-{size}.xlsx"
        sys.path.insert(0, str(ROOT / "bench"))
        from generate import generate

        generate(size, workbook)
        stage.pop("workbook")
        stage["eqplan build (whole process)"] = whole_build(workbook, RESULTS / f"out-{size}")
        report[size] = stage
    print(f"{'stage':<32}" + "".join(f"{f'{s:,} actions':>22}" for s in report))
    for name in next(iter(report.values())):
        cells = "".join(
            f"{r[name]['seconds']:>9.2f} s {r[name]['peak_mb']:>7.0f} MB" for r in report.values()
        )
        print(f"{name:<32}{cells}")
    verdicts = []
    for size, (max_seconds, max_mb) in TARGETS.items():
        if size in report:
            whole = report[size]["eqplan build (whole process)"]
            ok = whole["seconds"] < max_seconds and (max_mb is None or whole["peak_mb"] < max_mb)
            limit = f"< {max_seconds:g} s" + (f", < {max_mb:g} MB" if max_mb else "")
            verdicts.append(
                f"{size:,} actions end to end: {whole['seconds']:.2f} s, {whole['peak_mb']:.0f} MB ({limit}): {'met' if ok else 'MISSED'}"
            )
    print("\n" + "\n".join(verdicts))
    (RESULTS / "results.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
