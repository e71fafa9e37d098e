"""What the tests share: where things are, built editions, readers for the EPUB and the PDF, the
tool check. Tests import it as ``support`` (pytest puts tests/ on the path, see pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
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


def build_fixture(manuscript: Path, out: Path) -> Built:
    written = {w.format: w.path for w in build(manuscript, out)}
    return Built(manuscript, written["pdf"], written["epub"], written["html"], written["index"])


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


def pdftotext_pages(pdf: Path) -> list[str]:
    """Each page's text as poppler's pdftotext lays it out."""
    __tracebackhide__ = True
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _packages_by_command() -> dict[str, str]:
    """The Debian package of each command, from the list `make` checks and installs."""
    packages = {}
    for line in (ROOT / "tools" / "system-packages.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) == 3 and not line.startswith("#") and fields[2].startswith("cmd:"):
            packages |= dict.fromkeys(fields[2].removeprefix("cmd:").split(","), fields[1])
    return packages


PACKAGES_BY_COMMAND = _packages_by_command()


def require_tool(name: str, needed_by: str = "") -> str:
    """The path of an external command a test runs (itself, or through what it tests). Every
    such test asks here, so that without the command it is skipped, naming the package, rather
    than failing; with PUBLISH_REQUIRE_TOOLS=1 (CI) that skip fails (see conftest)."""
    __tracebackhide__ = True  # the skip is reported at the test's line, not here
    path = shutil.which(name)
    if path is None:
        package = PACKAGES_BY_COMMAND.get(name, name)
        why = f", for {needed_by}" if needed_by else ""
        pytest.skip(f"{name} is not on PATH{why} (sudo apt-get install {package})")
    return path
