"""Which cells LibreOffice itself treats as locked in a protected sheet (run by LibreOffice's
Python, as render/uno_export.py is, and starting LibreOffice as it does): `python3
uno_locked.py SOFFICE PROFILE_URL PIPE FILE SHEET CELL...` prints `CELL locked|open` for each
cell, then `protected` or `unprotected`."""

from __future__ import annotations

import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "pipeline" / "render"))
from uno_export import libreoffice  # a script beside eqplan, not part of the package


def main(argv: list[str]) -> int:
    soffice, profile, pipe, path, sheet_name, *cells = argv
    with libreoffice(soffice, profile, pipe) as context:
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (hidden,)
        )
        sheet = document.Sheets.getByName(sheet_name)
        for cell in cells:
            locked = sheet.getCellRangeByName(cell).CellProtection.IsLocked
            print(f"{cell} {'locked' if locked else 'open'}")
        print("protected" if sheet.isProtected() else "unprotected")
        document.close(True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
