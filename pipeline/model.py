"""The domain model: frameworks and plans as plain typed objects, free of I/O.

Upstream code (framework loader, workbook reader) builds these objects; downstream code
(validation, Word and summary renderers) only reads them. Closed sets of words officers type
(RAG, status) are enums with a tolerant `from_cell`, which returns None for words it does not
know so that the caller can report the cell rather than raise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline import headings
from pipeline.deadlines import Deadline, plausible
from pipeline.formats import FinancialYears
from pipeline.levels import DEFAULT_ASSESSMENT_LEVELS, Level, parse_level
from pipeline.progress_log import ProgressEntry, logs_by_ref
from pipeline.rag import Rag
from pipeline.report_details import ReportDetails
from pipeline.status import ActionStatus, Status
from pipeline.strands import StrandColour, split_strands
from pipeline.text import match_key
from pipeline.welsh_text import WelshText, same_language

#: Days after the report date in which an open action is "due soon" (the window's one home).
DUE_SOON_DAYS = 90


@dataclass(frozen=True)
class Point:
    """One level of one theme, e.g. EFLG 2021 point 1.2 (theme 1, Achieving)."""

    ref: str
    theme_ref: str
    theme_title: str
    level: str
    descriptor: str = ""
    criteria: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.ref} {self.theme_title} - {self.level}"


def numbered(number: str, title: str) -> str:
    """`1. Title`: a module or section as the plan labels it, its number then its title (a
    number says nothing in any language: English when the title is, welsh_text.EnglishText)."""
    return same_language(title, f"{number}. {title}")


@dataclass(frozen=True)
class Theme:
    """A theme (EFLG) or building block (Wales EIF): the unit a plan self-assesses."""

    ref: str
    title: str
    module_ref: str
    descriptor: str = ""
    criteria: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    aliases: tuple[str, ...] = ()
    title_derived: bool = False

    @property
    def label(self) -> str:
        return f"{self.ref} {self.title}"


@dataclass(frozen=True)
class Module:
    """A module (EFLG) or improvement area (Wales EIF): a section of the plan."""

    ref: str
    title: str
    description: str = ""
    themes: tuple[Theme, ...] = ()

    @property
    def label(self) -> str:
        return numbered(self.ref, self.title)


@dataclass(frozen=True)
class Labels:
    """What this framework calls its parts, so documents use its own words."""

    module: str = headings.MODULE
    theme: str = headings.THEME
    point: str = headings.POINT


@dataclass
class Framework:
    """An equality framework loaded from a YAML data file (see pipeline.frameworks)."""

    id: str
    title: str
    short_title: str
    publisher: str = ""
    year: int | None = None
    source: str = ""
    labels: Labels = field(default_factory=Labels)
    levels: tuple[str, ...] = ()
    modules: tuple[Module, ...] = ()
    assessment_levels: tuple[str, ...] = DEFAULT_ASSESSMENT_LEVELS
    welsh: dict[str, str] = field(default_factory=dict)  # `title_cy` ... by `theme:1.2` (issue 15)

    def __post_init__(self) -> None:
        self._themes = {t.ref: t for m in self.modules for t in m.themes}
        self._points = {p.ref: p for t in self._themes.values() for p in t.points}
        self._modules = {m.ref: m for m in self.modules}
        # Refs are matched as officers type them (match_key: `a1` for `A1`, a hyphen for a
        # dash), as resolve() folds what was typed, and as the loader checks them unique.
        self._theme_keys = {match_key(ref): t for ref, t in self._themes.items()}
        self._point_keys = {match_key(ref): p for ref, p in self._points.items()}
        self._titles: dict[str, Theme] = {}
        for theme in self._themes.values():
            for name in (theme.title, *theme.aliases):
                self._titles[match_key(name)] = theme

    @property
    def themes(self) -> list[Theme]:
        return list(self._themes.values())

    @property
    def points(self) -> list[Point]:
        return list(self._points.values())

    def level(self, text: str) -> Level | None:
        """The self-assessment level text names, among this framework's levels; None if not one."""
        return parse_level(text, self.assessment_levels)

    def theme(self, ref: str) -> Theme | None:
        return self._themes.get(ref) or self._theme_keys.get(match_key(ref))

    def module(self, ref: str) -> Module | None:
        return self._modules.get(ref) or next(
            (m for m in self.modules if m.ref.casefold() == ref.strip().casefold()), None
        )

    def choices(self) -> list[str]:
        """Every entry for the Framework point dropdown: each theme, then its points."""
        out: list[str] = []
        for theme in self._themes.values():
            out.append(theme.label)
            out.extend(point.label for point in theme.points)
        return out

    def theme_of(self, found: Theme | Point | None) -> Theme | None:
        """The theme resolve found, or the theme of the point it found."""
        return self.theme(found.theme_ref) if isinstance(found, Point) else found

    def resolve(self, text: str) -> Theme | Point | None:
        """The theme or point that text typed by an officer names, or None.

        Accepts `1.2`, `1.2 Collecting and sharing information - Achieving`,
        a bare theme number `6`, or a theme's name (case and spacing ignored).
        """
        key = match_key(text)
        for prefix in ("theme ", "building block ", "point "):
            if key.startswith(prefix):
                key = key[len(prefix) :]
        ref = key.split(" ", 1)[0].rstrip(".:")
        if ref in self._point_keys:
            return self._point_keys[ref]
        if ref in self._theme_keys:
            return self._theme_keys[ref]
        if key in self._titles:
            return self._titles[key]
        name, _, level = key.rpartition(" - ")
        theme = self._titles.get(name)
        if theme is not None:
            for point in theme.points:
                if point.level.casefold() == level:
                    return point
        return None


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Source:
    """Where a record came from in the workbook: sheet, Excel row, and column letters by field."""

    sheet: str
    row: int
    columns: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def cell(self, field_name: str) -> str:
        """The A1 address of this record's cell for a field, e.g. `H14`; the row if unknown."""
        letter = self.columns.get(field_name)
        return f"{letter}{self.row}" if letter else f"A{self.row}"


