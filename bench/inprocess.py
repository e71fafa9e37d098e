"""Measurements that need one long-lived process: the warm rebuild and where a build's time goes.

    python bench/inprocess.py warm MANUSCRIPT RUNS     # JSON: cold build, then warm rebuilds
    python bench/inprocess.py phases MANUSCRIPT        # JSON: seconds per step of one build

The warm rebuild is what a preview server does: the modules are imported and the process is
running; the editor saves the manuscript; ``build()`` runs again, the HTML edition first (the
page the preview shows can reload as soon as it is written), then the PDF, EPUB and download
page. The manuscript's folder is copied first, so the edits never touch the original.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def warm(manuscript: Path, runs: int) -> dict[str, object]:
    from publish.build import build
    from publish.preview.server import Preview

    order = ("html", "pdf", "epub", "index")
    with tempfile.TemporaryDirectory(prefix="publish-warm-") as scratch:
        folder = Path(scratch) / "manuscript"
        shutil.copytree(manuscript.parent, folder)
        copy = folder / manuscript.name
        out = Path(scratch) / "dist"
        started = time.perf_counter()
        build(copy, out, order)
        cold = time.perf_counter() - started
        # As the preview does it: on a save the HTML edition is rebuilt at once (its time is when
        # the page can reload), the other editions once the editor stops typing.
        preview = Preview(copy, out, with_pdf=False)
        to_html: list[float] = []
        whole: list[float] = []
        per_format: dict[str, list[float]] = {}
        original = copy.read_text(encoding="utf-8")
        for run in range(runs):
            # An edit as an editor makes it: one more sentence at the end of the last paragraph.
            copy.write_text(original.rstrip("\n") + f" Edited {run + 1}.\n", encoding="utf-8")
            started = time.perf_counter()
            preview.rebuild(["html"])
            to_html.append(time.perf_counter() - started)
            started = time.perf_counter()
            results = build(copy, out, order)
            whole.append(time.perf_counter() - started)
            for result in results:
                per_format.setdefault(result.format, []).append(result.seconds)
    return {
        "cold": cold,
        "html": statistics.median(to_html),
        "warm": statistics.median(whole),
        "warm_runs": whole,
        "per_format": {fmt: statistics.median(times) for fmt, times in per_format.items()},
    }


def phases(manuscript: Path) -> dict[str, float]:
    """Seconds for each step of one cold build, in the order ``build()`` runs them."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = now - mark
        mark = now

    import jinja2  # noqa: F401
    import lxml.html  # noqa: F401
    import markdown  # noqa: F401

    from publish.build import modification_time
    from publish.editions.epub import package as epub
    from publish.editions.pdf import writer as pdf
    from publish.styles import default_styles_dir

    lap("import Markdown, lxml, Jinja and publish")
    from publish.editions.libraries import import_binding

    import_binding("weasyprint")
    lap("import WeasyPrint")
    import ebooklib.epub  # noqa: F401

    lap("import ebooklib")
    from publish.reading.manuscript import read_manuscript

    book = read_manuscript(manuscript)
    lap("read the manuscript (Markdown, citations, Book)")
    pdf.book_html(book)
    lap("book HTML (Jinja)")
    styles = default_styles_dir(manuscript)
    with tempfile.TemporaryDirectory(prefix="publish-phases-") as scratch:
        with pdf.fewer_collections():
            # pdf.layout makes the book HTML again: a few hundredths of a second, counted here.
            laid_out = pdf.layout(book, styles)
            lap("WeasyPrint: parse and lay out")
            pdf.save_pdf(laid_out, book, Path(scratch) / "book.pdf")
            lap("WeasyPrint: write the PDF")
            from publish.errors import DiagnosticCollector

            pdf.report_missing_glyphs(laid_out.document, book, styles, DiagnosticCollector())
            lap("characters no bundled font has (a check of the laid-out text)")
            page_map = laid_out.page_map(book)
            lap("where each PDF page begins (for the EPUB page list)")
        del laid_out
        epub.write_epub(
            book,
            Path(scratch) / "book.epub",
            styles,
            modification_time(book),
            DiagnosticCollector(),
            page_map=page_map,
        )
        lap("EPUB (cover, templates, ebooklib, zip)")
        from publish.editions.html import write_html

        write_html(book, Path(scratch) / "book.html", styles)
        lap("HTML edition")
    return timings


def main() -> None:
    command, manuscript = sys.argv[1], Path(sys.argv[2]).resolve()
    if command == "warm":
        print(json.dumps(warm(manuscript, int(sys.argv[3]))))
    elif command == "phases":
        print(json.dumps(phases(manuscript)))
    else:
        raise SystemExit(f"unknown command {command!r}: warm or phases")


if __name__ == "__main__":
    main()
