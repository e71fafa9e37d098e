"""The words the book prints around the author's text (headings of its own parts, navigation),
in the manuscript's language.

A spine module: the reader names the reference list and the cross-references with them and every
edition prints them, so they belong to neither side. The words of each language are data, one
file per language in ``publish/data/labels/`` (``es.yaml``); a region's file (``pt-BR.yaml``)
holds only what differs from its language's. The book's choice travels on its ``Metadata``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Labels:
    """Words the book prints around the author's text (the English ones are the defaults)."""

    disclaimer: str = "Medical Disclaimer"
    summary: str = "Summary"
    contents: str = "Contents"
    landmarks: str = "Guide"
    title_page: str = "Title Page"
    cover: str = "Cover"
    page_list: str = "Pages"
    reviewed: str = "Last reviewed"
    references: str = "References"
    start: str = "Start of content"
    skip: str = "Skip to the text"
    downloads: str = "Download"
    read_online: str = "Read online"
    pages: str = "pages"
    # Numbered figures, tables, sections and equations (reading/crossref.py): "Figure 1",
    # "Figure 1, p. 4", "eq. 2" (pandoc-crossref's word; "Eq. 2" for @Eq:label).
    figure: str = "Figure"
    table: str = "Table"
    section: str = "Section"
    equation: str = "eq."
    page_abbreviation: str = "p."
    # The texts the build writes for images and links; {title}, {number}, {call} are filled in.
    cover_of: str = "Cover of {title}"
    by: str = "by"
    and_: str = "and"
    back_to_note: str = "Back to the text of note {number}"
    back_to_call: str = "Back to call {call}"
    back_to_call_of_note: str = "Back to call {call} of note {number}"
    # What the manuscript's straight double quotes become (single ones stay apostrophes, which
    # every language here writes as U+2019). CLDR has these marks, but Babel does not carry them.
    quote_open: str = "\u201c"
    quote_close: str = "\u201d"
    # The EPUB's accessibility summary (editions/epub/accessibility.py), sentence by sentence:
    # {aids} is a list of the three aids after it, joined with ``and_``.
    a11y_conforms: str = (
        "This publication is made to meet EPUB Accessibility 1.1 and WCAG 2.2 Level AA."
    )
    a11y_offers: str = "It offers {aids}."
    a11y_toc: str = "a table of contents"
    a11y_headings: str = "headings in a logical order"
    a11y_page_list: str = "a page list and page-break markers that match the PDF edition"
    a11y_images_described: str = "Every image has a text alternative."
    a11y_images_missing: str = "{missing} of {images} images have no text alternative."
    a11y_adaptable: str = (
        "Readers can change fonts, sizes and colours; the text follows the author's reading order."
    )
    a11y_no_hazards: str = "It contains no flashing, motion or sound."


LABELS = Labels()
KEYS = tuple(f.name for f in fields(Labels))
# Front-matter keys pandoc already has for some of the labels: a manuscript written for pandoc
# renames those parts here too.
PANDOC_KEYS = {
    "reference-section-title": "references",
    "toc-title": "contents",
    "abstract-title": "summary",
}


# Tags whose words are another file's: Norwegian ``no`` is written as Bokmål here.
ALIASES = {"no": "nb"}


@dataclass(frozen=True)
class Chosen:
    """The labels for one ``lang``, and whether a file of its language was found."""

    labels: Labels
    found: bool


def labels_for(lang: str, overrides: Mapping[str, str] | None = None) -> Chosen:
    """The labels for ``lang`` (``es-CL`` → ``es``; ``pt-BR`` → ``pt`` refined by ``pt-BR``),
    with the front matter's ``overrides`` on top; English when no file has the language."""
    language, _, rest = lang.partition("-")
    language = ALIASES.get(language.lower(), language.lower())
    region = next((p for p in rest.split("-") if len(p) == 2 or p.isdigit()), "")
    words = dict(language_words(language) or {})
    found = bool(words) or language == "en"
    if region:
        words.update(language_words(f"{language}-{region.upper()}") or {})
    words.update(overrides or {})
    return Chosen(replace(LABELS, **words), found)


@cache
def language_words(name: str) -> dict[str, str] | None:
    """The words of one ``data/labels/<name>.yaml``, or ``None`` when there is no such file."""
    source = resources.files("publish") / "data" / "labels" / f"{name}.yaml"
    if not source.is_file():
        return None
    loaded: Any = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in loaded.items() if str(k) in KEYS}


def shipped_languages() -> tuple[str, ...]:
    """The names of every labels file (``de``, ``pt-BR``), sorted."""
    folder = resources.files("publish") / "data" / "labels"
    return tuple(
        sorted(f.name.removesuffix(".yaml") for f in folder.iterdir() if f.name.endswith(".yaml"))
    )
