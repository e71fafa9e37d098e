"""Arguments in, exit codes out. Heavy libraries are imported only by the command that needs them,
so ``publish --help`` answers at once."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.editions import FORMATS, writing_order
from publish.lint.options import readability_options, readability_settings

if TYPE_CHECKING:
    from publish.editions.pdf.worker import PdfWorker

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_MANUSCRIPT_DIR = Path("manuscript")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    from publish.errors import PublishError

    try:
        return int(args.run(args))
    except PublishError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(
            "publish: interrupted; the editions in the output folder are unchanged", file=sys.stderr
        )
        return 130


class _Parser(argparse.ArgumentParser):
    """argparse quotes the arguments it refuses: they are shown, never obeyed, by a terminal."""

    def _print_message(self, message: str, file: Any = None) -> None:
        from publish.errors import visible

        shown = "\n".join(visible(line) for line in message.split("\n"))
        super()._print_message(shown, file)


def _version() -> str:
    """The installed distribution's version (pyproject.toml's, through the package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("publish")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="publish",
        description="Turn one Markdown manuscript into a PDF, an EPUB 3 and a web page.",
    )
    parser.add_argument("--version", action="version", version=f"publish {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build the PDF, EPUB and HTML editions and the download page"
    )
    _manuscript_argument(build)
    _output_argument(build)
    build.add_argument(
        "--format",
        type=_format_list,
        default="all",
        metavar="pdf,epub,html,index|all",
        help="which editions to build, separated by commas; index is the download page "
        "(default: all)",
    )
    build.add_argument(
        "--styles",
        type=Path,
        metavar="DIR",
        help="folder with print.css, epub.css and html.css (default: styles/)",
    )
    build.add_argument(
        "--lint",
        action="store_true",
        help="run the editorial lint first (as 'publish lint'); an error stops the build",
    )
    _lint_options(
        build,
        strict_help="refuse front matter keys that would be ignored; with --lint: lint "
        "warnings stop the build too",
    )
    build.set_defaults(run=_run_build)

    check = commands.add_parser(
        "check",
        help="check the built editions: EPUBCheck, Ace, PDF structure, lint, text parity",
    )
    _manuscript_argument(check)
    _output_argument(check)
    check.add_argument(
        "--reports",
        type=Path,
        default=Path("build/check"),
        metavar="DIR",
        help="folder for the tools' full reports (default: build/check)",
    )
    check.add_argument(
        "--skip",
        default="",
        metavar="NAMES",
        help="checks not to run, comma-separated: epubcheck, ace, pdf, lint, parity",
    )
    readability_options(check)
    check.set_defaults(run=_run_check)

    preview = commands.add_parser(
        "preview",
        help="serve the HTML edition and the PDF on localhost; rebuild and reload on save",
    )
    _manuscript_argument(preview)
    preview.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("build/preview"),
        metavar="DIR",
        help="folder for the previewed editions (default: build/preview)",
    )
    preview.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)"
    )
    preview.add_argument("--no-pdf", action="store_true", help="preview the HTML edition only")
    preview.add_argument(
        "--styles", type=Path, metavar="DIR", help="folder with the stylesheets (default: styles/)"
    )
    preview.set_defaults(run=_run_preview)

    lint = commands.add_parser(
        "lint",
        help="check the manuscript against the editorial rules (dosing, claims, citations, "
        "disclaimer, review date)",
    )
    _manuscript_argument(lint)
    _lint_options(lint, strict_help="fail on warnings too")
    lint.add_argument(
        "--grades",
        action="store_true",
        help="print each section's readability score after the findings",
    )
    lint.set_defaults(run=_run_lint)
    return parser


def _lint_options(parser: argparse.ArgumentParser, *, strict_help: str) -> None:
    parser.add_argument("--strict", action="store_true", help=strict_help)
    parser.add_argument(
        "--max-review-age",
        type=_months,
        default=12,
        metavar="MONTHS",
        help="warn when 'reviewed' is older than this (default: 12)",
    )
    readability_options(parser)


def _months(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of months, not '{value}'")
    return int(value)


def _output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("dist"),
        metavar="DIR",
        help="folder for the editions (default: dist)",
    )


def _manuscript_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "manuscript",
        nargs="?",
        type=Path,
        metavar="MANUSCRIPT",
        help="the Markdown manuscript (default: the one .md file in manuscript/)",
    )


def find_manuscript(given: Path | None) -> Path:
    from publish.errors import PublishError

    if given is not None:
        return given
    candidates = sorted(DEFAULT_MANUSCRIPT_DIR.glob("*.md"))
    if len(candidates) != 1:
        found = "none" if not candidates else ", ".join(str(c) for c in candidates)
        raise PublishError.at(
            DEFAULT_MANUSCRIPT_DIR, None, f"name the manuscript to build (found {found})"
        )
    return candidates[0]


