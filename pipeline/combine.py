"""Several departments' plans into one workbook: `eqplan combine` (issue 13).

Each input is read the way `eqplan upgrade` reads it (pipeline/workbook/upgrade.py)
and checked like any workbook; the data is merged and written into a fresh
template through the filler, so dropdowns and formatting are the template's.

The rules, which the README's officer guide repeats:
- Actions are the rows build counts (table_values.is_action_row): unused template rows
  are neither counted nor copied.
- Refs are kept. A Ref used by more than one plan gets a prefix in every plan
  that uses it: the file's name in capitals, without `.xlsx`, spaces and
  punctuation turned into dashes (`housing.xlsx`: `A1` -> `HOUSING-A1`); a
  second file with the same name gets `2` added (`HOUSING2-A1`). An action with
  no Ref gets the one eqplan made for it written into its Ref cell, so its
  Progress log entries stay with it. Progress log entries follow their action.
- Owners: one row per name; details missing in the first plan come from a later
  one; details that differ are listed (the first plan's is kept).
- Sections: lead officers that differ are all kept, one per line; aspirations
  are the first plan's followed by every other plan's new ones; titles that
  differ are listed (the first is kept).
- Self-assessment: a level, date or evidence given by one plan is kept; where
  plans disagree the first plan's is kept and the disagreement is listed.
- Plan details and the Report sheet come from the first file, or --plan-from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import WorkbookInvalid, WorkbookUnreadable
from pipeline.i18n import use_language
from pipeline.io import refuse_overwriting_inputs, refuse_replacing
from pipeline.model import Framework, Plan
from pipeline.sources import shown_names
from pipeline.temporaries import same_file
from pipeline.text import distinct_lines, match_key
from pipeline.validate import validate_workbook
from pipeline.workbook import layout
from pipeline.workbook.other_sheets import made_by_split
from pipeline.workbook.reader import read_workbook
from pipeline.workbook.table_values import as_meant, as_text
from pipeline.workbook.to_model import build_plan
from pipeline.workbook.upgrade import Values, WorkbookData, read_data, workbook_language


@dataclass
class Input:
    """One plan being combined: its file, data as read, plan as built and Ref renamings."""

    path: Path
    data: WorkbookData
    plan: Plan
    prefix: str = ""
    renames: dict[str, str] = field(default_factory=dict)  # match_key(old Ref) -> new Ref
    name: str = ""  # how the report names it: its file name, or more of its path if shared
    language: str = "en"  # the language the workbook was made in (its sheet names)

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name


@dataclass
class Renamed:
    """A Ref given a prefix because another plan uses it too."""

    file: str
    old: str
    new: str


@dataclass
class Difference:
    """Plans that say different things about one owner, section or theme; what was kept."""

    sheet: str
    item: str  # owner name, module ref or theme ref
    field: str  # the column heading
    values: list[tuple[str, str]]  # (file, value) for each plan that gave one
    kept: str

    def as_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "item": self.item,
            "field": self.field,
            "values": [{"file": file, "value": value} for file, value in self.values],
            "kept": self.kept,
        }


@dataclass
class Combined:
    """What `eqplan combine` did, for its report to the officer."""

    data: WorkbookData
    inputs: list[Input]
    plan_from: str
    renamed: list[Renamed] = field(default_factory=list)
    refs_written: list[Renamed] = field(default_factory=list)  # old is empty: eqplan made it
    owners_merged: int = 0  # rows dropped as the same owner listed again
    differences: list[Difference] = field(default_factory=list)
    language: str = "en"  # the combined workbook's: asked for, or that of the Plan details' plan
    #: Each plan's own columns, sheets and cells beside its Plan details (but those taken).
    own_not_copied: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The `--format json` shape (stable; extra keys may be added)."""
        return {
            "framework": self.data.framework.id,
            "inputs": [
                {"file": i.name, "prefix": i.prefix, "actions": len(i.data.actions)}
                for i in self.inputs
            ],
            "plan_from": self.plan_from,
            "actions": len(self.data.actions),
            "progress_log": len(self.data.progress_log),
            "owners": len(self.data.owners),
            "owners_merged": self.owners_merged,
            "renamed": [{"file": r.file, "from": r.old, "to": r.new} for r in self.renamed],
            "refs_written": [{"file": r.file, "ref": r.new} for r in self.refs_written],
            "differences": [d.as_dict() for d in self.differences],
            "left_out": [f"{i.name}: {place}" for i in self.inputs for place in i.data.left_out],
            "own_not_copied": self.own_not_copied,
        }


