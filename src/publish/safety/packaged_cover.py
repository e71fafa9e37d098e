"""The cover image inside an EPUB already in the output folder, taken only once it is verified.

The download page shows the EPUB's own cover, so readers see the cover they get. That EPUB is a
file in a folder, not something this build just made: it may have been replaced by anything
(a zip bomb, a cover member of hundreds of megabytes that is no image, a manifest naming
``../`` paths). Every member is read with a bound on what it may unpack to, the package
documents are parsed with entities, DTDs and the network off, and the cover must be a JPEG or
PNG that passes the checks every image of the book passes (``images``).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from publish.safety.images import raster_data_problem

# What each member may unpack to. A cover that stores take is a few megabytes (1600x2560 px).
MAX_COVER_BYTES = 32 * 1024 * 1024
MAX_PACKAGE_BYTES = 8 * 1024 * 1024  # container.xml and the package document (OPF)
# The cover formats the page takes: the ones an EPUB's cover is made of (editions/cover).
COVER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False}
# What a damaged or crafted archive raises while its members are read.
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression method zipfile lacks
    ValueError,
)


class RefusedCover(Exception):
    """Why the EPUB's cover is not taken: completes "the cover of <file> is not used: ..."."""


@dataclass(frozen=True)
class PackagedCover:
    data: bytes
    suffix: str  # the file ending its verified format takes: .jpg or .png


def packaged_cover(epub: Path) -> PackagedCover | None:
    """The EPUB's ``cover-image`` item, verified; ``None`` when the package declares none.

    Raises ``RefusedCover`` when the EPUB cannot be read or its cover is not an image to show.
    """
    try:
        with zipfile.ZipFile(epub) as archive:
            container = _xml(archive, "META-INF/container.xml")
            rootfile = container.find(".//c:rootfile", _NS)
            if rootfile is None:
                raise RefusedCover("its META-INF/container.xml names no package document")
            opf_path = _member_name(rootfile.get("full-path", ""), "")
            opf = _xml(archive, opf_path)
            href = _cover_href(opf)
            if href is None:
                return None
            data = _bounded_read(archive, _member_name(href, posixpath.dirname(opf_path)))
    except _ARCHIVE_ERRORS as exc:
        raise RefusedCover(f"it is not an EPUB that can be read ({_reason(exc)})") from None
    problem, media_type = raster_data_problem(data)
    if problem is not None:
        raise RefusedCover(f"the cover image {problem}")
    if media_type not in COVER_TYPES:
        raise RefusedCover(f"the cover image is {media_type}, not a JPEG or PNG")
    return PackagedCover(data, COVER_TYPES[media_type])


def _cover_href(opf: etree._Element) -> str | None:
    for item in opf.iterfind("opf:manifest/opf:item", _NS):
        if "cover-image" in (item.get("properties") or "").split():
            return item.get("href", "")
    return None


def _member_name(href: str, folder: str) -> str:
    """The archive member an address in the package names; refused when it would leave the
    package (``../``, an absolute path, another scheme) or cannot be a member's name."""
    parts = urlsplit(href)
    name = unquote(parts.path)
    if parts.scheme or parts.netloc or not name or name.startswith("/") or "\\" in name:
        raise RefusedCover(f"it names the file '{_short(href)}', which is not inside the EPUB")
    if "\0" in name or any(ord(c) < 0x20 for c in name):
        raise RefusedCover(f"it names the file '{_short(href)}', which holds control characters")
    joined = posixpath.normpath(posixpath.join(folder, name))
    if joined == ".." or joined.startswith("../") or PurePosixPath(joined).is_absolute():
        raise RefusedCover(f"it names the file '{_short(href)}', which is not inside the EPUB")
    return joined


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    parser = etree.XMLParser(**_PARSER_OPTIONS)  # type: ignore[arg-type]
    try:
        return etree.fromstring(_bounded_read(archive, name, MAX_PACKAGE_BYTES), parser)
    except etree.XMLSyntaxError as exc:
        raise RefusedCover(f"its {name} is not well-formed XML ({exc.msg})") from None


def _bounded_read(archive: zipfile.ZipFile, name: str, limit: int = MAX_COVER_BYTES) -> bytes:
    """The member ``name``, refused before it unpacks to more than ``limit`` bytes, whatever
    size the archive declares for it (a zip bomb declares a small one)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise RefusedCover(f"it has no member '{_short(name)}'") from None
    too_large = RefusedCover(
        f"its member '{_short(name)}' unpacks to more than {limit // 1024 // 1024} MB"
    )
    if info.file_size > limit:
        raise too_large
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _short(text: str) -> str:
    """A name for a message (which shows control characters as escapes), cut to a line."""
    return text if len(text) <= 80 else text[:77] + "..."
