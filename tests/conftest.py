"""Shared fixtures: fixture manuscripts are built once per test session, into a temporary dist."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_MANUSCRIPT = ROOT / "manuscript" / "kratom-and-depression.md"

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}


@dataclass(frozen=True)
class Built:
    manuscript: Path
    pdf: Path
    epub: Path
    html: Path
    index: Path


def _build(manuscript: Path, out: Path) -> Built:
    written = {w.format: w.path for w in build(manuscript, out)}
    return Built(manuscript, written["pdf"], written["epub"], written["html"], written["index"])


@pytest.fixture(scope="session")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIXTURES / "minimal.md", tmp_path_factory.mktemp("minimal"))


@pytest.fixture(scope="session")
def features(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every Markdown feature we support, images included."""
    return _build(FIXTURES / "features.md", tmp_path_factory.mktemp("features"))


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(REAL_MANUSCRIPT, tmp_path_factory.mktemp("real"))


@pytest.fixture(params=["minimal", "real"], scope="session")
def edition(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(request.param)
    return built


@pytest.fixture(params=["minimal", "features", "real"], scope="session")
def any_book(request: pytest.FixtureRequest) -> Built:
    """Each session-built fixture, the one with every Markdown feature included."""
    built: Built = request.getfixturevalue(request.param)
    return built


class Epub:
    """An EPUB read back as a reading system would: container → OPF → documents."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = etree.fromstring(self.zip.read(self.opf_path))

    def meta(self, name: str) -> list[str]:
        return [el.text or "" for el in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def property(self, name: str) -> list[str]:
        return [
            el.text or ""
            for el in self.opf.findall("opf:metadata/opf:meta", NS)
            if el.get("property") == name
        ]

    def manifest(self) -> dict[str, etree._Element]:
        return {el.get("id"): el for el in self.opf.findall("opf:manifest/opf:item", NS)}

    def spine_hrefs(self) -> list[str]:
        items = self.manifest()
        return [
            items[ref.get("idref")].get("href")
            for ref in self.opf.findall("opf:spine/opf:itemref", NS)
        ]

    def document(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(self.base + href.split("#")[0]))

    def nav_href(self) -> str:
        return next(
            el.get("href")
            for el in self.manifest().values()
            if "nav" in (el.get("properties") or "").split()
        )


@pytest.fixture
def read_epub():
    return Epub


def pdftotext_pages(pdf: Path) -> list[str]:
    """Each page's text as poppler's pdftotext lays it out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """With PUBLISH_REQUIRE_TOOLS=1 (CI sets it) a test skipped for a missing tool fails instead:
    CI installs every tool, so a skip there means an install step is missing, not a choice."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where every tool must be present: {reason}"