def file_prefix(path: Path) -> str:
    """`housing-plan.xlsx` -> `HOUSING-PLAN`: the prefix for a Ref this file shares with another."""
    words = re.findall(r"[^\W_]+", path.stem.upper())
    return "-".join(words)[:24].strip("-") or "PLAN"


def read_input(path: Path, framework: Framework | None = None) -> Input:
    """One plan: read, placed by its framework (framework, or the one its Plan sheet names),
    and built (errors are checked separately)."""
    raw = read_workbook(path)
    if made_by_split(raw.sheet_names):
        raise WorkbookUnreadable(
            f"{path} was made by eqplan split: it holds one owner's or section's actions, "
            "sent out for updates, not a department's plan.",
            hint=f"Bring its updates into the plan with: eqplan merge PLAN.xlsx {path} -o "
            "MERGED.xlsx",
        )
    data = read_data(raw, framework)
    data.only_actions()  # the template's unused rows are no action, nor copied in
    plan, _problems = build_plan(raw, data.framework)
    if plan is None:  # a sheet or column missing: say which, as eqplan validate would
        check_inputs([path], framework)
        raise WorkbookInvalid(
            f"{path}: the workbook could not be read as a plan.",
            hint=f"Run eqplan validate {path} and fix the errors it lists.",
        )
    return Input(path, data, plan, language=workbook_language(raw))


def check_inputs(paths: list[Path], framework: Framework | None = None) -> None:
    """Validate each plan like any workbook (under framework, if given); every error, with its
    file and cell, stops the combine."""
    failed = []
    for path in paths:
        report = validate_workbook(path, framework=framework).report
        if not report.valid:
            failed.append(report.to_text())
    if failed:
        raise WorkbookInvalid(
            "Some plans have errors, so nothing was combined.\n\n" + "\n\n".join(failed) + "\n",
            hint="Fix the errors in each plan listed above and run the command again.",
        )


def combine_plans(
    paths: list[Path],
    target: Path,
    *,
    plan_from: Path | None = None,
    force: bool = False,
    language: str | None = None,
    framework: Framework | None = None,
    framework_file: Path | None = None,
) -> Combined:
    """Combine the plans in paths into a new workbook at target; no input is ever changed.

    language (`en`, `cy`) is the written workbook's (template and dropdown words); None: that
    of the plan the Plan details come from (the first, or plan_from). framework (--framework,
    from framework_file if the council's own) places every plan; None: each its own.
    """
    sources = [*paths, *([plan_from] if plan_from else [])]
    refuse_overwriting_inputs(
        [target], [*sources, framework_file], hint="Choose another name with -o."
    )
    if len(paths) < 2:
        raise WorkbookUnreadable(
            "Give at least two plans to combine.",
            hint="For example: eqplan combine housing.xlsx adults.xlsx -o council-plan.xlsx",
        )
    _refuse_repeats(paths)
    if not force:
        refuse_replacing(target)
    inputs = [read_input(path, framework) for path in paths]
    for one, name in zip(inputs, shown_names(paths), strict=True):
        one.name = name
    details = next((i for i in inputs if plan_from and same_file(i.path, plan_from)), None)
    if plan_from and details is None:
        details = read_input(plan_from, framework)
    _same_framework([*inputs, *([details] if details else [])])
    check_inputs(sources, framework)
    details = details or inputs[0]
    data = WorkbookData(inputs[0].data.framework)
    # The council's Welsh is kept whenever any plan has some, in a workbook of either language.
    data.welsh = any(one.data.welsh for one in [*inputs, details])
    data.plan = dict(details.data.plan)
    data.report = dict(details.data.report)
    data.own.fields = details.data.own.fields  # the notes beside those details go with them
    result = Combined(data, inputs, details.name, language=language or details.language)
    with use_language(result.language):  # no one place in the combined plan: named, not lost
        result.own_not_copied = [
            f"{one.name}: {line}"
            for one in [*inputs, *([] if any(i is details for i in inputs) else [details])]
            for line in one.data.own.copied(fields=one is not details, carried=False)
        ]
    _rename_refs(result)
    for one in inputs:
        _add_actions(one, result)
    _merge_owners(result)
    _merge_sections(result)
    _merge_assessments(result)
    _merge_strands(result)
    data.save_to(target, *sources, language=result.language)
    return result


