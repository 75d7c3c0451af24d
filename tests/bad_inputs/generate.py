"""Write every bad-input case to a folder, for a person to open: python -m tests.bad_inputs.generate DIR."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.bad_inputs.catalogue import CASES


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        with tempfile.TemporaryDirectory() as work:
            made = case.make(Path(work))
            destination = target / f"{case.name}{''.join(made.suffixes) or ''}"
            if made.is_dir():
                continue
            shutil.copyfile(made, destination)
            expected = case.expect.outcome + (f" {case.expect.code}" if case.expect.code else "")
            print(f"{destination.name:<32} {expected:<32} {case.about}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs"))
