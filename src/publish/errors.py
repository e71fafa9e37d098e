"""Diagnostics that name a place in a file, and the one exception type the pipeline raises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding, printed as compilers and linters print them.

    The form is ``file:line:col: level: message [rule]``; line, column and rule when known.
    """

    path: Path
    line: int | None
    message: str
    level: Level = "error"
    column: int | None = None
    rule: str | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.level}: {self.message}"
        return f"{text} [{self.rule}]" if self.rule else text


class PublishError(Exception):
    """Every failure the pipeline expects ends here, with at least one located diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        if not self.diagnostics:
            raise ValueError("PublishError needs at least one diagnostic")
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(
        cls, path: Path, line: int | None, message: str, *, column: int | None = None
    ) -> PublishError:
        return cls([Diagnostic(path, line, message, column=column)])


class DiagnosticCollector:
    """Gathers findings so that a manuscript's problems are reported together, not one per run."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(
        self,
        path: Path,
        line: int | None,
        message: str,
        *,
        column: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(path, line, message, "error", column, rule))

    def warning(
        self,
        path: Path,
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
