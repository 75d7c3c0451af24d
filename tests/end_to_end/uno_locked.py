"""Which cells LibreOffice itself treats as locked in a protected sheet (run by LibreOffice's
Python, as render/uno_export.py is): `python3 uno_locked.py SOFFICE PROFILE_URL PIPE FILE
SHEET CELL...` prints `CELL locked|open` for each cell, then `protected` or `unprotected`."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def main(argv: list[str]) -> int:
    soffice, profile, pipe, path, sheet_name, *cells = argv
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
         "--norestore", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if time.monotonic() > deadline:
                    raise SystemExit("LibreOffice did not start") from None
                time.sleep(0.1)
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
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
