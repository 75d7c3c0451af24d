"""Benchmark: `eqplan build` and `eqplan validate` against a plain zip writer, by plan size.

Run with `make bench` (never part of `make test`); `--large` adds 50,000
actions, `--sizes 100,1000` picks sizes, `--repeats N` sets the runs per
command. For each size it generates a plan (bench/generate.py), then times
as separate processes, like an officer running them:

- `eqplan build`, `eqplan validate` and the reference writer
  (bench/reference_writer.py: the same rows as a 7-column Word table with RAG
  shading, with zipfile and string escaping only): one warm-up run each (it also
  writes the .pyc files an installed package has), then N rounds of timed runs, the
  three in turn in each round, so a change in the machine's speed falls on all
  three alike. For each: median and minimum seconds, and the peak memory of the
  largest process (the command or the child it renders the Word document in:
  os.wait4 reports both). This process imports nothing heavy, since a command it
  starts inherits its peak memory; the plans are generated in a child for that reason.
  "build / reference" is the build's median time over the reference's, and
  the same for CPU seconds, which a busy machine disturbs less.

Each stage is then timed once in a fresh process (in-process, so without
start-up). The targets of issue 17 are checked at the end; results are saved
to bench/results/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SIZES = (100, 1_000, 10_000)
LARGE = 50_000
#: Issue 17's targets.
BUILD_SECONDS_100 = 0.5
VALIDATE_SECONDS_100 = 0.25
REFERENCE_RATIO_10K = 8.0
PEAK_MB_10K = 250.0
PEAK_MB_50K = 1024.0
#: "Linear": 50,000 actions may take at most this much more per action than 10,000.
LINEAR_SLACK = 1.15


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stages(size: int, workdir: Path) -> dict:
    """Run each stage once in this process and record seconds and peak memory."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    from pipeline import frameworks
    from pipeline.gc_pause import paused_gc
    from pipeline.render.html import render_html
    from pipeline.render.summary_xlsx import write_summary
    from pipeline.render.template_file import default_template
    from pipeline.render.word_job import render_word
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
    with paused_gc():  # as build() runs them
        raw = timed("read", lambda: read_workbook(path))
        plan, _ = timed("model", lambda: build_plan(raw, None))
        found = timed("validate", lambda: check(plan))
        view = timed("summarise", lambda: build_view(plan, found))
        timed("summary_xlsx", lambda: write_summary(view, workdir / "summary.xlsx"))
        template = default_template("rag")
        timed("word", lambda: render_word(view, workdir / "plan.docx", template))
        timed("html", lambda: render_html(view, workdir / "plan.html"))
    return results


