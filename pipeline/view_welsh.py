"""The framework's words as a Welsh document prints them: `title_cy` where the file gives it.

The framework file may carry Welsh (`title_cy`, `descriptor_cy`, issue 15); a part without it
is printed in English and listed by FRAMEWORK_WELSH_MISSING. English documents print the
framework's own labels exactly as before.
"""

from __future__ import annotations

from pipeline.i18n import _, current_language
from pipeline.model import Action, Framework, Module, Point, Theme
from pipeline.welsh_text import framework_text


def module_title(framework: Framework, module: Module) -> str:
    return framework_text(framework.welsh, f"module:{module.ref}", module.title)


def theme_label(framework: Framework, theme: Theme) -> str:
    """`1.2 Title`, the title in Welsh in a Welsh document when the framework gives it."""
    if current_language() == "en":
        return theme.label
    return f"{theme.ref} {framework_text(framework.welsh, f'theme:{theme.ref}', theme.title)}"


def point_label(framework: Framework, action: Action) -> str:
    """What the plan prints for an action's framework point, in the language being built."""
    point: Point | None = action.point
    if current_language() == "en" or (point is None and action.theme is None):
        return action.point_label
    if point is None:
        return theme_label(framework, action.theme)
    title = framework_text(framework.welsh, f"theme:{point.theme_ref}", point.theme_title)
    return f"{point.ref} {title} - {_(point.level)}"


def descriptor(framework: Framework, action: Action) -> str:
    """The point's descriptor (else its theme's), in Welsh when the framework gives it."""
    point, theme = action.point, action.theme
    if point is not None:
        return framework_text(framework.welsh, f"point-descriptor:{point.ref}", point.descriptor)
    if theme is not None:
        return framework_text(framework.welsh, f"theme-descriptor:{theme.ref}", theme.descriptor)
    return ""
