"""The one interface every edition is written through: ``write(book, ctx) -> Written``, with one
``BuildContext`` for the whole build (like the context mdBook hands each renderer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from publish.errors import DiagnosticCollector
from publish.model import Book
from publish.progress import Progress

if TYPE_CHECKING:  # the page map's module loads lxml; this one stays light
    from publish.editions.pdf.pagemap import PageMap


@dataclass(frozen=True)
class Written:
    """One edition written to disk, with what the editor wants to see about it."""

    path: Path
    format: str
    seconds: float
    pages: int | None = None
    # Where each PDF page begins, for the EPUB's page list (see pagemap).
    page_map: PageMap | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildContext:
    """What every edition of one build shares: where it goes, its styles and date, the report
    its warnings join, the progress shown, and the editions written so far in this build."""

    out_dir: Path
    styles: Path
    modified: dt.datetime
    report: DiagnosticCollector
    progress: Progress
    written: list[Written] = field(default_factory=list)
    # Where the PDF's pages begin while another process is still writing it (editions/pdf/parallel).
    pdf_layout: Callable[[], PageMap] | None = None

    def target(self, book: Book, extension: str) -> Path:
        return output_path(self.out_dir, book, extension)

    def earlier(self, fmt: str) -> Written | None:
        """The ``fmt`` edition written earlier in this build, if any."""
        return next((w for w in self.written if w.format == fmt), None)


class Edition(Protocol):
    format: str

    def write(self, book: Book, ctx: BuildContext) -> Written: ...


def output_path(out_dir: Path, book: Book, extension: str) -> Path:
    """``out_dir/<slug>.<ext>``: the slug is made only of safe characters, so it stays inside."""
    return out_dir / f"{book.slug}.{extension}"
