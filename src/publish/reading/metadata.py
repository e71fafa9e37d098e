"""Validate the front matter mapping and turn it into ``Metadata``.

Names follow pandoc's so that a manuscript written for pandoc reads here. Every problem is
collected with the line of its key, so an editor sees them all in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
from pathlib import Path
from typing import Any

from publish.errors import DiagnosticCollector
from publish.model import Metadata
from publish.reading.frontmatter import FrontMatter
from publish.safety.cover_image import cover_problem

REQUIRED_KEYS = ("title", "date", "disclaimer", "summary")
TEXT_KEYS = (
    "title", "subtitle", "date", "lang", "identifier", "publisher", "rights",
    "summary", "disclaimer", "reviewed", "bibliography", "papersize", "cover-image",
)  # fmt: skip
LIST_KEYS = ("author", "keywords")
KNOWN_KEYS = frozenset(TEXT_KEYS + LIST_KEYS)
PAPER_SIZES = ("letter", "a4", "a5")
DEFAULT_LANG = "en-US"

# RFC 5646 well-formed tags (language, script, region, variants, extensions, private use).
_BCP47 = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
    r"(?:-[a-wy-z\d](?:-[a-z\d]{2,8})+)*"
    r"(?:-x(?:-[a-z\d]{1,8})+)?$",
    re.IGNORECASE,
)


def is_bcp47(tag: str) -> bool:
    return bool(_BCP47.match(tag))


def parse_metadata(front: FrontMatter, path: Path, report: DiagnosticCollector) -> Metadata | None:
    """Return the metadata, or ``None`` after recording every problem found in ``report``."""
    values, lines = front.values, front.key_lines
    errors_before = len(report.errors)

    for key in values:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(str(key), sorted(KNOWN_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {_known()}"
            report.error(path, lines.get(str(key)), f"unknown front matter key '{key}'{hint}")

    missing = [k for k in REQUIRED_KEYS if _is_blank(values.get(k))]
    if missing:
        names = ", ".join(f"'{k}'" for k in missing)
        why = (
            " (a health text does not build without its disclaimer)"
            if "disclaimer" in missing
            else ""
        )
        report.error(
            path,
            1,
            f"front matter is missing required key(s): {names}{why}; add each as 'key: value'",
        )

    text: dict[str, str] = {}
    for key in TEXT_KEYS:
        if key in values and values[key] is not None:
            value = values[key]
            if not isinstance(value, str):
                report.error(path, lines.get(key), f"'{key}' must be text, not a {_kind(value)}")
            elif value.strip():
                text[key] = value.strip()
    lists: dict[str, tuple[str, ...]] = {}
    for key in LIST_KEYS:
        lists[key] = _text_list(values.get(key), key, path, lines.get(key), report)

    date = _date(text.get("date"), "date", path, lines, report)
    reviewed = _date(text.get("reviewed"), "reviewed", path, lines, report)
    lang = text.get("lang", DEFAULT_LANG)
    if not is_bcp47(lang):
        report.error(
            path, lines.get("lang"), f"'lang' must be a BCP 47 tag such as en-US, not '{lang}'"
        )
    papersize = text.get("papersize")
    if papersize is not None and papersize.lower() not in PAPER_SIZES:
        report.error(
            path,
            lines.get("papersize"),
            f"'papersize' must be one of {', '.join(PAPER_SIZES)}, not '{papersize}'",
        )
    cover_image = text.get("cover-image")
    if cover_image is not None:
        problem = cover_problem(path.parent, cover_image)
        if problem:
            report.error(path, lines.get("cover-image"), problem)
    if len(report.errors) > errors_before or date is None:
        return None

    title = text["title"]
    authors = lists["author"]
    identifier = text.get("identifier") or derived_identifier(title, authors)
    return Metadata(
        title=title,
        subtitle=text.get("subtitle"),
        authors=authors,
        date=date,
        lang=lang,
        identifier=identifier,
        publisher=text.get("publisher"),
        rights=text.get("rights"),
        keywords=lists["keywords"],
        reviewed=reviewed,
        papersize=papersize.lower() if papersize else None,
        cover_image=text.get("cover-image"),
    )


def derived_identifier(title: str, authors: tuple[str, ...]) -> str:
    """A stable URN: the same title and authors give the same identifier on every build."""
    name = "\n".join((title, *authors))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:' + name)}"


def _date(
    value: str | None, key: str, path: Path, lines: dict[str, int], report: DiagnosticCollector
) -> dt.date | None:
    if value is None:
        return None
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d)(?:[T ].*)?", value)
    if not match:
        report.error(
            path, lines.get(key), f"'{key}' must be a date written YYYY-MM-DD, not '{value}'"
        )
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError as exc:
        report.error(
            path,
            lines.get(key),
            f"'{key}' is not a real date ({value}: {exc}); write it as YYYY-MM-DD",
        )
        return None


def _text_list(
    value: Any, key: str, path: Path, line: int | None, report: DiagnosticCollector
) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]  # pandoc's structured author: {name: ..., affiliation: ...}
        if not isinstance(item, str):
            report.error(path, line, f"'{key}' must be text or a list of text, not a {_kind(item)}")
        elif item.strip():
            result.append(item.strip())
    return tuple(result)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else type(value).__name__


def _known() -> str:
    return ", ".join(sorted(KNOWN_KEYS))
