"""What pandoc's citation keys in the front matter ask for: ``csl``, ``nocite``,
``link-citations`` and ``reference-section-title``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.errors import DiagnosticCollector, PublishError
from publish.labels import LABELS
from publish.reading.csl_style import CslStyle, default_style, resolve_style
from publish.reading.frontmatter import FrontMatter

ALL = "*"  # nocite: '@*' lists every entry of the references file
_NOCITE_KEY = re.compile(r"@(\*|\{[^{}\s]+\}|[\w][\w:.#$%&+?<>~/-]*\w|\w)")


@dataclass(frozen=True)
class CitationOptions:
    style: CslStyle = field(default_factory=default_style)
    nocite: tuple[str, ...] = ()  # keys, or ALL
    nocite_line: int | None = None
    link: bool = True
    section_title: str | None = None
    lang: str = "en-US"  # the book's: its CSL locale formats the citations
    default_title: str = LABELS.references  # the list's heading when the author names none


def citation_options(
    manuscript: Path, front: FrontMatter, report: DiagnosticCollector
) -> CitationOptions:
    values, lines = front.values, front.key_lines
    csl = values.get("csl")
    try:
        style = resolve_style(manuscript, csl if isinstance(csl, str) else None, lines.get("csl"))
    except PublishError as exc:
        report.items.extend(exc.diagnostics)
        style = default_style()
    link_value = values.get("link-citations")
    title = values.get("reference-section-title")
    return CitationOptions(
        style=style,
        nocite=nocite_keys(values.get("nocite")),
        nocite_line=lines.get("nocite"),
        # Numbers link to their entries unless the author says not to: readers of a health
        # text check sources, and pandoc's default (no links) is only a default.
        link=not (isinstance(link_value, str) and link_value.strip().lower() in ("false", "no")),
        section_title=title.strip() if isinstance(title, str) and title.strip() else None,
    )


def nocite_keys(value: Any) -> tuple[str, ...]:
    """pandoc's ``nocite``: ``'@a, @b'``, a list of those, or ``'@*'``."""
    texts = value if isinstance(value, list) else [value]
    keys: list[str] = []
    for text in texts:
        if isinstance(text, str):
            keys += [key.strip("{}") for key in _NOCITE_KEY.findall(text)]
    return tuple(dict.fromkeys(keys))
