"""build(): the recipe from manuscript to editions, readable top to bottom."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from publish import outputs
from publish.atomic import all_or_nothing, current, replacing
from publish.editions.pdf import worker as pdfworker
from publish.editions.pdf.pagemap import PageMap
from publish.errors import DiagnosticCollector, PublishError
from publish.memory import release_free_memory
from publish.model import Book
from publish.progress import Progress, human_size
from publish.reading.manuscript import read_manuscript
from publish.styles import default_styles_dir

FORMATS = ("pdf", "epub", "html", "index")  # "index": the download page, after the editions


@dataclass(frozen=True)
class Written:
    """One edition written to disk, with what the editor wants to see about it."""

    path: Path
    format: str
    seconds: float
    pages: int | None = None
    # Where each PDF page begins, for the EPUB's page list (see pagemap).
    page_map: PageMap | None = field(default=None, compare=False, repr=False)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def modification_time(book: Book) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the manuscript's date."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return dt.datetime.combine(book.metadata.date, dt.time(), tzinfo=dt.UTC)
    if not re.fullmatch(r"[0-9]+", raw.strip()):
        raise PublishError.at(
            Path("SOURCE_DATE_EPOCH"),
            None,
            f"must be a whole number of seconds since 1970 (as 'date +%s' prints), not '{raw}'",
        )
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise PublishError.at(
            Path("SOURCE_DATE_EPOCH"), None, f"'{raw}' is out of the range of dates"
        ) from None


def output_path(out_dir: Path, book: Book, extension: str) -> Path:
    """``out_dir/<slug>.<ext>``: the slug is made only of safe characters, so it stays inside."""
    return out_dir / f"{book.slug}.{extension}"


def build(
    manuscript: Path,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    *,
    styles_dir: Path | None = None,
    report: DiagnosticCollector | None = None,
    on_written: Callable[[Written], None] | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
    worker: pdfworker.PdfWorker | None = None,
    lint: Callable[[], None] | None = None,
) -> list[Written]:
    """Read the manuscript once, then write each requested edition into ``out_dir``.

    ``parallel``: lay out and write the PDF in a second process (see pdfworker) when the machine
    has a second core; for one-off builds from a process without threads (the command line).
    ``worker``: that process, started earlier by the caller; the build ends it.
    ``lint``: the editorial lint of ``publish build --lint``; what it raises stops the build
    before anything is written. It runs once the worker has the book (so the lint and the PDF's
    layout overlap), else once the book is read, and also when the manuscript cannot be read,
    before that error is raised, so its findings are never hidden.
    """
    wanted = tuple(formats)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise PublishError.at(Path(manuscript), None, f"unknown format(s): {', '.join(unknown)}")
    styles = styles_dir or default_styles_dir(manuscript)
    report = report if report is not None else DiagnosticCollector()
    progress = progress or Progress.silent()

    with contextlib.ExitStack() as stack:
        if worker is None and parallel and "pdf" in wanted and pdfworker.available():
            # Started first: it imports WeasyPrint while this process reads the manuscript.
            worker = pdfworker.PdfWorker(manuscript, styles)
        if worker is not None:
            stack.callback(worker.close)
            if "pdf" not in wanted:
                worker.close()
                worker = None
        with progress.step("read") as step:
            try:
                book = read_manuscript(Path(manuscript), report)
            except PublishError:
                if lint is not None:
                    with contextlib.suppress(PublishError):  # the read error is the one to raise
                        lint()
                raise
            step.detail = f"{manuscript} ({len(book.sections)} sections)"
        modified = modification_time(book)
        outputs.check_distinct(book, Path(out_dir), wanted)  # before anything is written

        # Every edition or none: the renames into out_dir wait until the last edition is written.
        written: list[Written] = []
        editions = _Editions(book, out_dir, styles, modified, report, progress, written)
        try:
            with all_or_nothing():
                editions.write(wanted, worker, lint)
        # A final rename failed (the writers turn their own errors into ours).
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise PublishError.at(
                out_dir, None, f"the editions were not all put in place: {reason}"
            ) from None
    if on_written:
        for result in written:
            on_written(result)
    return written


@dataclass
class _Editions:
    """Writes the wanted editions, in process or with the PDF in a worker process."""

    book: Book
    out_dir: Path
    styles: Path
    modified: dt.datetime
    report: DiagnosticCollector
    progress: Progress
    written: list[Written]

    def write(
        self,
        wanted: tuple[str, ...],
        worker: pdfworker.PdfWorker | None,
        lint: Callable[[], None] | None,
    ) -> None:
        with contextlib.ExitStack() as pdf_file:
            submitted = time.perf_counter()
            if worker is not None:
                pdf_file.callback(worker.close)  # also when the lint stops the build
                worker.submit(self.book, self.styles, output_path(self.out_dir, self.book, "pdf"))
            if lint is not None:
                lint()  # while the worker lays the PDF out; nothing is on disk yet
            in_worker = None
            if worker is not None:
                in_worker = self._start_pdf(worker, pdf_file, submitted)
            self._draw_cover(wanted)
            if in_worker is None:
                for fmt in wanted:
                    self._step(fmt, functools.partial(self._write, fmt))
                return
            # What needs nothing from the PDF first, while the worker lays it out; the EPUB
            # once the pages are known; the download page once the PDF is written.
            for fmt in sorted(wanted, key=("html", "epub", "pdf", "index").index):
                if fmt == "pdf":
                    self._step("pdf", in_worker.finish, started=in_worker.started)
                elif fmt == "epub":
                    in_worker.laid_out()  # waited for outside the EPUB's own time
                    self._step("epub", functools.partial(self._write, "epub", in_worker.page_map))
                else:
                    self._step(fmt, functools.partial(self._write, fmt))

    def _start_pdf(
        self, worker: pdfworker.PdfWorker, pdf_file: contextlib.ExitStack, submitted: float
    ) -> _PdfInWorker:
        target = output_path(self.out_dir, self.book, "pdf")
        temporary = pdf_file.enter_context(replacing(target))
        # Unwound first: the worker has ended before its temporary file is kept or removed.
        pdf_file.callback(worker.close)
        worker.write_to(temporary)
        return _PdfInWorker(worker, self, target, pdf_file, submitted)

    def _draw_cover(self, wanted: tuple[str, ...]) -> None:
        if "epub" in wanted and self.book.metadata.cover_image is None:
            # Drawn once and kept for the EPUB. In process its pixel buffers (some 70 MB) go
            # back to the system before WeasyPrint lays out the PDF, instead of adding to the
            # build's peak.
            from publish.editions.cover import generate_cover

            generate_cover(self.book.metadata, self.styles)
            release_free_memory()

    def _step(
        self, fmt: str, write: Callable[[], Written], *, started: float | None = None
    ) -> None:
        with self.progress.step(fmt, started=started) as step:
            try:
                result = write()
            except OSError as exc:  # a full disk, a read-only folder: the editor's to fix
                reason = exc.strerror or str(exc)
                raise PublishError.at(
                    self.out_dir, None, f"the {fmt} edition was not written: {reason}"
                ) from None
            pages = f"{result.pages} pages, " if result.pages is not None else ""
            size = current(result.path).stat().st_size
            step.detail = f"{result.path} ({pages}{human_size(size)})"
        self.written.append(result)

    def _write(self, fmt: str, page_map: Callable[[], PageMap] | None = None) -> Written:
        """``page_map``: where the PDF's pages begin, when the PDF is still being written."""
        pdf = next((w for w in self.written if w.format == "pdf"), None)
        pages = page_map() if page_map is not None else None
        return _write(
            fmt, self.book, self.out_dir, self.styles, self.modified, self.report, pdf, pages
        )


