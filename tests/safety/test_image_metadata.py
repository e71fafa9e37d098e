"""Images go into every edition without their metadata (EXIF with GPS and camera, XMP, IPTC,
comments, PNG text chunks, WebP and GIF metadata, SVG comments and <metadata>), keeping what the
picture needs (colour profile, orientation, transparency, frames), unless the manuscript says
``keep-image-metadata: true``. The images are made here with Pillow, built into every edition and
read back: the EPUB unzipped, the HTML edition's ``_files/``, the PDF's images with pikepdf."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageOps
from PIL.PngImagePlugin import PngInfo

from publish.build import build
from publish.errors import PublishError
from publish.safety.image_metadata import for_edition
from support import Epub
from support.manuscripts import FRONT, errors, manuscript

SECRET = b"SECRET"  # every piece of metadata below holds it; no picture does
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>SECRET place</rdf:Description>'
XMP += b"</x:xmpmeta>"
ORIENTATION = 0x0112


def _exif(turn: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SECRET camera maker"
    exif[0x0110] = "SECRET model"
    exif[0x010E] = "SECRET description"
    exif[0x0131] = "SECRET software"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}  # GPS
    if turn is not None:
        exif[ORIENTATION] = turn
    return bytes(exif.tobytes())


def _picture(mode: str = "RGB", size: tuple[int, int] = (48, 32)) -> Image.Image:
    image = Image.new(mode, size, (200, 60, 20, 255)[: len(mode)] if mode != "P" else 3)
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (20, 40, 220, 128)[: len(mode)] if mode != "P" else 9)
    return image


def jpeg(turn: int | None = None) -> bytes:
    out = io.BytesIO()
    _picture().save(
        out, "JPEG", quality=85, exif=_exif(turn), icc_profile=ICC, comment=SECRET + b" comment",
        xmp=XMP,
    )  # fmt: skip
    # IPTC (Photoshop's APP13) and a trailer after the image, as some cameras write.
    data = out.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x78\x00\x06SECRET"
    app13 = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
    return data[:2] + app13 + data[2:] + b"SECRET trailer"


def png() -> bytes:
    info = PngInfo()
    info.add_text("Author", "SECRET author")
    info.add_text("Comment", "SECRET compressed", zip=True)
    info.add_itxt("Description", "SECRET international", zip=False)
    out = io.BytesIO()
    _picture("RGBA").save(out, "PNG", pnginfo=info, icc_profile=ICC, exif=_exif())
    data = out.getvalue()
    time_chunk = _png_chunk(b"tIME", b"\x07\xea\x01\x02\x03\x04\x05")
    return data[:33] + time_chunk + data[33:]


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    import zlib

    crc = zlib.crc32(kind + payload).to_bytes(4, "big")
    return len(payload).to_bytes(4, "big") + kind + payload + crc


def gif() -> bytes:
    frames = [_picture("P"), _picture("P").rotate(180)]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0,
        comment=SECRET + b" gif comment", transparency=3,
    )  # fmt: skip
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    _picture("RGBA").save(out, "WEBP", lossless=True, exif=_exif(), xmp=XMP, icc_profile=ICC)
    return out.getvalue()


SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- SECRET: drawn by someone -->
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     sodipodi:docname="/home/SECRET/drawing.svg">
  <title>Two bars</title>
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">SECRET</rdf:RDF>
  </metadata>
  <sodipodi:namedview inkscape:export-filename="/home/SECRET/out.png"/>
  <!-- SECRET note -->
  <rect x="2" y="2" width="16" height="16" fill="#1a5fb4" inkscape:label="SECRET"/>
  <rect x="22" y="6" width="16" height="12" fill="#c01c28"/>
</svg>
"""


def _pixels(data: bytes, frame: int = 0) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.seek(frame)
        return image.convert("RGBA").tobytes()


# --- each format --------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [jpeg, png, gif, webp], ids=lambda f: f.__name__)
def test_metadata_is_left_out_and_the_picture_kept(make) -> None:  # type: ignore[no-untyped-def]
    original = make()
    assert SECRET in original
    stripped = for_edition(original, Path("x"))
    assert SECRET not in stripped
    assert _pixels(stripped) == _pixels(original)  # not recompressed: the very same pixels
    with Image.open(io.BytesIO(stripped)) as image, Image.open(io.BytesIO(original)) as before:
        assert image.info.get("icc_profile") == before.info.get("icc_profile")
        assert not {"comment", "xmp", "Author", "Comment", "Description"} & set(image.info)
        assert dict(image.getexif()) == {}
        assert image.size == before.size and image.mode == before.mode
        assert getattr(image, "n_frames", 1) == getattr(before, "n_frames", 1)
    assert for_edition(original, Path("x")) == stripped  # the same bytes on every build
    assert for_edition(stripped, Path("x")) == stripped  # nothing more to leave out


