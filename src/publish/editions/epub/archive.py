"""The EPUB file itself: ebooklib's writer with the one thing it lacks, and the zip rewritten so
the same book gives the same bytes (fixed times and modes, ``mimetype`` first and stored)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree


def writer_class() -> type:
    from ebooklib import epub

    class PackageWriter(epub.EpubWriter):  # type: ignore[misc]
        """ebooklib's writer, plus ``xml:lang`` on the package: reading systems and Ace use it
        for the language of the metadata, and ebooklib has no option for it."""

        def _write_opf_file(self, root: etree._Element) -> None:
            root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
            super()._write_opf_file(root)

    return PackageWriter


def deterministic_zip(data: bytes, modified: dt.datetime) -> bytes:
    """Same input, same bytes: fixed entry times and modes, ``mimetype`` first and stored."""
    stamp = max(modified, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = ["mimetype"] + [n for n in names if n != "mimetype"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, source.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
