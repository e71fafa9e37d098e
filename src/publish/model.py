"""The finished book: immutable records that every writer receives. No I/O happens here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from publish.labels import LABELS, Labels


@dataclass(frozen=True)
class TocEntry:
    """A heading as the navigation sees it: its text, where it points, what nests under it."""

    title: str
    anchor: str
    level: int
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class Footnote:
    """A note: its id, its number in reading order, its content (XHTML blocks, no links back),
    and the ids of the places that call it, first call first."""

    anchor: str
    number: int
    html: str
    calls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One level-1 heading and everything up to the next: an EPUB content document, a PDF chapter.

    ``html`` is sanitised XHTML-serialisable markup of the section body, heading included.
    ``role`` says where the section belongs in the book: body matter or back matter.
    ``semantics`` is what the section is, as EPUB's ``epub:type`` and DPUB-ARIA's ``doc-*``
    roles name it: a chapter, or the bibliography.
    """

    anchor: str
    title: str
    html: str
    toc: TocEntry
    role: str = "bodymatter"
    semantics: str = "chapter"
    notes: tuple[Footnote, ...] = ()
    listed: bool = True  # False for the untitled opening text: it has no place in the contents


@dataclass(frozen=True)
class Author:
    """An author as pandoc's structured ``author`` list, pandoc-scholar and JOSS describe one."""

    name: str
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None  # the bare iD, 0000-0002-1825-0097
    email: str | None = None
    corresponding: bool = False

    @property
    def orcid_url(self) -> str | None:
        return f"https://orcid.org/{self.orcid}" if self.orcid else None


@dataclass(frozen=True)
class Metadata:
    title: str
    authors: tuple[str, ...]
    date: dt.date
    lang: str
    identifier: str
    subtitle: str | None = None
    publisher: str | None = None
    rights: str | None = None
    keywords: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    papersize: str | None = None
    cover_image: str | None = None
    # The date as the author wrote it ("December 2024"), printed instead of the house style
    # of ``date`` when the author wrote less or more than a day.
    date_text: str | None = None
    author_details: tuple[Author, ...] = ()
    direction: str | None = None  # "rtl" or "ltr", pandoc's ``dir``
    toc_depth: int | None = None  # pandoc's toc-depth; each edition has its own default
    number_sections: bool = False
    # keep-image-metadata: images go into the editions with their EXIF, XMP, text chunks.
    keep_image_metadata: bool = False
    # pandoc's and Quarto's ``toc``: ``false`` leaves the contents page out of the PDF and the
    # HTML edition, and out of the EPUB's reading order (its navigation document stays).
    toc: bool = True
    # The words the book prints around the text, in its language (``publish.labels``).
    labels: Labels = LABELS

    @property
    def credited(self) -> tuple[Author, ...]:
        """The authors with their details; bare names when only those are known."""
        return self.author_details or tuple(Author(name) for name in self.authors)

    @property
    def affiliations(self) -> tuple[str, ...]:
        """Every author's affiliations, once each, in the order they are first named."""
        return tuple(dict.fromkeys(a for author in self.credited for a in author.affiliations))

    def affiliation_numbers(self, author: Author) -> tuple[int, ...]:
        every = self.affiliations
        return tuple(every.index(a) + 1 for a in author.affiliations)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


@dataclass(frozen=True)
class Book:
    """Everything the writers need, read once from the manuscript."""

    source: Path
    metadata: Metadata
    disclaimer_html: str
    summary_html: str
    summary_text: str
    sections: tuple[Section, ...]
    resources: tuple[Path, ...] = field(default=())

    @property
    def base_dir(self) -> Path:
        return self.source.parent

    @property
    def slug(self) -> str:
        return slug_for(self.source)


# Names the build gives files of its own beside the editions: the download page is index.html.
RESERVED_SLUGS = frozenset({"index"})


def slug_for(manuscript: Path) -> str:
    """The file name of the editions: the manuscript's name, reduced to safe characters.

    ``index.md`` (documentation sites name their pages so) would give an HTML edition
    ``index.html``, which is the download page's name: its editions are ``index-book.*``.
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", manuscript.stem).strip("-.")
    if cleaned.casefold() in RESERVED_SLUGS:
        return f"{cleaned}-book"
    return cleaned or "book"
