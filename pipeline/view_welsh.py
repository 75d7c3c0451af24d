"""The framework's words as a Welsh document prints them: `title_cy` where the file gives it.

The framework file may carry Welsh (`title_cy`, `descriptor_cy`, issue 15); a part without it
is printed in English and listed by FRAMEWORK_WELSH_MISSING. English documents print the
framework's own labels exactly as before.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.i18n import _, current_language
from pipeline.model import Action, Framework, Module, Plan, Point, Section, Theme, numbered
from pipeline.summaries import CoverageRow, SectionRow
from pipeline.welsh_text import (
    filled,
    framework_text,
    in_language,
    joined,
    same_language,
    word_in_language,
)


def module_title(framework: Framework, module: Module) -> str:
    return framework_text(framework.welsh, f"module:{module.ref}", module.title)


def theme_label(framework: Framework, theme: Theme) -> str:
    """`1.2 Title`, the title in Welsh in a Welsh document when the framework gives it."""
    if current_language() == "en":
        return theme.label
    title = framework_text(framework.welsh, f"theme:{theme.ref}", theme.title)
    return same_language(title, f"{theme.ref} {title}")  # English, if only the title is


def point_label(framework: Framework, action: Action) -> str:
    """What the plan prints for an action's framework point, in the language being built."""
    point: Point | None = action.point
    if current_language() == "en" or (point is None and action.theme is None):
        return action.point_label
    if point is None:
        return theme_label(framework, action.theme)
    title = framework_text(framework.welsh, f"theme:{point.theme_ref}", point.theme_title)
    return joined(f"{point.ref} ", title, f" - {_(point.level)}")  # an English title tagged so


def descriptor(framework: Framework, action: Action) -> str:
    """The point's descriptor (else its theme's), in Welsh when the framework gives it."""
    point, theme = action.point, action.theme
    if point is not None:
        return framework_text(framework.welsh, f"point-descriptor:{point.ref}", point.descriptor)
    if theme is not None:
        return framework_text(framework.welsh, f"theme-descriptor:{theme.ref}", theme.descriptor)
    return ""


def section_rows(rows: list[SectionRow], titles: dict[str, str]) -> list[SectionRow]:
    """The section count rows labelled as the sections are titled in the language being built.

    titles: each section's title as its heading prints it, by module ref. The counts
    table must name a section as its heading does (`1. Deall ein cymunedau`), not in English.
    """
    if current_language() == "en":
        return rows
    return [
        replace(r, label=numbered(r.ref, titles[r.module_ref]), title=titles[r.module_ref])
        if r.module_ref in titles
        else r
        for r in rows
    ]


def coverage_rows(plan: Plan, rows: list[CoverageRow], titles: dict[str, str]) -> list[CoverageRow]:
    """The Coverage rows with the sections' and themes' titles in the language being built."""
    if current_language() == "en":
        return rows
    labels = [
        (numbered(section.printed_number, titles[section.module.ref]), theme)
        for section in plan.sections
        for theme in section.module.themes
    ]
    return [
        replace(row, module=module, theme=theme_label(plan.framework, theme))
        for row, (module, theme) in zip(rows, labels, strict=True)
    ]


def section_title(plan: Plan, section: Section) -> str:
    """A section's title as its heading prints it: the council's (in Welsh when it gives
    it), else the module's."""
    entry = plan.welsh.sections.get(section.module.ref)
    return in_language(entry, "section_title", section.title) or module_title(
        plan.framework, section.module
    )


def section_label(plan: Plan, section: Section) -> str:
    """`1. Title`: a section as its heading numbers and titles it, in the language being built."""
    return numbered(section.printed_number, section_title(plan, section))


def module_note(plan: Plan, section: Section) -> str:
    """Where a renumbered or retitled section sits in the framework, for readers who compare."""
    framework = plan.framework
    note = _("In the %(framework)s framework this is %(module)s %(ref)s: %(title)s.")
    module = word_in_language(framework.labels.module)
    return filled(  # the module's label and title, where they have no Welsh, tagged English
        note,
        {
            "framework": framework.short_title,
            "module": same_language(module, module.lower()),
            "ref": section.module.ref,
            "title": module_title(framework, section.module),
        },
    )
