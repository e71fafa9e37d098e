"""The EPUB as an archive, read within bounds before any tool reads it.

An edition handed to ``publish check`` may be anything: not a zip, a zip whose container or
package document is missing, a member that inflates to gigabytes, a hundred thousand members,
a member named ``../../x``, XHTML nested a hundred thousand elements deep. Each is a failed check
with one line naming the file and the member. Members are read as streams and stopped at a cap
(a member's declared size is whatever its maker wrote), XML is parsed with lxml's default
limits and no network or entities, and its depth is checked, so that EPUBCheck, Ace and the
parity check only ever see an archive that passed.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from publish.checks.readable import first_line

MAX_ARCHIVE_BYTES = 1 << 30
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 64 << 20
MAX_TOTAL_BYTES = 256 << 20
# Our own content documents nest far less (the reader refuses more than 128 levels); lxml's
# parser refuses more than 256 without its huge_tree option, which is never given here.
MAX_XML_DEPTH = 200
_CHUNK = 1 << 16
_END_SEARCH = 22 + 0xFFFF + 20  # the end record, its longest comment, the ZIP64 locator
_CONTAINER = "META-INF/container.xml"
_XML_SUFFIXES = (".xhtml", ".html", ".htm", ".opf", ".ncx", ".xml", ".svg", ".smil")
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}


class ArchiveProblem(Exception):
    """What is wrong with the archive, in one line (the member named where there is one)."""


@dataclass(frozen=True)
class Package:
    """The package document's place in the archive and the members its manifest lists."""

    opf: str
    manifest: tuple[str, ...]


def epub_problem(epub: Path) -> str | None:
    """One line saying what makes ``epub`` unreadable as an EPUB, naming the file; ``None`` if
    the archive, its container, package document and every XML member read within bounds."""
    try:
        check_archive(epub)
    except ArchiveProblem as problem:
        return f"{epub}: {problem}"
    return None


def check_archive(epub: Path) -> Package:
    size = epub.stat().st_size
    if size > MAX_ARCHIVE_BYTES:
        raise ArchiveProblem(f"{size:,} bytes, more than an EPUB may be ({MAX_ARCHIVE_BYTES:,})")
    if not zipfile.is_zipfile(epub):
        raise ArchiveProblem("not a zip archive, as an EPUB must be")
    declared = _declared_members(epub)
    if declared > MAX_MEMBERS:  # known before the zip reader lists them all
        raise ArchiveProblem(_too_many(declared))
    try:
        with zipfile.ZipFile(epub) as archive:
            return _check(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        raise ArchiveProblem(f"a damaged zip archive ({first_line(exc)})") from exc
    except NotImplementedError as exc:  # a compression method zipfile does not read
        raise ArchiveProblem(f"a member the zip reader cannot inflate ({first_line(exc)})") from exc
    except RuntimeError as exc:  # an encrypted member
        raise ArchiveProblem(first_line(exc)) from exc


def _check(archive: zipfile.ZipFile) -> Package:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:  # a directory longer than its end record said
        raise ArchiveProblem(_too_many(len(members)))
    for info in members:
        if not _safe_name(info.filename):
            raise ArchiveProblem(f"member '{_shown(info.filename)}' has a path outside the archive")
    names = {info.filename for info in members}
    # Every member is inflated (within the caps), as the tools after this one will; the XML
    # ones are kept to be parsed.
    contents = _read_all(archive, members, keep=lambda name: name.lower().endswith(_XML_SUFFIXES))
    if _CONTAINER not in contents:
        raise ArchiveProblem(f"no {_CONTAINER}: the archive does not say where its package is")
    container = parse_xml(contents[_CONTAINER], _CONTAINER)
    rootfile = container.find(".//c:rootfile", _NS)
    opf = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf:
        raise ArchiveProblem(f"member '{_CONTAINER}' names no package document (rootfile)")
    if opf not in names:
        raise ArchiveProblem(
            f"member '{_CONTAINER}' names the package document '{_shown(opf)}', "
            "which is not in the archive"
        )
    if opf not in contents:  # a package document not named .opf
        contents.update(_read_all(archive, [archive.getinfo(opf)], keep=lambda _: True))
    package = parse_xml(contents[opf], opf)
    manifest = []
    for item in package.iterfind(".//opf:manifest/opf:item", _NS):
        href = item.get("href") or ""
        if urlsplit(href).scheme:
            continue  # a remote resource: EPUBCheck judges whether it may be one
        member = _member_of(opf, href)
        if member is None or member not in names:
            raise ArchiveProblem(
                f"member '{_shown(opf)}' lists '{_shown(href)}', which is not in the archive"
            )
        manifest.append(member)
    for name, data in contents.items():
        if name not in (_CONTAINER, opf):
            parse_xml(data, name)
    return Package(opf, tuple(manifest))


def _too_many(count: int) -> str:
    return f"{count:,} members, more than an EPUB may hold ({MAX_MEMBERS:,})"


def _declared_members(epub: Path) -> int:
    """How many members the archive's end record says it has (0 where it cannot be read: the
    zip reader then says what is wrong)."""
    with epub.open("rb") as stream:
        stream.seek(max(0, epub.stat().st_size - _END_SEARCH))
        tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if count == 0xFFFF and locator >= 0:  # ZIP64: the count is in the ZIP64 end record
        offset = int.from_bytes(tail[locator + 8 : locator + 16], "little")
        with epub.open("rb") as stream:
            stream.seek(offset)
            record = stream.read(40)
        if record.startswith(b"PK\x06\x06"):
            count = int.from_bytes(record[32:40], "little")
    return count


def _read_all(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], keep: Callable[[str], bool]
) -> dict[str, bytes]:
    """The bytes of the members ``keep`` wants; every member streamed, stopped at the caps."""
    contents: dict[str, bytes] = {}
    total = 0
    for info in members:
        if info.is_dir():
            continue
        kept = keep(info.filename)
        chunks = []
        size = 0
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise ArchiveProblem(
                        f"member '{_shown(info.filename)}' inflates to more than "
                        f"{MAX_MEMBER_BYTES:,} bytes"
                    )
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveProblem(
                        f"the members inflate to more than {MAX_TOTAL_BYTES:,} bytes "
                        f"(at '{_shown(info.filename)}')"
                    )
                if kept:
                    chunks.append(chunk)
        if kept:
            contents[info.filename] = b"".join(chunks)
    return contents


def parse_xml(data: bytes, member: str) -> etree._Element:
    """``data`` as XML with lxml's default limits, no entities or network, and a depth bound."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = first_line(exc)
        raise ArchiveProblem(
            f"member '{_shown(member)}' is not well-formed XML ({reason})"
        ) from exc
    if root is None:
        raise ArchiveProblem(f"member '{_shown(member)}' is empty")
    depth = _depth(root)
    if depth > MAX_XML_DEPTH:
        raise ArchiveProblem(
            f"member '{_shown(member)}' nests elements more than {MAX_XML_DEPTH} deep"
        )
    return root


def _depth(root: etree._Element) -> int:
    """The deepest element's level, without recursion."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_XML_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in element)
    return deepest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not path.is_absolute()
        and ".." not in path.parts
        and ":" not in path.parts[0]
    )


def _member_of(opf: str, href: str) -> str | None:
    """The archive member a manifest ``href`` (relative to the package document) names."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    resolved: list[str] = []
    for part in (*PurePosixPath(opf).parent.parts, *unquote(parts.path).split("/")):
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
        else:
            resolved.append(part)
    return "/".join(resolved)


def _shown(text: str, limit: int = 80) -> str:
    from publish.errors import visible

    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