def test_a_jpeg_keeps_its_compressed_data_byte_for_byte() -> None:
    original = jpeg()
    stripped = for_edition(original, Path("x.jpg"))
    scan = original.index(b"\xff\xda")
    assert stripped[stripped.index(b"\xff\xda") :] == original[scan:].split(b"SECRET trailer")[0]
    assert len(stripped) < len(original)


@pytest.mark.parametrize("turn", [3, 6, 8])
def test_the_orientation_is_kept_alone(turn: int) -> None:
    stripped = for_edition(jpeg(turn), Path("x.jpg"))
    assert SECRET not in stripped
    with Image.open(io.BytesIO(stripped)) as image:
        assert dict(image.getexif()) == {ORIENTATION: turn}
        # What renderers draw: turned as the camera was held (6 and 8 a quarter turn).
        upright = ImageOps.exif_transpose(image)
        assert upright.size == (image.size[::-1] if turn in (6, 8) else image.size)


def test_an_animated_gif_keeps_its_frames_timing_and_loop() -> None:
    original = gif()
    stripped = for_edition(original, Path("x.gif"))
    with Image.open(io.BytesIO(stripped)) as image, Image.open(io.BytesIO(original)) as before:
        assert image.n_frames == 2 and image.info["loop"] == 0 and image.info["duration"] == 120
        assert image.info["transparency"] == before.info["transparency"]
    assert _pixels(stripped, 1) == _pixels(original, 1)


def test_svg_loses_comments_metadata_and_editor_data_but_keeps_its_title() -> None:
    stripped = for_edition(SVG, Path("x.svg"))
    assert SECRET not in stripped
    assert b"<title>Two bars</title>" in stripped
    assert stripped.count(b"<rect") == 2 and b'fill="#c01c28"' in stripped
    assert b"inkscape" not in stripped and b"sodipodi" not in stripped


def test_an_image_without_metadata_is_returned_as_it_is() -> None:
    out = io.BytesIO()
    _picture().save(out, "PNG")
    assert for_edition(out.getvalue(), Path("x.png")) == out.getvalue()
    assert for_edition(b"@font-face {}", Path("x.css")) == b"@font-face {}"


def test_keep_returns_every_byte() -> None:
    for data in (jpeg(), png(), gif(), webp(), SVG):
        assert for_edition(data, Path("x"), keep=True) == data


def test_a_jpeg_whose_structure_cannot_be_followed_is_saved_again_without_metadata() -> None:
    original = jpeg(6)
    broken = original.replace(b"\xff\xd9", b"")  # no end of image: Pillow still reads it
    stripped = for_edition(broken, Path("x.jpg"))
    assert SECRET not in stripped
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {ORIENTATION: 6}
        assert image.info.get("icc_profile") == ICC


# --- every edition ------------------------------------------------------------------------------

BODY = """
# Pictures

![A photo](photo.jpg)

![A chart](chart.png)

![An animation](moving.gif)

![A drawing](drawing.svg)

![A picture](picture.webp)
"""


def _book(folder: Path, *, keep: bool = False) -> Path:
    folder.mkdir(parents=True)
    for name, data in (
        ("photo.jpg", jpeg()), ("chart.png", png()), ("moving.gif", gif()),
        ("drawing.svg", SVG), ("picture.webp", webp()), ("cover.jpg", jpeg(6)),
    ):  # fmt: skip
        (folder / name).write_bytes(data)
    extra = "cover-image: cover.jpg\n" + ("keep-image-metadata: true\n" if keep else "")
    return manuscript(folder, BODY, front=FRONT.replace("---\n", "---\n" + extra, 1))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    build(_book(folder / "book"), folder / "dist")
    return folder / "dist"


def _epub_images(epub: Path) -> dict[str, bytes]:
    book = Epub(epub)
    return {
        item.get("href"): book.zip.read(book.base + item.get("href"))
        for item in book.manifest().values()
        if item.get("media-type").startswith("image/")
    }