def _refuse_repeats(paths: list[Path]) -> None:
    """One plan given twice (perhaps through a link or a copy's shortcut) would double its actions."""
    for number, path in enumerate(paths):
        for earlier in paths[:number]:
            if same_file(path, earlier):
                raise WorkbookUnreadable(
                    f"{path} is the same file as {earlier}: each plan can be combined only once.",
                    hint=f"Leave {path} out of the list, or give the other plan you meant.",
                )


def _same_framework(inputs: list[Input]) -> None:
    first = inputs[0]
    for other in inputs[1:]:
        if other.data.framework.id != first.data.framework.id:
            raise WorkbookUnreadable(
                f"{first.path} follows {first.data.framework.id} ({first.data.framework.title}) "
                f"but {other.path} follows {other.data.framework.id} "
                f"({other.data.framework.title}): plans can only be combined within one framework.",
                hint="Copy each plan into the same framework's template first, or combine "
                "only the plans that follow the same framework.",
            )


def _rename_refs(result: Combined) -> None:
    """Prefix every Ref that more than one plan uses, in each plan that uses it."""
    bases = [file_prefix(one.path) for one in result.inputs]
    used: set[str] = set()
    users: dict[str, set[int]] = {}
    for number, one in enumerate(result.inputs):
        base = bases[number]
        one.prefix, again = base, 2
        while one.prefix in used or (one.prefix != base and one.prefix in bases):
            one.prefix, again = f"{base}{again}", again + 1  # never another file's own prefix
        used.add(one.prefix)
        for action in one.plan.actions:
            users.setdefault(match_key(action.ref), set()).add(number)
    taken = set(users)
    for number, one in enumerate(result.inputs):
        clashing = [a.ref for a in one.plan.actions if len(users[match_key(a.ref)]) > 1]
        # A log row whose Ref is none of its own plan's actions (LOG_REF_UNKNOWN there) must
        # not attach itself to another plan's action of that Ref: it is renamed as well.
        clashing += [
            ref
            for entry in one.data.progress_log
            if (ref := as_text(entry.get("ref")).strip())
            and number not in users.get(match_key(ref), {number})
        ]
        for ref in clashing:
            key = match_key(ref)
            if key in one.renames:
                continue
            new, again = f"{one.prefix}-{ref}", 2
            while match_key(new) in taken:
                new, again = f"{one.prefix}-{ref}-{again}", again + 1
            taken.add(match_key(new))
            one.renames[key] = new
            result.renamed.append(Renamed(one.name, ref, new))


def _add_actions(one: Input, result: Combined) -> None:
    """The plan's actions and log entries, under their new Refs; made-up Refs written in."""
    by_row = dict(zip(one.data.action_rows, one.data.actions, strict=True))
    for action in one.plan.actions:
        values = by_row.get(action.row)
        if values is not None and action.ref_generated:
            values["ref"] = one.renames.get(match_key(action.ref), action.ref)
            result.refs_written.append(Renamed(one.name, "", str(values["ref"])))
    for values in one.data.actions:
        values["ref"] = _renamed(one, values.get("ref"))
        result.data.actions.append(values)
    for entry in one.data.progress_log:
        entry["ref"] = _renamed(one, entry.get("ref"))
        result.data.progress_log.append(entry)


