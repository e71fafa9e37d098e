"""What an image carries beside its picture is left out of every edition, unless asked to keep it.

A photo's EXIF names where it was taken (GPS), the camera and its serial number, the software,
a description and a thumbnail of the uncropped original; XMP and IPTC add authors, places and
edit histories; PNG text chunks and SVG comments hold whatever the tool or author wrote there.
None of it is drawn, and all of it would be published byte for byte. Every image that goes into
an edition (the cover, the figures; in the PDF, the EPUB and the HTML edition's ``_files/``)
passes through ``for_edition``, which keeps what the picture needs to look as it does:

- the ICC colour profile (JPEG APP2, PNG iCCP, WebP ICCP, GIF's ICCRGBG1 extension), gamma,
  chromaticities and sRGB intent, the JPEG's Adobe colour-transform segment, transparency;
- the orientation, as the EXIF Orientation tag alone in a minimal EXIF block. It is kept rather
  than applied (``ImageOps.exif_transpose``) because turning a JPEG's pixels means decoding and
  encoding it again, which loses quality; every renderer of our editions (WeasyPrint through
  Pillow, browsers and the reading systems built on them, which follow CSS's
  ``image-orientation: from-image``) turns the picture by the tag;
- animation (GIF's loop extension and frames, APNG's and WebP's frame chunks).

JPEG, PNG, GIF and WebP are rewritten segment by segment, chunk by chunk, block by block: the
compressed picture is copied as it is, so nothing is decoded or recompressed. An image whose
structure cannot be followed (Pillow, which checked it, tolerates more) is saved again by
Pillow instead, without its metadata; SVG is parsed safely and written back without comments,
``<metadata>`` and editors' private elements and attributes (``svg_metadata``). The result
depends only on the input's bytes: the same image gives the same bytes on every build. An
image with nothing to leave out is returned as it is.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from publish.errors import PublishError
from publish.safety import svg_metadata

ORIENTATION_TAG = 0x0112


class Unparsed(Exception):
    """The image's structure is not one this module follows; it is saved again by Pillow."""


def for_edition(data: bytes, source: Path, *, keep: bool = False) -> bytes:
    """``data``, the image ``source``, as it goes into an edition: without its metadata, unless
    ``keep``. Anything but an image is returned as it is."""
    if keep:
        return data
    strip = _stripper(data)
    if strip is None:
        return data
    try:
        try:
            result = strip(data)
        except (Unparsed, IndexError, ValueError, struct.error):
            # Pillow writes some metadata of its own accord (a JPEG's or GIF's comment): what it
            # wrote is well-formed, and walked once more.
            result = strip(_saved_again(data))
    except (Unparsed, IndexError, struct.error):
        raise PublishError.at(
            source, None, "the image cannot be read to leave its metadata out"
        ) from None
    except (OSError, ValueError, SyntaxError, etree.XMLSyntaxError) as exc:
        raise PublishError.at(
            source, None, f"the image cannot be read to leave its metadata out ({exc})"
        ) from None
    return data if result == data else result


def file_for_edition(path: Path, *, keep: bool = False) -> bytes:
    """The image file ``path`` as it goes into an edition (``for_edition``)."""
    return for_edition(path.read_bytes(), path, keep=keep)


def _stripper(data: bytes) -> Callable[[bytes], bytes] | None:
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg
    if data.startswith(PNG_SIGNATURE):
        return _png
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp
    if svg_metadata.looks_like_svg(data):
        return svg_metadata.without_metadata
    return None


# --- orientation -------------------------------------------------------------------------------


def orientation(exif: bytes) -> int | None:
    """The Orientation tag of an EXIF block (with or without its ``Exif`` header), when it turns
    or mirrors the picture (2 to 8)."""
    from PIL import Image

    try:
        tags = Image.Exif()
        tags.load(exif)
        value = tags.get(ORIENTATION_TAG)
    except Exception:  # Pillow's TIFF reader fails in many ways on damaged data: no turn then
        return None
    return value if isinstance(value, int) and 2 <= value <= 8 else None