@dataclass
class PlanDetails:
    """The Plan sheet: what the document is, for whom, and the as-at date."""

    council: str = ""
    title: str = ""
    framework_id: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    target_year: str = ""
    version: str = ""
    status: Status | None = None
    status_text: str = ""
    report_date: dt.date | None = None
    committee: str = ""
    meeting_date: dt.date | None = None
    author: str = ""
    lead_member: str = ""  # the councillor or portfolio holder (issue 12)
    approved_by: str = ""
    approved_on: dt.date | None = None
    introduction: str = ""
    objectives: list[str] = field(default_factory=list)
    financial_years: FinancialYears = FinancialYears.TO  # how eqplan writes a financial year
    #: Where the fields were read: the sheet's name as found and each value's cell (`B11`).
    sheet: str = field(default="", compare=False)
    cells: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Owner:
    """A person or team who owns actions (the Owners sheet)."""

    name: str
    role: str = ""
    email: str = ""
    source: Source | None = None


@dataclass
class Section:
    """One section of the plan, built on one framework module: who leads it and what it aims for.

    The council's order and title win: `number` is the position (Sections row
    order, from 1), `title` the council's (empty: the module's). `shown_number`
    is what headings print: the module's ref while the plan keeps the
    framework's order (so modules A, B keep their letters), else the position.
    """

    module: Module
    lead_officer: str = ""
    aspirations: list[str] = field(default_factory=list)
    source: Source | None = None
    number: int = 0
    shown_number: str = ""
    title: str = ""

    @property
    def display_title(self) -> str:
        """The council's title for the section, else the framework module's."""
        return self.title or self.module.title

    @property
    def printed_number(self) -> str:
        """The number headings print: shown_number, else the module's ref."""
        return self.shown_number or self.module.ref

    @property
    def label(self) -> str:
        """`1. Leadership and commitment`: the section as numbered and titled in the plan."""
        return numbered(self.printed_number, self.display_title)

    @property
    def follows_framework(self) -> bool:
        """True when the section keeps the module's own number and title."""
        same_title = match_key(self.display_title) == match_key(self.module.title)
        return self.printed_number == self.module.ref and same_title


@dataclass
class Assessment:
    """A theme's self-assessed current level against its target."""

    theme: Theme
    current: Level | None = None
    target: Level | None = None
    target_date: Deadline | None = None
    evidence: str = ""
    source: Source | None = None
    theme_text: str = ""  # the Theme cell as typed (the row is read by its Theme ref)

    @property
    def gap(self) -> int | None:
        """Levels still to climb (negative when the target is below the current level)."""
        if self.current is None or self.target is None:
            return None
        return self.target.rank - self.current.rank


