"""Streams in and out (issue 11): a web handler passes bytes and gets bytes, no temporary paths.

read_workbook, validate_workbook, build_documents and every writer take a
binary stream as well as a path; a stream gets every input check a file gets,
and the documents made from bytes are those made from the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import frameworks, input_checks
from pipeline.build import build, build_documents
from pipeline.cli import cli
from pipeline.errors import OutputUnwritable, TemplateError, WorkbookUnreadable
from pipeline.io import write_output
from pipeline.render.annotate import PROBLEMS_SHEET, write_annotated
from pipeline.render.csv_export import write_actions_csv
from pipeline.render.summary_xlsx import write_summary
from pipeline.render.template_file import default_template
from pipeline.render.word_job import render_word
from pipeline.sources import UPLOAD_NAME
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from pipeline.workbook import engines, read_workbook, write_template
from tests.bad_inputs.catalogue import CASES, Case
from tests.conftest import EXAMPLE, action_row


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of an Office file (a zip) by name: documents compared by content, not zip bytes.

    The created and modified times in docProps/core.xml are the clock's, so two files
    written a moment apart may differ there (by a second); they are blanked.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(
            rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\1", parts["docProps/core.xml"]
        )
    return parts


def _problems(validation, path: Path, name: str) -> list[tuple[str, str, str]]:
    return [
        (p.code, p.where, p.message.replace(str(path), name)) for p in validation.report.problems
    ]


# ------------------------------------------------------------------------------- reading


def test_read_workbook_from_bytes_matches_the_file():
    """The same workbook read from a path and from a BytesIO gives the same rows and problems."""
    from_path = read_workbook(EXAMPLE)
    from_bytes = read_workbook(io.BytesIO(EXAMPLE.read_bytes()))
    assert from_bytes.path is None and from_bytes.shown == UPLOAD_NAME
    assert from_bytes.sheet_names == from_path.sheet_names
    assert from_bytes.plan == from_path.plan
    assert from_bytes.tables.keys() == from_path.tables.keys()
    for name, table in from_path.tables.items():
        assert [(r.number, r.values) for r in from_bytes.tables[name].rows] == [
            (r.number, r.values) for r in table.rows
        ]
    assert from_bytes.problems == from_path.problems


def test_streams_are_read_by_calamine_from_bytes(monkeypatch):
    """calamine reads a stream's bytes with from_filelike; openpyxl is not needed for a plain plan."""

    def refuse(source):
        raise AssertionError("openpyxl was used")

    monkeypatch.setattr(engines, "_load_openpyxl", refuse)
    raw = read_workbook(io.BytesIO(EXAMPLE.read_bytes()))
    assert len(raw.tables["Actions"].rows) == len(read_workbook(EXAMPLE).tables["Actions"].rows)


def test_stream_read_from_its_current_position_and_named_by_its_name(tmp_path):
    """A stream is read from where it stands; messages use its name, without its folder."""
    with EXAMPLE.open("rb") as handle:
        raw = read_workbook(handle)
    assert raw.shown == "example-plan.xlsx" and raw.path is None
    stream = io.BytesIO(b"headers of an upload" + EXAMPLE.read_bytes())
    stream.seek(len(b"headers of an upload"))
    assert read_workbook(stream).sheet_names == raw.sheet_names
    named = read_workbook(io.BytesIO(EXAMPLE.read_bytes()), name="our-plan.xlsx")
    assert named.shown == "our-plan.xlsx" and named.source.stem == "our-plan"


def test_validate_workbook_from_bytes_matches_the_file():
    from_path = validate_workbook(EXAMPLE)
    from_bytes = validate_workbook(io.BytesIO(EXAMPLE.read_bytes()), name=EXAMPLE.name)
    assert from_bytes.report.valid and from_path.report.valid
    assert from_bytes.report.path == EXAMPLE.name
    assert _problems(from_bytes, EXAMPLE, EXAMPLE.name) == _problems(
        from_path, EXAMPLE, EXAMPLE.name
    )
    assert from_bytes.report.rows_read == from_path.report.rows_read
    assert len(from_bytes.plan.actions) == len(from_path.plan.actions)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_bad_input_is_caught_in_a_stream_as_in_a_file(case: Case, tmp_path):
    """Sniffing, encryption, zip sizes and XML safety apply to streams exactly as to files."""
    path = case.make(tmp_path)
    if not path.is_file():
        pytest.skip("the case is about a path, not about content")
    stream = io.BytesIO(path.read_bytes())
    try:
        expected = validate_workbook(path)
    except WorkbookUnreadable as error:
        with pytest.raises(WorkbookUnreadable) as raised:
            validate_workbook(stream, name=path.name)
        assert raised.value.code == error.code
        assert raised.value.message == error.message.replace(str(path), path.name)
        return
    found = validate_workbook(stream, name=path.name)
    assert _problems(found, path, path.name) == _problems(expected, path, path.name)


