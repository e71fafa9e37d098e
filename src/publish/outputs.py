"""No two files a build writes share a path, and none is one of the book's own inputs.

Checked once the book is read and before anything is written: a collision would otherwise let one
edition overwrite another without a word (the HTML edition of ``index.md`` and the download
page), or an edition overwrite the manuscript or an image it was made from. Paths are compared
case-folded, as the file systems of macOS and Windows compare them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from publish.errors import PublishError
from publish.model import Book

# What each format writes, as (what it is, the path relative to the output folder).
_NAMES = {
    "pdf": (("the PDF", "{slug}.pdf"), ("the PDF's page map", ".{slug}.pagemap.json")),
    "epub": (("the EPUB", "{slug}.epub"),),
    "html": (("the HTML edition", "{slug}.html"), ("the HTML edition's files", "{slug}_files")),
    "index": (("the download page", "index.html"), ("the download page's files", "{slug}_files")),
}


def planned_outputs(book: Book, out_dir: Path, formats: Iterable[str]) -> list[tuple[str, Path]]:
    """What the build writes for ``formats``, each with what it is."""
    return [
        (what, out_dir / name.format(slug=book.slug))
        for fmt in formats
        for what, name in _NAMES.get(fmt, ())
    ]


def check_distinct(book: Book, out_dir: Path, formats: Iterable[str]) -> None:
    """Raise ``PublishError`` naming both parts when two outputs, or an output and an input,
    would share a path. The HTML edition and the download page share their files folder."""
    inputs = {_key(book.source): "the manuscript", **{_key(p): "an image" for p in book.resources}}
    seen: dict[str, str] = {}
    for what, path in planned_outputs(book, out_dir, formats):
        key = _key(path)
        other = inputs.get(key) or seen.get(key)
        shared_folder = what.endswith("files") and (other or "").endswith("files")
        if other is not None and other != what and not shared_folder:
            raise PublishError.at(
                path,
                None,
                f"{what} and {other} would be the same file: rename the manuscript or choose "
                "another output folder (-o)",
            )
        seen[key] = what


def _key(path: Path) -> str:
    return str(path.resolve()).casefold()
