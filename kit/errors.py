"""The kit's errors: each message speaks to the person who ran the command.

Every error a user can cause is a `KitError`. The CLI prints its message on one
line (or one line per problem) and exits with its `exit_code`; no traceback.

Exit codes (documented in the README):
    0  success
    1  a lesson, a document or an output could not be made (bad input)
    2  the command line or a roster could not be read at all
"""
from __future__ import annotations

from dataclasses import dataclass

import click

from .messages import say


EXCERPT = 40  # characters of a user's text a message may quote


def excerpt(value, limit: int = EXCERPT) -> str:
    """A short, printable piece of what a file holds, for a message: a message never
    echoes a whole line (of a linked /etc/shadow, say) nor a terminal control code."""
    text = str(value)
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                    for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        return self.line_text(self.severity == "warning")

    def line_text(self, with_severity: bool = False) -> str:
        """`file:line:column: field: message`, the severity said only when asked (a logged
        warning already starts « attention : »)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        prefix = say("problem.warning") + " " if with_severity else ""
        return f"{where}:{field} {prefix}{self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file, "line": self.line, "column": self.column,
            "field": self.field, "severity": self.severity, "message": self.message,
        }


class KitError(click.ClickException):
    """Raised for anything a user can fix; the message says what and how."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"{say('problem.error')} {self.format_message()}", file=file, err=True)


class LessonError(KitError):
    """Raised when one or more lesson files are invalid; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(str(problem), file=file, err=True)


class ChecksFailed(KitError):
    """Raised by `kit check` after listing its problems; shows only the tally."""

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file, err=True)


class UnknownLessonError(KitError):
    """Raised when a lesson id or path names no lesson."""


class RenderError(KitError):
    """Raised when a validated lesson still cannot be drawn (a document it does not offer)."""


class OutputError(KitError):
    """Raised when an output file cannot be written, or would overwrite someone's work."""


class AssetError(KitError):
    """Raised when a file under assets/ (helpline, contacts, styles) is missing or invalid."""


class RosterError(KitError):
    """Raised when a roster cannot be read at all; nothing is written."""

    exit_code = 2


class InputError(KitError):
    """Raised when a session detail, a head count or an edition asked for is wrong;
    `field` names it, so a form shows the message next to it."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None):
        super().__init__(message)
        self.field, self.line = field, line