def _format_list(value: str) -> str | tuple[str, ...]:
    """``all``, or editions separated by commas: one process for several (as ``make`` asks)."""
    if value == "all":
        return value
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        choices = ", ".join((*FORMATS, "all"))
        raise argparse.ArgumentTypeError(f"unknown format {value!r} (choose from {choices})")
    return tuple(writing_order(names))


def _run_build(args: argparse.Namespace) -> int:
    manuscript = find_manuscript(args.manuscript)
    # The PDF worker starts before this process imports what reads the manuscript: it imports
    # WeasyPrint and parses the print stylesheet meanwhile (see pdfworker).
    from publish.editions.pdf import worker as pdfworker

    wants_pdf = args.format == "all" or "pdf" in args.format
    worker = (
        pdfworker.PdfWorker(manuscript, args.styles)
        if wants_pdf and pdfworker.available()
        else None
    )
    return _build(args, manuscript, worker)  # the build ends the worker, however it ends


def _build(args: argparse.Namespace, manuscript: Path, worker: PdfWorker | None) -> int:
    from publish.build import build
    from publish.errors import DiagnosticCollector
    from publish.progress import Progress

    report = DiagnosticCollector(strict=args.strict)
    formats = FORMATS if args.format == "all" else args.format

    def lint_first() -> None:
        _lint_before_build(manuscript, args)

    try:
        build(
            manuscript,
            args.output,
            formats,
            styles_dir=args.styles,
            report=report,
            progress=Progress(sys.stdout),
            worker=worker,
            lint=lint_first if args.lint else None,
        )
    finally:
        for warning in report.warnings:
            print(warning, file=sys.stderr)
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from publish.checks.report import CHECKS, FAIL, NOT_RUN, failed, run_checks
    from publish.errors import visible
    from publish.progress import Progress
    from publish.reading.manuscript import read_manuscript

    manuscript = find_manuscript(args.manuscript)
    book = read_manuscript(manuscript)
    skip = [name.strip() for name in args.skip.split(",") if name.strip()]
    unknown = sorted(set(skip) - set(CHECKS))
    if unknown:
        print(visible(f"publish: no check named {', '.join(unknown)}"), file=sys.stderr)
        return EXIT_USAGE
    outcomes = run_checks(
        book,
        manuscript,
        args.output,
        args.reports,
        Progress(sys.stdout),
        skip,
        readability=readability_settings(args),
    )
    failures = [o.name for o in outcomes if o.status == FAIL]
    skipped = [o.name for o in outcomes if o.status == NOT_RUN]
    verdict = f"check: {len(failures)} of {len(outcomes)} failed" if failures else "check: passed"
    if failures:
        verdict += f" ({', '.join(failures)})"
    if skipped:
        verdict += f"; not run: {', '.join(skipped)}"
    print(verdict)
    return EXIT_FAILED if failed(outcomes) else EXIT_OK


def _run_lint(args: argparse.Namespace) -> int:
    return EXIT_OK if _lint_passes(find_manuscript(args.manuscript), args) else EXIT_FAILED


def _lint_passes(manuscript: Path, args: argparse.Namespace) -> bool:
    """Findings on stdout, as linters print them; a count on stderr when there are any."""
    from publish.errors import visible
    from publish.lint.plain_language import Score
    from publish.lint.rules import lint

    scores: list[Score] = []
    findings = lint(
        manuscript,
        max_review_age=args.max_review_age,
        readability=readability_settings(args),
        scores=scores,
    )
    for finding in findings:
        print(finding)
    if getattr(args, "grades", False):
        for score in scores:
            print(visible(f"{manuscript}:{score.line or 1}: {score}"))
    errors = sum(1 for f in findings if f.level == "error")
    warnings = len(findings) - errors
    if findings:
        print(f"lint: {errors} error(s), {warnings} warning(s)", file=sys.stderr, flush=True)
    return not (errors or (args.strict and warnings))


def _lint_before_build(manuscript: Path, args: argparse.Namespace) -> None:
    """The lint of ``publish build --lint``, before the build reads the manuscript: when it
    fails, nothing is written."""
    from publish.errors import PublishError

    if not _lint_passes(manuscript, args):
        strict = " (--strict: warnings count)" if args.strict else ""
        raise PublishError.at(
            manuscript, None, f"the editorial lint failed{strict}: no edition was written"
        )


def _run_preview(args: argparse.Namespace) -> int:
    from publish.preview.server import Preview
    from publish.progress import Progress

    preview = Preview(
        find_manuscript(args.manuscript),
        args.output,
        styles_dir=args.styles,
        with_pdf=not args.no_pdf,
        progress=Progress(sys.stdout),
    )
    try:
        server = preview.server(args.port)
    except OSError as exc:
        print(f"publish: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    preview.start()
    port = server.server_address[1]
    print(f"previewing at http://127.0.0.1:{port}/{preview.slug_html} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("publish: preview stopped")
    finally:
        preview.stop()
        server.server_close()
    return EXIT_OK
