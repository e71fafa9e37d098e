"""The book's own parts and the ids they carry, in one list for every edition and the checks.

Around the author's sections the book adds a title page, the disclaimer, the summary and the
contents (and the reference list when sources are cited). Each section is wrapped in
``section-<its heading's id>``, and the EPUB marks where each PDF page begins with
``page-<label>``. The reader keeps the author's ids clear of all of these (``reading/ids``).
"""

from __future__ import annotations

import re

TITLE_PAGE = "title-page"
DISCLAIMER = "disclaimer"
SUMMARY = "summary"
CONTENTS = "contents"
REFERENCES = "references"
# The front matter in reading order: the parts every edition puts before the sections.
FRONT_MATTER = (TITLE_PAGE, DISCLAIMER, SUMMARY, CONTENTS)
SECTION_PREFIX = "section-"
PAGE_PREFIX = "page-"
OPENING = "opening"  # the untitled opening section's part name; its wrapper is section-opening

# The ids our templates give the book's own parts (templates/*.j2, editions/epub); the tests check
# this list against the ids the editions actually contain.
RESERVED_IDS = frozenset(
    {
        TITLE_PAGE,
        "book-title",
        DISCLAIMER,
        "disclaimer-heading",
        SUMMARY,
        "summary-heading",
        CONTENTS,
        "contents-heading",
        "toc-heading",
        "landmarks",
        "landmarks-heading",
        "main",
        "body-matter",
        "downloads-heading",
        REFERENCES,  # the reference list (reading/citations), a back-matter section
        "section-references",
        "section-opening",  # the untitled text before the first heading (reading/manuscript)
        "page-list",  # the EPUB's page list (nav.xhtml.j2)
        "page-list-heading",
    }
)
# Ids the book numbers itself (editions/pdf/pagemap): the EPUB's page-break markers, page-<label>.
RESERVED_PATTERN = re.compile(r"page-(?:\d+|[ivxlcdm]+)")


def section_id(anchor: str) -> str:
    """The id of the element that wraps the section whose heading has the id ``anchor``."""
    return f"{SECTION_PREFIX}{anchor}"


def page_id(label: str) -> str:
    """The id of the EPUB's marker where the PDF page labelled ``label`` begins."""
    return PAGE_PREFIX + re.sub(r"[^A-Za-z0-9_-]", "_", label)
