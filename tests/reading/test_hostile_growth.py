"""Constructs that copy or multiply their source are bounded: abbreviation titles, [TOC] markers,
SVG <use>, runs of text longer than a line, long references files. Each over its budget is an
error naming its line; under it, the book reads as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build
from publish.reading.budgets import ABBREVIATION_ALLOWANCE, MAX_TOC_MARKERS
from publish.reading.long_words import CHUNK, LONG_RUN
from publish.safety.svg import MAX_DRAWN_ELEMENTS
from support.manuscripts import FRONT, FRONT_LINES, body_html, errors, manuscript, warnings

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def nested_uses(levels: int, fan_out: int = 10) -> str:
    """``fan_out ** levels`` rectangles in a few hundred bytes per level."""
    groups = "".join(
        f'<g id="g{level}">' + f'<use xlink:href="#g{level - 1}"/>' * fan_out + "</g>"
        for level in range(1, levels + 1)
    )
    return (
        f'<svg {SVG} width="10" height="10"><defs><rect id="g0" width="1" height="1"/>{groups}'
        f'</defs><use xlink:href="#g{levels}"/></svg>'
    )


def with_figure(tmp_path: Path, svg: str) -> Path:
    (tmp_path / "figures").mkdir(parents=True, exist_ok=True)
    (tmp_path / "figures" / "chart.svg").write_text(svg, encoding="utf-8")
    return manuscript(tmp_path, "# One\n\nText.\n\n![A chart](figures/chart.svg)\n")


def test_nested_use_bomb_is_refused_at_its_line(tmp_path: Path) -> None:
    svg = nested_uses(8)
    assert len(svg) < 2_500 and MAX_DRAWN_ELEMENTS < 10**8
    (message,) = errors(with_figure(tmp_path, svg))
    assert message.startswith(f"book.md:{FRONT_LINES + 5}: error:")
    assert f"draws more than {MAX_DRAWN_ELEMENTS:,} shapes" in message


def test_use_that_leads_back_to_itself_is_refused(tmp_path: Path) -> None:
    svg = f'<svg {SVG}><g id="a"><g><use href="#a"/></g></g></svg>'
    (message,) = errors(with_figure(tmp_path, svg))
    assert "refer back to themselves" in message


def test_modest_use_builds(tmp_path: Path) -> None:
    path = with_figure(tmp_path / "book", nested_uses(3))
    written = build(path, tmp_path / "dist", ["html"])
    assert (tmp_path / "dist" / "book_files").is_dir() and written


@pytest.mark.parametrize(
    "style",
    [
        "<style>rect { fill: u\\72l(http://127.0.0.1:9/x) }</style>",
        "<style>@\\69mport 'x.css';</style>",
        '<rect style="fill: \\75 rl(http://127.0.0.1:9/x)"/>',
        '<rect fill="URL(http://127.0.0.1:9/x)"/>',
    ],
    ids=["escaped url in a sheet", "escaped import", "escaped url in style", "upper case"],
)
def test_escaped_css_references_in_svg_are_refused(tmp_path: Path, style: str) -> None:
    (message,) = errors(with_figure(tmp_path, f"<svg {SVG}>{style}</svg>"))
    assert "styles refer to another file" in message


def test_fragment_references_in_svg_css_are_kept(tmp_path: Path) -> None:
    svg = f'<svg {SVG}><style>rect {{ fill: url(#g) }}</style><rect fill="url(#g)"/></svg>'
    path = with_figure(tmp_path / "book", svg)
    assert build(path, tmp_path / "dist", ["html"])


def test_repeated_toc_markers_are_refused_at_the_first_one_too_many(tmp_path: Path) -> None:
    body = "# One\n\n## Two\n\n" + "[TOC]\n\n" * 50
    first_marker = FRONT_LINES + 5
    assert errors(manuscript(tmp_path, body)) == [
        f"book.md:{first_marker + 2 * MAX_TOC_MARKERS}: error: 50 '[TOC]' markers each copy the "
        f"table of contents; a book needs at most {MAX_TOC_MARKERS} (its contents are made for "
        "it): remove them"
    ]


def test_abbreviation_title_repeated_past_its_budget_is_refused(tmp_path: Path) -> None:
    uses = ABBREVIATION_ALLOWANCE // 900 + 50
    body = "# One\n\n" + "The HTML. " * uses + "\n\n*[HTML]: " + "x" * 900 + "\n"
    (message,) = errors(manuscript(tmp_path, body))
    assert message.startswith(f"book.md:{FRONT_LINES + 5}: error: the abbreviation 'HTML'")


def test_abbreviations_within_budget_keep_their_titles(tmp_path: Path) -> None:
    body = "# One\n\nThe HTML and *HTML* and HTML.\n\n*[HTML]: Hyper Text Markup Language\n"
    book, _ = warnings(manuscript(tmp_path, body))
    root = etree.fromstring(f"<div>{body_html(book)}</div>")
    titles = [a.get("title") for a in root.iter("abbr")]
    assert titles == ["Hyper Text Markup Language"] * 3


def _text_and_breaks(html: str) -> tuple[str, int]:
    root = etree.fromstring(f"<div>{html}</div>")
    return "".join(root.itertext()), sum(1 for _ in root.iter("wbr"))


def test_a_word_longer_than_any_line_gets_break_opportunities(tmp_path: Path) -> None:
    word = "a" * 30_000
    book, _ = warnings(manuscript(tmp_path, f"# One\n\nBefore {word} after.\n"))
    text, breaks = _text_and_breaks(book.sections[0].html)
    assert word in text  # nothing added to the text readers copy
    assert breaks == (30_000 - LONG_RUN) // CHUNK + 1


def test_ordinary_words_and_code_get_none(tmp_path: Path) -> None:
    long_code = "x" * 500
    body = f"# One\n\nPneumonoultramicroscopicsilicovolcanoconiosis is long.\n\n    {long_code}\n"
    book, _ = warnings(manuscript(tmp_path, body))
    assert _text_and_breaks(book.sections[0].html)[1] == 0


def test_adjacent_citations_can_break(tmp_path: Path) -> None:
    refs = "".join(f"- id: k{i}\n  type: book\n  title: T{i}\n" for i in range(50))
    (tmp_path / "refs.yaml").write_text(refs, encoding="utf-8")
    front = FRONT.replace("---\n", "---\nbibliography: refs.yaml\n", 1)
    body = "# One\n\n" + "".join(f"[@k{i % 50}]" for i in range(2_500)) + "\n"
    book, _ = warnings(manuscript(tmp_path, body, front=front))
    _, breaks = _text_and_breaks(book.sections[0].html)
    assert breaks > 2_500 // CHUNK


def _references(tmp_path: Path, count: int, *, as_json: bool = False) -> Path:
    entries = [{"id": f"k{i}", "type": "book", "title": f"T{i}"} for i in range(count)]
    name = "refs.json" if as_json else "refs.yaml"
    text = (
        json.dumps(entries, indent=1)
        if as_json
        else "".join(f"- id: k{i}\n  type: book\n  title: T{i}\n" for i in range(count))
    )
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


@pytest.mark.parametrize("as_json", [False, True], ids=["yaml", "json"])
def test_many_uncited_references_are_one_warning(tmp_path: Path, as_json: bool) -> None:
    refs = _references(tmp_path, 300, as_json=as_json)
    front = FRONT.replace("---\n", f"---\nbibliography: {refs.name}\n", 1)
    _, found = warnings(manuscript(tmp_path, "# One\n\nSee [@k0].\n", front=front))
    (line,) = [w for w in found if "cited nowhere" in w]
    first_uncited = 4 if not as_json else 8  # the second entry's id
    # One line for all of them (its wording is the references list's: see test_citations).
    assert line.startswith(
        f"{refs}:{first_uncited}: warning: 299 of its 300 references are cited nowhere"
    )


def test_many_unknown_keys_are_ten_errors_and_a_summary(tmp_path: Path) -> None:
    _references(tmp_path, 5)
    front = FRONT.replace("---\n", "---\nbibliography: refs.yaml\n", 1)
    body = "# One\n\n" + "".join(f"See [@missing{i}].\n\n" for i in range(200))
    found = errors(manuscript(tmp_path, body, front=front))
    assert len(found) == 11
    assert all("unknown citation key 'missing" in line for line in found[:10])
    assert found[10] == (
        f"book.md:{FRONT_LINES + 1 + 3 + 20}: error: and 190 more citations of keys refs.yaml has "
        "no entry for, from this line on"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("refs.yaml", "- id: a\n  type: book\n  note: " + "[" * 5_000 + "]" * 5_000 + "\n"),
        ("refs.json", '[{"id": "a", "type": "book", "note": ' + "[" * 100_000 + "]" * 100_000),
        ("refs.json", '[{"id": "a", "type": "book", "note": ' + "[" * 500 + "]" * 500 + "}]"),
    ],
    ids=["yaml", "json past the recursion limit", "json within it"],
)
def test_deeply_nested_references_are_an_error(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    front = FRONT.replace("---\n", f"---\nbibliography: {name}\n", 1)
    (message,) = errors(manuscript(tmp_path, "# One\n\nSee [@a].\n", front=front))
    assert name in message and "nest" in message


def test_references_file_rules_hold_under_libyaml(tmp_path: Path) -> None:
    for text, expected in [
        ("- &x\n  id: a\n  type: book\n", "anchors (&name) are not allowed"),
        ("- id: a\n  type: book\n  title: t\n  title: u\n", "the key 'title' is given twice"),
    ]:
        (tmp_path / "refs.yaml").write_text(text, encoding="utf-8")
        front = FRONT.replace("---\n", "---\nbibliography: refs.yaml\n", 1)
        (message,) = errors(manuscript(tmp_path, "# One\n\nSee [@a].\n", front=front))
        assert message.startswith(f"{tmp_path / 'refs.yaml'}:") and expected in message
