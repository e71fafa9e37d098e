"""Huge or deeply nested manuscripts are read, or refused with a located error, in bounded time;
no RecursionError escapes and no text is silently lost to a parser's depth limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.build import build
from publish.reading.manuscript import read_manuscript
from support.manuscripts import FRONT, errors, manuscript

FLATTEN = "no book needs that many: flatten the structure"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "> " * 1000 + "Deep.\n",
            f"book.md:9: error: block quotes are nested more than 32 levels deep here; {FLATTEN}",
        ),
        (
            "".join("    " * level + "- item\n" for level in range(1000)),
            f"book.md:41: error: lists are nested more than 32 levels deep here; {FLATTEN}",
        ),
        (
            "".join("> " * level + "- item\n" for level in range(1, 40)),
            f"book.md:41: error: block quotes are nested more than 32 levels deep here; {FLATTEN}",
        ),
        (
            "[" * 5000 + "x" + "]" * 5000 + "\n",
            "book.md:9: error: square brackets are nested more than 32 levels deep here; "
            + FLATTEN,
        ),
        (
            "Text.\n\n" + "<div>\n" * 1000 + "Deep.\n" + "</div>\n" * 1000,
            f"book.md:75: error: HTML elements are nested more than 64 levels deep here; {FLATTEN}",
        ),
        (
            "*" * 5000 + "x" + "*" * 5000 + "\n",
            "book.md:9: error: the text here nests too deep for Markdown to read (a long run of "
            "'*', '_' or brackets?): simplify it",
        ),
    ],
    ids=["quotes", "lists", "lists in quotes", "brackets", "html", "emphasis"],
)
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, body: str, expected: str) -> None:
    assert errors(manuscript(tmp_path, "# One\n\n" + body)) == [expected]


def test_nesting_within_the_limits_builds(tmp_path: Path) -> None:
    body = "".join("> " * 30 + "    " * level + "- item\n" for level in range(30))
    body += "\n" + "<div>" * 60 + "Deepest words." + "</div>" * 60 + "\n"
    written = build(manuscript(tmp_path / "book", "# One\n\n" + body), tmp_path / "dist", ["epub"])
    from support import Epub

    document = Epub(written[0].path).document("section-01.xhtml")
    assert "Deepest words." in "".join(document.itertext())


def test_quotes_in_front_matter_text_are_measured_too(tmp_path: Path) -> None:
    front = FRONT.replace("summary: A summary.", 'summary: "' + "> " * 100 + 'x"')
    assert errors(manuscript(tmp_path, "# One\n\nText.\n", front=front)) == [
        f"book.md:5: error: block quotes are nested more than 32 levels deep here; {FLATTEN}"
    ]


def _five_megabytes() -> str:
    """Prose in sections, with the emphasis and links of real text, past five million bytes."""
    sentence = (
        "Kratom is a tree of Southeast Asia whose leaves some people chew or brew as tea, "
        "and its effects vary from person to person. "
    )
    paragraph = sentence * 12 + "Some report *relief*; see [the risks](#section-1).\n\n"
    parts: list[str] = []
    size = 0
    while size < 5_000_000:
        chunk = f"# Section {len(parts) + 1}\n\n" + paragraph * 20 + "- a\n- b\n\n> quoted\n\n"
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


@pytest.mark.timeout(900)
def test_five_megabyte_manuscript_is_read(tmp_path: Path) -> None:
    """Measured by bench/ for speed; here only that it is read whole, without error."""
    text = _five_megabytes()
    path = manuscript(tmp_path, text)
    assert path.stat().st_size > 5_000_000
    book = read_manuscript(path)
    assert len(book.sections) == text.count("# Section ")
    assert book.sections[-1].html.count("<blockquote>") == 1
