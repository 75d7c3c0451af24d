"""A Word template's render stopped from outside, for taking too long or making too much.

Raised where the render runs (template_errors.py: the sandbox's own clock) and where it
is waited for (word_job.py: the child killed, word.py: memory); kept here, apart from
both, so the process that waits for a child needs neither Jinja nor the other.
"""

from __future__ import annotations

from pipeline.errors import TemplateError


def too_slow(name: str, timeout: float) -> TemplateError:
    return TemplateError(
        f"The Word template {name} took longer than {timeout:g} second"
        f"{'' if timeout == 1 else 's'} to fill in, so it was stopped and no plan was written.",
        hint="A loop in the template may never end: check its {% for %} tags. For a very large "
        "plan, allow more time with --template-timeout SECONDS.",
    )


def too_large(name: str, detail: str) -> TemplateError:
    return TemplateError(
        f"The Word template {name} made a document too large to finish ({detail}); no plan "
        "was written.",
        hint="A loop in the template may repeat far more than the plan has: check its "
        "{% for %} tags.",
    )
