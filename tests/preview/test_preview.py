"""`publish preview` without a browser: the status endpoint, served pages, a failed first build."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.preview.server import STATUS_PATH, Preview
from support import FIXTURES, Built


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Preview, str, Path]]:
    manuscript = tmp_path / "book" / "note.md"
    manuscript.parent.mkdir()
    preview = Preview(manuscript, tmp_path / "preview", with_pdf=False)
    server = preview.server(port=0)
    assert server.server_address[0] == "127.0.0.1"  # the preview is for this machine only
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield preview, f"http://127.0.0.1:{server.server_address[1]}", manuscript
    preview.stop()
    server.shutdown()
    server.server_close()


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_failed_first_build_is_shown_and_the_page_waits_for_a_fix(
    served: tuple[Preview, str, Path], minimal: Built
) -> None:
    preview, url, manuscript = served
    manuscript.write_text("---\ntitle: Half written\n---\n\n# One\n", encoding="utf-8")
    assert preview.rebuild(["html"]) is False
    status = json.loads(_get(url + STATUS_PATH)[2])
    assert status["html"] == 0 and "note.md" in status["error"] and "disclaimer" in status["error"]
    code, media_type, page = _get(f"{url}/note.html")
    assert (code, media_type) == (503, "text/html; charset=utf-8")
    assert b"/__build" in page and b"publish-preview-error" in page

    shutil.copy(minimal.manuscript, manuscript)
    assert preview.rebuild(["html"]) is True
    status = json.loads(_get(url + STATUS_PATH)[2])
    assert (status["html"], status["error"]) == (1, None)
    code, _, page = _get(f"{url}/note.html")
    assert code == 200 and b"Kratom: A Short Note" in page and b"/__build" in page
    on_disk = (preview.out_dir / "note.html").read_bytes()
    assert b"/__build" not in on_disk
    assert page.replace(on_disk[: on_disk.rfind(b"</body>")], b"").startswith(b"\n<div id=")


def test_rebuilds_in_one_process_follow_a_changed_citation(tmp_path: Path) -> None:
    source = FIXTURES / "cited"
    folder = tmp_path / "cited"
    shutil.copytree(source, folder)
    manuscript = folder / "cited.md"
    preview = Preview(manuscript, tmp_path / "out", with_pdf=False)

    def references() -> str:
        page = (tmp_path / "out" / "cited.html").read_text(encoding="utf-8")
        return page[page.index('id="section-references"') :]

    assert preview.rebuild(["html"])
    before = references()
    assert "Animal" in before or "animal" in before
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text.replace("; @animal2011]", "]"), encoding="utf-8")
    assert preview.rebuild(["html"])
    after = references()
    assert after != before and after.count("<li") == before.count("<li") - 1
    manuscript.write_text(text, encoding="utf-8")
    assert preview.rebuild(["html"])
    assert references() == before
