"""Document structure as pandoc builds it: opening text, pages that start at ``###``, a lone
top heading as the title, ``shift-heading-level-by``; read back from all three editions."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from support import FIXTURES, NS, Built, Epub, build_fixture, pdftotext_pages
from support.manuscripts import FRONT, errors, manuscript, warnings

PANDOC = FIXTURES / "pandoc"
XHTML = f"{{{NS['xhtml']}}}"


@pytest.fixture(scope="module")
def opening(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture(PANDOC / "opening.md", tmp_path_factory.mktemp("opening"))


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture(PANDOC / "titled.md", tmp_path_factory.mktemp("titled"))


def _nav_labels(epub: Path) -> list[str]:
    nav = Epub(epub).document("nav.xhtml")
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{{{NS['epub']}}}type") == "toc")
    return ["".join(a.itertext()) for a in toc.iter(f"{XHTML}a")]


def _html_contents(html: Path) -> list[str]:
    page = lxml.html.parse(str(html)).getroot()
    return [a.text_content() for a in page.get_element_by_id("contents").iter("a")]


# --- text before the first heading; a page starting at ### -----------------------------------


def test_opening_text_is_the_untitled_start_of_the_body(opening: Built) -> None:
    pages = pdftotext_pages(opening.pdf)
    first_body = next(i for i, p in enumerate(pages) if "These opening words" in p)
    assert "Contents" in pages[first_body - 1]  # right after the front matter
    assert pages[first_body].split()[-1] == "1"  # the body's first page
    html = lxml.html.parse(str(opening.html)).getroot()
    section = html.get_element_by_id("section-opening")
    assert section.text_content().strip().startswith("These opening words")
    assert section.get("aria-labelledby") is None
    epub = Epub(opening.epub)
    first = epub.document(epub.spine_hrefs()[epub.spine_hrefs().index("nav.xhtml") + 1])
    assert "These opening words" in "".join(first.itertext())


def test_opening_text_is_not_in_the_contents(opening: Built) -> None:
    assert _nav_labels(opening.epub)[-3:] == ["Installing", "On Linux", "Using"]
    assert _html_contents(opening.html)[-3:] == ["Installing", "On Linux", "Using"]
    contents = next(p for p in pdftotext_pages(opening.pdf) if "Contents" in p)
    assert "opening words" not in contents and "Installing" in contents


def test_a_page_starting_at_level_three_takes_it_as_the_section_level(opening: Built) -> None:
    html = lxml.html.parse(str(opening.html)).getroot()
    installing = html.get_element_by_id("section-installing")
    assert [h.tag for h in installing.iter("h1", "h2", "h3", "h4")] == ["h2", "h3"]  # demoted
    epub = Epub(opening.epub)
    documents = [epub.document(h) for h in epub.spine_hrefs() if h.startswith("section-")]
    headings = [
        (el.tag.removeprefix(XHTML), "".join(el.itertext()))
        for doc in documents
        for el in doc.iter(f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3")
    ]
    assert headings == [("h1", "Installing"), ("h2", "On Linux"), ("h1", "Using")]
    pages = pdftotext_pages(opening.pdf)
    assert sum("Installing" in p and "Use the package manager" in p for p in pages) == 1


# --- a lone top heading titles the document -------------------------------------------------


def test_a_lone_top_heading_is_the_title_printed_once(titled: Built) -> None:
    epub = Epub(titled.epub)
    assert epub.meta("title") == ["Weekly Report on Invented Infections"]
    pages = [" ".join(p.split()) for p in pdftotext_pages(titled.pdf)]
    assert "Weekly Report on Invented Infections" in pages[0]
    assert sum(p.count("Weekly Report on Invented Infections") for p in pages) == 1
    assert _nav_labels(titled.epub)[-2:] == ["Situation", "Outlook"]
    html = lxml.html.parse(str(titled.html)).getroot()
    assert html.find("head/title").text == "Weekly Report on Invented Infections"
    main = html.get_element_by_id("main")
    assert [
        h.text_content() for h in main.iter("h2") if "front-heading" not in (h.get("class") or "")
    ] == [
        "Situation",
        "Outlook",
    ]
    assert "Weekly Report" not in main.text_content()


def test_a_top_heading_repeating_the_title_is_not_printed_twice(tmp_path: Path) -> None:
    body = "# T\n\n## A\n\nText.\n\n## B\n\nText.\n"
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    assert [s.title for s in book.sections] == ["A", "B"]


def test_a_top_heading_under_another_title_stays_a_section(tmp_path: Path) -> None:
    book, _ = warnings(manuscript(tmp_path, "# Background\n\n## A\n\nText.\n"))
    assert (book.metadata.title, [s.title for s in book.sections]) == ("T", ["Background"])


def test_two_level_one_headings_are_two_sections_not_a_title(tmp_path: Path) -> None:
    front = FRONT.replace("title: T\n", "")
    found = errors(manuscript(tmp_path, "# One\n\nText.\n\n# Two\n\nText.\n", front=front))
    assert found == [
        "book.md:1: error: front matter is missing required key(s): 'title'; add each as "
        "'key: value'"
    ]


# --- shift-heading-level-by ------------------------------------------------------------------


def test_an_explicit_negative_shift_takes_the_title_and_lifts_the_rest(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nshift-heading-level-by: -1\n", 1)
    body = "# From the heading\n\n## A\n\nText.\n\n### A.1\n\nMore.\n"
    book, found = warnings(manuscript(tmp_path, body, front=front))
    assert found == []
    assert book.metadata.title == "From the heading"  # pandoc: it replaces the title
    (section,) = book.sections
    assert (section.title, [c.title for c in section.toc.children]) == ("A", ["A.1"])
    assert "<h2" in section.html and "From the heading" not in section.html


def test_an_explicit_positive_shift_nests_everything_under_one_section(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nshift-heading-level-by: 1\n", 1)
    book, _ = warnings(manuscript(tmp_path, "Opening.\n\n# A\n\nText.\n", front=front))
    # Every heading moves down a level: no level-1 heading is left, so all of it is the opening.
    assert [(s.anchor, s.listed) for s in book.sections] == [("opening", False)]
    assert "<h2" in book.sections[0].html


def test_a_shift_that_is_no_whole_number_is_an_error(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nshift-heading-level-by: one\n", 1)
    assert errors(manuscript(tmp_path, "# A\n\nText.\n", front=front)) == [
        "book.md:2: error: 'shift-heading-level-by' must be a whole number from -5 to 5, not 'one'"
    ]
