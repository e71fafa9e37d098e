"""build(): the recipe from manuscript to editions, readable top to bottom."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from publish import outputs
from publish.atomic import all_or_nothing, current
from publish.editions import FORMATS, NEEDS_PDF_LAYOUT, writing_order
from publish.editions.edition import BuildContext, Edition, Written, output_path
from publish.editions.pdf import worker as pdfworker
from publish.editions.pdf.parallel import ParallelPdf
from publish.editions.writers import in_process
from publish.errors import DiagnosticCollector, PublishError
from publish.leftovers import removed_on_failure
from publish.memory import release_free_memory
from publish.model import Book
from publish.progress import Progress, human_size
from publish.reading.manuscript import read_manuscript
from publish.styles import default_styles_dir

__all__ = ["FORMATS", "Written", "build", "modification_time", "output_path"]


def modification_time(book: Book) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the manuscript's date."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return dt.datetime.combine(book.metadata.date, dt.time(), tzinfo=dt.UTC)
    if not re.fullmatch(r"[0-9]+", raw.strip()):
        raise PublishError.at(
            "SOURCE_DATE_EPOCH",
            None,
            f"must be a whole number of seconds since 1970 (as 'date +%s' prints), not '{raw}'",
        )
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise PublishError.at(
            "SOURCE_DATE_EPOCH", None, f"'{raw}' is out of the range of dates"
        ) from None


def build(
    manuscript: Path,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    *,
    styles_dir: Path | None = None,
    report: DiagnosticCollector | None = None,
    on_written: Callable[[Written], None] | None = None,
    on_read: Callable[[Book], None] | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
    worker: pdfworker.PdfWorker | None = None,
    lint: Callable[[], None] | None = None,
) -> list[Written]:
    """Read the manuscript once, then write each requested edition into ``out_dir``.

    ``parallel``: lay out and write the PDF in a second process (see pdfworker) when the machine
    has a second core; for one-off builds from a process without threads (the command line).
    ``worker``: that process, started earlier by the caller; the build ends it, however it ends.
    ``on_read``: told the book once it is read (the preview watches the files it names).
    ``lint``: the editorial lint of ``publish build --lint``; what it raises stops the build
    before anything is written. It runs once the worker has the book (so the lint and the PDF's
    layout overlap), else once the book is read, and also when the manuscript cannot be read,
    before that error is raised, so its findings are never hidden.
    """
    with contextlib.ExitStack() as stack:
        pdf_elsewhere = stack.enter_context(ParallelPdf(worker)) if worker is not None else None
        wanted = tuple(formats)
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown:
            raise PublishError.at(
                Path(manuscript), None, f"unknown format(s): {', '.join(unknown)}"
            )
        styles = styles_dir or default_styles_dir(manuscript)
        if "pdf" not in wanted and pdf_elsewhere is not None:
            pdf_elsewhere.close()
            pdf_elsewhere = None
        if pdf_elsewhere is None and parallel and "pdf" in wanted and pdfworker.available():
            # Started first: it imports WeasyPrint while this process reads the manuscript.
            worker = pdfworker.PdfWorker(manuscript, styles)
            pdf_elsewhere = stack.enter_context(ParallelPdf(worker))
        report = report if report is not None else DiagnosticCollector()
        progress = progress or Progress.silent()
        with progress.step("read") as step:
            try:
                book = read_manuscript(Path(manuscript), report)
            except PublishError:
                if lint is not None:
                    with contextlib.suppress(PublishError):  # the read error is the one to raise
                        lint()
                raise
            step.detail = f"{manuscript} ({len(book.sections)} sections)"
        if on_read is not None:
            on_read(book)  # the preview learns which files the book is made of
        ctx = BuildContext(out_dir, styles, modification_time(book), report, progress)
        outputs.check_distinct(book, Path(out_dir), wanted)  # before anything is written

        # Every edition or none: the renames into out_dir wait until the last edition is written.
        from publish.editions.html import assets_dir

        try:
            with removed_on_failure(assets_dir(out_dir, book)), all_or_nothing():
                _write_editions(book, ctx, wanted, pdf_elsewhere, lint)
        # A final rename failed (the writers turn their own errors into ours).
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise PublishError.at(
                out_dir, None, f"the editions were not all put in place: {reason}"
            ) from None
    if on_written:
        for result in ctx.written:
            on_written(result)
    return ctx.written


def _write_editions(
    book: Book,
    ctx: BuildContext,
    wanted: tuple[str, ...],
    pdf_elsewhere: ParallelPdf | None,
    lint: Callable[[], None] | None,
) -> None:
    editions = in_process()
    with contextlib.ExitStack() as worker_ends:
        if pdf_elsewhere is not None:
            editions["pdf"] = pdf_elsewhere
            worker_ends.callback(pdf_elsewhere.close)  # inside all_or_nothing, whatever stops us
            pdf_elsewhere.submit(book, ctx)
        if lint is not None:
            lint()  # while the worker lays the PDF out; nothing is on disk yet
        if pdf_elsewhere is not None:
            pdf_elsewhere.start_writing()
        _draw_cover(book, ctx, wanted)
        for fmt in writing_order(wanted, pdf_elsewhere is not None):
            if fmt in NEEDS_PDF_LAYOUT and pdf_elsewhere is not None:
                pdf_elsewhere.laid_out()  # waited for outside the edition's own time
            # The worker's PDF is timed from when it was handed the book.
            started = pdf_elsewhere.started if fmt == "pdf" and pdf_elsewhere else None
            _step(editions[fmt], book, ctx, started)


def _draw_cover(book: Book, ctx: BuildContext, wanted: tuple[str, ...]) -> None:
    if "epub" in wanted and book.metadata.cover_image is None:
        # Drawn once and kept for the EPUB. In process its pixel buffers (some 70 MB) go back to
        # the system before WeasyPrint lays out the PDF, instead of adding to the build's peak.
        from publish.editions.cover import generate_cover

        generate_cover(book.metadata, ctx.styles)
        release_free_memory()


def _step(edition: Edition, book: Book, ctx: BuildContext, started: float | None) -> None:
    fmt = edition.format
    with ctx.progress.step(fmt, started=started) as step:
        try:
            result = edition.write(book, ctx)
        except OSError as exc:  # a full disk, a read-only folder: the editor's to fix
            reason = exc.strerror or str(exc)
            raise PublishError.at(
                ctx.out_dir, None, f"the {fmt} edition was not written: {reason}"
            ) from None
        pages = f"{result.pages} pages, " if result.pages is not None else ""
        size = current(result.path).stat().st_size
        step.detail = f"{result.path} ({pages}{human_size(size)})"
    ctx.written.append(result)