def _renamed(one: Input, ref: object) -> object:
    return one.renames.get(match_key(as_text(ref)), ref) if as_text(ref) else ref


def _merge_owners(result: Combined) -> None:
    """One Owners row per name: gaps filled from later plans, differences listed."""
    rows: dict[str, Values] = {}
    given: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for one in result.inputs:
        for owner in one.data.owners:
            name = as_text(owner.get("name"))
            if not name:
                continue
            key = match_key(name)
            if key in rows:
                result.owners_merged += 1
            kept = rows.setdefault(key, dict(owner))
            for column in layout.OWNERS.columns[1:]:
                value = as_text(owner.get(column.key))
                if value:
                    given.setdefault((key, column.key), []).append((one.name, value))
                    if not as_text(kept.get(column.key)):
                        kept[column.key] = owner[column.key]
    result.data.owners = list(rows.values())
    for (key, column), values in given.items():
        name = as_text(rows[key]["name"])
        _note_if_different(result, layout.OWNERS, name, column, values)


def _merge_sections(result: Combined) -> None:
    """Sections in first-seen order; lead officers all kept; aspirations added up."""
    data = result.data
    for one in result.inputs:
        for ref in one.data.section_order:
            if ref not in data.sections:
                data.section_order.append(ref)
                data.sections[ref] = {}
    for ref in data.section_order:
        merged = data.sections[ref]
        offered = {
            column.key: [
                (one.name, as_text(one.data.sections[ref].get(column.key)))
                for one in result.inputs
                if as_text(one.data.sections.get(ref, {}).get(column.key))
            ]
            for column in layout.SECTIONS.columns
            if column.key in ("section_title", "lead_officer", "aspirations")
        }
        if offered["section_title"]:
            merged["section_title"] = offered["section_title"][0][1]
            _note_if_different(
                result, layout.SECTIONS, ref, "section_title", offered["section_title"]
            )
        for key in ("lead_officer", "aspirations"):
            lines = distinct_lines(text for _, text in offered[key])
            if lines:
                merged[key] = "\n".join(lines)
                _note_if_different(result, layout.SECTIONS, ref, key, offered[key], merged[key])


def _merge_assessments(result: Combined) -> None:
    """Each theme's levels, date and evidence: the first plan's, disagreements listed."""
    data = result.data
    for theme in data.framework.themes:
        merged: Values = {}
        for column in layout.ASSESSMENT.columns:
            offered = [
                (one.name, one.data.assessments[theme.ref][column.key])
                for one in result.inputs
                if as_text(one.data.assessments.get(theme.ref, {}).get(column.key))
            ]
            if offered:
                merged[column.key] = offered[0][1]
                _note_if_different(result, layout.ASSESSMENT, theme.ref, column.key, offered)
        if merged:
            data.assessments[theme.ref] = merged


def _merge_strands(result: Combined) -> None:
    """Every plan's strands (Lists sheet), once each, with the first plan's colour."""
    lists = [one.data.strands for one in result.inputs if one.data.strands is not None]
    if not lists:
        return
    strands: dict[str, Values] = {}
    for rows in lists:
        for row in rows:
            strands.setdefault(match_key(as_text(row.get("strand"))), row)
    result.data.strands = list(strands.values())


def _note_if_different(
    result: Combined,
    sheet: layout.SheetSpec,
    item: str,
    key: str,
    values: list[tuple[str, object]],
    kept: str | None = None,
) -> None:
    """A Difference when the plans' values (file, value as read) mean different things: the
    same date or number typed two ways (`31/03/2028`, a date cell) is no difference."""
    if len({as_meant(value, key) for _, value in values}) > 1:
        texts = [(file, as_text(value)) for file, value in values]
        heading, shown = sheet.column(key).heading, texts[0][1] if kept is None else kept
        result.differences.append(Difference(sheet.name, item, heading, texts, shown))
