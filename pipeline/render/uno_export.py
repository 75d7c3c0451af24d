"""Export a Word plan to a tagged PDF through LibreOffice's UNO interface.

Run as a script by the Python that comes with LibreOffice's UNO bridge
(python3-uno on Debian and Ubuntu, LibreOffice's own Python elsewhere), never
imported by eqplan: it needs nothing but the standard library and `uno`.
`--convert-to` cannot refresh the contents list, so its PDF lists the
headings without page numbers; through UNO the document's indexes are
updated after LibreOffice has laid out the pages, then the PDF is written
with the filter options render/pdf.py passes as JSON.

Usage: python3 uno_export.py SOFFICE PROFILE_URL PIPE_NAME SOURCE TARGET FILTER_JSON

It starts LibreOffice as its own child, so render/pdf.py can stop both by
killing one process group.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_SECONDS = 60.0


def _property(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _filter_data(options: dict[str, dict[str, str]]) -> uno.Any:
    """The JSON filter options ({"Name": {"type": "boolean", "value": "true"}}) as UNO FilterData."""
    converters = {"boolean": lambda v: str(v).lower() == "true", "long": int, "string": str}
    props = tuple(
        _property(name, converters[spec["type"]](spec["value"])) for name, spec in options.items()
    )
    return uno.Any("[]com.sun.star.beans.PropertyValue", props)


def _connect(process: subprocess.Popen, pipe: str):
    """The LibreOffice component context, once the new LibreOffice answers on its pipe."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(url)
        except Exception:  # noqa: BLE001 - NoConnectException until it is listening
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.1)


def export(context, source: str, target: str, options: dict) -> int:
    """Load source hidden, update its indexes, store it as PDF; return how many were updated."""
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (_property("Hidden", True),)
    )
    if document is None:
        raise SystemExit(f"LibreOffice could not open {source}")
    try:
        indexes = document.getDocumentIndexes()
        # Twice: page numbers added by the first update can move a heading to the next page.
        for _ in range(2):
            for number in range(indexes.getCount()):
                indexes.getByIndex(number).update()
            document.refresh()
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            (
                _property("FilterName", "writer_pdf_Export"),
                _property("FilterData", _filter_data(options)),
            ),
        )
        return indexes.getCount()
    finally:
        document.close(True)


@contextlib.contextmanager
def libreoffice(soffice: str, profile: str, pipe: str) -> Iterator[Any]:
    """A LibreOffice of its own (profile, pipe) while the block runs: its component context.

    LibreOffice is asked to quit at the end, and killed if it does not (the tests'
    tests/end_to_end/uno_locked.py starts it this way too).
    """
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
    )
    try:
        context = _connect(process, pipe)
        yield context
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def main(argv: list[str]) -> int:
    soffice, profile, pipe, source, target, options = argv
    with libreoffice(soffice, profile, pipe) as context:
        updated = export(context, source, target, json.loads(options))
        print(f"updated {updated} index(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
