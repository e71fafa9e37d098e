"""publish: one Markdown manuscript in, a print-quality PDF and an EPUB 3 out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Book", "PublishError", "build", "read_manuscript"]

if TYPE_CHECKING:
    from publish.build import build
    from publish.errors import PublishError
    from publish.model import Book
    from publish.reading.manuscript import read_manuscript


def __getattr__(name: str) -> Any:
    # Lazy, so that `publish --help` does not pay for Markdown, lxml or WeasyPrint.
    if name == "build":
        from publish.build import build

        return build
    if name == "read_manuscript":
        from publish.reading.manuscript import read_manuscript

        return read_manuscript
    if name == "Book":
        from publish.model import Book

        return Book
    if name == "PublishError":
        from publish.errors import PublishError

        return PublishError
    raise AttributeError(name)
