"""Is a file one both editions can show, and safe to open? PNG, JPEG, GIF, WebP or SVG.

Raster images are identified by Pillow from their bytes, not their names, and their size is read
from the header before any pixel is decoded, so a decompression bomb (a small file that unpacks
to gigabytes) is refused before it costs memory. SVG is XML: it is parsed with entities, DTD
loading and network access off, and must be self-contained, since a reader's device would
otherwise fetch what it points at.
"""

from __future__ import annotations

import io
import mimetypes
import warnings
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from publish.safety.svg import drawn_svg_problem, parse_svg, svg_problem

MAX_PIXELS = 50_000_000
RASTER_FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
SVG_TYPE = "image/svg+xml"
KINDS = "PNG, JPEG, GIF, WebP or SVG"


def image_problem(file: Path) -> str | None:
    """Why ``file`` cannot be used as an image, or ``None`` when it can."""
    with file.open("rb") as handle:
        head = handle.read(1024)
    if _looks_like_xml(head):
        problem: str | None = _svg_problem(file)
        detected: str | None = SVG_TYPE
    else:
        problem, detected = _raster_problem(file)
    if problem:
        return problem
    named = mimetypes.guess_type(file.name)[0]
    if named != detected:
        ending = file.suffix or "(no ending)"
        return f"is a {_kind(detected)} image but its name ends in {ending}: rename it"
    return None


def _kind(media_type: str | None) -> str:
    if media_type == SVG_TYPE:
        return "SVG"
    return next((k for k, t in RASTER_FORMATS.items() if t == media_type), "unknown")


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"<")


def raster_data_problem(data: bytes) -> tuple[str | None, str | None]:
    """(why ``data`` is not a raster image the editions can show, None), or (None, its media
    type): the checks ``image_problem`` makes of a file, for bytes read from elsewhere (a
    packaged edition's cover)."""
    return _raster_problem(data)


def _opened(source: Path | bytes) -> Path | BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _raster_problem(source: Path | bytes) -> tuple[str | None, str | None]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(_opened(source)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_large(width, height), None
                if image.format not in RASTER_FORMATS:
                    return f"is a {image.format} image; use {KINDS}", None
                detected = RASTER_FORMATS[image.format]
                image.verify()  # PNG: every chunk's checksum; truncated or corrupt data fails
            if detected != "image/png":
                # verify() barely looks at JPEG, GIF or WebP data: decode to find a cut file,
                # which would otherwise print as a grey band.
                _load_strictly(source)
            return None, detected
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        bomb = (
            f"declares an absurd size (over {MAX_PIXELS // 1_000_000} megapixels); "
            "it looks like a decompression bomb: scale the image down"
        )
        return bomb, None
    except UnidentifiedImageError:
        return f"is not an image ({KINDS})", None
    except (OSError, SyntaxError, ValueError, EOFError):
        return "is damaged or cut short: export it again", None


def _load_strictly(source: Path | bytes) -> None:
    from PIL import Image, ImageFile

    # WeasyPrint sets this process-wide on import, so that a cut image still prints.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(_opened(source)) as image:
            image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _too_large(width: int, height: int) -> str:
    return (
        f"is {width} x {height} pixels ({width * height / 1_000_000:.0f} megapixels); images over "
        f"{MAX_PIXELS // 1_000_000} megapixels are refused (a decompression bomb or a mistake): "
        "scale it down"
    )


def svg_text_problem(svg: str) -> str | None:
    """Why an SVG made here (the cover a template draws) may not be drawn, or ``None``."""
    return drawn_svg_problem(svg)


def _svg_problem(file: Path) -> str | None:
    try:
        tree = parse_svg(file.read_bytes())
    except etree.XMLSyntaxError as exc:
        return f"is neither a raster image nor well-formed SVG ({exc.msg})"
    return svg_problem(tree)
