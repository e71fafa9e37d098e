"""The PDF read back with pypdf, pikepdf and pdftotext, as a reader's tools see it."""

from __future__ import annotations

import re
from itertools import pairwise

import pikepdf
import pypdf
import yaml

from support import Built, pdftotext_pages, require_tool
from support.headings import Outline, expected_outline, markdown_text, normalise, source_outline


def _front(built: Built) -> dict:
    text = built.manuscript.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def _outline(items: list, reader: pypdf.PdfReader) -> Outline:
    result: Outline = []
    for item in items:
        if isinstance(item, list):
            result[-1] = (result[-1][0], _outline(item, reader))
        else:
            result.append((normalise(item.title), []))
    return result


def test_metadata_equals_the_manuscript(edition: Built) -> None:
    front = _front(edition)
    info = pypdf.PdfReader(edition.pdf).metadata
    assert info.title == front["title"]
    authors = front["author"] if isinstance(front["author"], list) else [front["author"]]
    assert info.author == ", ".join(authors)
    assert normalise(info.subject) == markdown_text(front["summary"])
    assert info["/Keywords"] == ", ".join(front["keywords"])
    assert info["/CreationDate"].startswith("D:" + str(front["date"]).replace("-", ""))
    with pikepdf.open(edition.pdf) as pdf:
        assert str(pdf.Root.Lang) == front["lang"]


def test_outline_mirrors_the_sections(edition: Built) -> None:
    reader = pypdf.PdfReader(edition.pdf)
    outline = _outline(reader.outline, reader)
    expected = expected_outline(edition.manuscript)
    assert [t for t, _ in outline] == [t for t, _ in expected]
    assert outline == expected


def test_disclaimer_comes_before_the_first_section(edition: Built) -> None:
    require_tool("pdftotext")
    pages = [normalise(p) for p in pdftotext_pages(edition.pdf)]
    text = "\n".join(pages)
    first_section = source_outline(edition.manuscript)[0][0]
    disclaimer_at = text.find("Medical Disclaimer")
    contents_at = text.find("Contents")
    section_at = text.find(first_section, contents_at + len("Contents") + 200)
    assert 0 <= disclaimer_at < contents_at < section_at
    assert "988" in text[disclaimer_at:contents_at]
    assert text.find("Summary") < contents_at


def _printed_number(page_text: str) -> str | None:
    lines = [line.strip() for line in page_text.split("\n") if line.strip()]
    return lines[-1] if lines and re.fullmatch(r"[0-9]+|[ivxlc]+", lines[-1]) else None


def test_contents_page_numbers_are_where_sections_start(edition: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(edition.pdf)
    toc_index = next(i for i, p in enumerate(pages) if re.search(r"^\s*Contents\s*$", p, re.M))
    entries = re.findall(
        r"^\s*(\S.*?)\s?(?:\. ?){2,}\s*([0-9]+|[ivxlc]+)\s*$", pages[toc_index], re.M
    )
    assert len(entries) >= len(source_outline(edition.manuscript))
    for title, printed in entries:
        start = next(
            i
            for i in range(toc_index + 1, len(pages))
            if normalise(title) in _heading_lines(pages[i])
        )
        assert _printed_number(pages[start]) == printed, title


def _heading_lines(page_text: str) -> set[str]:
    """Each line, and each two lines joined: a long heading wraps onto a second line."""
    lines = [normalise(line) for line in page_text.split("\n") if line.strip()]
    return set(lines) | {f"{a} {b}" for a, b in pairwise(lines)}


def test_every_page_after_the_title_page_is_numbered(minimal: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(minimal.pdf)
    assert _printed_number(pages[0]) is None
    numbers = [_printed_number(p) for p in pages[1:]]
    assert all(numbers), numbers


def test_running_header_names_the_current_section(minimal: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(minimal.pdf)
    risks = next(p for p in pages if re.search(r"^\s*Dependence\s*$", p, re.M))
    lines = [line.strip() for line in risks.split("\n") if line.strip()]
    # The section's opening page: its heading comes first, with no running header repeating it.
    assert lines[0] == "Risks"
    assert lines.count("Risks") == 1
