"""Parsing a framework file's YAML safely: the YAML features a framework may not use refused.

A framework file is untrusted input. PyYAML's safe loader runs no code, but
on its own it keeps the last of two repeated keys without a word, and follows
anchors and aliases (`&name`, `*name`), which let a small file stand for
millions of items once the template or the plan writes them out (a "billion
laughs"). Once file_checks.py has checked the file's size and encoding, the
parse here refuses a file that repeats a key, uses an alias or a merge key
(`<<`), or holds a number longer than any framework needs. Every refusal
names the file and the line.

Only parsing a YAML file imports this module (and PyYAML, about 25 ms): the
shipped frameworks are read from their compiled JSON twins (compiled_data.py).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from pipeline.errors import FrameworkFileError
from pipeline.frameworks.builder import Lines
from pipeline.input_checks import printable_name

_HINT = "See 'Writing your own framework' in README.md for the file format."
_STANDARD_TAGS = "tag:yaml.org,2002:"  # written `!!` in a file
_MERGE_TAG = _STANDARD_TAGS + "merge"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
#: The longest number a framework file may hold (a year has 4 digits): converting a
#: number of hundreds of thousands of digits takes seconds, and Python refuses one
#: of over 4,300 digits with an error that is no help to an officer.
MAX_NUMBER_CHARS = 20

# libyaml's C parser when available (ten times faster on the EFLG file); the
# constructor, where the checks below live, is Python code in both cases.
_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(yaml.YAMLError):
    """A YAML feature framework files may not use, with the line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class StrictLoader(_BASE_LOADER):
    """The safe loader, refusing repeated keys, aliases and merge keys.

    It notes where each block of keys starts and each of its keys is (`lines`, by the id
    of the dict made for the block), so a problem found later in a block's contents can
    say which line it is on.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, Lines] = {}

    def construct_yaml_map(self, node: MappingNode):
        data: dict = {}
        keys = {str(k.value): _line(k) for k, _ in node.value if isinstance(k, ScalarNode)}
        self.lines[id(data)] = Lines(_line(node), keys)
        yield data
        data.update(self.construct_mapping(node))

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # A node met a second time is an alias (*name) of an anchored node (&name).
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(
                _line(node),
                "the block marked with an anchor (&name) here is repeated with an alias "
                "(*name); framework files may not use anchors and aliases, "
                "so write the text out in full",
            )
        if (
            isinstance(node, ScalarNode)
            and node.tag in _NUMBER_TAGS
            and len(node.value) > MAX_NUMBER_CHARS
        ):
            raise _Refused(
                _line(node),
                f"the number here is {len(node.value):,} characters long (the limit is "
                f"{MAX_NUMBER_CHARS}); put text in quotes, and write a year with four digits",
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise _Refused(
                        _line(key_node),
                        "framework files may not use merge keys (<<); write the keys out in full",
                    )
                if isinstance(key_node, ScalarNode):
                    if key_node.value in seen:
                        raise _Refused(
                            _line(key_node),
                            f"the key '{printable_name(key_node.value, 60)}' appears twice in the same block",
                        )
                    seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_undefined(self, node: Node) -> Any:
        """A tag the safe loader does not know (`!!python/object`, `!include`): refused by name."""
        raise _Refused(
            _line(node),
            f"the tag '{_shown_tag(str(node.tag))}' asks for something other than text, numbers, "
            "lists and keys, which is all a framework file may hold; remove the tag "
            "(the word starting with !) and keep the text",
        )


StrictLoader.add_constructor(None, StrictLoader.construct_undefined)
StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)


def _shown_tag(tag: str) -> str:
    """A tag as typed (`!!python/object`), shortened, with anything unprintable (YAML decodes
    `%1b` in a tag to an escape character, which would drive the terminal) as `?`."""
    return printable_name(tag.replace(_STANDARD_TAGS, "!!", 1), 60)


def _line(node: Node) -> int:
    mark = node.start_mark
    return mark.line + 1 if mark is not None else 0


def load_yaml(text: str, source_name: str) -> tuple[Any, dict[int, Lines]]:
    """Parse framework YAML with the strict loader: the data, and the line each block of keys
    starts on (by the id of its dict); any problem is a FrameworkFileError."""
    loader = StrictLoader(text)  # a SafeLoader: no code runs
    try:
        return loader.get_single_data(), loader.lines
    except _Refused as exc:
        raise FrameworkFileError(
            f"{source_name}: line {exc.line}: {exc.message}.", hint=_HINT
        ) from None
    except yaml.YAMLError as exc:
        if _at_a_tab(exc, text):
            raise FrameworkFileError(
                f"{source_name}: not valid YAML{_where(exc)}: a tab character.",
                hint="Indent with spaces: YAML does not allow tabs. Most text editors can "
                "turn tabs into spaces (often under Edit or Format).",
            ) from None
        raise FrameworkFileError(
            f"{source_name}: not valid YAML{_where(exc)}.",
            hint="Check the indentation and that text containing ':' is in quotes.",
        ) from None
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        raise FrameworkFileError(
            f"{source_name}: the YAML is nested far too deeply to be a framework file.",
            hint=_HINT,
        ) from None
    finally:
        loader.dispose()


def _at_a_tab(exc: yaml.YAMLError, text: str) -> bool:
    """Whether the parser stopped at a tab (libyaml's message does not say which character)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return False
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip())]
    return line[mark.column : mark.column + 1] == "\t" or "\t" in indent


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return ""
    problem = getattr(exc, "problem", None)
    detail = f": {problem}" if problem else ""
    return f" (line {mark.line + 1}, column {mark.column + 1}{detail})"
