"""The book's labels: the words of its ``lang``, renamed where the front matter says so.

pandoc's ``reference-section-title``, ``toc-title`` and ``abstract-title`` rename the parts it
names; a ``labels:`` mapping (``labels: {figure: Fig.}``) renames any of ``publish.labels.KEYS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish.errors import DiagnosticCollector
from publish.labels import KEYS, PANDOC_KEYS, Labels, labels_for

MAPPING_KEY = "labels"


def choose_labels(
    values: dict[str, Any],
    lines: dict[str, int],
    lang: str,
    path: Path,
    report: DiagnosticCollector,
) -> Labels:
    overrides: dict[str, str] = {}
    given = values.get(MAPPING_KEY)
    if given is not None and not isinstance(given, dict):
        report.error(
            path, lines.get(MAPPING_KEY), "'labels' must be a mapping such as 'figure: Fig.'"
        )
    for key, value in (given or {}).items() if isinstance(given, dict) else ():
        name = str(key).replace("-", "_")
        name = "and_" if name == "and" else name
        if name not in KEYS:
            report.warning(
                path,
                lines.get(MAPPING_KEY),
                f"'labels' has no label '{key}'; the labels are: {', '.join(KEYS)}",
            )
        elif not isinstance(value, str) or not value.strip():
            report.error(path, lines.get(MAPPING_KEY), f"the label '{key}' must be text")
        else:
            overrides[name] = value.strip()
    for key, name in PANDOC_KEYS.items():
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            overrides[name] = value.strip()
    chosen = labels_for(lang, overrides)
    if not chosen.found:
        report.warning(
            path,
            lines.get("lang"),
            f"no labels for the language '{lang}': the book's own words are in English "
            "(name them with a 'labels:' mapping in the front matter)",
        )
    return chosen.labels