def orientation_only(value: int) -> bytes:
    """A minimal EXIF block, ``Exif\\0\\0`` and a TIFF header, that holds the Orientation alone."""
    from PIL import Image

    tags = Image.Exif()
    tags[ORIENTATION_TAG] = value
    return bytes(tags.tobytes())


# --- JPEG: segments ----------------------------------------------------------------------------

_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_ICC = b"ICC_PROFILE\0"


def _jpeg(data: bytes) -> bytes:
    """SOI, the kept segments, each scan's entropy-coded data as it is, EOI; what follows EOI (a
    second image, a trailer of metadata) is left out."""
    kept: list[bytes] = []
    turn: int | None = None
    position = 2
    end = len(data)
    while True:
        position = data.index(b"\xff", position)  # bytes between segments are not kept
        while data[position] == 0xFF:  # fill bytes
            position += 1
        marker = data[position]
        position += 1
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            kept.append(bytes((0xFF, marker)))
            continue
        (length,) = struct.unpack(">H", data[position : position + 2])
        if length < 2 or position + length > end:
            raise Unparsed("a segment runs past the end")
        payload = data[position + 2 : position + length]
        position += length
        if marker == _SOS:
            scan_end = _entropy_end(data, position)
            kept.append(_segment(marker, payload) + data[position:scan_end])
            position = scan_end
        elif 0xE0 <= marker <= 0xEF or marker == _COM:
            if marker == 0xE1 and payload.startswith(b"Exif\0\0"):
                turn = turn or orientation(payload)
            application = _kept_application(marker, payload)
            if application is not None:
                kept.append(application)
        else:
            kept.append(_segment(marker, payload))
    if turn is not None:
        jfif = 1 if kept and kept[0].startswith(b"\xff\xe0") else 0
        kept.insert(jfif, _segment(0xE1, orientation_only(turn)))
    return b"\xff\xd8" + b"".join(kept) + b"\xff\xd9"


