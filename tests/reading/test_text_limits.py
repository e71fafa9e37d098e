"""No text is lost without a word: the size limits of the stack (libxml2's 10 MB text node, which
lxml's HTML parser met by silently dropping the paragraph and the rest of the book) are ours,
with an error naming the line, and a check after every parse compares the text kept."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from publish.build import build
from publish.errors import PublishError
from publish.reading import limits
from publish.reading.manuscript import read_manuscript
from support.manuscripts import FRONT, FRONT_LINES, errors, manuscript, snapshot

BODY_START = FRONT_LINES + 1
TOO_LONG = f"characters long; a block of text over {limits.MAX_TEXT_CHARS:,} characters is refused"


def test_a_ten_megabyte_paragraph_is_an_error_naming_its_line(tmp_path: Path) -> None:
    book = manuscript(
        tmp_path / "book", "# One\n\nBefore.\n\n" + "word " * 2_000_000 + "\n\n# Two\n\nAfter.\n"
    )
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old.html").write_text("the last good edition", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(PublishError) as caught:
        build(book, out, ["html"])
    (message,) = (str(d).replace(str(book), "book.md") for d in caught.value.diagnostics)
    assert message.startswith(f"book.md:{BODY_START + 4}: error: this paragraph is 10,000,000")
    assert TOO_LONG in message
    assert snapshot(out) == before


def test_a_long_code_block_with_blank_lines_is_an_error_naming_its_first_line(
    tmp_path: Path,
) -> None:
    code = "```\n" + ("x" * 99 + "\n\n") * 11_000 + "```\n"
    book = manuscript(tmp_path, "# One\n\nBefore.\n\n" + code + "\n# Two\n\nAfter.\n")
    (message,) = errors(book)
    assert message.startswith(f"book.md:{BODY_START + 5}: error: this text is 1,111,000")


def test_a_long_caption_is_an_error(tmp_path: Path) -> None:
    caption = "c" * (limits.MAX_TEXT_CHARS + 1)
    (message,) = errors(manuscript(tmp_path, f'# One\n\nText.\n\n![alt](f.png "{caption}")\n'))
    assert message.startswith(f"book.md:{BODY_START + 4}: error: this paragraph is")


@pytest.mark.parametrize("key", ["title", "keywords"])
def test_a_long_front_matter_value_is_an_error_naming_its_key(tmp_path: Path, key: str) -> None:
    long = "T" * (limits.MAX_TEXT_CHARS + 1)
    front = FRONT.replace("title: T\n", f"title: {long}\n" if key == "title" else "title: T\n")
    if key == "keywords":
        front = front.replace("---\ntitle", f"---\nkeywords: [short, {long}]\ntitle")
    (message,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert message.startswith(f"book.md:2: error: '{key}' is 1,000,001 characters long")


def test_a_long_summary_paragraph_is_an_error_naming_its_line(tmp_path: Path) -> None:
    long = "s " * limits.MAX_TEXT_CHARS
    front = FRONT.replace("summary: A summary.", f"summary: |\n  Short.\n\n  {long}")
    (message,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert message.startswith("book.md:8: error: this paragraph is 2,000,000 characters")


def test_text_just_under_the_limit_reaches_the_book_whole(tmp_path: Path) -> None:
    # Four bytes a character: libxml2 counts bytes, our limit characters.
    words = ("\U0001f600" * 9 + " ") * ((limits.MAX_TEXT_CHARS - 10) // 10)
    book = read_manuscript(manuscript(tmp_path, f"# One\n\n{words}\n\n# Two\n\nLast words.\n"))
    assert [s.title for s in book.sections] == ["One", "Two"]
    text = lxml.html.fragment_fromstring(book.sections[0].html, create_parent="div").text_content()
    assert text.count("\U0001f600") == words.count("\U0001f600")
    assert "Last words." in book.sections[1].html


def test_a_parser_that_cuts_text_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were our limit raised, and lxml back at its own, the cut would still be an error."""
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10**9)
    monkeypatch.setattr(limits, "_HUGE_HTML", lxml.html.HTMLParser())
    book = manuscript(tmp_path, "# One\n\nBefore.\n\n" + "word " * 2_100_000 + "\n\n# Two\n\nA.\n")
    (message,) = errors(book)
    assert message.startswith(f"book.md:{BODY_START}: error: the HTML reader kept ")
    assert "of this text's 8,400," in message and "would be missing from the editions" in message


def test_the_last_check_compares_what_reached_the_editions(tmp_path: Path) -> None:
    tree = lxml.html.fragment_fromstring("<h1>One</h1><p>Every <em>word</em> here.</p>", "div")
    elements = list(tree)
    whole = "<h1>One</h1><p>Every <em>word</em> here.</p>"
    limits.check_serialised(elements, whole, tmp_path / "book.md", 7)
    with pytest.raises(PublishError, match=r"book.md:7: error: 13 characters of this part's te"):
        limits.check_serialised(
            elements, "<h1>One</h1><p>Every <em/> here.</p>", tmp_path / "book.md", 7
        )
    with pytest.raises(PublishError, match="cannot be written as XHTML"):
        limits.check_serialised(elements, "<h1>One</h1><p>", tmp_path / "book.md", 7)


def test_a_long_field_in_the_references_file_is_an_error_naming_its_entry(tmp_path: Path) -> None:
    (tmp_path / "refs.yaml").write_text(
        "references:\n- id: fine\n  type: book\n  title: A title\n"
        f"- id: long\n  type: book\n  title: {'t' * (limits.MAX_TEXT_CHARS + 1)}\n",
        encoding="utf-8",
    )
    front = FRONT.replace("---\ntitle", "---\nbibliography: refs.yaml\ntitle")
    (message,) = errors(manuscript(tmp_path, "# One\n\nText [@long].\n", front=front))
    assert message.startswith(f"{tmp_path / 'refs.yaml'}:5: error: the reference 'long': 'title'")
    assert TOO_LONG in message


def test_a_control_character_written_as_an_entity_is_named(tmp_path: Path) -> None:
    (message,) = errors(manuscript(tmp_path, "# One\n\nText &#x0C; here.\n"))
    assert message == (
        f"book.md:{BODY_START}: error: the text holds U+000C, a control character XHTML cannot "
        "carry (perhaps written as the entity &#12;): delete it"
    )