class _PdfInWorker:
    """The PDF as the worker process makes it: first where its pages begin, then the file."""

    def __init__(
        self,
        worker: pdfworker.PdfWorker,
        editions: _Editions,
        target: Path,
        pdf_file: contextlib.ExitStack,
        started: float,
    ) -> None:
        self.worker, self.editions, self.target, self.pdf_file = worker, editions, target, pdf_file
        self.started = started
        self._laid_out: pdfworker.Pages | None = None

    def laid_out(self) -> pdfworker.Pages:
        if self._laid_out is None:
            self._laid_out = self.worker.laid_out()
            from publish.editions.pdf.writer import save_page_map

            book, styles = self.editions.book, self.editions.styles
            save_page_map(self._laid_out.page_map, book, self.target, styles)
        return self._laid_out

    def page_map(self) -> PageMap:
        return self.laid_out().page_map

    def finish(self) -> Written:
        laid_out = self.laid_out()
        # This process only waits from here on, while the worker reaches the build's peak
        # memory writing the PDF: what reading the manuscript and writing the other editions
        # left behind goes back to the system first (about 10 MB on a long book).
        gc.collect()
        release_free_memory()
        self.worker.written(self.editions.report)
        self.pdf_file.close()  # the worker has ended; its file joins the staged editions
        seconds = time.perf_counter() - self.started
        return Written(self.target, "pdf", seconds, laid_out.pages, laid_out.page_map)


def _write(
    fmt: str,
    book: Book,
    out_dir: Path,
    styles: Path,
    modified: dt.datetime,
    report: DiagnosticCollector,
    pdf: Written | None = None,
    page_map: PageMap | None = None,
) -> Written:
    """Write one edition; ``pdf`` is the PDF written just before in this run, if any, and
    ``page_map`` where its pages begin when it is known before the PDF is written."""
    started = time.perf_counter()
    if fmt == "pdf":
        from publish.editions.pdf.writer import write_pdf

        result = write_pdf(book, output_path(out_dir, book, "pdf"), styles, report)
        seconds = time.perf_counter() - started
        return Written(result.path, "pdf", seconds, result.pages, result.page_map)
    if fmt == "epub":
        from publish.editions.epub.package import write_epub

        # Where the PDF's pages begin: from the PDF just written, else from the page map saved
        # beside an earlier PDF of the same text and design; without either the EPUB lays the
        # PDF out itself.
        page_map = page_map or (pdf.page_map if pdf else None)
        if page_map is None:
            from publish.editions.pdf import pagemap

            saved = pagemap.sidecar(output_path(out_dir, book, "pdf"))
            page_map = pagemap.load(saved, pagemap.fingerprint(book, styles))
        target = output_path(out_dir, book, "epub")
        epub = write_epub(book, target, styles, modified, report, page_map)
        return Written(epub.path, "epub", time.perf_counter() - started)
    if fmt == "html":
        from publish.editions.html import write_html

        html = write_html(book, output_path(out_dir, book, "html"), styles)
        return Written(html.path, "html", time.perf_counter() - started)
    from publish.editions.download_page import write_downloads_page

    # The PDF's page count when it was written just now: reading a long PDF back takes seconds.
    index = write_downloads_page(book, out_dir, styles, pdf_pages=pdf.pages if pdf else None)
    return Written(index, "index", time.perf_counter() - started)