def _kept_application(marker: int, payload: bytes) -> bytes | None:
    """The APPn segment as it is kept: JFIF without its thumbnail, the ICC profile, Adobe's
    colour transform; EXIF, XMP, IPTC (APP13), JFXX thumbnails, comments and the rest not."""
    if marker == 0xE0 and payload.startswith(b"JFIF\0") and len(payload) >= 14:
        return _segment(marker, payload[:12] + b"\0\0")  # version, units, density; no thumbnail
    if (marker == 0xE2 and payload.startswith(_ICC)) or (
        marker == 0xEE and payload.startswith(b"Adobe")
    ):
        return _segment(marker, payload)
    return None


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) > 0xFFFD:
        raise Unparsed("a segment too long to write")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _entropy_end(data: bytes, position: int) -> int:
    """Where a scan's entropy-coded data ends: at the first marker that is not a stuffed zero or
    a restart marker. ``bytes.find`` keeps this linear and fast."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise Unparsed("a scan without an end")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position = found + 2
        elif following == 0xFF:
            position = found + 1
        else:
            return found


# --- PNG: chunks -------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What decoding and showing the picture uses: the critical chunks, colour (iCCP, sRGB, gAMA,
# cHRM, cICP, HDR's mDCV and cLLI), transparency, significant bits, the background and pixel
# density, and APNG's animation. Text, eXIf (but its orientation), tIME and private chunks not.
_PNG_KEPT = frozenset(
    {
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
        b"sBIT", b"bKGD", b"pHYs", b"cICP", b"mDCV", b"cLLI", b"mDCv", b"cLLi", b"acTL",
        b"fcTL", b"fdAT",
    }
)  # fmt: skip


def _png(data: bytes) -> bytes:
    kept = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    while True:
        if position + 12 > len(data):
            raise Unparsed("a chunk runs past the end")
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        whole = data[position : position + 12 + length]
        if len(whole) != 12 + length:
            raise Unparsed("a chunk runs past the end")
        position += 12 + length
        if kind in _PNG_KEPT:
            kept.append(whole)
        elif kind == b"eXIf" and (turn := orientation(whole[8:-4])) is not None:
            kept.append(_png_chunk(b"eXIf", orientation_only(turn)[6:]))
        if kind == b"IEND":
            return b"".join(kept)  # what follows IEND is no part of the picture


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    checksum = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)


# --- GIF: blocks -------------------------------------------------------------------------------

# Application extensions a GIF shows with: the loop count of an animation, and a colour profile.
_GIF_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")


def _gif(data: bytes) -> bytes:
    """The header, the screen and its colour table, every image and its graphic control, plain
    text and the kept application extensions; comments (and XMP, which is an application
    extension) not, nor what follows the trailer."""
    position = 13 + _colour_table(data[10])
    kept = [data[:position]]
    while True:
        introducer = data[position]
        if introducer == 0x3B:
            kept.append(b"\x3b")
            return b"".join(kept)
        if introducer == 0x2C:  # an image: descriptor, local colours, LZW code size, data
            start = position
            position += 10 + _colour_table(data[position + 9]) + 1
            position = _sub_blocks_end(data, position)
            kept.append(data[start:position])
        elif introducer == 0x21:
            label, start = data[position + 1], position
            position = _sub_blocks_end(data, position + 2)
            application = data[start + 3 : start + 14] if label == 0xFF else b""
            if label in (0xF9, 0x01) or application in _GIF_APPLICATIONS:
                kept.append(data[start:position])
        else:
            raise Unparsed("a block GIF does not have")


def _colour_table(packed: int) -> int:
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0


def _sub_blocks_end(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            if position > len(data):
                raise Unparsed("a block runs past the end")
            return position


# --- WebP: RIFF chunks -------------------------------------------------------------------------

_WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _webp(data: bytes) -> bytes:
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)
    chunks: list[tuple[bytes, bytes]] = []
    position = 12
    while position + 8 <= end:
        kind = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        payload = data[position + 8 : position + 8 + size]
        if len(payload) != size:
            raise Unparsed("a chunk runs past the end")
        position += 8 + size + (size & 1)
        if kind in _WEBP_KEPT:
            chunks.append((kind, payload))
        elif kind == b"EXIF" and (turn := orientation(payload)) is not None:
            chunks.append((b"EXIF", orientation_only(turn)[6:]))
    extended = any(kind == b"VP8X" for kind, _ in chunks)
    if not extended:  # only the extended format has room for EXIF
        chunks = [(kind, payload) for kind, payload in chunks if kind != b"EXIF"]
    has_exif = any(kind == b"EXIF" for kind, _ in chunks)
    parts: list[bytes] = []
    for kind, payload in chunks:
        if kind == b"VP8X":
            flags = payload[0] & ~(_VP8X_EXIF | _VP8X_XMP) | (_VP8X_EXIF if has_exif else 0)
            payload = bytes((flags,)) + payload[1:]
        parts += (kind, struct.pack("<I", len(payload)), payload, b"\0" * (len(payload) & 1))
    body = b"".join(parts)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


# --- what the structure walk cannot follow -----------------------------------------------------


def _saved_again(data: bytes) -> bytes:
    """The picture saved again by Pillow with what it needs (colour profile, orientation,
    transparency, frames) and nothing else; a JPEG keeps its quantisation tables and
    subsampling, which comes closest to its quality."""
    from PIL import Image

    from publish.safety.images import MAX_PIXELS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _pillow_saved(data, MAX_PIXELS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unparsed("it declares more pixels than an image may have") from None


def _pillow_saved(data: bytes, max_pixels: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > max_pixels:
            raise Unparsed("it declares more pixels than an image may have")
        kind = image.format or "PNG"
        options: dict[str, object] = {"comment": b"", "xmp": b""}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        turn = image.getexif().get(ORIENTATION_TAG)
        if isinstance(turn, int) and 2 <= turn <= 8:
            options["exif"] = orientation_only(turn)
        if kind == "JPEG":
            options.update(quality="keep", subsampling="keep")
        elif getattr(image, "n_frames", 1) > 1:
            options.update(save_all=True, loop=image.info.get("loop", 0))
        if "transparency" in image.info and kind in ("PNG", "GIF"):
            options["transparency"] = image.info["transparency"]
        image.save(out, kind, **options)
    return out.getvalue()
