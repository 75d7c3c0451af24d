"""The committee cover report's own words, from the optional Report sheet (issue 14).

Kept apart from model.py, which holds the plan itself; the Plan carries one
of these (`Plan.report`). Free of I/O like the rest of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Frameworks for Welsh public bodies: their cover reports carry Welsh language implications.
WELSH_FRAMEWORKS = frozenset({"eif-wales-2011"})


def is_welsh(framework_id: str) -> bool:
    """True for a Welsh framework, whose committee reports must say what they mean for Welsh."""
    return framework_id in WELSH_FRAMEWORKS


@dataclass
class ReportDetails:
    """The Report sheet: the committee cover report's own words, empty where not given.

    Defaults for what is empty are the cover report's business (render/cover.py),
    so the model keeps only what the council typed. `sheet` is the sheet's name
    as found, empty when the workbook has no Report sheet (an older workbook).
    """

    title: str = ""
    report_of: str = ""
    contact_officer: str = ""
    contact_details: str = ""
    wards: str = ""
    purpose: str = ""
    recommendations: list[str] = field(default_factory=list)
    background: str = ""
    financial: str = ""
    legal: str = ""
    equality: str = ""
    welsh_language: str = ""
    sheet: str = ""
