"""The Jinja2 sandbox every Word template is rendered in: no code, no runaway renders.

A council's template may come from anywhere, so its tags are treated as
untrusted code. Jinja2's SandboxedEnvironment already refuses private
attributes (`''.__class__`, `cycler.__init__.__globals__`); this subclass
narrows it further and bounds the work a template can ask for:

- attributes may only be read from plain data (text, numbers, lists, dicts,
  context rows and Jinja2's own loop helpers), never from the chart picture
  object, whose `tpl` would lead back to the document and its `save()`;
- lists and dicts cannot be changed (as in ImmutableSandboxedEnvironment);
- `range`, `*`, `**`, `%`, `~`, string formatting, padding filters and any
  call with a huge number are capped, so no single operation builds a huge
  string or list;
- loops, calls and the output as it is joined check a deadline (every
  few hundred turns or chunks), so a template that loops for ever stops
  with a clear error instead of hanging the build;
- the rendered text is capped in size before anything parses it;
- `{% include %}`, `{% import %}`, `{% from %}` and `{% extends %}` are refused as
  the part is read: a Word template has no other files to draw on.

Limits are far beyond anything a real plan needs: a 10,000-action plan
renders about 30 MB of XML.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from types import SimpleNamespace
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from pipeline.render.english_parts import ENGLISH_KEEPING_FILTERS, keeping_english, marked
from pipeline.render.escaping import PlanCode
from pipeline.render.limits import TEMPLATE_SECONDS
from pipeline.welsh_text import EnglishText, MixedText

DEFAULT_TIMEOUT = TEMPLATE_SECONDS
#: Items in one range(); Jinja2's own sandbox limit.
MAX_RANGE = 100_000
#: Characters or items any one operation (x * n, padding, formatting, joining) may produce.
MAX_ITEMS = 10_000_000
#: Any number passed to a function or filter (a padding width, a count).
MAX_NUMBER_ARGUMENT = 100_000
#: Bits in a whole number made by `*` or `**` (about 30,000 digits).
MAX_INT_BITS = 100_000
#: Exponent allowed in `**` (2 ** 1000 is fine; 2 ** (10 ** 9) would take minutes).
MAX_EXPONENT = 1_000
#: Characters of rendered XML in one part of the document (five times a 10,000-action plan).
MAX_RENDERED_CHARS = 150_000_000
#: How often (in output chunks or loop turns) the deadline is checked.
_CHECK_EVERY = 256

_PLAIN_TYPES = frozenset(
    {str, EnglishText, MixedText, Markup, int, float, bool, Decimal, type(None), dict, list, tuple}
)
_JINJA_HELPERS = (LoopContext, Cycler, Joiner, Namespace, Macro, SimpleNamespace)
_DICT_NAMES = frozenset(dir(dict))
_SIZED_TYPES = frozenset({list, tuple, range, dict, str, EnglishText, MixedText})
_MISSING = object()
#: A %-format's width or precision of a million or more, after any `%(name)` key.
_FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d{6,}|\d*\.(?:\*|\d{6,}))")
_BRACE_WIDTH = re.compile(r"\{[^{}]*:[^{}]*\d{6,}[^{}]*\}")
#: Tags that bring in another template, and the keyword each is typed with.
_BRINGS_IN_ANOTHER: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Extends: "extends",
}
#: Filters whose numeric arguments set an output size (center(width), indent(width), ...).
_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "batch", "slice", "format", "replace")


class TemplateLimit(SecurityError):
    """A template asked for more work than any action plan needs (a huge range, string or list).

    in_tag, where known, is text the tag at fault holds (`~`, `_(`): it tells that tag from
    the others in its paragraph (engine.tag_at_fault).
    """

    def __init__(self, message: str, in_tag: str = "") -> None:
        super().__init__(message)
        self.in_tag = in_tag


class TagNotSupported(SecurityError):
    """A tag that brings in another template (include, import, extends): a Word template has
    no other files to draw on. in_tag is the tag's keyword (engine.tag_at_fault)."""

    def __init__(self, in_tag: str, lineno: int | None) -> None:
        super().__init__(
            "a Word template cannot use include, import or extends to bring in another file: "
            "it must hold all its own text, so copy what that file holds into this template, "
            "or, to repeat a part, write it once as a {% macro %} in this template and call it"
        )
        self.in_tag = in_tag
        self.lineno = lineno  # the tag's paragraph: refused as it is read, before any runs


class TemplateTimeout(SecurityError):
    """A template took longer to render than the time allowed."""


