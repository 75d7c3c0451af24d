"""Make a realistic plan workbook of any size, for the benchmark.

Rows cycle through every EFLG 2021 point, twenty owners, all ratings, real
dates and free-text deadlines, with cells of 100 to 300 characters, so a
10,000-action plan looks like a (very) large real one.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import frameworks
from pipeline.workbook import build_template, fill_workbook

WORDS = (
    "review publish data equality ward residents staff network training partners survey "
    "report monitor access service disabled carers language older younger workforce pay "
    "gap recruitment policy consult engage committee members budget impact assessment"
).split()
DEADLINES = [
    "Ongoing",
    "TBC",
    "Nov 2026",
    "Q3 2027",
    "2027/28",
    "Annual",
    "Complete",
    "Sept 2027 & Ongoing",
]
RAGS = ["Red", "Amber", "Green", "Complete", None]
OWNERS = [f"Owner team {n:02d}" for n in range(1, 21)]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words)).capitalize() + "."


def rows(actions: int, seed: int = 1) -> list[dict]:
    """The Actions rows of a generated plan (the reference writer writes the same rows)."""
    rng = random.Random(seed)
    points = frameworks.load("eflg-2021").choices()
    base = dt.date(2026, 1, 1)
    made = []
    for index in range(actions):
        deadline = (
            base + dt.timedelta(days=rng.randint(0, 1100))
            if rng.random() < 0.75
            else rng.choice(DEADLINES)
        )
        rag = rng.choice(RAGS)
        made.append(
            {
                "ref": f"B{index + 1:05d}",
                "point": points[index % len(points)],
                "evidence": sentence(rng, 15, 40),
                "action": sentence(rng, 15, 40),
                "outcome": sentence(rng, 8, 20),
                "deadline": deadline,
                "owner": rng.choice(OWNERS),
                "rag": rag,
                "strand": rng.choice(["", "", "", "Race equality", "Gender pay gap"]),
                "progress": sentence(rng, 5, 15) if rag == "Red" or rng.random() < 0.3 else None,
            }
        )
    return made


def generate(actions: int, path: Path, seed: int = 1) -> Path:
    framework = frameworks.load("eflg-2021")
    plan = {
        "council": "Benchmark Borough Council",
        "title": f"Benchmark plan with {actions:,} actions",
        "report_date": dt.date(2026, 11, 30),
        "status": "Draft",
        "author": "Benchmark",
        "introduction": "A generated plan for timing eqplan.",
    }
    wb = fill_workbook(
        build_template(framework),
        plan=plan,
        actions=rows(actions, seed),
        owners=[(name,) for name in OWNERS],
    )
    wb.save(path)
    return path


def _plain(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


if __name__ == "__main__":
    # generate.py COUNT PLAN.xlsx [ROWS.json]: the rows also as JSON, for the reference writer
    count = int(sys.argv[1])
    target = Path(sys.argv[2])
    generate(count, target)
    print(f"Wrote {target} ({count:,} actions)")
    if len(sys.argv) > 3:
        rows_json = json.dumps(rows(count), default=_plain)
        Path(sys.argv[3]).write_text(rows_json, encoding="utf-8")
