"""The PDF in a second process (``publish build`` on two cores): the same editions as a build in
one process, and every way the worker can fail reaches the build, which leaves the output folder
as it was."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import publish.editions.pdf.writer
from publish.build import build
from publish.editions.pdf import worker as pdfworker
from publish.errors import DiagnosticCollector, PublishError
from support import FIXTURES, ROOT
from support.manuscripts import manuscript, snapshot

SRC = ROOT / "src"
FIRST = "# One\n\nThe first edition.\n\n## Part\n\nMore text.\n"
SECOND = "# One\n\nThe second edition, which must not appear.\n"


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[pdfworker.PdfWorker]:
    """The workers the builds in the test start (none where the machine has one core)."""
    if not pdfworker.available():
        pytest.skip("the PDF worker needs Linux and two cores")
    started: list[pdfworker.PdfWorker] = []
    original = pdfworker.PdfWorker.__init__

    def spy(self: pdfworker.PdfWorker, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(pdfworker.PdfWorker, "__init__", spy)
    return started


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A manuscript whose text has changed since its output folder was built, and that folder."""
    path = manuscript(tmp_path / "book", FIRST)
    dist = tmp_path / "dist"
    build(path, dist)
    path.write_text(path.read_text().replace(FIRST, SECOND))
    return path, dist, snapshot(dist)


def test_the_editions_are_the_same_bytes_as_from_one_process(
    tmp_path: Path, workers: list[pdfworker.PdfWorker]
) -> None:
    features = FIXTURES / "features.md"
    alone = build(features, tmp_path / "one")
    assert not workers
    together = build(features, tmp_path / "two", parallel=True)
    assert len(workers) == 1
    assert [w.format for w in together] == ["html", "epub", "pdf", "index"]
    assert [w.pages for w in together if w.format == "pdf"] == [
        w.pages for w in alone if w.format == "pdf"
    ]
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert ".features.pagemap.json" in two  # the page list's source, for a later EPUB alone
    for name in one:
        assert one[name] == two[name], f"{name} differs"


def test_the_worker_starts_only_when_a_pdf_is_wanted(
    tmp_path: Path, workers: list[pdfworker.PdfWorker]
) -> None:
    path = manuscript(tmp_path / "book", FIRST)
    build(path, tmp_path / "dist", ["html", "index"], parallel=True)
    assert not workers
    build(path, tmp_path / "dist", ["pdf"], parallel=True)
    assert len(workers) == 1


def test_the_workers_warnings_reach_the_report(
    tmp_path: Path, workers: list[pdfworker.PdfWorker]
) -> None:
    path = manuscript(tmp_path / "book", "# One\n\nThe sign \u67f1 is in no bundled font.\n")
    report = DiagnosticCollector()
    build(path, tmp_path / "dist", ["pdf"], report=report, parallel=True)
    assert workers
    (warning,) = [str(w) for w in report.warnings if "bundled font" in w.message]
    assert "U+67F1" in warning and str(path) in warning


def _no_leftovers(dist: Path) -> None:
    assert not [p.name for p in dist.iterdir() if p.name.endswith(".part")]


