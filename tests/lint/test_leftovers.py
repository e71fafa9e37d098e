"""The safety net: syntax printed as text is reported with its line, in lint and check."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.checks import report
from publish.cli import main
from publish.lint import leftovers
from publish.lint.rules import lint
from support import FIXTURES, REAL_MANUSCRIPT

BROKEN = FIXTURES / "lint" / "leftovers.md"


def _leftovers(path: Path) -> list[tuple[int | None, str]]:
    return [(d.line, d.message.split("`")[1]) for d in lint(path) if d.rule == leftovers.RULE]


def test_each_leftover_is_reported_with_its_line() -> None:
    assert _leftovers(BROKEN) == [
        (13, ":::"),
        (15, "{.orphan-class"),
        (17, "+-------+"),
        (19, "|----|"),
        (21, "$$"),
        (23, "\\hfill"),
        (25, "**"),
        (27, "[@"),
        (29, "]{"),
        (29, "{.smallcaps"),
        (31, "[^missing]"),
    ]


def test_the_message_says_what_was_printed_and_asks_what_was_meant() -> None:
    (first, *_) = [d for d in lint(BROKEN) if d.rule == leftovers.RULE]
    assert str(first) == (
        f"{BROKEN}:13: warning: printed as text: `:::`; is this a fenced div (::: on its own "
        "line, then :::)? [leftover-syntax]"
    )


@pytest.mark.parametrize(
    "path",
    [
        REAL_MANUSCRIPT,
        FIXTURES / "features.md",
        FIXTURES / "richtext" / "math-and-code.md",
        FIXTURES / "cited" / "cited.md",
    ],
    ids=lambda p: p.stem,
)
def test_what_is_rendered_is_not_reported(path: Path) -> None:
    assert _leftovers(path) == []


def test_strict_makes_a_leftover_fail_the_lint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BROKEN)]) == 0
    assert main(["lint", "--strict", str(BROKEN)]) == 1
    assert "printed as text: `\\hfill`" in capsys.readouterr().out


def test_publish_check_lists_the_leftovers() -> None:
    outcome = report.lint(BROKEN)
    assert any("printed as text: `$$`" in line and ":21:" in line for line in outcome.details)


@pytest.mark.parametrize(
    "text",
    [
        "$" * 20_000,
        "{." * 20_000,
        "~a" * 20_000,
        "^" + "a" * 50_000,
        "\n# " * 20_000,
        "[@" * 20_000,
    ],
    ids=["dollars", "braces", "tildes", "caret", "hashes", "brackets"],
)
def test_scanning_hostile_text_finds_at_most_one_finding_per_character(text: str) -> None:
    found = list(leftovers.scan(text, starts_block=True))
    assert len(found) <= len(text)
    assert all(len(snippet) <= 100 for _, snippet, _ in found)