def test_unnamed_stream_is_called_the_uploaded_workbook():
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(io.BytesIO(b"Ref,Action\n1,Share data\n"))
    assert raised.value.code == "FILE_NOT_XLSX"
    assert raised.value.message.startswith("The uploaded workbook is a CSV or text file")


def test_empty_stream_is_reported_as_empty():
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(io.BytesIO(b""), name="plan.xlsx")
    assert raised.value.code == "FILE_EMPTY"
    assert raised.value.message == "plan.xlsx is empty (0 bytes)."


def test_named_stream_with_the_wrong_extension_is_warned_about():
    raw = read_workbook(io.BytesIO(EXAMPLE.read_bytes()), name="plan.csv")
    assert ("FILE_EXTENSION", "workbook") in {(p.code, p.where) for p in raw.problems}
    unnamed = read_workbook(io.BytesIO(EXAMPLE.read_bytes()))
    assert "FILE_EXTENSION" not in {p.code for p in unnamed.problems}


def test_oversized_stream_is_refused_before_it_is_all_read(monkeypatch):
    """A stream is read with a size cap: past it, FILE_TOO_LARGE, and the rest is never read."""
    monkeypatch.setattr(input_checks, "MAX_STREAM_BYTES", 1_000)

    class Endless(io.RawIOBase):
        reads = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            Endless.reads += 1
            buffer[:] = b"PK\x03\x04".ljust(len(buffer), b"\0")
            return len(buffer)

    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(Endless())
    assert raised.value.code == "FILE_TOO_LARGE"
    assert "The uploaded workbook is too large" in raised.value.message
    assert Endless.reads < 10


def test_unreadable_stream_is_a_clear_error():
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise OSError("connection reset by peer")

    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(Broken(), name="plan.xlsx")
    assert raised.value.code == "FILE_DAMAGED"
    assert "connection reset by peer" in raised.value.message


def test_text_stream_or_bytes_is_a_programming_error():
    with pytest.raises(TypeError, match="binary stream"):
        read_workbook(io.StringIO("not bytes"))
    with pytest.raises(TypeError, match=r"io\.BytesIO"):
        read_workbook(EXAMPLE.read_bytes())


# ------------------------------------------------------------------------------- writing


def test_build_documents_from_bytes_equal_the_build_from_the_file(tmp_path):
    """bytes in, bytes out: the documents equal, part by part, those build() writes from the path."""
    built = build(EXAMPLE, tmp_path / "out", csv=True)
    result = build_documents(io.BytesIO(EXAMPLE.read_bytes()), name=EXAMPLE.name, csv=True)
    assert result.report.valid and result.actions == built.actions == 62
    assert list(result.documents) == [
        "example-plan.docx",
        "example-plan-summary.xlsx",
        "example-plan-actions.csv",
    ]
    assert result.docx is None and result.summary is None
    assert _parts(result.documents["example-plan.docx"]) == _parts(built.docx.read_bytes())
    assert _parts(result.documents["example-plan-summary.xlsx"]) == _parts(
        built.summary.read_bytes()
    )
    assert result.documents["example-plan-actions.csv"] == built.csv.read_bytes()
    plan = docx.Document(io.BytesIO(result.documents["example-plan.docx"]))
    assert "Example Borough Council" in "\n".join(p.text for p in plan.paragraphs)


def test_build_documents_names_an_unnamed_upload_action_plan():
    result = build_documents(io.BytesIO(EXAMPLE.read_bytes()))
    assert list(result.documents) == ["action-plan.docx", "action-plan-summary.xlsx"]


def test_build_documents_with_errors_makes_nothing(make_workbook):
    path = make_workbook(actions=[action_row(rag="Purple")])
    result = build_documents(io.BytesIO(path.read_bytes()), name="plan.xlsx")
    assert not result.report.valid and result.documents == {}
    assert ("RAG_INVALID", "Actions!H2") in {(p.code, p.where) for p in result.report.errors}


