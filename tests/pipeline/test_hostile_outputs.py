"""The output folder: names stay inside it, concurrent builds do not mix, and an interrupted or
failing build leaves the editions already there byte for byte as they were."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from publish.build import build, output_path
from publish.editions.html import assets_dir
from publish.errors import PublishError
from publish.reading.manuscript import read_manuscript
from support import ROOT
from support.manuscripts import manuscript, snapshot

SRC = ROOT / "src"
FIRST = "# One\n\nThe first edition.\n\n## Part\n\nMore text.\n"
SECOND = "# One\n\nThe second edition, which must not appear.\n"


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **extra}


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A manuscript, its output folder holding a finished build, and that folder's bytes."""
    path = manuscript(tmp_path / "book", FIRST)
    dist = tmp_path / "dist"
    build(path, dist)
    return path, dist, snapshot(dist)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("..md", "book"),
        ("...md", "book"),
        (".hidden.md", "hidden"),
        ("..%2f..%2fetc%2fpasswd.md", "2f..-2fetc-2fpasswd"),
        ("..\\..\\evil.md", "evil"),
        ("a\nb.md", "a-b"),
        ("кратом.md", "book"),
        ("-rf.md", "rf"),
        ("name with spaces & $(cmd).md", "name-with-spaces-cmd"),
    ],
)
def test_output_name_stays_in_the_output_folder(tmp_path: Path, name: str, slug: str) -> None:
    path = manuscript(tmp_path / "book", FIRST, name=name)
    book = read_manuscript(path)
    dist = tmp_path / "dist"
    assert book.slug == slug
    for target in (output_path(dist, book, "pdf"), assets_dir(dist, book)):
        assert target.parent == dist
        assert not target.name.startswith((".", "-"))


def test_hostile_name_builds_into_the_output_folder(tmp_path: Path) -> None:
    path = manuscript(tmp_path / "book", FIRST, name="..\\..\\evil.md")
    written = build(path, tmp_path / "dist", ["epub"])
    assert [w.path for w in written] == [tmp_path / "dist" / "evil.epub"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "dist"]


def test_failure_while_writing_leaves_the_previous_files(
    previous: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.document import Document

    path, dist, before = previous

    def disk_full(self: Document, target: Path, **options: object) -> None:
        Path(target).write_bytes(b"%PDF-1.7\n% half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(Document, "write_pdf", disk_full)
    path.write_text(path.read_text().replace(FIRST, SECOND))
    with pytest.raises(PublishError) as caught:
        build(path, dist)
    assert (
        str(caught.value)
        == f"{dist}: error: the pdf edition was not written: No space left on device"
    )
    assert snapshot(dist) == before  # no half file, no leftover temporary


def test_failure_in_a_later_edition_leaves_the_earlier_ones(
    previous: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is written, then the EPUB fails: the old PDF stays, not a new PDF beside an old
    EPUB and a download page describing neither."""
    import publish.editions.epub.package

    path, dist, before = previous

    def fails(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(publish.editions.epub.package, "write_epub", fails)
    path.write_text(path.read_text().replace(FIRST, SECOND))
    with pytest.raises(PublishError) as caught:
        build(path, dist)
    assert (
        str(caught.value) == f"{dist}: error: the epub edition was not written: Input/output error"
    )
    assert snapshot(dist) == before


@pytest.mark.parametrize(
    ("held", "whole_group"),
    [
        # The EPUB is written while the PDF worker is still laying out or writing the PDF.
        (".epub.", False),
        # Ctrl-C at a terminal: the whole process group, the PDF worker too, gets SIGINT.
        (".epub.", True),
        # The download page is written last: the new PDF and EPUB are complete beside the old.
        (".index.html.", True),
    ],
)
def test_interrupt_while_writing_leaves_the_previous_files(
    previous: tuple[Path, Path, dict[str, bytes]], held: str, whole_group: bool
) -> None:
    """SIGINT arrives while an edition is being written and others wait beside the old ones:
    the moment a half-done build could leave a new edition beside an old one."""
    path, dist, before = previous
    path.write_text(path.read_text().replace(FIRST, SECOND))
    child = (
        "import os, signal, sys, time\n"
        # As at a terminal: a shell running the tests in the background ignores SIGINT for
        # its children, and Python keeps an ignored SIGINT ignored.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import tempfile\n"
        "real_mkstemp = tempfile.mkstemp\n"
        "def held(*args, **kwargs):\n"
        f"    if kwargs.get('prefix', '').endswith({held!r}):\n"
        "        print('HELD', flush=True)\n"
        "        time.sleep(120)\n"
        "    return real_mkstemp(*args, **kwargs)\n"
        "tempfile.mkstemp = held\n"
        "from publish.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", child, "build", str(path), "-o", str(dist)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("HELD"):
            break
    assert list(dist.glob(".*.pdf.*.part")), "the new PDF waits beside the old one"
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.strip().endswith(
        "publish: interrupted; the editions in the output folder are unchanged"
    )
    assert snapshot(dist) == before
    # Nothing is left behind, not even by the worker writing the PDF when the signal came.
    assert not [p.name for p in dist.iterdir() if p.name.endswith(".part")]


def test_two_builds_at_once_do_not_mix(tmp_path: Path) -> None:
    path = manuscript(tmp_path / "book", FIRST)
    reference = {w.path.name: w.path.read_bytes() for w in build(path, tmp_path / "alone")}
    dist = tmp_path / "dist"
    command = [sys.executable, "-m", "publish", "build", str(path), "-o", str(dist)]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        for _ in range(2)
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in processes]
    assert [rc for _, _, rc in results] == [0, 0], [err for _, err, _ in results]
    files = snapshot(dist)
    assert not [name for name in files if name.endswith(".part")]
    for name in ("book.pdf", "book.epub", "book.html"):
        assert files[name] == reference[name]


WHOLE = "must be a whole number of seconds since 1970 (as 'date +%s' prints), not"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", f"{WHOLE} 'yesterday'"),
        ("-5", f"{WHOLE} '-5'"),
        ("1.5e9", f"{WHOLE} '1.5e9'"),
        ("\u00b2", f"{WHOLE} '\u00b2'"),
        ("", f"{WHOLE} ''"),
        ("99999999999999999999", "'99999999999999999999' is out of the range of dates"),
    ],
)
def test_malformed_source_date_epoch_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    path = manuscript(tmp_path / "book", FIRST)
    dist = tmp_path / "dist"
    build(path, dist, ["epub"])
    before = snapshot(dist)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(PublishError) as caught:
        build(path, dist, ["epub"])
    assert str(caught.value) == f"SOURCE_DATE_EPOCH: error: {message}"
    assert snapshot(dist) == before
