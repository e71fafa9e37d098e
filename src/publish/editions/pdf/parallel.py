"""The PDF as the worker process makes it (``worker``): the one edition not written in this
process, behind the same ``write(book, ctx)`` as the others.

It owns the worker and its temporary file and ends both in one place, ``close()``, however the
build ends: the worker has ended before its temporary file is kept or removed.
"""

from __future__ import annotations

import contextlib
import gc
import time
from pathlib import Path
from types import TracebackType

from publish.atomic import replacing
from publish.editions.edition import BuildContext, Written
from publish.editions.pdf.pagemap import PageMap
from publish.editions.pdf.worker import Pages, PdfWorker
from publish.memory import release_free_memory
from publish.model import Book


class ParallelPdf:
    format = "pdf"

    def __init__(self, worker: PdfWorker) -> None:
        self.worker = worker
        self._ends = contextlib.ExitStack()  # unwound in close(): the worker, then its file
        self._ends.callback(worker.close)
        self._target: Path | None = None
        self._book: Book | None = None
        self._styles: Path | None = None
        self.started = 0.0
        self._laid_out: Pages | None = None

    def __enter__(self) -> ParallelPdf:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the worker, finished or not, then keep or remove its temporary file."""
        self._ends.close()

    def submit(self, book: Book, ctx: BuildContext) -> None:
        """Have the worker lay ``book`` out, while this process goes on."""
        self.started = time.perf_counter()
        self._target, self._book, self._styles = ctx.target(book, "pdf"), book, ctx.styles
        self.worker.submit(book, ctx.styles, self._target)
        ctx.pdf_layout = self.page_map

    def start_writing(self) -> None:
        """Once nothing stops the build from writing: the worker writes the PDF to a temporary
        file beside the target, staged with the other editions."""
        assert self._target is not None
        temporary = self._ends.enter_context(replacing(self._target))
        # Unwound first: the worker has ended before its temporary file is kept or removed.
        self._ends.callback(self.worker.close)
        self.worker.write_to(temporary)

    def laid_out(self) -> Pages:
        """Wait until the worker has laid the book out; keep where its pages begin beside the
        PDF, for a later EPUB built alone."""
        if self._laid_out is None:
            self._laid_out = self.worker.laid_out()
            from publish.editions.pdf.writer import save_page_map

            assert self._target and self._book and self._styles, "submit() comes first"
            save_page_map(self._laid_out.page_map, self._book, self._target, self._styles)
        return self._laid_out

    def page_map(self) -> PageMap:
        return self.laid_out().page_map

    def write(self, book: Book, ctx: BuildContext) -> Written:
        laid_out = self.laid_out()
        # This process only waits from here on, while the worker reaches the build's peak
        # memory writing the PDF: what reading the manuscript and writing the other editions
        # left behind goes back to the system first (about 10 MB on a long book).
        gc.collect()
        release_free_memory()
        self.worker.written(ctx.report)
        self.close()  # the worker has ended; its file joins the staged editions
        assert self._target is not None
        seconds = time.perf_counter() - self.started
        return Written(self._target, "pdf", seconds, laid_out.pages, laid_out.page_map)
