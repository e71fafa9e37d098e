"""Front-matter keys publish does not read: ignored with one warning, or a likely typo.

Manuscripts come from pandoc, Quarto, R Markdown, Jekyll, Hugo and JOSS with keys for those
tools (``format``, ``layout``, ``header-includes``, …). Refusing them would send editors back to
pandoc, so they are ignored and listed once; ``strict`` (``publish build --strict``) refuses
them. A key that looks like a misspelling of one of ours (``disclamer``) stays an error: a
health text whose disclaimer is silently dropped must not build. The keys of other tools are
data (``data/foreign_keys.yaml``), so that a key of theirs that happens to resemble one of ours
(``creator``, ``references``) is not taken for a typo.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from publish.errors import DiagnosticCollector

TYPO_CUTOFF = 0.8  # difflib's ratio: 'disclamer' → 'disclaimer' is 0.95, 'output' → none


@cache
def foreign_keys() -> dict[str, str]:
    """Each known key of another tool → the tool that reads it."""
    text = resources.files("publish").joinpath("data/foreign_keys.yaml").read_text("utf-8")
    tools: dict[str, list[str]] = yaml.safe_load(text)
    return {key: tool for tool, keys in tools.items() for key in keys}


def check_unknown_keys(
    keys: Iterable[str],
    ours: frozenset[str],
    lines: dict[str, int],
    path: Path,
    report: DiagnosticCollector,
    *,
    strict: bool,
) -> None:
    """Report each typo of ours as an error, and every other unread key in one finding."""
    ignored: list[str] = []
    for key in keys:
        if key in ours:
            continue
        if key not in foreign_keys():
            close = difflib.get_close_matches(key, sorted(ours), n=1, cutoff=TYPO_CUTOFF)
            if close:
                report.error(
                    path,
                    lines.get(key),
                    f"unknown front matter key '{key}'; did you mean '{close[0]}'?",
                )
                continue
        ignored.append(key)
    if not ignored:
        return
    listed = ", ".join(
        f"'{key}' (line {lines[key]})" if key in lines else f"'{key}'" for key in ignored
    )
    first = lines.get(ignored[0])
    if strict:
        report.error(
            path,
            first,
            f"front matter keys publish does not read: {listed}; remove them "
            "(--strict refuses keys that would be ignored)",
        )
    else:
        report.warning(
            path, first, f"front matter keys ignored (publish does not read them): {listed}"
        )
