"""Validate the front matter mapping and turn it into ``Metadata``.

Names follow pandoc's so that a manuscript written for pandoc reads here (``abstract`` is the
summary, ``tags`` the keywords, ``author`` objects carry affiliations and ORCID iDs). Every
problem is collected with the line of its key, so an editor sees them all in one run.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from publish.errors import DiagnosticCollector
from publish.labels import Labels
from publish.model import Metadata
from publish.reading import authors as author_forms
from publish.reading.book_labels import MAPPING_KEY, choose_labels
from publish.reading.dates import DateError, WrittenDate, parse_date
from publish.reading.foreign_keys import check_unknown_keys
from publish.reading.frontmatter import FrontMatter
from publish.safety.cover_image import cover_problem

# The summary's names, in the order one is chosen: ours, pandoc's, then the site generators'.
SUMMARY_KEYS = ("summary", "abstract", "description")
REQUIRED_KEYS = ("title", "date", "disclaimer", "summary")
TEXT_KEYS = (
    "title", "subtitle", "date", "lang", "identifier", "publisher", "rights",
    *SUMMARY_KEYS, "disclaimer", "reviewed", "bibliography", "papersize", "cover-image",
    "dir", "toc", "toc-depth", "numbersections", "number-sections", "csl", "link-citations",
    "reference-section-title", "shift-heading-level-by", "toc-title", "abstract-title",
    "keep-image-metadata",
)  # fmt: skip
LIST_KEYS = ("keywords", "tags", "nocite")
# ``readability`` holds the lint's thresholds (publish.lint.plain_language reads it).
STRUCTURED_KEYS = (
    "author", "authors", MAPPING_KEY, "readability", *author_forms.AFFILIATION_TABLES
)  # fmt: skip
KNOWN_KEYS = frozenset(TEXT_KEYS + LIST_KEYS + STRUCTURED_KEYS)
PAPER_SIZES = ("letter", "a4", "a5")
DEFAULT_LANG = "en-US"
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")

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


def summary_key(values: dict[str, Any]) -> str:
    """The key whose value is the summary: ``summary``, else ``abstract``, else ``description``."""
    return next((k for k in SUMMARY_KEYS if not _is_blank(values.get(k))), "summary")


def parse_metadata(front: FrontMatter, path: Path, report: DiagnosticCollector) -> Metadata | None:
    """Return the metadata, or ``None`` after recording every problem found in ``report``."""
    values, lines = front.values, front.key_lines
    errors_before = len(report.errors)
    check_unknown_keys(
        (str(k) for k in values), KNOWN_KEYS, lines, path, report, strict=report.strict
    )

    chosen_summary = summary_key(values)
    present = {**values, "summary": values.get(chosen_summary)}
    for unused in SUMMARY_KEYS:
        if unused != chosen_summary and not _is_blank(values.get(unused)):
            report.warning(
                path,
                lines.get(unused),
                f"'{unused}' is not used: '{chosen_summary}' is the summary",
            )
    missing = [k for k in REQUIRED_KEYS if _is_blank(present.get(k))]
    if missing:
        listed = ", ".join(
            "'summary' (or 'abstract')" if k == "summary" else f"'{k}'" for k in missing
        )
        why = (
            " (a health text does not build without its disclaimer)"
            if "disclaimer" in missing
            else ""
        )
        report.error(
            path,
            1,
            f"front matter is missing required key(s): {listed}{why}; add each as 'key: value'",
        )

    text: dict[str, str] = {}
    for key in TEXT_KEYS:
        if key in present and present[key] is not None:
            value = present[key]
            if not isinstance(value, str):
                report.error(path, lines.get(key), f"'{key}' must be text, not a {_kind(value)}")
            elif value.strip():
                text[key] = value.strip()
    lists: dict[str, tuple[str, ...]] = {}
    for key in LIST_KEYS:
        lists[key] = _text_list(values.get(key), key, path, lines.get(key), report)

    def author_problem(key: str, message: str, error: bool) -> None:
        (report.error if error else report.warning)(path, lines.get(key), message)

    authors = author_forms.read_authors(values, author_problem)
    lang = text.get("lang", DEFAULT_LANG)
    # Numeric dates are read in the order of the language the author named, never a default's.
    date_lang = text["lang"] if "lang" in text and is_bcp47(text["lang"]) else None
    date = _date(text.get("date"), "date", date_lang, path, lines, report)
    reviewed = _date(text.get("reviewed"), "reviewed", date_lang, path, lines, report)
    if not is_bcp47(lang):
        report.error(
            path, lines.get("lang"), f"'lang' must be a BCP 47 tag such as en-US, not '{lang}'"
        )
    labels = choose_labels(values, lines, lang, path, report) if is_bcp47(lang) else None
    direction = text.get("dir")
    if direction is not None and direction.lower() not in ("ltr", "rtl"):
        report.error(path, lines.get("dir"), f"'dir' must be rtl or ltr, not '{direction}'")
    papersize = text.get("papersize")
    if papersize is not None and papersize.lower() not in PAPER_SIZES:
        report.error(
            path,
            lines.get("papersize"),
            f"'papersize' must be one of {', '.join(PAPER_SIZES)}, not '{papersize}'",
        )
    toc_depth = _whole_number(text, "toc-depth", 1, 6, path, lines, report)
    numbered = [_flag(text, k, path, lines, report) for k in ("numbersections", "number-sections")]
    toc = _flag(text, "toc", path, lines, report) if "toc" in text else True
    _flag(text, "link-citations", path, lines, report)
    keep_image_metadata = _flag(text, "keep-image-metadata", path, lines, report)
    _whole_number(text, "shift-heading-level-by", -5, 5, path, lines, report)
    cover_image = text.get("cover-image")
    if cover_image is not None:
        problem = cover_problem(path.parent, cover_image)
        if problem:
            report.error(path, lines.get("cover-image"), problem)
    if len(report.errors) > errors_before or date is None:
        return None

    title = text["title"]
    names = tuple(author.name for author in authors)
    identifier = text.get("identifier") or derived_identifier(title, names)
    return Metadata(
        title=title,
        subtitle=text.get("subtitle"),
        authors=names,
        date=date.day,
        date_text=date.text,
        lang=lang,
        identifier=identifier,
        publisher=text.get("publisher"),
        rights=text.get("rights"),
        keywords=tuple(dict.fromkeys(lists["keywords"] + lists["tags"])),
        reviewed=reviewed.day if reviewed else None,
        papersize=papersize.lower() if papersize else None,
        cover_image=text.get("cover-image"),
        author_details=authors,
        direction=direction.lower() if direction else None,
        toc_depth=toc_depth,
        toc=toc,
        number_sections=any(numbered),
        keep_image_metadata=keep_image_metadata,
        labels=labels or Labels(),
    )


def derived_identifier(title: str, authors: tuple[str, ...]) -> str:
    """A stable URN: the same title and authors give the same identifier on every build."""
    name = "\n".join((title, *authors))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:' + name)}"


def _date(
    value: str | None,
    key: str,
    lang: str | None,
    path: Path,
    lines: dict[str, int],
    report: DiagnosticCollector,
) -> WrittenDate | None:
    if value is None:
        return None
    try:
        return parse_date(value, lang)
    except DateError as exc:
        report.error(path, lines.get(key), f"'{key}': {exc}")
        return None


def flag(value: str | None) -> bool | None:
    """A yes/no front-matter value as text (``true``, ``yes``, ``on`` and their opposites)."""
    if value is None:
        return None
    lowered = value.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else None


def _flag(
    text: dict[str, str], key: str, path: Path, lines: dict[str, int], report: DiagnosticCollector
) -> bool:
    value = text.get(key)
    result = flag(value)
    if value is not None and result is None:
        report.error(path, lines.get(key), f"'{key}' must be true or false, not '{value}'")
    return bool(result)


def whole_number(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"[+-]?\d{1,3}", value.strip()):
        return None
    return int(value)


def _whole_number(
    text: dict[str, str],
    key: str,
    low: int,
    high: int,
    path: Path,
    lines: dict[str, int],
    report: DiagnosticCollector,
) -> int | None:
    value = text.get(key)
    number = whole_number(value)
    if value is not None and (number is None or not low <= number <= high):
        report.error(
            path,
            lines.get(key),
            f"'{key}' must be a whole number from {low} to {high}, not '{value}'",
        )
        return None
    return number


def _text_list(
    value: Any, key: str, path: Path, line: int | None, report: DiagnosticCollector
) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
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
