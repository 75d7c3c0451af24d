"""Build a plan: validate the workbook, then write the Word plan, summary workbook, PDF, HTML.

build() is the one function behind `eqplan build` and `make plan`: it
writes into a folder. build_documents() gives the same documents as bytes,
for a web handler that has an uploaded file and no folder. Errors in the
workbook stop the build before anything is written; warnings go on into the
plan's appendix.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import frameworks
from pipeline.compare_files import since_previous
from pipeline.formats import format_number
from pipeline.gc_pause import paused_gc
from pipeline.i18n import current_language, language_stem, languages_for, use_language
from pipeline.input_checks import open_workbook
from pipeline.io import OutputSet, output_path, refuse_overwriting_inputs, safe_filename
from pipeline.model import Framework, Plan
from pipeline.sources import Source, as_path
from pipeline.validate import Report, validate_workbook
from pipeline.validate.cover_checks import cover_warnings
from pipeline.validate.welsh_checks import WELSH_CHECK_CODES
from pipeline.view import PlanView, build_view

if TYPE_CHECKING:
    from pipeline.render.cleaning import Hazard
    from pipeline.render.isolation import Warm


@dataclass
class BuildResult:
    """The validation report and the documents made (none when the workbook has errors).

    build() fills the paths written; build_documents() the documents (name and content).
    """

    report: Report
    docx: Path | None = None
    summary: Path | None = None
    csv: Path | None = None
    pdf: Path | None = None
    html: Path | None = None
    cover: Path | None = None
    pack: Path | None = None
    notes: list[str] = field(default_factory=list)
    actions: int = 0
    documents: dict[str, bytes] = field(default_factory=dict)
    #: Every file written, Welsh first with `--language both` (the fields above: the first language's).
    written: list[Path] = field(default_factory=list)
    previous: Report | None = None  # the check of the previous report's workbook (since)


@paused_gc()  # the plan lives to the end: collections would walk it for nothing
def build(
    workbook: Source,
    out_dir: Path,
    *,
    layout: str = "rag",
    template: Path | str | None = None,
    framework: Framework | str | Path | None = None,
    pdf: bool = False,
    csv: bool = False,
    strict: bool = False,
    name: str | None = None,
    pdf_timeout: float | None = None,
    framework_file: Path | None = None,
    template_timeout: float | None = None,
    include_checks: bool = False,
    html: bool = False,
    history: bool = False,
    since: Path | str | None = None,
    cover: bool = False,
    pack: bool = False,
    language: str = "en",
    warm: Warm | None = None,
) -> BuildResult:
    """Validate workbook and, if it has no errors, write the plan's documents into out_dir.

    workbook is a path or a binary stream (for a stream, name the outputs
    with name, or they are named after an open file's own name, else
    "action-plan"). No output may be one of the inputs (workbook, template,
    framework_file). The template is checked first (an unusable one stops
    the build before the workbook is read); its warnings join the workbook's
    in the printed report but not the plan's appendix, which is about the
    data. Every document is written to a temporary first and all are moved
    into place together at the end, so a failure leaves the folder as it
    was. include_checks adds the appendix of data checks to the plan; by
    default they stay in the validation report, out of the committee's
    document. history adds the appendix of each action's Progress log;
    since is the previous report's workbook: the plan gains "Progress since the last
    report" and the summary a Changes sheet (its errors stop the build: WorkbookInvalid;
    one not earlier than this report is a PREVIOUS_NOT_EARLIER warning).

    cover adds the committee cover report (`-cover-report.docx`, from the
    Report sheet; REPORT_FIELDS_MISSING names what it lacks: an empty Committee
    or Meeting date, and the fields given standard wording). pack adds the cover report, the PDF when LibreOffice is
    installed, the web page, and a zip of the documents for committee services
    (`-committee-pack.zip`, pack.py).

    language is `en` (the default), `cy` (every document in Welsh, named `<name>-cy…`) or
    `both`: the Welsh and English sets, `<name>-cy…` and `<name>-en…`, Welsh first (issue 15).

    warm is a child importing the Word libraries (word_job.warm_word_child, which the command
    line starts): the first Word plan is made in it if it is small enough (render_word).
    """
    from pipeline.i18n import use_framework_words
    from pipeline.render.isolation import in_background
    from pipeline.render.limits import TEMPLATE_SECONDS
    from pipeline.render.template_file import (
        check_template,
        default_cover_template,
        default_template,
        printed_links,
    )
    from pipeline.render.word_job import render_word

    framework, given_file = frameworks.given(framework)  # a script may give an id or path
    framework_file = framework_file or given_file
    template, since = as_path(template), as_path(since)
    shipped_rag = template is None and layout == "rag"
    template = template or default_template(layout)
    source = open_workbook(workbook)
    stem = safe_filename(name or source.stem)
    languages = languages_for(language)
    every = {lang: _targets(out_dir, language_stem(stem, lang, language)) for lang in languages}
    targets = every[languages[0]]
    cover = cover or pack
    html = html or pack
    pdf_asked = pdf
    pdf = pdf or pack
    asked_for = (("csv", csv), ("pdf", pdf), ("html", html), ("cover", cover), ("pack", pack))
    wanted = {"docx", "summary"} | {kind for kind, asked in asked_for if asked}
    inputs = (source.path, template, framework_file, since)
    refuse_overwriting_inputs([t[kind] for t in every.values() for kind in wanted], inputs)
    template_warnings = check_template(template)
    cover_template = default_cover_template() if cover else None
    validation = validate_workbook(
        source, framework=framework, strict=strict, language=language, history=history
    )
    workbook_warnings = validation.report.warnings  # the plan's appendix: the plan's data only
    if cover and validation.plan is not None:
        validation.report.add(cover_warnings(validation, languages))
    validation.report.add(template_warnings)
    result, plan = BuildResult(report=validation.report), validation.plan
    if not validation.report.valid or plan is None:
        return result
    comparison, result.previous = since_previous(since, validation, framework)
    result.report.add(comparison.problems if comparison else [])  # about the files, not the data
    if not result.report.valid:  # --strict: a previous report not before this one stops it
        return result
    if pdf:
        from pipeline.render import pdf as pdf_render  # and subprocess: only when a PDF is asked

        try:
            pdf_render.require_soffice()
        except pdf_render.PdfUnavailable as exc:
            wanted.discard("pdf")
            missing = " The committee pack has no PDF of the plan." if pack else ""
            result.notes.append(f"{exc.message} {exc.hint}{missing}{_stale(targets['pdf'])}")
    if shipped_rag:
        result.notes.extend(_outcomes_not_printed(plan))

    def appendix_warnings() -> list:
        """The data checks for the appendix, worded in the language being built.

        Validation words its messages in English for the terminal; a Welsh appendix checks
        the workbook again in Welsh (only when the appendix is printed). The English plan of
        `--language both` leaves out the checks of the Welsh text, which are about the other
        document (an English-only build has none).
        """
        if not include_checks or current_language() == "en":
            return [w for w in workbook_warnings if w.code not in WELSH_CHECK_CODES]
        again = validate_workbook(
            source, framework=framework, strict=strict, language=language, history=history
        )
        return again.report.warnings

    def render_set(staged: dict, targets: dict):
        """Every document asked for, in the language being built; the Word result."""
        view = build_view(plan, appendix_warnings(), since=comparison)
        # The summary, CSV and web page are written in a second process while Word renders.
        tables = in_background(
            functools.partial(
                _write_tables, view, staged, layout, include_checks, history, template_timeout
            )
        )
        try:
            word = render_word(
                view,
                staged["docx"],
                template,
                timeout=template_timeout or TEMPLATE_SECONDS,
                include_checks=include_checks,
                history=history,
                warm=warm,
            )
            tables.result()
        finally:
            tables.cancel()
        removed.extend(word.removed)
        if "pdf" in staged:
            note = pdf_render.export_plan_pdf(
                staged["docx"],
                staged["pdf"],
                timeout=pdf_timeout or pdf_render.TIMEOUT_SECONDS,
            )
            if note:
                result.notes.append(note)
        if "cover" in staged:
            from pipeline.render.word import render_cover

            render_cover(
                view,
                staged["cover"],
                cover_template,
                timeout=template_timeout or TEMPLATE_SECONDS,
            )
        if "pack" in staged:
            from pipeline.render.pack import write_pack

            kinds = [kind for kind in PACK_ORDER if kind in staged]
            write_pack(staged["pack"], [(targets[k].name, staged[k]) for k in kinds], view)
        return word

    removed: list[Hazard] = []  # taken out of the Word plan as rendered, in every language
    with OutputSet(inputs) as outputs:
        found = []
        for lang in languages:
            # The plan's framework's own labels in Welsh (labels_cy), never another's.
            with use_language(lang), use_framework_words(plan.framework.welsh):
                staged = {kind: outputs.stage(every[lang][kind]) for kind in sorted(wanted)}
                found.append(render_set(staged, every[lang]).actions_found)
        result.report.add(printed_links(template, removed, template_warnings))
        if not result.report.valid:  # --strict: the warnings just found stop the build too
            return result
        outputs.commit()
    result.actions = found[0]
    result.written = [t[kind] for t in every.values() for kind in (*KIND_ORDER,) if kind in wanted]
    result.docx, result.summary = targets["docx"], targets["summary"]
    result.csv = targets["csv"] if csv else None
    result.pdf = targets["pdf"] if "pdf" in wanted else None
    result.html = targets["html"] if html else None
    result.cover = targets["cover"] if cover else None
    result.pack = targets["pack"] if pack else None
    for kind, asked in (
        ("csv", csv),
        ("pdf", pdf_asked or pack),
        ("html", html),
        ("cover", cover),
        ("pack", pack),
    ):
        if not asked and targets[kind].exists():
            result.notes.append(f"{_stale(targets[kind]).strip()} Add --{kind} to rebuild it.")
    return result


def _outcomes_not_printed(plan: Plan) -> list[str]:
    """A note when actions have an Outcome sought, which the default layout has no column for.

    The RAG layout follows the councils' Evidence / Action / Deadline / Owner / RAG
    tables; printing the outcome too costs a realistic plan several pages, so it is
    left to the outcomes layout, and the officer who typed outcomes is told where they went.
    """
    count = sum(1 for action in plan.actions if action.outcome)
    if not count:
        return []
    which = "1 action has" if count == 1 else f"{format_number(count)} actions have"
    return [
        f"{which} an Outcome sought, which the default (rag) layout does not print. "
        f"To print it, choose the Outcomes layout {OUTCOMES_HOW}."
    ]


#: How the Outcomes layout is chosen on the command line; the web page puts its own way.
OUTCOMES_HOW = "(--layout outcomes; make plan LAYOUT=outcomes)"


def build_documents(
    workbook: Source,
    *,
    name: str | None = None,
    layout: str = "rag",
    template: Path | str | None = None,
    framework: Framework | str | Path | None = None,
    pdf: bool = False,
    csv: bool = False,
    strict: bool = False,
    pdf_timeout: float | None = None,
    template_timeout: float | None = None,
    include_checks: bool = False,
    html: bool = False,
    history: bool = False,
    since: Path | str | None = None,
    cover: bool = False,
    pack: bool = False,
    language: str = "en",
) -> BuildResult:
    """build() for a web handler: the documents as bytes, with no folder to give or clean up.

    workbook is a path or a binary stream (an upload); name is the uploaded
    file's name, used in messages and to name the documents (default: the
    stream's own name, else "action-plan"). Returns the BuildResult with
    `documents` mapping each file name to its content, in the order plan
    (.docx), summary (-summary.xlsx), then -actions.csv, .pdf and .html when
    asked for; empty when the workbook has errors (see `report`). The documents
    are exactly those build() writes: they are made by build() in a private
    temporary folder, read back and the folder removed.
    """
    source = open_workbook(workbook, name)
    with tempfile.TemporaryDirectory(prefix="eqplan-build-") as folder:
        result = build(
            source,
            Path(folder),
            layout=layout,
            template=template,
            framework=framework,
            pdf=pdf,
            csv=csv,
            strict=strict,
            name=name and Path(name).stem,
            pdf_timeout=pdf_timeout,
            template_timeout=template_timeout,
            include_checks=include_checks,
            html=html,
            history=history,
            since=since,
            cover=cover,
            pack=pack,
            language=language,
        )
        result.documents = {path.name: path.read_bytes() for path in result.written}
    result.docx = result.summary = result.csv = result.pdf = result.html = None
    result.cover = result.pack = None
    return result


#: The order build() lists what it wrote (BuildResult.written, build_documents' documents).
KIND_ORDER = ("docx", "summary", "csv", "pdf", "html", "cover", "pack")


def _targets(out_dir: Path, stem: str) -> dict[str, Path]:
    """Where each document of one language goes: `<stem>.docx`, `<stem>-summary.xlsx` ..."""
    return {
        "docx": output_path(out_dir, f"{stem}.docx"),
        "summary": output_path(out_dir, f"{stem}-summary.xlsx"),
        "csv": output_path(out_dir, f"{stem}-actions.csv"),
        "pdf": output_path(out_dir, f"{stem}.pdf"),
        "html": output_path(out_dir, f"{stem}.html"),
        "cover": output_path(out_dir, f"{stem}-cover-report.docx"),
        "pack": output_path(out_dir, f"{stem}-committee-pack.zip"),
    }


#: What goes into the committee pack, in reading order: cover report, plan, its PDF, summary.
PACK_ORDER = ("cover", "docx", "pdf", "html", "summary", "csv")


def _write_tables(
    view: PlanView,
    staged: dict[str, Path],
    layout: str,
    include_checks: bool,
    history: bool,
    template_timeout: float | None,
) -> None:
    """The summary workbook, and the CSV and web page when asked for (staged names them)."""
    from pipeline.render.limits import TEMPLATE_SECONDS
    from pipeline.render.summary_xlsx import write_summary

    write_summary(view, staged["summary"])
    if "csv" in staged:
        from pipeline.render.csv_export import write_actions_csv

        write_actions_csv(view, staged["csv"])
    if "html" in staged:
        from pipeline.render.html import render_html

        render_html(
            view,
            staged["html"],
            layout=layout,
            include_checks=include_checks,
            history=history,
            timeout=template_timeout or TEMPLATE_SECONDS,
        )


def _stale(path: Path) -> str:
    """A warning that an output left from an earlier run was not made again by this one."""
    if not path.exists():
        return ""
    return (
        f" {path} is from an earlier run and was not made again, so it may not match the new plan."
    )
