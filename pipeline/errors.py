"""Exceptions that stop the program, each with a message for the person running it.

Problems in an officer's workbook are not exceptions: they are collected as
`pipeline.problems.Problem` records. An `EqplanError` means eqplan cannot go on
(an unreadable file, a bad framework file, an output that cannot be written).
Any other exception is a bug and is allowed to show its traceback.
"""

from __future__ import annotations

import re

from pipeline.i18n import current_language

#: A sentence's stop followed by another that a message added (`... closed is 'if'.` + `.`):
#: after a word, a quote or a bracket, and before a space or the end. An ellipsis, `..` (the
#: folder above) and a stop inside a file name ("a..b") are left alone.
_DOUBLED_STOP = re.compile(r"(?<=[\w'\")\]])([.!?])\.(?=\s|$)")
_ELLIPSIS_STOP = re.compile(r"\.\.\.\.(?=\s|$)")


def one_stop(text: str) -> str:
    """text with each sentence ending in one full stop, where a message put a stop after
    words that already ended with one (a library's message quoted, then "." added)."""
    return _ELLIPSIS_STOP.sub("...", _DOUBLED_STOP.sub(r"\1", text))


class EqplanError(Exception):
    """A failure the user can fix, with the exit code the command line uses.

    Exit codes: 1 the workbook has errors, 2 unusable input or arguments,
    3 a generated document failed its own completeness check.
    """

    exit_code = 2

    def __init__(self, message: str, hint: str = "", code: str = "") -> None:
        message, hint = one_stop(message), one_stop(hint)
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
        #: The language its words were written in: `Error:` is said in it (cli_options.py).
        self.language = current_language()

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class WorkbookUnreadable(EqplanError):
    """The input file is not a workbook eqplan can read (wrong format, damaged, locked)."""


class FrameworkFileError(EqplanError):
    """A framework YAML file is missing, malformed or inconsistent."""


class TemplateError(EqplanError):
    """A Word template cannot be used (missing, damaged or with broken tags)."""


class OutputLocked(EqplanError):
    """An output file could not be replaced, usually because it is open in Word or Excel."""


class OutputUnwritable(OutputLocked):
    """An output could not be written: a full disk, a read-only folder, a file in the way."""


class OutputClash(EqplanError):
    """An output would replace one of the command's own input files, or a file kept on purpose."""


class BuildIncomplete(EqplanError):
    """A generated document does not contain every action: never publish it."""

    exit_code = 3


class WorkbookInvalid(EqplanError):
    """The workbook has errors, so no plan was built (the report lists them)."""

    exit_code = 1
