"""build(): the recipe from manuscript to editions, readable top to bottom."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import all_or_nothing, current
from .errors import DiagnosticCollector, PublishError
from .manuscript import read_manuscript
from .model import Book
from .pagemap import PageMap
from .progress import Progress, human_size

FORMATS = ("pdf", "epub", "html", "index")  # "index": the download page, after the editions
PROJECT_STYLES = Path(__file__).resolve().parents[2] / "styles"


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


def default_styles_dir(manuscript: Path) -> Path:
    """``styles/`` beside the manuscript's folder, else in the working folder, else ours."""
    for candidate in (manuscript.resolve().parent.parent / "styles", Path.cwd() / "styles"):
        if (candidate / "print.css").is_file() and (candidate / "epub.css").is_file():
            return candidate
    return PROJECT_STYLES


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
) -> list[Written]:
    """Read the manuscript once, then write each requested edition into ``out_dir``."""
    wanted = tuple(formats)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise PublishError.at(Path(manuscript), None, f"unknown format(s): {', '.join(unknown)}")
    styles = styles_dir or default_styles_dir(manuscript)
    report = report if report is not None else DiagnosticCollector()
    progress = progress or Progress.silent()

    with progress.step("read") as step:
        book = read_manuscript(Path(manuscript), report)
        step.detail = f"{manuscript} ({len(book.sections)} sections)"
    modified = modification_time(book)

    if "epub" in wanted and book.metadata.cover_image is None:
        # Drawn first and kept for the EPUB: its pixel buffers (some 70 MB) go back to the
        # system before WeasyPrint lays out the PDF, instead of adding to the build's peak.
        from .cover import generate_cover
        from .memory import release_free_memory

        generate_cover(book.metadata, styles)
        release_free_memory()

    # Every edition or none: the renames into out_dir wait until the last edition is written.
    written: list[Written] = []
    try:
        _write_all(wanted, book, out_dir, styles, modified, report, progress, written)
    except OSError as exc:  # a final rename failed (the writers turn their own errors into ours)
        reason = exc.strerror or str(exc)
        raise PublishError.at(
            out_dir, None, f"the editions were not all put in place: {reason}"
        ) from None
    if on_written:
        for result in written:
            on_written(result)
    return written


def _write_all(
    wanted: tuple[str, ...],
    book: Book,
    out_dir: Path,
    styles: Path,
    modified: dt.datetime,
    report: DiagnosticCollector,
    progress: Progress,
    written: list[Written],
) -> None:
    with all_or_nothing():
        for fmt in wanted:
            with progress.step(fmt) as step:
                pdf = next((w for w in written if w.format == "pdf"), None)
                try:
                    result = _write(fmt, book, out_dir, styles, modified, report, pdf)
                except OSError as exc:  # a full disk, a read-only folder: the editor's to fix
                    reason = exc.strerror or str(exc)
                    raise PublishError.at(
                        out_dir, None, f"the {fmt} edition was not written: {reason}"
                    ) from None
                pages = f"{result.pages} pages, " if result.pages is not None else ""
                size = current(result.path).stat().st_size
                step.detail = f"{result.path} ({pages}{human_size(size)})"
            written.append(result)


def _write(
    fmt: str,
    book: Book,
    out_dir: Path,
    styles: Path,
    modified: dt.datetime,
    report: DiagnosticCollector,
    pdf: Written | None = None,
) -> Written:
    """Write one edition; ``pdf`` is the PDF written just before in this run, if any."""
    started = time.perf_counter()
    if fmt == "pdf":
        from .pdf import write_pdf

        result = write_pdf(book, output_path(out_dir, book, "pdf"), styles, report)
        seconds = time.perf_counter() - started
        return Written(result.path, "pdf", seconds, result.pages, result.page_map)
    if fmt == "epub":
        from .epub import write_epub

        # Where the PDF's pages begin: from the PDF just written, else from the page map saved
        # beside an earlier PDF of the same text and design; without either the EPUB lays the
        # PDF out itself.
        page_map = pdf.page_map if pdf else None
        if page_map is None:
            from . import pagemap

            saved = pagemap.sidecar(output_path(out_dir, book, "pdf"))
            page_map = pagemap.load(saved, pagemap.fingerprint(book, styles))
        target = output_path(out_dir, book, "epub")
        epub = write_epub(book, target, styles, modified, report, page_map)
        return Written(epub.path, "epub", time.perf_counter() - started)
    if fmt == "html":
        from .html import write_html

        html = write_html(book, output_path(out_dir, book, "html"), styles)
        return Written(html.path, "html", time.perf_counter() - started)
    from .downloads import write_downloads_page

    # The PDF's page count when it was written just now: reading a long PDF back takes seconds.
    index = write_downloads_page(book, out_dir, styles, pdf_pages=pdf.pages if pdf else None)
    return Written(index, "index", time.perf_counter() - started)