def test_an_error_in_the_worker_stops_the_build(
    previous: tuple[Path, Path, dict[str, bytes]],
    workers: list[pdfworker.PdfWorker],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, dist, before = previous

    def refused(*args: object) -> None:
        raise PublishError.at(path, 7, "a resource was refused")

    # The worker is a fork of this process: it runs the replaced function.
    monkeypatch.setattr(publish.editions.pdf.writer, "save_pdf", refused)
    with pytest.raises(PublishError) as caught:
        build(path, dist, parallel=True)
    assert str(caught.value) == f"{path}:7: error: a resource was refused"
    assert workers
    assert snapshot(dist) == before
    _no_leftovers(dist)


def test_a_bug_in_the_worker_is_raised_with_its_traceback(
    previous: tuple[Path, Path, dict[str, bytes]],
    workers: list[pdfworker.PdfWorker],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, dist, before = previous

    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(publish.editions.pdf.writer, "layout", broken)
    with pytest.raises(RuntimeError) as caught:
        build(path, dist, parallel=True)
    assert "ZeroDivisionError: a bug" in str(caught.value)
    assert snapshot(dist) == before
    _no_leftovers(dist)


def test_a_worker_that_dies_is_an_error_naming_the_pdf(
    previous: tuple[Path, Path, dict[str, bytes]],
    workers: list[pdfworker.PdfWorker],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, dist, before = previous

    def killed(*args: object) -> None:
        os._exit(9)

    monkeypatch.setattr(publish.editions.pdf.writer, "save_pdf", killed)
    with pytest.raises(PublishError) as caught:
        build(path, dist, parallel=True)
    assert str(caught.value) == (
        f"{dist / 'book.pdf'}: error: the process writing the PDF stopped (exit code 9)"
    )
    assert snapshot(dist) == before
    _no_leftovers(dist)
    assert not [w for w in workers if w._process.is_alive()]


def test_a_failing_epub_ends_the_worker_and_keeps_the_folder(
    previous: tuple[Path, Path, dict[str, bytes]],
    workers: list[pdfworker.PdfWorker],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The EPUB fails while the worker may still be writing the PDF."""
    import publish.editions.epub.package

    path, dist, before = previous

    def fails(*args: object, **kwargs: object) -> None:
        raise PublishError.at(path, None, "the EPUB failed")

    monkeypatch.setattr(publish.editions.epub.package, "write_epub", fails)
    with pytest.raises(PublishError):
        build(path, dist, parallel=True)
    assert workers and not workers[0]._process.is_alive()
    assert snapshot(dist) == before
    _no_leftovers(dist)


def test_fewer_collections_puts_the_threshold_back() -> None:
    before = gc.get_threshold()
    with pytest.raises(KeyError), publish.editions.pdf.writer.fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        raise KeyError("any failure")
    assert gc.get_threshold() == before


def test_weasyprint_is_imported_without_starting_a_process() -> None:
    """ctypes.util.find_library starts ldconfig, gcc and ld on Linux for every name it looks up."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the library search is skipped on Linux only")
    probe = (
        "import ctypes.util, sys\n"
        "started = []\n"
        "sys.addaudithook(lambda event, args: event in ('subprocess.Popen', 'os.posix_spawn',"
        " 'os.exec', 'os.fork') and started.append(event))\n"
        "search = ctypes.util.find_library\n"
        "from publish.editions.libraries import import_binding\n"
        "import_binding('weasyprint'); import_binding('cairosvg')\n"
        "import weasyprint.text.fonts, cairosvg\n"
        "assert ctypes.util.find_library is search, 'the search was not put back'\n"
        "print(len(started))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_a_warmed_up_style_lays_out_the_same_pdf(tmp_path: Path) -> None:
    """The worker parses the stylesheet and warms WeasyPrint up before the book arrives."""
    from publish.reading.manuscript import read_manuscript
    from publish.styles import default_styles_dir

    features = FIXTURES / "features.md"
    book, styles = read_manuscript(features), default_styles_dir(features)
    publish.editions.pdf.writer.save_pdf(
        publish.editions.pdf.writer.layout(book, styles), book, tmp_path / "cold.pdf"
    )
    style = publish.editions.pdf.writer.PrintStyle(book.base_dir, styles)
    style.warm_up()
    assert style.serves(book, styles)
    warm = publish.editions.pdf.writer.layout(book, styles, style)
    publish.editions.pdf.writer.save_pdf(warm, book, tmp_path / "warm.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_the_worker_ends_when_the_build_is_killed(tmp_path: Path) -> None:
    """kill -9 of the build while the worker lays out a long book: the worker ends at once
    rather than going on with a book nobody waits for."""
    if not pdfworker.available():
        pytest.skip("the PDF worker needs Linux and two cores")
    paragraph = " ".join(f"word{i % 97}" for i in range(120)) + "\n\n"
    path = manuscript(tmp_path / "book", "# One\n\n" + paragraph * 300)  # some ten seconds
    probe = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from publish.reading.manuscript import read_manuscript\n"
        "from publish.editions.pdf.worker import PdfWorker\n"
        "from publish.styles import default_styles_dir\n"
        f"path = Path({str(path)!r})\n"
        "worker = PdfWorker(path)\n"
        "target = path.parent / 'dist' / 'book.pdf'\n"
        "worker.submit(read_manuscript(path), default_styles_dir(path), target)\n"
        "time.sleep(1)\n"
        "print(worker._process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == -9, result.stderr
    pid = int(result.stdout.split()[0])
    for _ in range(20):
        if not _running(pid):
            break
        time.sleep(0.1)
    assert not _running(pid), "the worker went on after the build was killed"
