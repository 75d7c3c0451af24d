"""Make a realistic plan workbook of any size, for the benchmark.

Rows cycle through every EFLG 2021 point, twenty owners, all ratings, real
dates and free-text deadlines, with cells of 100 to 300 characters, so a
10,000-action plan looks like a (very) large real one.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import frameworks
from pipeline.workbook import build_template, layout

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


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words)).capitalize() + "."


def generate(actions: int, path: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    framework = frameworks.load("eflg-2021")
    points = framework.choices()
    wb = build_template(framework)
    plan = wb[layout.PLAN_SHEET]
    values = {
        "Council name": "Benchmark Borough Council",
        "Plan title": f"Benchmark plan with {actions:,} actions",
        "Report date": dt.date(2026, 11, 30),
        "Status": "Draft",
        "Author": "Benchmark",
        "Introduction": "A generated plan for timing eqplan.",
    }
    for row in range(2, plan.max_row + 1):
        label = plan.cell(row=row, column=1).value
        if label in values:
            plan.cell(row=row, column=2, value=values[label])
    owners = [f"Owner team {n:02d}" for n in range(1, 21)]
    for row, name in enumerate(owners, start=2):
        wb[layout.OWNERS_SHEET].cell(row=row, column=1, value=name)
    sheet = wb[layout.ACTIONS_SHEET]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=2).value = None
    base = dt.date(2026, 1, 1)
    for index in range(actions):
        row = index + 2
        deadline = (
            base + dt.timedelta(days=rng.randint(0, 1100))
            if rng.random() < 0.75
            else rng.choice(DEADLINES)
        )
        rag = rng.choice(RAGS)
        values_row = (
            f"B{index + 1:05d}",
            points[index % len(points)],
            sentence(rng, 15, 40),
            sentence(rng, 15, 40),
            sentence(rng, 8, 20),
            deadline,
            rng.choice(owners),
            rag,
            rng.choice(["", "", "", "Race equality", "Gender pay gap"]),
            sentence(rng, 5, 15) if rag == "Red" or rng.random() < 0.3 else None,
        )
        for column, value in enumerate(values_row, start=1):
            sheet.cell(row=row, column=column, value=value or None)
    wb.save(path)
    return path


if __name__ == "__main__":
    count = int(sys.argv[1])
    target = Path(sys.argv[2])
    generate(count, target)
    print(f"Wrote {target} ({count:,} actions)")
