"""Patterns rewritten because they backtracked (time the square of a run of spaces) answer as
the patterns they replace, on any short text; the originals are kept here as the reference."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from publish.reading import crossref, frontmatter
from publish.reading.pandoc import lineblocks
from publish.safety.sanitise import is_false_tag, single_tag

_OLD_SINGLE_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9:-]*)(\s[^<>]*?)?\s*/?>$", re.DOTALL)
_OLD_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+\{[^}]*\})?[ \t#]*$")
_OLD_TABLE_RULE = re.compile(r" *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$")
_OLD_CAPTION_LABEL = re.compile(r"\s*\{#(?P<id>[^\s{}]+)\}\s*$")


def _texts(*pieces: str, starts: tuple[str, ...] = ("",)) -> st.SearchStrategy[str]:
    body = st.lists(st.sampled_from(pieces), max_size=14).map("".join)
    return st.tuples(st.sampled_from(starts), body).map("".join)


@settings(max_examples=2_000, deadline=None)
@given(
    _texts(
        "<",
        ">",
        "/",
        " ",
        "\t",
        "\n",
        "a",
        "b",
        "=",
        '"',
        "'",
        "1",
        ":",
        "-",
        "\u00a0",
        "\x1c",
        starts=("<", "</", "<a", "<br", ""),
    )
)
def test_a_single_tag_is_read_as_the_pattern_read_it(text: str) -> None:
    old = _OLD_SINGLE_TAG.match(text)
    assert single_tag(text) == (old.group(1, 2, 3) if old else None)


@settings(max_examples=2_000, deadline=None)
@given(_texts("#", " ", "\t", "{", "}", "a", "b", "{#i}", " {.c}", starts=("# ", "## ", "  #\t")))
def test_a_headings_text_is_read_as_the_pattern_read_it(line: str) -> None:
    old = _OLD_ATX_HEADING.match(line)
    new = frontmatter._ATX_HEADING.match(line)
    assert (frontmatter._heading_text(new.group(1)) if new else None) == (
        old.group(1) if old else None
    )


@settings(max_examples=2_000, deadline=None)
@given(_texts(" ", "|", ":", "-", "a", "--"))
def test_a_table_rule_is_recognised_as_the_pattern_recognised_it(line: str) -> None:
    assert bool(lineblocks._TABLE_RULE.match(line)) == bool(_OLD_TABLE_RULE.match(line))


@settings(max_examples=1_000, deadline=None)
@given(_texts(" ", "\t", "{#", "tbl:a", "}", "x", "{", "\n"))
def test_a_caption_label_is_cut_as_the_pattern_cut_it(caption: str) -> None:
    old = _OLD_CAPTION_LABEL.search(caption)
    new = crossref._CAPTION_LABEL.search(caption)
    assert (new.group("id") if new else None) == (old.group("id") if old else None)
    if old and new:
        assert caption[: new.start()].rstrip() == caption[: old.start()]


def test_false_tags_are_still_told_from_real_ones() -> None:
    assert is_false_tag("<b and c>")
    assert not is_false_tag('<span class="x">')
    assert not is_false_tag("<br />")
    assert is_false_tag("<filename>")
    assert single_tag("<a" + " " * 50_000 + "x") is None  # no closing ">": not a tag
