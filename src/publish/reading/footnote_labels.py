"""A note label defined twice: Python-Markdown keeps the last definition and drops the others
without a word. Say so, naming both lines, so that the author sees which text the reader gets."""

from __future__ import annotations

import re
from pathlib import Path

from publish.errors import DiagnosticCollector
from publish.locate import in_fenced_code

_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


def warn_about_redefined_notes(
    body: str, first_line: int, path: Path, report: DiagnosticCollector
) -> None:
    lines = body.split("\n")
    defined: dict[str, list[int]] = {}
    for offset, (text, code) in enumerate(zip(lines, in_fenced_code(lines), strict=True)):
        found = None if code else _DEFINITION.match(text)
        if found:
            defined.setdefault(found.group(1).casefold(), []).append(first_line + offset)
    for label, where in defined.items():
        for line in where[:-1]:
            report.warning(
                path,
                line,
                f"the note '[^{label}]' is defined again on line {where[-1]}: the definition "
                f"on line {where[-1]} is kept and this one is left out; give one of them "
                "another label",
            )