class PlanSandbox(SandboxedEnvironment):
    """The sandboxed, bounded environment for Word templates (autoescape, StrictUndefined)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = PlanCode  # `{{ value }}` escapes a plain string in one step (escaping.py)

    def __init__(
        self, timeout: float = DEFAULT_TIMEOUT, mark_english: Callable[[str], str] | None = None
    ) -> None:
        """mark_english(text), when given, is printed for every value that is English in a
        Welsh document (welsh_text.EnglishText), and for each English part of a value that is
        partly English (welsh_text.MixedText): render/english_parts.py."""
        finalize = None
        if mark_english is not None:

            def finalize(value: Any) -> Any:
                return marked(value, mark_english)

        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=finalize)
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self._calls = 0
        self.globals["range"] = _capped_range
        self.globals["lipsum"] = _refuse("lipsum")
        for name in _SIZED_FILTERS:
            self.filters[name] = _capped_filter(self.filters[name])
        for name in ENGLISH_KEEPING_FILTERS if mark_english is not None else ():
            self.filters[name] = keeping_english(self.filters[name])

    def start_clock(self) -> None:
        """Start the time budget now (called just before rendering)."""
        self.deadline = time.monotonic() + self.timeout

    def check_clock(self) -> None:
        """Stop the render once the time budget is spent."""
        if time.monotonic() > self.deadline:
            raise TemplateTimeout(
                f"rendering took longer than the {self.timeout:g} seconds allowed"
            )

    # -- what a template may read and call -------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Only plain data and Jinja2's loop helpers, never private names or mutating methods."""
        if attr.startswith("_"):
            return False
        kind = type(obj)
        if kind not in _PLAIN_TYPES and not isinstance(obj, _JINJA_HELPERS):
            return False
        if modifies_known_mutable(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Fast paths for the plan's own rows and dicts (most lookups), else the sandbox's rules.

        A row's attributes and a dict's keys are plain data, so they need no
        safety check; anything else (methods, private names) goes through it.
        """
        kind = type(obj)
        if attribute[:1] != "_":
            if issubclass(kind, SimpleNamespace):  # the context's rows (context.Row)
                value = obj.__dict__.get(attribute, _MISSING)
                if value is not _MISSING:
                    return value
            elif kind is dict and attribute not in _DICT_NAMES and attribute in obj:
                return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`x['_name']` is refused too: a row's `__getitem__` would otherwise hand out its class."""
        if isinstance(argument, str) and argument[:1] == "_" and type(obj) is not dict:
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Check the clock and refuse huge numbers before any call (padding, counts)."""
        __self.check_clock()
        name = getattr(__obj, "__name__", "")
        _check_numbers(name or "a function", args, kwargs)
        if name == "replace":
            _check_replace(getattr(__obj, "__self__", None), args)
        elif name == "gettext" and args and isinstance(args[0], str):  # _(): i18n.template_gettext
            _check_format(args[0], in_tag="_(")  # it puts the values in with %
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**`, `%` and `+` with a bound on the size of what they make."""
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            if (
                _whole(left)
                and _whole(right)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise TemplateLimit("a multiplication making a number of over 30,000 digits", "*")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimit(f"the power {right} is larger than {MAX_EXPONENT}", "**")
            if _whole(left) and _whole(right) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise TemplateLimit("a power making a number of over 30,000 digits", "**")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, in_tag="%")
        result = self.binop_table[operator](left, right)
        if operator == "+" and isinstance(result, str | list | tuple):
            _check_size(result, "joined text", in_tag="+")
        return result

    def call_filter(self, *args: Any, **kwargs: Any) -> Any:
        """Filters applied item by item (`map`, `select`) check the clock as they go."""
        self._count()
        return super().call_filter(*args, **kwargs)

    def call_test(self, *args: Any, **kwargs: Any) -> Any:
        self._count()
        return super().call_test(*args, **kwargs)

    def _count(self) -> None:
        self._calls += 1
        if self._calls % _CHECK_EVERY == 0:
            self.check_clock()

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__, in_tag="format")
        return wrapped

    # -- bounded rendering -----------------------------------------------------------------

    def concat(self, chunks: Iterable[str]) -> str:  # type: ignore[override]
        """Join a template's output, checking the clock and the size as it grows."""
        return "".join(self.checked_output(chunks))

    def checked_output(self, chunks: Iterable[str]) -> Iterator[str]:
        """A template's output in pieces, checking the clock and the size as it grows.

        The Word plan's body is parsed as it is rendered (engine.py), so it is never
        held whole.
        """
        size = 0
        stream = iter(chunks)
        while batch := list(islice(stream, _CHECK_EVERY)):
            piece = "".join(batch)
            size += len(piece)
            self.check_clock()
            if size > MAX_RENDERED_CHARS:
                raise TemplateLimit(
                    f"the template produced more than {MAX_RENDERED_CHARS:,} characters"
                )
            yield piece

    def guard_loop(self, iterable: Any) -> Iterable[Any]:
        """Every `{% for %}` loop runs through this: the clock is checked as it turns.

        Short lists (most loops over the plan's data) are checked once, at the start.
        """
        self.check_clock()
        if type(iterable) in _SIZED_TYPES and len(iterable) <= _CHECK_EVERY:
            return iterable
        return self._clocked(iterable)

    def _clocked(self, iterable: Any) -> Iterator[Any]:
        stream = iter(iterable)
        check = self.check_clock
        for first in stream:
            yield first
            yield from islice(stream, _CHECK_EVERY - 1)
            check()

    def guard_size(self, value: Any) -> Any:
        """Every `~` concatenation runs through this, so doubling a string in a loop stops."""
        _check_size(value, "joined text", in_tag="~")
        return value

    def from_string(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        """Compile a part; tags nested hundreds deep exhaust the parser, which is a limit too.

        Compiled code is kept (compiled.py), so a part is compiled once.
        """
        try:
            if isinstance(source, str) and not args and not kwargs:
                from pipeline.render.compiled import compiled

                code = compiled(self, source)
                return self.template_class.from_code(self, code, self.make_globals(None), None)
            return super().from_string(source, *args, **kwargs)
        except (RecursionError, SyntaxError, MemoryError):
            raise TemplateLimit("tags are nested too deeply to be read") from None

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse as usual, refuse tags that bring in other templates, then route loops and
        `~` through the guards above."""
        tree = super()._parse(source, name, filename)
        for brings_in in tree.find_all(tuple(_BRINGS_IN_ANOTHER)):
            raise TagNotSupported(_BRINGS_IN_ANOTHER[type(brings_in)], brings_in.lineno)
        every_node = [tree, *tree.find_all(nodes.Node)]
        for loop in every_node:
            if isinstance(loop, nodes.For):
                loop.iter = self._guarded("guard_loop", loop.iter)
        for parent in every_node:
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, self._guarded("guard_size", value))
                elif isinstance(value, list):
                    value[:] = [
                        self._guarded("guard_size", v) if isinstance(v, nodes.Concat) else v
                        for v in value
                    ]
        return tree

    def _guarded(self, guard: str, expr: nodes.Expr) -> nodes.Expr:
        call = nodes.Call(nodes.EnvironmentAttribute(guard), [expr], [], None, None)
        return call.set_lineno(expr.lineno).set_environment(self)


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(numbers):,} numbers; at most {MAX_RANGE:,} allowed")
    return numbers


_capped_range.__name__ = "range"  # as the template wrote it, in messages


def _refuse(name: str) -> Callable[..., Any]:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise TemplateLimit(f"{name}() is not available in plan templates")

    return refused


def _capped_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses huge numeric arguments (a width of a billion)."""

    @functools.wraps(function)
    def capped(*args: Any, **kwargs: Any) -> Any:
        _check_numbers(function.__name__.removeprefix("do_"), args[1:], kwargs)
        if function.__name__ == "do_format" and args and isinstance(args[0], str):
            _check_format(args[0], in_tag="format")
        if function.__name__ == "do_replace" and len(args) >= 4:
            _check_replace(str(args[1]), args[2:4])
        return function(*args, **kwargs)

    return capped


def _check_numbers(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if _whole(value) and abs(value) > MAX_NUMBER_ARGUMENT:
            raise TemplateLimit(
                f"{name}() was given the number {value:,}; at most {MAX_NUMBER_ARGUMENT:,}"
            )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_repeat(sequence: Any, times: Any) -> None:
    """`x * n`: a list counts the text it holds, so [long_text] * n is as large as long_text * n."""
    if not (isinstance(sequence, str | list | tuple) and _whole(times)):
        return
    weight = len(sequence)
    if not isinstance(sequence, str):
        weight = sum(len(item) if isinstance(item, str) else 1 for item in sequence)
    if weight * times > MAX_ITEMS:
        raise TemplateLimit(
            f"repeating {weight:,} {'character or item' if weight == 1 else 'characters or items'} "
            f"{times:,} times; at most {MAX_ITEMS:,}",
            "*",
        )


def _check_replace(text: Any, args: tuple[Any, ...]) -> None:
    """`text.replace(old, new)` can multiply the length of text by len(new): bound that."""
    grows = isinstance(text, str) and len(args) >= 2 and isinstance(args[1], str)
    if grows and len(text) * len(args[1]) > MAX_ITEMS:
        raise TemplateLimit(f"replace() could make text longer than {MAX_ITEMS:,} characters")


def _check_format(text: str, in_tag: str) -> None:
    if _FORMAT_WIDTH.search(text) or _BRACE_WIDTH.search(text):
        raise TemplateLimit("a format with a width or precision of a million or more", in_tag)


def _check_size(value: Any, what: str, in_tag: str) -> None:
    if isinstance(value, str | list | tuple) and len(value) > MAX_ITEMS:
        raise TemplateLimit(f"{what} of more than {MAX_ITEMS:,} characters or items", in_tag)
