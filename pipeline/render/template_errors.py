"""Filling in a Word template in the sandbox, and every way that can fail as a TemplateError.

Each message names the template and, where Jinja knows it, the tag as typed
(`at {{ plan.titel }}`), and says how to fix it; word.py uses the same
errors for output that is not valid XML (a render stopped from outside, for time or
memory: stopped.py).
"""

from __future__ import annotations

from typing import Any

import jinja2
from lxml import etree

from pipeline import problems
from pipeline.errors import TemplateError
from pipeline.i18n import current_language
from pipeline.render.engine import PlanTemplate
from pipeline.render.english_parts import word_mark
from pipeline.render.sandbox import PlanSandbox, TemplateLimit, TemplateTimeout
from pipeline.render.stopped import too_slow
from pipeline.render.template_blocks import as_typed, block_error


def invalid_xml(name: str, detail: str) -> TemplateError:
    return TemplateError(
        f"The Word template {name} produced invalid XML after rendering ({detail}).",
        hint="A tag may sit across Word's formatting runs, or print raw markup with |safe; "
        "retype it in one go in Word.",
    )


def render_in_sandbox(
    document: PlanTemplate, context: dict[str, Any], name: str, timeout: float
) -> None:
    """Render in the sandbox, turning every way a template can fail into a TemplateError."""
    environment = PlanSandbox(timeout, word_mark if current_language() == "cy" else None)
    environment.start_clock()
    try:
        document.render(context, jinja_env=environment, autoescape=True)
    except TemplateTimeout:
        raise too_slow(name, timeout) from None
    except TemplateLimit as exc:
        raise _unsafe(name, exc, "it asks for far more work than any plan needs") from None
    except jinja2.exceptions.SecurityError as exc:
        raise _unsafe(name, exc, "") from None
    except etree.XMLSyntaxError as exc:
        raise invalid_xml(name, str(exc)) from None
    except MemoryError as exc:
        raise _unsafe(name, exc, "it needs far more memory than any plan") from None
    except RecursionError as exc:
        raise TemplateError(
            f"The Word template {name} calls itself without end{_at(exc, ' (at %s)')}, so it "
            "was stopped and no plan was written.",
            hint="A {% macro %} in the template calls itself; make sure it stops.",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"The Word template {name} uses a name eqplan does not provide{_at(exc)}: "
            f"{exc.message}.",
            hint="Check the tag's spelling against 'The Word template context' in README.md.",
        ) from None
    except jinja2.TemplateError as exc:
        raise block_error(name, exc) or TemplateError(
            f"The Word template {name} has a broken tag: {exc}.",
            hint="Each {% %} tag needs its matching end tag, and each tag must be typed in one go "
            "so Word keeps it in one piece.",
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        raise TemplateError(
            f"The Word template {name} could not be filled in{_at(exc)}: "
            f"{type(exc).__name__}: {exc}.",
            hint="Check the tag: it may do arithmetic or call something on a value that does not "
            "allow it.",
        ) from None


def _at(exc: BaseException, form: str = " at %s") -> str:
    """Where in the template exc was raised (`at {{ plan.titel }}`), or '' if not known."""
    tag = getattr(exc, "eqplan_tag", "")
    return form % as_typed(tag, exc) if tag else ""


def _unsafe(name: str, exc: Exception, reason: str) -> TemplateError:
    """TEMPLATE_UNSAFE, naming the tag as typed in the template."""
    detail = "; ".join(part for part in (str(exc).rstrip("."), reason) if part)
    problem = problems.TEMPLATE_UNSAFE.at(path=name, tag=_at(exc, ": %s"), detail=detail)
    return TemplateError(f"{problem.code}: {problem.message}", hint=problem.hint, code=problem.code)