def test_the_epub_holds_no_metadata(built: Path) -> None:
    images = _epub_images(built / "book.epub")
    assert set(images) >= {"cover.jpg", "media/photo.jpg", "media/chart.png", "media/drawing.svg"}
    for name, data in images.items():
        assert SECRET not in data, name
    assert SECRET not in (built / "book.epub").read_bytes()
    assert _pixels(images["media/photo.jpg"]) == _pixels(jpeg())
    assert _pixels(images["media/chart.png"]) == _pixels(png())
    with Image.open(io.BytesIO(images["cover.jpg"])) as cover:
        assert cover.info["icc_profile"] == ICC and dict(cover.getexif()) == {ORIENTATION: 6}


def test_the_html_edition_files_hold_no_metadata(built: Path) -> None:
    files = [p for p in (built / "book_files").rglob("*") if p.is_file()]
    media = {p.name: p.read_bytes() for p in files if "media" in p.parts}
    assert set(media) == {"photo.jpg", "chart.png", "moving.gif", "drawing.svg", "picture.webp"}
    for path in files:
        assert SECRET not in path.read_bytes(), path
    assert _pixels(media["moving.gif"], 1) == _pixels(gif(), 1)
    with Image.open(io.BytesIO(media["chart.png"])) as chart:
        assert chart.info["icc_profile"] == ICC and chart.mode == "RGBA"


def test_the_download_page_cover_holds_no_metadata(built: Path) -> None:
    cover = (built / "book_files" / "cover.jpg").read_bytes()
    assert SECRET not in cover and _pixels(cover) == _pixels(jpeg(6))


def test_the_pdf_images_hold_no_metadata(built: Path) -> None:
    pdf = (built / "book.pdf").read_bytes()
    assert SECRET not in pdf
    with pikepdf.open(built / "book.pdf") as document:
        jpegs = [
            obj.read_raw_bytes()
            for obj in document.objects
            if isinstance(obj, pikepdf.Stream)
            and obj.get("/Subtype") == "/Image"
            and obj.get("/Filter") == "/DCTDecode"
        ]
    assert jpegs  # the photo is embedded as the JPEG it is, not decoded
    for data in jpegs:
        assert SECRET not in data and b"Exif" not in data
        assert _pixels(data) == _pixels(jpeg())


def test_keep_image_metadata_keeps_every_byte(tmp_path: Path) -> None:
    book = _book(tmp_path / "book", keep=True)
    build(book, tmp_path / "dist", ["epub", "html"])
    images = _epub_images(tmp_path / "dist" / "book.epub")
    assert images["media/photo.jpg"] == jpeg() and images["cover.jpg"] == jpeg(6)
    assert images["media/drawing.svg"] == SVG
    media = tmp_path / "dist" / "book_files" / "media"
    assert (media / "chart.png").read_bytes() == png()
    with zipfile.ZipFile(tmp_path / "dist" / "book.epub") as archive:
        assert SECRET in archive.read(next(n for n in archive.namelist() if n.endswith(".webp")))


def test_keep_image_metadata_must_be_true_or_false(tmp_path: Path) -> None:
    path = manuscript(
        tmp_path,
        "\nText.\n",
        front=FRONT.replace("---\n", "---\nkeep-image-metadata: perhaps\n", 1),
    )
    assert errors(path) == [
        "book.md:2: error: 'keep-image-metadata' must be true or false, not 'perhaps'"
    ]


# --- damaged input ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["jpeg", "png", "gif", "webp", "svg"]),
    st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=4)), max_size=4),
    st.floats(0.05, 1),
)
def test_a_damaged_image_gives_bytes_or_an_error_naming_it(
    kind: str, changes: list[tuple[float, bytes]], cut: float
) -> None:
    """Bytes overwritten, inserted and the file cut short (an image from a styles folder is not
    checked before it is copied): the result is bytes, or an error naming the file."""
    data = bytearray({"jpeg": jpeg, "png": png, "gif": gif, "webp": webp}.get(kind, lambda: SVG)())
    for where, new in changes:
        at = int(where * (len(data) - 1))
        data[at : at + len(new)] = new
    damaged = bytes(data[: max(8, int(cut * len(data)))])
    try:
        result = for_edition(damaged, Path("styles/x"))
    except PublishError as error:
        assert error.diagnostics[0].path == Path("styles/x")
    else:
        assert isinstance(result, bytes)
