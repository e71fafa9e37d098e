"""The PDF laid out and written in a second process, while this one does everything else.

WeasyPrint's layout and writing are most of a build, and one Python process uses one core. On
a machine with two or more, ``publish build`` starts this worker before it reads the manuscript:

- the worker imports WeasyPrint while the build reads the manuscript;
- it lays the book out while the build lints, draws the cover and writes the HTML edition;
- it sends back where each page begins, so the EPUB (whose page list follows the PDF's pages)
  is written while the worker is still writing the PDF.

The worker writes only to the temporary file the build gives it; the build puts that file in
place with the other editions, or removes it. It ignores Ctrl-C: the build, which gets it too,
stops the worker and leaves the output folder as it was.

It is a fork of the build process (Linux only, where forking is cheap and safe before threads
start); elsewhere, on one core, and in the preview (whose process has threads), the PDF is
written in process as before.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.errors import Diagnostic, DiagnosticCollector, PublishError

# prctl(2): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1

if TYPE_CHECKING:  # the worker starts before the libraries that read the manuscript load
    from publish.editions.pdf.pagemap import PageMap
    from publish.editions.pdf.writer import PrintStyle
    from publish.model import Book


@dataclass(frozen=True)
class Pages:
    """What the build needs from the layout before the PDF is written."""

    pages: int
    page_map: PageMap


def available() -> bool:
    """A second core to run on, and ``fork`` to start the worker cheaply."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2 and "fork" in multiprocessing.get_all_start_methods()


class PdfWorker:
    """One PDF, laid out and written by a forked process; ``close()`` always ends it.

    ``manuscript`` and ``styles_dir`` (None: the default) let it parse the print stylesheet and
    warm WeasyPrint up before the book arrives.
    """

    def __init__(self, manuscript: Path, styles_dir: Path | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child_end, self._connection, manuscript, styles_dir, os.getpid()),
            name="publish-pdf",
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._target: Path | None = None

    def submit(self, book: Book, styles_dir: Path, target: Path) -> None:
        """Lay ``book`` out, for the PDF ``target``."""
        self._target = target
        self._connection.send((book, styles_dir))

    def write_to(self, temporary: Path) -> None:
        """Write the PDF to ``temporary`` (beside the target) once it is laid out."""
        self._connection.send(temporary)

    def laid_out(self) -> Pages:
        """Wait until the book is laid out."""
        result: Pages = self._receive()
        return result

    def written(self, report: DiagnosticCollector) -> None:
        """Wait until the PDF is written; its warnings join ``report``."""
        warnings: list[Diagnostic] = self._receive()
        report.items.extend(warnings)

    def close(self) -> None:
        """End the worker, finished or not, before the build removes its temporary file."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._connection.close()

    def _receive(self) -> Any:
        try:
            kind, payload = self._connection.recv()
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            raise PublishError.at(
                self._target or "the PDF",
                None,
                f"the process writing the PDF stopped (exit code {code})",
            ) from None
        if kind == "failed":
            raise PublishError(payload)
        if kind == "crashed":
            raise RuntimeError(f"the process writing the PDF failed:\n{payload}")
        return payload


def _serve(
    connection: Connection,
    builds_end: Connection,
    manuscript: Path,
    styles_dir: Path | None,
    build: int,
) -> None:
    # Ctrl-C reaches the whole process group: the build decides, and ends this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(build)
    # The fork copied the build's end of the pipe too: closed here, so that if the build ends,
    # reading from the pipe ends instead of waiting for ever.
    builds_end.close()
    style: PrintStyle | None
    try:
        style = _prepare(connection, manuscript, styles_dir)
    except Exception:  # the build will meet the same problem and report it
        style = None
    try:
        book, styles_dir = connection.recv()
    except EOFError:  # the build ended before it had a book to send
        return
    from publish.editions.pdf import hyphenation, scripts
    from publish.editions.pdf import writer as pdf

    try:
        report = DiagnosticCollector()
        with pdf.fewer_collections():
            scripts.refuse_unsettable(book, styles_dir)
            hyphenation.warn_without_dictionary(book, report)
            laid_out = pdf.layout(book, styles_dir, style)
            pages = Pages(len(laid_out.labels), laid_out.page_map(book))
            connection.send(("laid out", pages))
            temporary = connection.recv()  # sent once nothing stops the build from writing
            pdf.save_pdf(laid_out, book, temporary)
            pdf.report_missing_glyphs(laid_out.document, book, styles_dir, report)
        connection.send(("written", report.items))
    except PublishError as exc:
        connection.send(("failed", list(exc.diagnostics)))
    except (EOFError, BrokenPipeError):  # the build has ended: nobody is waiting for the PDF
        return
    except Exception:  # a bug: its traceback goes to the build, which raises it
        connection.send(("crashed", traceback.format_exc()))
    finally:
        connection.close()


def _end_with(build: int) -> None:
    """Have the kernel end this process when the build's process ends, however that ends
    (``kill``, a crash): otherwise the worker would go on laying out a book nobody waits for."""
    try:
        prctl = ctypes.CDLL(None).prctl
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != build:  # it ended before the request was made
        os._exit(0)


def _prepare(connection: Connection, manuscript: Path, styles_dir: Path | None) -> PrintStyle:
    """While the build reads the manuscript: import WeasyPrint, parse the print stylesheet and,
    if the book has not come yet, warm WeasyPrint up."""
    from publish.editions.pdf import writer as pdf
    from publish.styles import default_styles_dir

    with pdf.fewer_collections():
        style = pdf.PrintStyle(manuscript.parent, styles_dir or default_styles_dir(manuscript))
        if not connection.poll():
            style.warm_up()
    return style
