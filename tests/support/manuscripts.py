"""Write small manuscripts into a test's folder and read back what the reader says about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import DiagnosticCollector, PublishError
from publish.model import Book
from publish.reading.manuscript import read_manuscript

FRONT = "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: Not advice.\nsummary: A summary.\n---\n"
FRONT_LINES = FRONT.count("\n")  # the body starts on the line after these


def manuscript(folder: Path, body: str, *, front: str = FRONT, name: str = "book.md") -> Path:
    """``folder/name`` holding ``front`` then ``body``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(front + body, encoding="utf-8")
    return path


def shown(diagnostics: object, path: Path) -> list[str]:
    """Diagnostics as printed, with the manuscript's path shortened to its name."""
    return [str(d).replace(str(path), path.name) for d in diagnostics]  # type: ignore[attr-defined]


def errors(path: Path) -> list[str]:
    """What reading ``path`` reports as errors; fails the test if it reads without one."""
    try:
        read_manuscript(path, DiagnosticCollector())
    except PublishError as exc:
        return shown(exc.diagnostics, path)
    pytest.fail(f"{path.name} was read without an error")


def warnings(path: Path) -> tuple[Book, list[str]]:
    """The book read from ``path`` and the warnings reading it gave."""
    report = DiagnosticCollector()
    book = read_manuscript(path, report)
    return book, shown(report.warnings, path)


def body_html(book: Book) -> str:
    return "".join(section.html for section in book.sections)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (its path inside it → its bytes), to compare builds."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