def run_process(command: list[str]) -> tuple[float, float, float]:
    """Seconds, peak MB (the largest of the process and its waited-for children), CPU seconds.

    CPU seconds (user and system, children included) vary less than the time
    on a machine shared with other work; a build's exceed its time when its
    two processes run at once.
    """
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # validate exits 1 on errors
        raise SystemExit(f"{' '.join(command)} failed: {errors[-800:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def in_turn(commands: dict[str, list[str]], repeats: int) -> dict[str, dict]:
    """Each command once to warm up, then repeats rounds running each once, in turn: by name,
    its median, minimum, peak MB and median CPU seconds.

    Run in turn rather than one command's runs after the other's, a change in the machine's
    speed (other work on a shared machine comes and goes by the minute) falls on every
    command alike, so the ratio of build to reference stays fair. Each round starts one
    command further on, so none always runs straight after the same other.
    """
    for command in commands.values():
        run_process(command)
    names = list(commands)
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    for round_number in range(repeats):
        start = round_number % len(names)
        for name in names[start:] + names[:start]:
            runs[name].append(run_process(commands[name]))
    return {name: _figures(timed) for name, timed in runs.items()}


def _figures(runs: list[tuple[float, float, float]]) -> dict:
    times = [seconds for seconds, _, _ in runs]
    return {
        "median": round(statistics.median(times), 3),
        "min": round(min(times), 3),
        "peak_mb": round(max(mb for _, mb, _ in runs), 1),
        "cpu": round(statistics.median(cpu for _, _, cpu in runs), 3),
        "runs": len(runs),
    }


def generate_plan(size: int, folder: Path) -> tuple[Path, Path]:
    """A plan of size actions in folder, and its rows for the reference writer: their paths.

    Made in a child: this process stays small, as every command it starts inherits its peak
    memory.
    """
    workbook, rows_file = folder / f"plan-{size}.xlsx", folder / f"rows-{size}.json"
    generator = [
        sys.executable,
        str(ROOT / "bench" / "generate.py"),
        str(size),
        str(workbook),
        str(rows_file),
    ]
    subprocess.run(generator, check=True, stdout=subprocess.DEVNULL)
    return workbook, rows_file


def measure(size: int, repeats: int, with_stages: bool, folder: Path) -> dict:
    """Every figure for one size."""
    python = sys.executable
    workbook, rows_file = generate_plan(size, folder)
    build = [python, "-m", "pipeline", "build", str(workbook), "-o", str(folder / f"out-{size}")]
    validate = [python, "-m", "pipeline", "validate", str(workbook)]
    reference = [
        python,
        str(ROOT / "bench" / "reference_writer.py"),
        str(rows_file),
        str(folder / f"reference-{size}.docx"),
    ]
    result = in_turn({"build": build, "validate": validate, "reference": reference}, repeats)
    result["ratio"] = round(result["build"]["median"] / result["reference"]["median"], 1)
    result["cpu_ratio"] = round(result["build"]["cpu"] / result["reference"]["cpu"], 1)
    if with_stages:
        completed = subprocess.run(
            [python, __file__, "--stages", str(size)], capture_output=True, text=True, check=True
        )
        result["stages"] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def table(report: dict[int, dict]) -> str:
    """The figures as a plain text table: commands first, then stages."""
    sizes = list(report)
    lines = [f"{'':<30}" + "".join(f"{f'{s:,} actions':>26}" for s in sizes)]
    for command in ("build", "validate", "reference"):
        label = {"build": "eqplan build", "validate": "eqplan validate"}.get(command, command)
        row = [f"{label + ' median / min':<30}"]
        row += [
            f"{r[command]['median']:>12.2f} / {r[command]['min']:.2f} s" for r in report.values()
        ]
        lines.append("".join(f"{cell:>26}" if i else cell for i, cell in enumerate(row)))
        peaks = "".join(f"{r[command]['peak_mb']:>23.0f} MB" for r in report.values())
        lines.append(f"{label + ' peak':<30}{peaks}")
        cpu = "".join(f"{r[command]['cpu']:>24.2f} s" for r in report.values())
        lines.append(f"{label + ' CPU':<30}{cpu}")
    lines.append(
        f"{'build / reference':<30}" + "".join(f"{r['ratio']:>25.1f}x" for r in report.values())
    )
    lines.append(
        f"{'build / reference, CPU':<30}"
        + "".join(f"{r['cpu_ratio']:>25.1f}x" for r in report.values())
    )
    with_stages = [r for r in report.values() if "stages" in r]
    if with_stages:
        lines.append("\nstages, in one process (seconds, peak MB so far)")
        for name in with_stages[0]["stages"]:
            cells = "".join(
                f"{r['stages'][name]['seconds']:>16.2f} s {r['stages'][name]['peak_mb']:>5.0f} MB"
                for r in report.values()
                if "stages" in r
            )
            lines.append(f"{name:<30}{cells}")
    return "\n".join(lines)


def verdicts(report: dict[int, dict]) -> list[str]:
    """Each target of issue 17 whose size was measured: the figure, the limit, met or MISSED."""
    said = []

    def verdict(what: str, figure: str, limit: str, ok: bool) -> None:
        said.append(f"{what}: {figure} ({limit}): {'met' if ok else 'MISSED'}")

    if 100 in report:
        build, validate = report[100]["build"]["median"], report[100]["validate"]["median"]
        verdict(
            "100 actions, build median",
            f"{build:.2f} s",
            f"< {BUILD_SECONDS_100} s",
            build < BUILD_SECONDS_100,
        )
        verdict(
            "100 actions, validate median",
            f"{validate:.2f} s",
            f"< {VALIDATE_SECONDS_100} s",
            validate < VALIDATE_SECONDS_100,
        )
    if 10_000 in report:
        ratio, peak = report[10_000]["ratio"], report[10_000]["build"]["peak_mb"]
        verdict(
            "10,000 actions, build / reference",
            f"{ratio:.1f}x (CPU {report[10_000]['cpu_ratio']:.1f}x)",
            f"<= {REFERENCE_RATIO_10K:g}x",
            ratio <= REFERENCE_RATIO_10K,
        )
        verdict(
            "10,000 actions, build peak",
            f"{peak:.0f} MB",
            f"< {PEAK_MB_10K:g} MB",
            peak < PEAK_MB_10K,
        )
    if LARGE in report and 10_000 in report:
        growth = report[LARGE]["build"]["median"] / report[10_000]["build"]["median"]
        limit = LINEAR_SLACK * LARGE / 10_000
        verdict(
            "50,000 actions, time over 10,000's",
            f"{growth:.1f}x",
            f"<= {limit:.2f}x, linear",
            growth <= limit,
        )
    if LARGE in report:
        peak = report[LARGE]["build"]["peak_mb"]
        verdict(
            "50,000 actions, build peak",
            f"{peak:.0f} MB",
            f"< {PEAK_MB_50K:g} MB",
            peak < PEAK_MB_50K,
        )
    return said


def positive(text: str) -> int:
    """A whole number above 0 (`1000`, `1_000`), as the options read a size or a count: a
    plan of no actions, or no timed run to take a median of, is a mistyped option."""
    try:
        number = int(text.replace("_", ""))
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return number


def _sizes(text: str) -> list[int]:
    return [positive(size) for size in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=_sizes, help="comma-separated plan sizes (default 100,1000,10000)"
    )
    parser.add_argument("--large", action="store_true", help=f"add {LARGE:,} actions")
    parser.add_argument("--repeats", type=positive, default=5, help="timed runs per command")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage timing")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the files made")
    parser.add_argument("--stages", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.stages:
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(stages(options.stages, Path(work))))
        return 0
    sizes = options.sizes or list(SIZES)
    if options.large and LARGE not in sizes:
        sizes.append(LARGE)
    options.results.mkdir(parents=True, exist_ok=True)
    report = {}
    for size in sizes:
        repeats = options.repeats if size < 10_000 else max(1, min(options.repeats, 3))
        report[size] = measure(size, repeats, not options.no_stages, options.results)
    print(table(report))
    print("\n" + "\n".join(verdicts(report)))
    (options.results / "results.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
