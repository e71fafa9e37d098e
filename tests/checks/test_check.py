"""`publish check`: the parity check, the PDF structure check, and the report as a whole."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from publish.checks.parity import compare, normalise
from publish.checks.pdf_structure import not_embedded, structure_problems
from publish.checks.report import FAIL, PASS, ace_outcome, epubcheck_outcome
from publish.progress import Progress
from publish.reading.manuscript import read_manuscript
from support import ROOT, Built, require_tool


def test_the_editions_read_the_same(edition: Built) -> None:
    require_tool("pdftotext")
    book = read_manuscript(edition.manuscript)
    titles = (book.metadata.title, book.metadata.full_title)
    parts, differences = compare(edition.pdf, edition.epub, edition.html, titles)
    assert [p.key for p in parts] == ["disclaimer", "summary"] + [
        f"section-{s.anchor}" for s in book.sections
    ]
    assert differences == []


def _copy_editions(built: Built, to: Path) -> Built:
    to.mkdir()
    copies = [Path(shutil.copy(p, to / p.name)) for p in (built.pdf, built.epub, built.html)]
    shutil.copytree(
        built.html.with_name(f"{built.html.stem}_files"), to / f"{built.html.stem}_files"
    )
    return Built(built.manuscript, *copies, built.index)


def test_a_word_changed_in_one_edition_is_found(minimal: Built, tmp_path: Path) -> None:
    require_tool("pdftotext")
    copy = _copy_editions(minimal, tmp_path / "dist")
    html = copy.html.read_text(encoding="utf-8")
    assert html.count("can cause dependence") == 1
    copy.html.write_text(html.replace("can cause dependence", "can cause harm"), encoding="utf-8")
    _, differences = compare(copy.pdf, copy.epub, copy.html)
    assert {(d.part, d.edition) for d in differences} == {("Risks", "EPUB"), ("Risks", "PDF")}
    assert all("'dependence.'" in d.detail and "'harm.'" in d.detail for d in differences)


def test_text_missing_from_the_epub_is_found(minimal: Built, tmp_path: Path) -> None:
    require_tool("pdftotext")
    copy = _copy_editions(minimal, tmp_path / "dist")
    with zipfile.ZipFile(minimal.epub) as source, zipfile.ZipFile(copy.epub, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if b"In a crisis" in data:
                data = data.replace(b"In a crisis, call", b"Call")
            target.writestr(info, data)
    _, differences = compare(copy.pdf, copy.epub, copy.html)
    assert [(d.part, d.edition) for d in differences] == [("Medical Disclaimer", "EPUB")]
    assert differences[0].detail.endswith("it has 'Call' for 'In a crisis, call'")


def test_normalising_undoes_typesetting_not_words() -> None:
    assert (
        normalise("de\u00adpres-\nsion of\ufb01ce", line_breaks_are_soft=True)
        == "depression office"
    )
    assert normalise("stimulant-\nlike", line_breaks_are_soft=True) == normalise("stimulant-like")
    assert normalise("a  b\n c") == "a b c"
    assert normalise("mood") != normalise("moods")


def test_pdf_structure_problems_match_what_pikepdf_reads(minimal: Built) -> None:
    book = read_manuscript(minimal.manuscript)
    problems = structure_problems(minimal.pdf, book.metadata)
    with pikepdf.open(minimal.pdf) as pdf:
        tagged = "/StructTreeRoot" in pdf.Root and bool(
            pdf.Root.get("/MarkInfo", {}).get("/Marked")
        )
    assert any(p.startswith("not tagged") for p in problems) == (not tagged)
    assert not any(p.startswith(("fonts not embedded", "no outline", "document")) for p in problems)


def test_a_title_that_is_not_the_manuscripts_is_reported(minimal: Built) -> None:
    book = read_manuscript(minimal.manuscript)
    wrong = type(book.metadata)(**{**book.metadata.__dict__, "title": "Another Book"})
    problems = structure_problems(minimal.pdf, wrong)
    assert "document title is 'Kratom: A Short Note', not 'Another Book'" in problems


def test_a_font_outside_the_file_is_reported(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200]))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.pages.append(page)
    pdf.save(tmp_path / "unembedded.pdf")
    import pypdf

    assert not_embedded(pypdf.PdfReader(tmp_path / "unembedded.pdf")) == {"Helvetica"}


def test_progress_reports_each_step_and_shows_a_long_one_is_alive() -> None:
    log = io.StringIO()
    progress = Progress(log, live=False, log_every=0.05)
    with progress.step("pdf") as step:
        time.sleep(0.18)
        step.detail = "dist/book.pdf (3 pages, 20 KB)"
    lines = log.getvalue().splitlines()
    assert re.fullmatch(r"pdf\s+still running after 0 s", lines[0])
    assert re.fullmatch(r"pdf\s+0\.[12]\d s  dist/book\.pdf \(3 pages, 20 KB\)", lines[-1])
    assert "\r" not in log.getvalue()

    terminal = io.StringIO()
    with Progress(terminal, live=True).step("epub"):
        time.sleep(0.25)
    assert "\r| epub" in terminal.getvalue() and terminal.getvalue().endswith(" s\n")


def test_epubcheck_errors_and_warnings_fail_with_their_places() -> None:
    report = {
        "checker": {"nFatal": 0, "nError": 1, "nWarning": 1},
        "messages": [
            {
                "ID": "RSC-005",
                "severity": "ERROR",
                "message": "Error while parsing file",
                "locations": [{"path": "EPUB/section-01.xhtml", "line": 12}],
            }
        ],
    }
    outcome = epubcheck_outcome(report)
    assert (outcome.status, outcome.summary) == (FAIL, "0 fatal, 1 errors, 1 warnings")
    assert outcome.details == ("ERROR RSC-005 EPUB/section-01.xhtml:12: Error while parsing file",)
    clean = {"checker": {"nFatal": 0, "nError": 0, "nWarning": 0}, "messages": []}
    assert epubcheck_outcome(clean).status == PASS


def test_ace_verdict_follows_the_summary_script() -> None:
    summary = (
        "Ace outcome: fail; violations: 2\n  critical: 0\n  serious: 1\n  moderate: 1\n"
        "  minor: 0\nSERIOUS epub-lang @ EPUB/content.opf: Publications must declare a language\n"
    )
    outcome = ace_outcome(summary, 1)
    assert outcome.status == FAIL
    assert outcome.summary == "critical 0, serious 1, moderate 1, minor 0"
    assert outcome.details == (
        "SERIOUS epub-lang @ EPUB/content.opf: Publications must declare a language",
    )
    assert ace_outcome(summary.replace("serious: 1", "serious: 0"), 0).status == PASS


@pytest.fixture(scope="session")
def check_run(
    real: Built, tmp_path_factory: pytest.TempPathFactory
) -> subprocess.CompletedProcess[str]:
    # EPUBCheck and Ace have their own tests, and CI runs `make check` in full after the tests;
    # here they are skipped so that the report itself is tested without a minute of tools.
    require_tool("pdftotext", "the parity check")
    reports = tmp_path_factory.mktemp("reports")
    command = [sys.executable, "-m", "publish", "check", str(real.manuscript)]
    command += ["-o", str(real.pdf.parent), "--reports", str(reports), "--skip", "epubcheck,ace"]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=600,
    )


def test_check_reports_every_check_once_with_a_verdict(
    check_run: subprocess.CompletedProcess[str],
) -> None:
    lines = check_run.stdout.splitlines()
    verdicts = {
        m.group(1): m.group(2)
        for m in (re.match(r"(\w+)\s+[\d.]+ s  (PASS|FAIL|NOT RUN)", line) for line in lines)
        if m
    }
    assert list(verdicts) == ["epubcheck", "ace", "pdf", "lint", "parity"]
    assert verdicts["epubcheck"] == verdicts["ace"] == "NOT RUN"
    assert "skipped on request" in check_run.stdout
    assert verdicts["parity"] == verdicts["pdf"] == verdicts["lint"] == "PASS"
    assert check_run.returncode == (1 if "FAIL" in verdicts.values() else 0), check_run.stdout
    assert lines[-1].startswith("check: ")
    assert "not run: epubcheck, ace" in lines[-1]


def test_check_refuses_an_unknown_check_name(real: Built) -> None:
    from publish.cli import main

    assert main(["check", str(real.manuscript), "--skip", "spelling"]) == 2
