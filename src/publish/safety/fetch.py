"""The only door through which WeasyPrint may read files: inside the manuscript folder or styles.

A manuscript is untrusted. It may name ``../`` paths, absolute paths, ``file://`` URLs, symlinks
that point out, or network addresses; none of those is fetched, and the build stops with an error
naming the refused address rather than quietly leaving a blank where an image should be.
"""

from __future__ import annotations

import contextlib
import mimetypes
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from publish.errors import Diagnostic, PublishError


class RefusedResource(PublishError):
    """A resource outside the allowed folders, or not a local file."""


def resolve_inside(url: str, roots: Iterable[Path]) -> Path:
    """Map a ``file:`` URL to a real path inside one of ``roots``, following symlinks first."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedResource.at(
            Path(url), None, "only files in the manuscript's folder may be used, not addresses"
        )
    path = Path(unquote(parts.path)).resolve()
    for root in roots:
        if path.is_relative_to(root.resolve()):
            return path
    raise RefusedResource.at(path, None, "is outside the manuscript's folder and cannot be used")


@contextlib.contextmanager
def refusals_reported(stylesheet: Path) -> Iterator[None]:
    """A refusal of ``safe_fetcher`` met while WeasyPrint reads ``stylesheet`` (or the book it
    styles) becomes the build's error, naming the stylesheet: the book's own references were
    refused by the reader already, so what is left is what the styles folder asks for."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as exc:
        refused = getattr(exc, "error", None)
        if not isinstance(refused, RefusedResource):
            raise
        first = refused.diagnostics[0]
        raise PublishError.at(
            stylesheet, None, f"the stylesheet asks for {first.path}, which {first.message}"
        ) from None


def safe_fetcher(roots: Iterable[Path], *, keep_image_metadata: bool = False) -> Any:
    """A WeasyPrint URL fetcher that serves files under ``roots`` and refuses everything else.

    Images are served without their metadata (``image_metadata``), unless
    ``keep_image_metadata``, and from memory: WeasyPrint would otherwise embed a JPEG by
    reading its file again, metadata and all.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from publish.safety.image_metadata import file_for_edition

    allowed = tuple(Path(r).resolve() for r in roots)

    class InMemory(URLFetcherResponse):  # type: ignore[misc]
        @property
        def path(self) -> None:  # WeasyPrint embeds the file at a response's path, if any
            return None

    class Refused(FatalURLFetchingError):  # type: ignore[misc]
        def __init__(self, error: RefusedResource) -> None:
            super().__init__(str(error))
            self.error = error

    class FolderFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = resolve_inside(url, allowed)
            except RefusedResource as exc:
                raise Refused(exc) from None
            if not path.is_file():
                raise Refused(RefusedResource([Diagnostic(path, None, "no such file")]))
            mime, _ = mimetypes.guess_type(path.name)
            headers = {"Content-Type": mime or "application/octet-stream"}
            if (mime or "").startswith("image/"):
                data = file_for_edition(path, keep=keep_image_metadata)
                return InMemory(path.as_uri(), data, headers)
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers)

    return FolderFetcher(fail_on_errors=True)
