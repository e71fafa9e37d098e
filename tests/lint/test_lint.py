"""`publish lint`: each editorial rule broken by a small manuscript, with exact message and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publish.cli import main
from publish.lint.review import months_before
from publish.lint.rules import lint
from support import FIXTURES, REAL_MANUSCRIPT
from support.manuscripts import FRONT, manuscript

LINT = FIXTURES / "lint"
TODAY = dt.date(2026, 11, 26)


def findings(path: Path, **options: object) -> list[str]:
    return [str(d) for d in lint(path, today=TODAY, **options)]  # type: ignore[arg-type]


def test_dosing_amounts_near_taking_words_are_errors() -> None:
    path = LINT / "dosing.md"
    assert findings(path) == [
        f"{path}:13: error: dosing amount '2-5 g' near 'take': this publication gives no dosing "
        "information [dosing]",
        f"{path}:15: error: dosing amount 'A cup' near 'drink': this publication gives no dosing "
        "information [dosing]",
        f"{path}:17: error: dosing amount 'Five grams' near 'dose': this publication gives no "
        "dosing information [dosing]",
    ]  # line 19 weighs samples (no taking), line 21 names no amount


def test_absolute_claims_are_errors_unless_denied() -> None:
    path = LINT / "claims.md"
    message = "say what the evidence shows, or deny the claim [absolute-claim]"
    assert findings(path) == [
        # The title and the summary are checked too, at their lines in the front matter.
        f"{path}:2: error: absolute or curative claim 'Miracle': {message}",
        f"{path}:8: error: absolute or curative claim 'treats depression': {message}",
        f"{path}:14: error: absolute or curative claim 'completely safe': {message}",
        # "It is not expensive, and it cures pain": the negation ends with its clause.
        f"{path}:17: error: absolute or curative claim 'cures': {message}",
        # "Not only does it cure pain" asserts.
        f"{path}:18: error: absolute or curative claim 'cure': {message}",
    ]


def test_a_denied_claim_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "denied.md"
    text = (LINT / "clean.md").read_text(encoding="utf-8")
    denials = (
        "No trial has shown that it treats depression.",
        "There is no evidence that kratom cures anything.",
        "It is unclear whether kratom treats depression.",
        "Kratom has not been proven to help, and it is not completely safe.",
    )
    path.write_text(text + "\n" + "\n".join(denials) + "\n", encoding="utf-8")
    assert findings(path) == []


def test_statistics_without_a_citation_in_their_paragraph_are_warnings() -> None:
    path = LINT / "statistics.md"
    message = "has no citation in its paragraph: cite its source [uncited-statistic]"
    assert findings(path) == [
        f"{path}:9: warning: statistic 'two in three' {message}",
        f"{path}:14: warning: statistic '91%' {message}",
    ]  # not years, crisis and phone numbers, dates, labels, code, addresses, 7-OH or H2O


def test_marker_allows_one_sentence_and_unused_or_unknown_markers_are_reported() -> None:
    path = LINT / "marker.md"
    assert findings(path) == [
        # The sentence after the allowed one is checked as usual.
        f"{path}:13: error: absolute or curative claim 'miracle': say what the evidence shows, "
        "or deny the claim [absolute-claim]",
        f"{path}:15: warning: the lint marker allows 'dosing', but its sentence breaks no such "
        "rule: remove the marker [lint-marker]",
        f"{path}:17: warning: the lint marker names 'everything', which is no rule; rules: "
        "dosing, absolute-claim, uncited-statistic, disclaimer, review-date, hidden-character, "
        "readability [lint-marker]",
    ]


def test_disclaimer_without_a_crisis_line_is_an_error() -> None:
    path = LINT / "no-crisis-line.md"
    assert findings(path) == [
        f"{path}:5: error: the disclaimer gives no crisis line: add one, such as 'call or text "
        "988' (US) and local emergency services elsewhere [disclaimer]"
    ]


def test_missing_disclaimer_is_an_error() -> None:
    path = LINT / "no-disclaimer.md"
    assert findings(path)[-1] == (
        f"{path}:1: error: the front matter has no disclaimer: a health text opens with one "
        "(not medical advice; talk to a clinician; where to get help in a crisis) [disclaimer]"
    )


def _reviewed(tmp_path: Path, reviewed: str | None) -> Path:
    text = (LINT / "clean.md").read_text(encoding="utf-8")
    line = f"reviewed: {reviewed}\n" if reviewed else ""
    path = tmp_path / "reviewed.md"
    path.write_text(text.replace("reviewed: 2026-11-01\n", line), encoding="utf-8")
    return path


def test_review_date_older_than_the_allowed_age_is_a_warning(tmp_path: Path) -> None:
    path = _reviewed(tmp_path, "2025-11-25")
    assert findings(path) == [
        f"{path}:4: warning: last reviewed 2025-11-25, more than 12 months ago: review the text "
        "against its sources and update 'reviewed' [review-date]"
    ]
    assert findings(_reviewed(tmp_path, "2025-11-26")) == []  # exactly twelve months: fine
    assert findings(path, max_review_age=24) == []


def test_missing_review_date_is_a_warning(tmp_path: Path) -> None:
    path = _reviewed(tmp_path, None)
    assert findings(path) == [
        f"{path}:1: warning: the front matter has no 'reviewed' date: say when the text was "
        "last checked against its sources [review-date]"
    ]


def test_months_before_keeps_to_the_calendar() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)


def test_clean_manuscript_reports_nothing_even_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--strict", str(LINT / "clean.md")]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_real_manuscript_passes_strict_with_nothing_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint", "--strict", str(REAL_MANUSCRIPT)]) == 0
    assert capsys.readouterr() == ("", "")


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(LINT / "statistics.md")
    assert main(["lint", path]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and err == "lint: 0 error(s), 2 warning(s)\n"
    assert main(["lint", "--strict", path]) == 1
    assert main(["lint", str(LINT / "dosing.md")]) == 1


def test_review_age_option_must_be_a_number_of_months(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["lint", "--max-review-age", "soon", str(LINT / "clean.md")])
    assert exited.value.code == 2
    assert "must be a whole number of months, not 'soon'" in capsys.readouterr().err


def test_build_with_lint_writes_nothing_when_the_lint_finds_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = manuscript(tmp_path / "book", "# Amounts\n\nSome people take 2-5 g of powder.\n")
    dist = tmp_path / "dist"
    assert main(["build", "--lint", str(path), "-o", str(dist), "--format", "pdf,html"]) == 1
    out, err = capsys.readouterr()
    # The progress line of reading, then the lint's findings, as `publish lint` prints them.
    assert out.splitlines()[0].startswith("read ")
    assert out.splitlines()[1:] == [str(d) for d in lint(path)]
    assert any("[dosing]" in line for line in out.splitlines())
    assert err.splitlines()[-1] == (
        f"{path}: error: the editorial lint failed: no edition was written"
    )
    assert not dist.exists()
    # Without --lint the same manuscript builds: the lint is what stopped it.
    assert main(["build", str(path), "-o", str(dist), "--format", "html"]) == 0


def test_build_with_lint_stops_on_warnings_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No 'reviewed' date in the front matter: a warning, not an error.
    front = FRONT.replace("Not advice.", "Not advice. In a crisis, call or text 988.")
    path = manuscript(tmp_path / "book", "# One\n\nPlain text.\n", front=front)
    dist = tmp_path / "dist"
    assert main(["build", "--lint", str(path), "-o", str(dist), "--format", "html"]) == 0
    built = {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}
    assert "book.html" in built
    out, err = capsys.readouterr()
    assert out.count("[review-date]") == 1
    assert "lint: 0 error(s), 1 warning(s)" in err
    (path.parent / "book.md").write_text(path.read_text().replace("Plain", "Changed"))
    args = ["build", "--lint", "--strict", str(path), "-o", str(dist), "--format", "html"]
    assert main(args) == 1
    assert "the editorial lint failed (--strict: warnings count)" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()} == built


def test_build_with_lint_shows_the_findings_of_a_manuscript_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lint runs while the PDF is laid out; when reading fails first, it still runs."""
    body = "# Amounts\n\nSome people take 2-5 g of powder [@nobody].\n"
    path = manuscript(tmp_path / "book", body)
    dist = tmp_path / "dist"
    assert main(["build", "--lint", str(path), "-o", str(dist)]) == 1
    out, err = capsys.readouterr()
    assert any("[dosing]" in line for line in out.splitlines())
    assert "citation '[@nobody]' but the front matter names no bibliography" in err
    assert not dist.exists()
