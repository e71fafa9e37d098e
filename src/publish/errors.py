"""Diagnostics that name a place in a file, and the one exception type the pipeline raises."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]
# Where a finding is: a file, or a label for what is no file (``SOURCE_DATE_EPOCH``, the PDF).
Place = Path | str

# What a terminal obeys rather than shows: C0 and C1 controls and DEL (ESC starts sequences that
# set the window title or erase lines), the bidirectional controls that reorder what is shown
# (U+202E), line and paragraph separators, and lone surrogates (which no terminal can encode).
_UNSHOWABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    Messages quote what the author, a references file or a file name hold, which an attacker
    chooses: every message printed goes through here, so none can drive the terminal.
    """
    return _UNSHOWABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding, printed as compilers and linters print them.

    The form is ``file:line:col: level: message [rule]``; line, column and rule when known.
    """

    path: Place
    line: int | None
    message: str
    level: Level = "error"
    column: int | None = None
    rule: str | None = None
    # Lines printed below the message as they are (a block to paste): each made visible alone.
    block: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.level}: {self.message}"
        shown = visible(f"{text} [{self.rule}]" if self.rule else text)
        return "\n".join((shown, *(visible(line) for line in self.block)))


class PublishError(Exception):
    """Every failure the pipeline expects ends here, with at least one located diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        if not self.diagnostics:
            raise ValueError("PublishError needs at least one diagnostic")
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(
        cls,
        path: Place,
        line: int | None,
        message: str,
        *,
        column: int | None = None,
        block: tuple[str, ...] = (),
    ) -> PublishError:
        return cls([Diagnostic(path, line, message, column=column, block=block)])


class DiagnosticCollector:
    """Gathers findings so that a manuscript's problems are reported together, not one per run."""

    def __init__(self, *, strict: bool = False) -> None:
        self.items: list[Diagnostic] = []
        # publish build --strict: what would only be ignored with a warning is refused instead
        self.strict = strict

    def error(
        self,
        path: Place,
        line: int | None,
        message: str,
        *,
        column: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(path, line, message, "error", column, rule))

    def warning(
        self,
        path: Place,
        line: int | None,
        message: str,
        *,
        column: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(path, line, message, "warning", column, rule))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise PublishError(self.errors)
