"""From uploaded bytes to documents: the same library calls as `eqplan build` and `validate`.

The upload is checked by its content (pipeline/input_checks.py runs inside
open_workbook, validate and build for streams), never by its name; the name
is only used, made safe, to name the documents and in messages.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.build import OUTCOMES_HOW, build_documents
from pipeline.i18n import N_, _, current_language, use_language
from pipeline.input_checks import open_workbook
from pipeline.io import safe_filename
from pipeline.validate import Report

_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


#: The longest upload name kept: room for the longest ending a document's name adds
#: (`-cy-cover-report.docx`) within the 80 characters a stored name may have (downloads.py).
UPLOAD_STEM = 56


def upload_name(filename: str | None) -> str:
    """The uploaded file's own name, with any folders dropped and unsafe characters replaced.

    A browser may send a full Windows path or a name such as ../../plan.xlsx:
    only the last part is kept, and the suffix only when it is plain letters
    and digits (it decides the FILE_EXTENSION warning, not how the file is read).
    """
    last = PurePosixPath((filename or "").replace("\\", "/")).name
    path = PurePosixPath(last)
    suffix = path.suffix if _SUFFIX.match(path.suffix) else ""
    stem = path.name[: -len(suffix)] if suffix else path.name
    return safe_filename(stem, fallback="action-plan", max_length=UPLOAD_STEM) + suffix


def report_language_for(choice: str) -> str:
    """The validation report's language: Welsh whenever Welsh documents are asked for.

    The same rule as `eqplan validate --language cy|both`; a Welsh web page (or API
    call made inside one) also lists its problems in Welsh, whatever the documents' language.
    """
    return "en" if choice == "en" and current_language() == "en" else "cy"


@dataclass
class Outcome:
    """What an upload gave: the report, the documents (none with errors) and the checked copy."""

    report: Report
    stem: str
    documents: dict[str, bytes] = field(default_factory=dict)
    checked: bytes = b""
    notes: list[str] = field(default_factory=list)


def make_documents(
    data: bytes,
    name: str,
    *,
    layout: str,
    pdf: bool,
    csv: bool = True,
    pdf_timeout: float | None = None,
    language: str = "en",
) -> Outcome:
    """Check the workbook in data and, if it has no errors, make its documents.

    Raises WorkbookUnreadable for a file that is not a usable workbook (the
    same FILE_* checks as the command line) and other EqplanErrors as build
    does. The checked copy (problem cells marked) is made either way. When Welsh
    documents are asked for (`cy` or `both`), the report's messages and hints are in
    Welsh, as `eqplan validate --language cy` gives them.
    """
    from pipeline.render.annotate import write_annotated

    source = open_workbook(io.BytesIO(data), name)
    with use_language(report_language_for(language)):
        result = build_documents(
            source,
            name=name,
            layout=layout,
            pdf=pdf,
            csv=csv,
            html=True,  # the plan as a web page, and the committee cover report: issue 16
            cover=True,
            pdf_timeout=pdf_timeout,
            language=language,
        )
        checked = io.BytesIO()
        write_annotated(source, result.report, checked)
    stem = PurePosixPath(name).stem or "action-plan"
    return Outcome(
        report=result.report,
        stem=stem,
        documents=result.documents,
        checked=checked.getvalue(),
        notes=[note.replace(OUTCOMES_HOW, _(OUTCOMES_ON_THE_FORM)) for note in result.notes],
    )


#: The web page's way to the Outcomes layout, in place of the command line's (build.py).
OUTCOMES_ON_THE_FORM = N_("(under Layout of the Word plan, on the form)")


def zip_of(files: dict[str, bytes]) -> bytes:
    """The files as one zip archive, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