@dataclass(frozen=True)
class ActionKey:
    """An action's identity: the workbook it came from and its Ref, never its Excel row.

    The Ref is the officer's, or the one eqplan made (pipeline.refs), so the key survives rows
    being added, removed or moved. `occurrence` tells apart rows that share a Ref (a
    REF_DUPLICATE warning): the second is 2, and so on, so no action is ever confused with
    another, in one workbook or several.
    """

    source: str
    ref: str
    occurrence: int = 1

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        again = f" (#{self.occurrence})" if self.occurrence > 1 else ""
        return f"{where}{self.ref}{again}"


@dataclass
class Action:
    """One row of the Actions sheet: evidence, gap or action, deadline, owner and rating."""

    row: int
    ref: str = ""
    point_text: str = ""
    theme: Theme | None = None
    point: Point | None = None
    evidence: str = ""
    action: str = ""
    outcome: str = ""
    deadline: Deadline = field(default_factory=Deadline.empty)
    owner: str = ""
    rag: Rag = Rag.NOT_RATED
    strand: str = ""
    progress: str = ""
    status: ActionStatus | None = None  # optional Status column (issue 12); None when not given
    completed_on: dt.date | None = None
    last_updated: dt.date | None = None
    next_review: dt.date | None = None
    dates_as_written: dict[str, str] = field(default_factory=dict)  # by key: no date, kept as typed
    source: Source | None = None
    ref_generated: bool = False  # True when eqplan made the ref up (pipeline.refs)
    workbook: str = ""  # the file name of the workbook it was read from (set by key_actions)
    occurrence: int = 1  # 2, 3 ... for later rows repeating a Ref (set by key_actions)

    @property
    def key(self) -> ActionKey:
        """The action's stable identity: (workbook, Ref), never the Excel row."""
        return ActionKey(self.workbook, self.display_ref, self.occurrence)

    @property
    def display_ref(self) -> str:
        """The reference (the officer's, or one eqplan made); the row for a hand-built Action."""
        return self.ref or f"Row {self.row}"

    @property
    def point_label(self) -> str:
        if self.point is not None:
            return self.point.label
        if self.theme is not None:
            return self.theme.label
        return self.point_text

    @property
    def is_complete(self) -> bool:
        """A Complete rating, deadline or Status: real plans use any of them (issues 10, 12)."""
        complete = self.rag is Rag.COMPLETE or self.status is ActionStatus.COMPLETE
        return complete or self.deadline.is_complete

    @property
    def is_withdrawn(self) -> bool:
        """Status Withdrawn (and not complete): printed greyed, never overdue or due soon."""
        return self.status is ActionStatus.WITHDRAWN and not self.is_complete

    @property
    def strands(self) -> list[str]:
        """Each strand the Strand cell names (one per line, or separated by `;`)."""
        return split_strands(self.strand)

    @property
    def rating(self) -> Rag:
        """What every output counts: Complete if complete, Not rated if withdrawn, else the RAG."""
        if self.is_complete:
            return Rag.COMPLETE
        return Rag.NOT_RATED if self.is_withdrawn else self.rag

    def is_open(self) -> bool:
        return not (self.is_complete or self.is_withdrawn)

    def _open_due(self, report_date: dt.date) -> dt.date | None:
        """The due date of an open action, if plausible (deadlines.plausible: one rule for all)."""
        due = self.deadline.due
        return due if due and self.is_open() and plausible(due, report_date) else None

    def is_overdue(self, report_date: dt.date) -> bool:
        due = self._open_due(report_date)
        return due is not None and due < report_date

    def is_due_soon(self, report_date: dt.date, days: int = DUE_SOON_DAYS) -> bool:
        due = self._open_due(report_date)
        return due is not None and report_date <= due <= report_date + dt.timedelta(days=days)


@dataclass
class Plan:
    """A whole equality action plan, ready to check and render."""

    details: PlanDetails
    framework: Framework
    sections: list[Section] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    owners: list[Owner] = field(default_factory=list)
    strand_colours: dict[str, StrandColour] = field(default_factory=dict)  # by match_key(name)
    report: ReportDetails = field(default_factory=ReportDetails)  # the optional Report sheet
    progress_log: list[ProgressEntry] = field(default_factory=list)  # in sheet order
    welsh: WelshText = field(default_factory=WelshText)  # the officers' Welsh (issue 15)

    def logs_by_ref(self) -> dict[str, list[ProgressEntry]]:
        """Progress log entries by match_key(Ref), each oldest first (pipeline.progress_log)."""
        return logs_by_ref(self.progress_log)

    def actions_for(self, module: Module) -> list[Action]:
        return [a for a in self.actions if a.theme is not None and a.theme.module_ref == module.ref]
