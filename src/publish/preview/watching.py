"""What the preview watches: the book's inputs, never its outputs, through inotify.

The first preview polled the modification time of every file beside the manuscript five times a
second (``.git/`` included: half a core for a project of 20,000 files), and counted its own
outputs as changes: with the manuscript in the project's root, each rebuild's writes started the
next rebuild, forever. Now the operating system tells of changes (``watchfiles``: inotify on
Linux), and a change counts only when it touches a file the book is made of: the manuscript,
its references file, its cover and images (as the last build read them), the styles folder and
the templates. Until a build has read the book (the first one failed), any file in the
manuscript's folder may be one it needs, such as the missing image an error named; files in
the output folder and hidden ones never count.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from publish.model import Book
from publish.reading.frontmatter import split_front_matter
from publish.reading.manuscript import decode

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Editors write a save as several events in a few milliseconds: one rebuild for them all.
DEBOUNCE_MS = 150
# Without a change for this long, the sources are taken to have settled (the PDF follows).
SETTLED_MS = 600
# How often a polling watcher looks, where the system cannot tell of changes.
POLL_MS = 500


@dataclass(frozen=True)
class Inputs:
    """The files the last build that read the book was made of; ``known`` is false when the
    latest build could not read it (any file beside the manuscript may then be the one that
    is missing)."""

    files: frozenset[Path] = frozenset()
    known: bool = False

    def unknown(self) -> Inputs:
        return Inputs(self.files, known=False)

    def counts(self, path: Path, manuscript: Path, out_dir: Path) -> bool:
        """Whether a change to ``path`` may change the book."""
        path = _absolute(path)
        if path == manuscript or path in self.files:
            return True
        if self.known or path.is_relative_to(out_dir) or _hidden(path):
            return False
        return path.is_relative_to(manuscript.parent)


def _absolute(path: Path) -> Path:
    """The path with its folders' links resolved, the file's own name kept (it may be gone)."""
    return path.parent.resolve() / path.name


def _hidden(path: Path) -> bool:
    """Editors' swap and backup files, version control, caches: never part of a book."""
    return any(part.startswith(".") or part == "__pycache__" for part in path.parts) or (
        path.name.endswith("~")
    )


def book_inputs(book: Book, styles_dir: Path) -> Inputs:
    """The files ``book`` was made of, with the styles and the templates."""
    files = {_absolute(book.source)}
    files.update(_absolute(Path(image)) for image in book.resources)
    if book.metadata.cover_image:
        files.add(_absolute(book.base_dir / book.metadata.cover_image))
    references = _references_file(book.source)
    if references is not None:
        files.add(references)
    files.update(_files_under(styles_dir))
    files.update(_files_under(TEMPLATES))
    return Inputs(frozenset(files), known=True)


def _references_file(manuscript: Path) -> Path | None:
    try:
        front = split_front_matter(decode(manuscript), manuscript)
    except Exception:
        return None
    value = front.values.get("bibliography")
    return _absolute(manuscript.parent / value.strip()) if isinstance(value, str) else None


def _files_under(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in folder.resolve().rglob("*"):
        if not _hidden(path.relative_to(folder.resolve())) and path.is_file():
            yield path


def folders_to_watch(manuscript: Path, styles_dir: Path) -> list[Path]:
    """The manuscript's folder, the styles and the templates, each once."""
    folders: list[Path] = []
    for folder in (manuscript.parent, styles_dir.resolve(), TEMPLATES):
        if folder.is_dir() and not any(folder.is_relative_to(f) for f in folders):
            folders = [f for f in folders if not f.is_relative_to(folder)] + [folder]
    return folders


def changes(folders: Iterable[Path], stop: threading.Event) -> Iterator[set[Path]]:
    """Sets of changed paths as the system reports them, debounced; an empty set once the
    folders have been quiet for ``SETTLED_MS``. Ends when ``stop`` is set.

    Where the system cannot watch (out of inotify instances or watches), watchfiles polls
    instead, and says so once.
    """
    import watchfiles

    folders = list(folders)
    for polling in (False, True):
        batches = watchfiles.watch(
            *folders,
            watch_filter=None,
            debounce=DEBOUNCE_MS,
            stop_event=stop,
            rust_timeout=SETTLED_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=polling or None,
            poll_delay_ms=POLL_MS,
        )
        try:
            first = next(batches, None)
        except (OSError, RuntimeError) as exc:
            if polling:
                raise
            print(f"preview: cannot watch files ({exc}); looking at them instead", file=sys.stderr)
            continue
        if first is None:
            return
        yield {Path(path) for _, path in first}
        for batch in batches:
            yield {Path(path) for _, path in batch}
        return
