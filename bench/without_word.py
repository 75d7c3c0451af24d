"""How far a faster Word plan alone could take a build: `eqplan build` with the Word plan
left out, timed in turn with the whole build and the reference writer.

The Word plan is rendered beside the summary workbook once the workbook has been read,
checked and summarised. Leave it out (the build writes an empty file in its place) and
what remains, start-up, reading, checks, the view and the summary workbook in its second
process, is the least that any Word plan, however fast, adds to. Its ratio to the reference
writer says whether issue 17's 8x could be met by the Word plan alone.

    python bench/without_word.py 10000 --repeats 3

uses the plan and rows `make bench` left in bench/results (made first if missing).
`--run ARGS` is the build itself, for the timing: `eqplan ARGS` with the Word plan left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from run import RESULTS, generate_plan, in_turn, positive  # noqa: E402 - bench/ is not a package

_LABELS = {
    "build": "eqplan build",
    "without Word": "eqplan build, no Word plan",
    "reference": "reference writer",
}


def build_without_word(arguments: list[str]) -> None:
    """Run `eqplan arguments` with an empty file written where the Word plan would be."""
    sys.path.insert(0, str(ROOT))
    from pipeline import launch
    from pipeline.render import word_job

    def left_out(view, target, *_args, **_options) -> word_job.WordResult:
        Path(target).write_bytes(b"")
        return word_job.WordResult(target, len(view.actions), [])

    word_job.render_word = left_out  # build.py imports it from here as it runs
    sys.argv = ["eqplan", *arguments]
    launch.main()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "size", type=positive, nargs="?", default=10_000, help="actions in the plan"
    )
    parser.add_argument("--repeats", type=positive, default=3, help="timed runs of each command")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the files made")
    parser.add_argument("--run", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.run is not None:
        build_without_word(options.run)
        return 0
    size, folder, python = options.size, options.results, sys.executable
    workbook, rows = folder / f"plan-{size}.xlsx", folder / f"rows-{size}.json"
    if not (workbook.is_file() and rows.is_file()):
        folder.mkdir(parents=True, exist_ok=True)
        workbook, rows = generate_plan(size, folder)
    build = ["build", str(workbook), "-o"]
    figures = in_turn(
        {
            "build": [python, "-m", "pipeline", *build, str(folder / f"out-{size}")],
            "without Word": [python, __file__, "--run", *build, str(folder / f"nw-{size}")],
            "reference": [
                python,
                str(ROOT / "bench" / "reference_writer.py"),
                str(rows),
                str(folder / f"reference-{size}.docx"),
            ],
        },
        options.repeats,
    )
    reference = figures["reference"]["median"]
    print(f"{size:,} actions, the median of {options.repeats} runs of each, run in turn:")
    for name, figure in figures.items():
        line = f"  {_LABELS[name]:<28}{figure['median']:6.2f} s"
        if name != "reference":
            line += f"  {figure['median'] / reference:5.1f}x the reference"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
