"""The download page, the HTML edition and the preview in a real browser (headless chromium).

Screenshots go to build/screenshots/ for a person to look at; the assertions check what a reader
would notice: text present, nothing cut off or overflowing, links that deliver the right file,
fonts and images loaded from beside the page, and a preview that follows the editor's saves.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.preview.server import Preview
from support import ROOT, Built, require_tool
from support.browser import Browser, Page

SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP, PHONE = (1280, 900, False), (390, 844, True)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = require_tool("chromium", "the browser tests")
    pytest.importorskip("websockets.sync.client", reason="the DevTools client needs websockets")
    chromium = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site(real: Built) -> Iterator[str]:
    server, url = _serve(real.html.parent)
    yield url
    server.shutdown()
    server.server_close()


def _open(browser: Browser, url: str, size: tuple[int, int, bool]) -> Page:
    page = browser.page(*size)
    page.goto(url)
    return page


def _fits_the_width(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def _resources_from_elsewhere(page: Page) -> list[str]:
    return list(
        page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => !n.startsWith(location.origin))"
        )
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_download_page(
    browser: Browser, site: str, real: Built, size: tuple[int, int, bool]
) -> None:
    page = _open(browser, f"{site}/index.html", size)
    name = "desktop" if size == DESKTOP else "phone"
    page.screenshot(SCREENSHOTS / f"index-{name}.png")
    assert page.evaluate("document.querySelector('h1').textContent") == "Kratom and Depression"
    assert page.evaluate("document.getElementById('disclaimer').innerText").startswith(
        "Medical Disclaimer"
    )
    assert _fits_the_width(page)
    assert _resources_from_elsewhere(page) == []
    assert page.evaluate("document.fonts.check('16px \"Source Serif 4\"')")
    page.close()


def test_download_links_deliver_the_editions(browser: Browser, site: str, real: Built) -> None:
    page = _open(browser, f"{site}/index.html", DESKTOP)
    followed = page.evaluate(
        """Promise.all([...document.querySelectorAll('.download-list a')].map(a =>
             fetch(a.href).then(r => r.blob().then(b => ({
               href: a.getAttribute('href'), declared: a.type, status: r.status,
               type: r.headers.get('content-type'), size: b.size,
               shown: a.querySelector('.details').textContent})))))"""
    )
    assert [f["href"] for f in followed] == [real.pdf.name, real.epub.name, real.html.name]
    for link in followed:
        on_disk = real.html.parent / link["href"]
        assert link["status"] == 200
        assert link["size"] == on_disk.stat().st_size
        assert link["type"].split(";")[0] == link["declared"]
        assert link["shown"].endswith(" KB") or link["shown"].endswith(" MB")
    page.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_html_edition(
    browser: Browser, site: str, real: Built, size: tuple[int, int, bool]
) -> None:
    page = _open(browser, f"{site}/{real.html.name}", size)
    name = "desktop" if size == DESKTOP else "phone"
    page.screenshot(SCREENSHOTS / f"edition-{name}.png")
    assert _fits_the_width(page)
    assert _resources_from_elsewhere(page) == []
    images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert images and all(images)
    # The contents sit beside the text on a wide screen, above it on a phone.
    toc_left, main_left = page.evaluate(
        "[document.getElementById('contents').getBoundingClientRect().left,"
        " document.getElementById('main').getBoundingClientRect().left]"
    )
    assert (
        (toc_left < main_left) if size == DESKTOP else (toc_left == pytest.approx(main_left, abs=2))
    )
    page.close()


def test_contents_links_lead_to_their_sections(browser: Browser, site: str, real: Built) -> None:
    page = browser.page(*DESKTOP)
    # A reader who asked for less motion gets a jump, not a smooth scroll: the test waits less.
    page.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    page.goto(f"{site}/{real.html.name}")
    hrefs = page.evaluate("[...document.querySelectorAll('#contents a')].map(a => a.hash)")
    assert len(hrefs) > 5
    for href in (hrefs[2], hrefs[-1]):
        page.evaluate(f"document.querySelector('#contents a[href=\"{href}\"]').click()")
        page.wait_for(f"location.hash === '{href}'")
        # At the top of the window, or as near as the end of the page lets it come.
        page.wait_for(
            f"(t => Math.abs(t) < 60 || (t >= 0 && t < innerHeight && innerHeight + scrollY >="
            f" document.documentElement.scrollHeight - 2))"
            f"(document.getElementById('{href[1:]}').getBoundingClientRect().top)",
            30,
        )
    page.close()


def test_preview_follows_saves_and_shows_errors(
    browser: Browser, minimal: Built, tmp_path: Path
) -> None:
    manuscript = tmp_path / "book" / "minimal.md"
    manuscript.parent.mkdir()
    shutil.copy(minimal.manuscript, manuscript)
    preview = Preview(manuscript, tmp_path / "preview")
    server = preview.server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    preview.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        page = _open(browser, url, DESKTOP)
        assert page.evaluate("location.pathname") == "/minimal.html"
        assert "Some people who feel low" in page.evaluate("document.body.innerText")

        text = manuscript.read_text(encoding="utf-8")
        manuscript.write_text(text.replace("Some people who feel low", "Many people who feel low"))
        page.wait_for("document.body.innerText.includes('Many people who feel low')", 60)
        assert "publish-preview" not in (tmp_path / "preview" / "minimal.html").read_text()

        manuscript.write_text(text.replace("date: 2026-11-01", "date: 2026-13-01"))
        page.wait_for("!document.getElementById('publish-preview-error').hidden", 60)
        error = page.evaluate("document.getElementById('publish-preview-error').textContent")
        assert "minimal.md:" in error and "'date'" in error
        assert "Many people who feel low" in page.evaluate("document.body.innerText")
        page.screenshot(SCREENSHOTS / "preview-error.png", full_page=False)

        manuscript.write_text(text)
        page.wait_for("document.body.innerText.includes('Some people who feel low')", 60)
        page.wait_for("document.getElementById('publish-preview-error').hidden", 60)
        assert page.evaluate("document.querySelector('#publish-preview-bar a').pathname") == (
            "/minimal.pdf"
        )
        pdf = page.evaluate(
            "fetch(document.querySelector('#publish-preview-bar a').href)"
            ".then(r => [r.status, r.headers.get('content-type')])"
        )
        assert pdf == [200, "application/pdf"]
        page.close()
    finally:
        preview.stop()
        server.shutdown()
        server.server_close()
