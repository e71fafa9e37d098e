"""`make` rebuilds what changed and nothing else: judged by which files in the output folder
were rewritten, as an editor would notice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from support import ROOT, require_tool

MANUSCRIPT = ROOT / "tests" / "fixtures" / "minimal.md"
EPUB_CSS = ROOT / "styles" / "epub.css"


def _make(out: Path, manuscript: Path = MANUSCRIPT) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    done = subprocess.run(
        [
            require_tool("make"),
            "-C",
            str(ROOT),
            f"MANUSCRIPT={manuscript}",
            f"OUT={out}",
            f"PUBLISH={sys.executable} -m publish",
            "STAMP=",  # this interpreter already has everything installed
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _stamps(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}


def _rewritten(before: dict[str, int], out: Path) -> set[str]:
    return {name for name, stamp in _stamps(out).items() if before.get(name) != stamp}


def test_one_process_builds_every_edition_then_only_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    first = _make(out)
    assert first.count(" build ") == 1  # one process for all four files
    assert set(_stamps(out)) >= {"minimal.pdf", "minimal.epub", "minimal.html", "index.html"}

    time.sleep(0.05)  # a rewrite must show as a newer time stamp
    before = _stamps(out)
    again = _make(out)
    assert " build " not in again
    assert _rewritten(before, out) == set()

    kept = EPUB_CSS.stat()
    try:
        os.utime(EPUB_CSS)  # the EPUB stylesheet edited: the EPUB and the page listing its size
        before = _stamps(out)
        _make(out)
        assert _rewritten(before, out) == {"minimal.epub", "index.html"}
        before = _stamps(out)
        assert " build " not in _make(out)
        assert _rewritten(before, out) == set()
    finally:
        os.utime(EPUB_CSS, ns=(kept.st_atime_ns, kept.st_mtime_ns))


def test_a_manuscript_named_index_is_up_to_date_after_one_make(tmp_path: Path) -> None:
    # Its editions are index-book.*, since index.html is the download page: make must look for
    # those names, or it would rebuild everything on every run.
    manuscript = tmp_path / "index.md"
    manuscript.write_bytes(MANUSCRIPT.read_bytes())
    out = tmp_path / "dist"
    assert " build " in _make(out, manuscript)
    assert {"index-book.pdf", "index-book.epub", "index-book.html", "index.html"} <= set(
        _stamps(out)
    )
    before = _stamps(out)
    time.sleep(0.05)
    assert " build " not in _make(out, manuscript)
    assert _rewritten(before, out) == set()