def test_every_writer_writes_to_a_stream_what_it_writes_to_a_file(tmp_path):
    validation = validate_workbook(io.BytesIO(EXAMPLE.read_bytes()))
    plan = validation.plan
    view = build_view(plan, [])
    writers = {
        "docx": lambda out: render_word(view, out, default_template("rag")),
        "summary": lambda out: write_summary(view, out),
        "template": lambda out: write_template(frameworks.load("eflg-2021"), out),
    }
    for kind, write in writers.items():
        stream = io.BytesIO()
        assert write(stream) is not None
        write(tmp_path / f"{kind}.zip")
        assert _parts(stream.getvalue()) == _parts((tmp_path / f"{kind}.zip").read_bytes()), kind
    stream = io.BytesIO()
    write_actions_csv(view, stream)
    write_actions_csv(view, tmp_path / "actions.csv")
    assert stream.getvalue() == (tmp_path / "actions.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert len(rows) == len(plan.actions) + 1


def test_checked_copy_of_an_upload_goes_to_a_stream(tmp_path):
    """write_annotated takes the validation's source (the stream is spent) and writes to a stream."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    validation = validate_workbook(io.BytesIO(path.read_bytes()), name="plan.xlsx")
    stream = io.BytesIO()
    write_annotated(validation.source, validation.report, stream)
    marked = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    assert marked.sheetnames[0] == PROBLEMS_SHEET
    assert marked[PROBLEMS_SHEET].max_row == len(validation.report.problems) + 1
    folder = write_annotated(validation.source, validation.report, tmp_path / "out")
    assert folder == tmp_path / "out" / "plan-checked.xlsx"
    assert path.read_bytes() == EXAMPLE.read_bytes()


def test_a_failed_write_leaves_the_stream_untouched():
    """Nothing reaches the stream until the document is whole."""

    def half_then_fail(temp: Path) -> None:
        temp.write_bytes(b"half a document")
        raise TemplateError("the template broke")

    stream = io.BytesIO()
    with pytest.raises(TemplateError):
        write_output(stream, half_then_fail, suffix=".docx")
    assert stream.getvalue() == b""


def test_a_failed_word_render_leaves_the_stream_untouched(tmp_path):
    plan = validate_workbook(EXAMPLE).plan
    template = tmp_path / "broken.docx"
    document = docx.Document(str(default_template("rag")))
    document.add_paragraph("{{ plan.no_such_name.deeper }}")
    document.save(template)
    stream = io.BytesIO()
    with pytest.raises(TemplateError):
        render_word(build_view(plan, []), stream, template)
    assert stream.getvalue() == b""


def test_a_stream_that_refuses_bytes_is_a_clear_error():
    class Full(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputUnwritable, match="No space left"):
        write_template(frameworks.load("eflg-2021"), Full())


def test_an_upload_object_is_not_named_by_its_form_field():
    """Only a real file's name is used: werkzeug's FileStorage keeps the form field's name there."""

    class Upload:
        name = "workbook"  # the form field
        filename = "our-plan.xlsx"

        def __init__(self, data: bytes) -> None:
            self.stream = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self.stream.read(size)

    raw = read_workbook(Upload(EXAMPLE.read_bytes()))
    assert raw.shown == UPLOAD_NAME
    assert "FILE_EXTENSION" not in {p.code for p in raw.problems}


def test_excels_lock_file_is_named_for_what_it_is(tmp_path):
    """`~$plan.xlsx` sits beside a workbook open in Excel, so a folder of returns often has
    one: it is not called a text file to be saved again as a workbook."""
    from pipeline.input_checks import check_input

    lock = tmp_path / "~$man-Resources-and-OD.xlsx"
    lock.write_bytes(b"\x0bJane Smith" + b"\x00" * 40 + b" " * 100)
    with pytest.raises(WorkbookUnreadable) as caught:
        check_input(lock)
    assert caught.value.code == "FILE_IS_LOCK"
    assert "lock file Excel keeps beside a workbook while it is open" in caught.value.message
    assert "Save As" not in caught.value.hint
    returned = CliRunner().invoke(
        cli, ["merge", str(EXAMPLE), str(lock), "-o", str(tmp_path / "m.xlsx"), "--format", "json"]
    )
    report = json.loads(returned.stdout)
    assert report["refused"][0]["code"] == "FILE_IS_LOCK"


def test_a_script_may_give_the_template_framework_and_previous_report_as_text(tmp_path):
    """Found by a data officer's walk-through: `framework="eflg-2021"` and
    `template="templates/…docx"` stopped with AttributeError. Text is taken as the command
    line takes it: an id or a framework file's path, and paths."""
    template = Path("templates/action-plan-rag.docx").resolve()
    from_text = build_documents(
        io.BytesIO(EXAMPLE.read_bytes()),
        name="plan.xlsx",
        framework="eflg-2021",
        template=str(template),
        since=str(EXAMPLE),
    )
    assert from_text.report.valid and "plan.docx" in from_text.documents
    copy = tmp_path / "ours.yaml"
    copy.write_bytes(Path("pipeline/frameworks/eflg-2021.yaml").read_bytes())
    loaded, file = frameworks.given(str(copy))
    assert (loaded.id, file) == ("eflg-2021", copy)  # a file: no output may replace it
    assert frameworks.given("eflg-2021")[1] is None  # shipped: no file to protect
