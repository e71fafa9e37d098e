"""`--format index` takes the cover of the EPUB in the output folder only once it is verified:
a crafted EPUB (a cover that is no image, a zip bomb, a name leading out of the package, no zip
at all) gives a page with the title block, a warning naming the EPUB, and no large file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from publish.build import build
from publish.errors import DiagnosticCollector
from publish.safety.packaged_cover import MAX_COVER_BYTES, MAX_PACKAGE_BYTES
from support.manuscripts import manuscript
from support.packages import CONTAINER

OPF = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
    '<manifest><item id="c" href="{href}" media-type="image/jpeg" properties="cover-image"/>'
    "</manifest></package>"
)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 64), (30, 90, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


def _epub(
    path: Path,
    cover: bytes | None,
    *,
    href: str = "cover.jpg",
    member: str = "EPUB/cover.jpg",
    opf: str | None = None,
    container: str | None = None,
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container or CONTAINER.format(opf="EPUB/p.opf"))
        archive.writestr("EPUB/p.opf", opf or OPF.format(href=href))
        if cover is not None:
            archive.writestr(member, cover)
    return path


def _index(tmp_path: Path, make_epub) -> tuple[lxml.html.HtmlElement, list[str], Path]:  # type: ignore[no-untyped-def]
    book = manuscript(tmp_path / "book", "\n# One\n\nText.\n")
    out = tmp_path / "dist"
    out.mkdir()
    make_epub(out / "book.epub")
    report = DiagnosticCollector()
    (index,) = build(book, out, ["index"], report=report)
    return lxml.html.parse(str(index.path)).getroot(), [str(w) for w in report.warnings], out


def _refused(tmp_path: Path, make_epub, *words: str) -> Path:  # type: ignore[no-untyped-def]
    page, warnings, out = _index(tmp_path, make_epub)
    assert not page.xpath("//figure[@class='cover']")
    assert page.xpath("//*[@class='cover-title']")  # the title block instead
    (warning,) = [w for w in warnings if "cover" in w]
    assert warning.startswith(f"{out / 'book.epub'}: warning: the download page shows no cover")
    for word in words:
        assert word in warning
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith("cover")]
    assert max(p.stat().st_size for p in files) < 1024 * 1024  # nothing large written
    return out


def test_a_verified_jpeg_cover_is_shown(tmp_path: Path) -> None:
    jpeg = _jpeg()
    page, warnings, out = _index(tmp_path, lambda p: _epub(p, jpeg))
    (image,) = page.xpath("//figure[@class='cover']/img")
    assert image.get("src") == "book_files/cover.jpg"
    assert (out / "book_files" / "cover.jpg").read_bytes() == jpeg
    assert not warnings


def test_a_png_cover_named_jpg_or_html_is_written_under_its_own_format(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (40, 64), (10, 120, 60)).save(png, "PNG")
    make = lambda p: _epub(p, png.getvalue(), href="c.html", member="EPUB/c.html")  # noqa: E731
    page, _, out = _index(tmp_path, make)
    (image,) = page.xpath("//figure[@class='cover']/img")
    assert image.get("src") == "book_files/cover.png"
    assert not list(out.rglob("*.html.*")) and not (out / "book_files" / "cover.html").exists()


def test_a_cover_of_bytes_that_are_no_image_is_refused(tmp_path: Path) -> None:
    junk = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4096  # starts as a JPEG does; 1 MB
    _refused(tmp_path, lambda p: _epub(p, junk), "is not an image")


def test_a_cover_that_unpacks_past_the_cap_is_refused_unread(tmp_path: Path) -> None:
    # 40 MB of zeros packs into some 40 kB: the archive declares the size, and it is refused
    # before a byte is unpacked.
    huge = bytes(MAX_COVER_BYTES + 8 * 1024 * 1024)
    _refused(tmp_path, lambda p: _epub(p, huge), "more than 32 MB")


def test_a_zip_bomb_declaring_a_small_size_is_cut_off(tmp_path: Path) -> None:
    """The central directory says 1 kB; the data unpacks to 40 MB. zipfile stops at the declared
    size and then finds the checksum wrong: refused, with no more than that read."""
    path = tmp_path / "bomb.epub"
    _epub(path, bytes(40 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("EPUB/cover.jpg")
    # The uncompressed size in the local header and in the central directory entry.
    local = info.header_offset
    data[local + 22 : local + 26] = (1024).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02" + data[local + 4 : local + 6])
    central = data.find(b"EPUB/cover.jpg", central) - 46
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    _refused(tmp_path, lambda p: p.write_bytes(bytes(data)), "not an EPUB that can be read")


@pytest.mark.parametrize(
    "href",
    ["../../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "..%2f..%2fsecret", "a\\..\\b"],
)
def test_a_cover_named_outside_the_package_is_refused(tmp_path: Path, href: str) -> None:
    _refused(tmp_path, lambda p: _epub(p, _jpeg(), href=href), "not inside the EPUB")


def test_a_package_document_that_unpacks_past_its_cap_is_refused(tmp_path: Path) -> None:
    opf = OPF.format(href="cover.jpg").replace("<manifest>", " " * MAX_PACKAGE_BYTES + "<manifest>")
    _refused(tmp_path, lambda p: _epub(p, _jpeg(), opf=opf), "EPUB/p.opf", "more than 8 MB")


def test_entities_in_the_package_document_are_not_expanded(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {c}{i} "{("&a;" if i == 0 else f"&{c}{i - 1};") * 10}">'
                  for c in "b" for i in range(8))
        + "]>"
    )  # fmt: skip
    opf = laughs + OPF.format(href="&b7;").split("?>", 1)[1]
    _refused(tmp_path, lambda p: _epub(p, _jpeg(), opf=opf))


def test_what_is_no_zip_at_all_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, lambda p: p.write_bytes(b"PK\x03\x04 and then nothing"), "not an EPUB")


def test_a_container_without_a_package_is_refused(tmp_path: Path) -> None:
    container = '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"/>'
    _refused(tmp_path, lambda p: _epub(p, _jpeg(), container=container), "no package document")


def test_an_image_too_large_to_decode_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # 60 megapixels in a few kB
    _refused(tmp_path, lambda p: _epub(p, out.getvalue()), "megapixels")
