"""The lint judges the text as readers get it: a word split in the source by a comment, an entity,
emphasis or a tag, or disguised by invisible and look-alike characters, is read as the editions
print it, and the finding names the source line it came from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publish.cli import main
from publish.lint.characters import hidden_characters, normalise
from publish.lint.rules import lint
from support.manuscripts import manuscript

TODAY = dt.date(2026, 11, 26)
FRONT = (
    "---\ntitle: T\ndate: 2026-01-01\nreviewed: 2026-11-01\n"
    "disclaimer: Not medical advice. In a crisis, call or text 988.\nsummary: A summary.\n---\n"
)
BODY = FRONT.count("\n") + 1  # the body's first line
CLAIM = "absolute or curative claim 'cures': say what the evidence shows, or deny the claim"


def found(tmp_path: Path, body: str, front: str = FRONT) -> list[str]:
    path = manuscript(tmp_path, body, front=front)
    return [str(d).replace(str(path), "book.md") for d in lint(path, today=TODAY)]


@pytest.mark.parametrize(
    "split",
    [
        "cu<!-- -->res",
        "cu**r**es",
        "cu*r*es",
        "cu<span>r</span>es",
        "cu<em></em>res",
        "cu&#114;es",
        "cu&#x72;es",
        "cu<!-- a\nlonger comment -->res",
    ],
)
def test_a_claim_split_in_the_source_is_read_whole(tmp_path: Path, split: str) -> None:
    assert found(tmp_path, f"# One\n\nSellers say it {split} depression.\n") == [
        f"book.md:{BODY + 2}: error: {CLAIM} [absolute-claim]"
    ]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("5&#x20;g", "5 g"),
        ("5&#32;g", "5 g"),
        ("5&nbsp;g", "5 g"),
        ("5<!-- -->g", "5 g"),
        ("5 *g*", "5 g"),
        ("&#53; g", "5 g"),
        ("5<span>&#x20;</span>g", "5 g"),
    ],
)
def test_a_dose_split_in_the_source_is_read_whole(tmp_path: Path, amount: str, shown: str) -> None:
    assert found(tmp_path, f"# One\n\nSome take {amount} of it.\n") == [
        f"book.md:{BODY + 2}: error: dosing amount '{shown}' near 'take': this publication "
        "gives no dosing information [dosing]"
    ]


def test_a_finding_names_the_line_of_a_long_paragraph_it_is_on(tmp_path: Path) -> None:
    body = "# One\n\nA first line of text.\nA second line of text.\nIt cu<!-- -->res pain.\nEnd.\n"
    assert found(tmp_path, body) == [f"book.md:{BODY + 4}: error: {CLAIM} [absolute-claim]"]


def test_lists_tables_notes_and_the_summary_are_read_as_rendered(tmp_path: Path) -> None:
    front = FRONT.replace("summary: A summary.", "summary: |\n  It cu<!-- -->res all.")
    body = (
        "# One\n\n"  # BODY
        "- An item.\n- It cu**r**es pain.\n\n"  # + 2, + 3
        "| Kind | Note |\n|---|---|\n| tea | take 5&#x20;g |\n\n"  # + 7
        "Text with a note.[^n]\n\n"  # + 9
        "[^n]: The note says it cu<span>r</span>es pain.\n"  # + 11
    )
    assert found(tmp_path, body, front) == [
        f"book.md:7: error: {CLAIM} [absolute-claim]",
        f"book.md:{BODY + 4}: error: {CLAIM} [absolute-claim]",
        f"book.md:{BODY + 8}: error: dosing amount '5 g' near 'take': this publication gives "
        "no dosing information [dosing]",
        f"book.md:{BODY + 12}: error: {CLAIM} [absolute-claim]",
    ]


def test_a_statistic_split_by_a_tag_is_read_whole(tmp_path: Path) -> None:
    assert found(tmp_path, "# One\n\nSome 9<span>1</span>% of users agree.\n") == [
        f"book.md:{BODY + 2}: warning: statistic '91%' has no citation in its paragraph: cite "
        "its source [uncited-statistic]"
    ]


def test_code_is_still_not_prose(tmp_path: Path) -> None:
    body = "# One\n\nThe string `cu<!-- -->res` is code.\n\n```\nit cures\n```\n"
    assert found(tmp_path, body) == []


def test_a_marker_allows_what_only_the_rendered_text_shows(tmp_path: Path) -> None:
    body = "# One\n\nSellers say it cu<!-- -->res pain. <!-- lint: allow absolute-claim -->\n"
    assert found(tmp_path, body) == []
    body = "# One\n\nIt is a miracle\u00ad. <!-- lint: allow absolute-claim, hidden-character -->\n"
    assert found(tmp_path, body) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kratom \u0441ures pain.", "'\u0441ures' has U+0441 CYRILLIC SMALL LETTER ES, which"),
        ("It is cu\u00adres.", "invisible character U+00AD SOFT HYPHEN in 'cures'"),
        ("It is cu&shy;res.", "invisible character U+00AD SOFT HYPHEN in 'cures'"),
        ("It cu\u200bres.", "invisible character U+200B ZERO WIDTH SPACE in 'cures'"),
        ("It cu&#8203;res.", "invisible character U+200B ZERO WIDTH SPACE in 'cures'"),
        ("It is \u202esafe.", "invisible character U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("It\u2060 works.", "invisible character U+2060 WORD JOINER"),
        ("It is \uff43\uff55\uff52\uff45\uff53.", "U+FF43 FULLWIDTH LATIN SMALL LETTER C and 4"),
        ("It is \u0455\u0430f\u0435.", "U+0455 CYRILLIC SMALL LETTER DZE and 2 more"),
    ],
)
def test_invisible_and_look_alike_characters_are_errors(
    tmp_path: Path, text: str, expected: str
) -> None:
    lines = [line for line in found(tmp_path, f"# One\n\n{text}\n") if "[hidden-character]" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"book.md:{BODY + 2}: error: ")
    assert expected in lines[0]


@pytest.mark.parametrize(
    "text",
    [
        "The capital is \u041c\u043e\u0441\u043a\u0432\u0430, in Russia.",
        "A dose in \u03bcg is small.",
        "A caf\u00e9, a na\u00efve reader, an \u00e9l\u00e8ve.",
        "A health worker \U0001f469\u200d\u2695\ufe0f helps.",
        "Five\u00a0people and a thin\u2009space.",
        "Greek \u03b1\u03bb\u03c6\u03b1 and \u0395\u03bb\u03bb\u03ac\u03b4\u03b1.",
    ],
)
def test_real_words_of_other_scripts_pass(tmp_path: Path, text: str) -> None:
    assert found(tmp_path, f"# One\n\n{text}\n") == []


def test_the_title_is_read_as_its_yaml_decodes(tmp_path: Path) -> None:
    front = FRONT.replace("title: T", 'title: "Kratom \\u0441ures \\u2060depression"')
    assert found(tmp_path, "# One\n\nText.\n", front) == [
        "book.md:2: error: '\u0441ures' has U+0441 CYRILLIC SMALL LETTER ES, which readers take "
        "for Latin ('cures') and searches and screen readers do not: type the Latin letters "
        "[hidden-character]",
        f"book.md:2: error: {CLAIM} [absolute-claim]",
        "book.md:2: error: invisible character U+2060 WORD JOINER in 'depression': readers, "
        "searches and screen readers do not see the text the source holds; delete it "
        "[hidden-character]",
    ]


def test_publish_lint_fails_on_a_hidden_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = manuscript(tmp_path, "# One\n\nSellers say it cu<!-- -->res pain.\n", front=FRONT)
    assert main(["lint", str(path)]) == 1
    assert "[absolute-claim]" in capsys.readouterr().out


def test_normalised_text_keeps_the_origin_of_each_character() -> None:
    text = "a\u00adb \u0441d\u200b"
    normalised = normalise(text)
    assert normalised.text == "ab cd"
    assert [text[i] for i in normalised.origins] == ["a", "b", " ", "\u0441", "d"]
    assert [h.offset for h in hidden_characters(text)] == [1, 4, 6]


def test_a_unit_inside_a_tag_still_makes_a_dose(tmp_path: Path) -> None:
    dosing = (
        f"book.md:{BODY + 2}: error: dosing amount '5 g' near 'take': this publication gives no "
        "dosing information [dosing]"
    )
    assert dosing in found(tmp_path, "# One\n\nSome take 5 <span>g</span> of it.\n")
