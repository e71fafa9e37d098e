"""The review-date rule: a health text says when it was last checked against its sources, and
that date is neither in the future nor older than the allowed age."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from publish.errors import DiagnosticCollector
from publish.reading.frontmatter import FrontMatter

REVIEW = "review-date"


def check_review(
    reviewed: dt.date | None,
    front: FrontMatter,
    path: Path,
    max_age: int,
    today: dt.date,
    report: DiagnosticCollector,
) -> None:
    line = front.key_lines.get("reviewed")
    if reviewed is None:
        report.warning(
            path,
            1,
            "the front matter has no 'reviewed' date: say when the text was last checked "
            "against its sources",
            rule=REVIEW,
        )
    elif reviewed > today:
        report.warning(
            path, line, f"'reviewed' is {reviewed.isoformat()}, a date in the future", rule=REVIEW
        )
    elif reviewed < months_before(today, max_age):
        report.warning(
            path,
            line,
            f"last reviewed {reviewed.isoformat()}, more than {max_age} months ago: review the "
            "text against its sources and update 'reviewed'",
            rule=REVIEW,
        )


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
