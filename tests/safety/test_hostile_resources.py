"""Files a manuscript points at: only inside its folder, only real images, never the network.

Every refusal is an error naming the manuscript line, raised by the reader before any writer
runs; WeasyPrint's fetcher refuses the same addresses again as a second line of defence."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from publish.build import build
from publish.errors import PublishError
from publish.safety.fetch import safe_fetcher
from support.manuscripts import FRONT, errors, manuscript, snapshot, warnings

OUTSIDE = "is outside the manuscript's folder"
COPY = "copy the file into the folder and refer to it from there"
NETWORK = (
    "is a network address: a build fetches nothing from the network; download the file into "
    "the manuscript's folder and use a relative path"
)


@pytest.fixture
def book_dir(tmp_path: Path) -> Path:
    """A manuscript folder with a good image, beside a folder holding a secret."""
    folder = tmp_path / "book"
    (folder / "figures").mkdir(parents=True)
    Image.new("RGB", (4, 3), "red").save(folder / "figures" / "ok.png")
    (tmp_path / "private").mkdir()
    Image.new("RGB", (2, 2), "blue").save(tmp_path / "private" / "secret.png")
    return folder


def _one(book_dir: Path, line: str) -> list[str]:
    return errors(manuscript(book_dir, f"# One\n\n{line}\n"))


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "![x](../private/secret.png)",
            f"book.md:9: error: '../private/secret.png' {OUTSIDE}: {COPY} [resource]",
        ),
        (
            "![x](figures/../../private/secret.png)",
            f"book.md:9: error: 'figures/../../private/secret.png' {OUTSIDE}: {COPY} [resource]",
        ),
        (
            "![x](/etc/hosts)",
            "book.md:9: error: '/etc/hosts' is an absolute path, which is refused: use a path "
            "relative to the manuscript's folder [resource]",
        ),
        (
            "![x](file:///etc/hosts)",
            "book.md:9: error: 'file:///etc/hosts' is a file: address, which is refused: copy "
            "the file into the manuscript's folder and use a relative path such as "
            "figures/chart.png [resource]",
        ),
        (
            "![x](https://example.org/pixel.png)",
            f"book.md:9: error: 'https://example.org/pixel.png' {NETWORK} [resource]",
        ),
        (
            "![x](//example.org/pixel.png)",
            f"book.md:9: error: '//example.org/pixel.png' {NETWORK} [resource]",
        ),
        (
            "![x](data:image/png;base64,iVBORw0KGgo=)",
            "book.md:9: error: 'data:image/png;base64,iVBORw0KGgo=' embeds data in an address, "
            "which is refused: save it as a file in the manuscript's folder and refer to it by "
            "a relative path [resource]",
        ),
        (
            '<img src="https://example.org/track.gif" alt="">',
            f"book.md:9: error: 'https://example.org/track.gif' {NETWORK} [resource]",
        ),
        (
            '<link rel="attachment" href="../private/secret.png">',
            f"book.md:9: error: '../private/secret.png' {OUTSIDE}: {COPY} [resource]",
        ),
        (
            '<a rel="attachment" href="/etc/passwd">notes</a>',
            "book.md:9: error: '/etc/passwd' is an absolute path, which is refused: use a path "
            "relative to the manuscript's folder [resource]",
        ),
        (
            '<link rel="stylesheet" href="https://example.org/font.css">',
            f"book.md:9: error: 'https://example.org/font.css' {NETWORK} [resource]",
        ),
        (
            "<style>@import 'https://example.org/x.css';</style>",
            f"book.md:9: error: 'https://example.org/x.css' {NETWORK} [resource]",
        ),
        (
            '<p style="background: url(../private/secret.png)">x</p>',
            f"book.md:9: error: '../private/secret.png' {OUTSIDE}: {COPY} [resource]",
        ),
        (
            '<object data="file:///etc/passwd"></object>',
            "book.md:9: error: 'file:///etc/passwd' is a file: address, which is refused: copy "
            "the file into the manuscript's folder and use a relative path such as "
            "figures/chart.png [resource]",
        ),
        (
            '<video poster="http://example.org/p.png"></video>',
            f"book.md:9: error: 'http://example.org/p.png' {NETWORK} [resource]",
        ),
        (
            "![x](missing.png)",
            "book.md:9: error: the image 'missing.png' does not exist: no file {folder}/missing.png"
            " [resource]",
        ),
    ],
    ids=[
        "parent", "parent via figures", "absolute", "file url", "network", "protocol-relative",
        "data url", "raw img network", "link attachment", "a attachment", "link stylesheet",
        "css import", "css url", "object file", "video poster", "missing image",
    ],
)  # fmt: skip
def test_reference_is_refused_with_its_line(book_dir: Path, reference: str, expected: str) -> None:
    assert _one(book_dir, reference) == [expected.replace("{folder}", str(book_dir))]


def test_symlink_pointing_out_is_refused(book_dir: Path) -> None:
    (book_dir / "figures" / "link.png").symlink_to(book_dir.parent / "private" / "secret.png")
    (book_dir / "elsewhere").symlink_to(book_dir.parent / "private")
    found = _one(book_dir, "![a](figures/link.png) ![b](elsewhere/secret.png)")
    assert found == [
        f"book.md:9: error: 'figures/link.png' {OUTSIDE} (the symbolic link 'figures/link.png' "
        f"leads there): {COPY} [resource]",
        f"book.md:9: error: 'elsewhere/secret.png' {OUTSIDE} (the symbolic link 'elsewhere' "
        f"leads there): {COPY} [resource]",
    ]


def test_symlink_inside_the_folder_is_fine(book_dir: Path) -> None:
    (book_dir / "alias.png").symlink_to(book_dir / "figures" / "ok.png")
    book, found = warnings(manuscript(book_dir, "# One\n\n![a](alias.png)\n"))
    assert found == []
    assert book.resources == ((book_dir / "figures" / "ok.png").resolve(),)


def test_all_refusals_are_reported_together(book_dir: Path) -> None:
    body = "# One\n\n![a](../private/secret.png)\n\nText.\n\n![b](https://example.org/b.png)\n"
    assert [e.split(": error")[0] for e in errors(manuscript(book_dir, body))] == [
        "book.md:9",
        "book.md:13",
    ]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels but holds almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _half_of_an_image(kind: str) -> bytes:
    noise = bytes((x * 7919) % 251 for x in range(64 * 64 * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 64), noise).save(buffer, kind)
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.png", b"notes, not pixels\n", "is not an image (PNG, JPEG, GIF, WebP or SVG)"),
        (
            "big.png",
            _png_header(10_000, 6_000),
            "is 10000 x 6000 pixels (60 megapixels); images over 50 megapixels are refused "
            "(a decompression bomb or a mistake): scale it down",
        ),
        (
            "bomb.png",
            _png_header(30_000, 30_000),
            "declares an absurd size (over 50 megapixels); it looks like a decompression bomb: "
            "scale the image down",
        ),
        (
            "cut.png",
            _half_of_an_image("PNG"),
            "is damaged or cut short: export it again",
        ),
        (
            "cut.jpg",
            _half_of_an_image("JPEG"),
            "is damaged or cut short: export it again",
        ),
        (
            "photo.png",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
            b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            "is a GIF image but its name ends in .png: rename it",
        ),
        (
            "entities.svg",
            b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b"<svg " + SVG_NS.encode() + b"><text>&x;</text></svg>",
            "is an SVG image with an internal DOCTYPE (entity declarations are refused)",
        ),
        (
            "outside.svg",
            b"<svg " + SVG_NS.encode() + b' xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="../private/secret.png"/></svg>',
            "is an SVG image that refers to '../private/secret.png': an image must be "
            "self-contained",
        ),
        (
            "script.svg",
            b"<svg " + SVG_NS.encode() + b"><script>alert(1)</script></svg>",
            "is an SVG image containing <script>: images may not hold scripts or HTML",
        ),
        (
            "handler.svg",
            b"<svg " + SVG_NS.encode() + b' onload="alert(1)"/>',
            "is an SVG image with the event handler 'onload': images run no scripts",
        ),
        (
            "css.svg",
            b"<svg " + SVG_NS.encode() + b"><style>@import url(https://example.org/a.css);"
            b"</style></svg>",
            "is an SVG image whose styles refer to another file",
        ),
        (
            "broken.svg",
            b"<svg " + SVG_NS.encode() + b"><g></svg>",
            "is neither a raster image nor well-formed SVG (Opening and ending tag mismatch: g "
            "line 1 and svg, line 1, column 50)",
        ),
        (
            "page.svg",
            b"<html><body>hi</body></html>",
            "is XML but not an SVG image (its root element is <html>)",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)  # fmt: skip
def test_a_file_that_is_not_a_usable_image_is_an_error(
    book_dir: Path, name: str, content: bytes, problem: str
) -> None:
    (book_dir / "figures" / name).write_bytes(content)
    assert _one(book_dir, f"![x](figures/{name})") == [
        f"book.md:9: error: the image 'figures/{name}' {problem} [resource]"
    ]


def test_references_in_code_are_text(book_dir: Path) -> None:
    body = '# One\n\n`![x](../private/secret.png)`\n\n```\n<img src="/etc/hosts">\n```\n'
    book, found = warnings(manuscript(book_dir, body))
    assert found == []
    assert book.resources == ()


def test_good_images_are_listed_once(book_dir: Path) -> None:
    svg = book_dir / "figures" / "chart.svg"
    svg.write_text(f'<svg {SVG_NS} width="10" height="10"><rect width="5" height="5"/></svg>')
    body = "# One\n\n![a](figures/ok.png)\n\n![b](figures/chart.svg)\n\n![c](figures/ok.png)\n"
    book, found = warnings(manuscript(book_dir, body))
    assert found == []
    assert book.resources == (
        (book_dir / "figures" / "ok.png").resolve(),
        svg.resolve(),
    )


def test_refusal_leaves_dist_untouched(book_dir: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build(manuscript(book_dir, "# One\n\n![ok](figures/ok.png)\n"), dist)
    before = snapshot(dist)
    with pytest.raises(PublishError):
        build(manuscript(book_dir, "# One\n\n![x](../private/secret.png)\n"), dist)
    assert snapshot(dist) == before


@pytest.mark.parametrize(
    "url",
    ["file:///etc/hosts", "https://example.org/x.png", "file://{outside}"],
)
def test_weasyprint_fetcher_refuses_outside_and_network(book_dir: Path, url: str) -> None:
    from weasyprint.urls import FatalURLFetchingError

    outside = book_dir.parent / "private" / "secret.png"
    fetcher = safe_fetcher([book_dir])
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url.replace("{outside}", str(outside)))
    assert fetcher.fetch((book_dir / "figures" / "ok.png").as_uri()) is not None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            _png_header(30_000, 30_000),
            "declares an absurd size (over 50 megapixels); it looks like a decompression bomb: "
            "scale the image down",
        ),
        (b"not an image", "is not an image (PNG, JPEG, GIF, WebP or SVG)"),
    ],
    ids=["bomb", "text"],
)
def test_cover_image_is_checked_like_any_image(
    book_dir: Path, content: bytes, problem: str
) -> None:
    (book_dir / "cover.png").write_bytes(content)
    front = FRONT.replace("---\ntitle", "---\ncover-image: cover.png\ntitle")
    assert errors(manuscript(book_dir, "# One\n\nText.\n", front=front)) == [
        f"book.md:2: error: 'cover-image' 'cover.png' {problem}"
    ]


def test_a_pipe_is_not_an_image(book_dir: Path) -> None:
    os.mkfifo(book_dir / "figures" / "pipe.png")
    assert _one(book_dir, "![x](figures/pipe.png)") == [
        "book.md:9: error: the image 'figures/pipe.png' is not a regular file (a folder, a "
        "device or a pipe) [resource]"
    ]
