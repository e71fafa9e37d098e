"""Superscript, subscript and strikeout paired as pymdown-extensions pairs them, on any short
text, with the walk from each opening delimiter bounded."""

from __future__ import annotations

import os

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from pymdownx.delimiterprocessor import DelimiterProcessor

from publish.reading.markup import new_converter
from publish.reading.pandoc.bounded_delimiters import (
    MAX_DELIMITERS_AHEAD,
    BoundedDelimiterProcessor,
)

EXAMPLES = int(os.environ.get("PUBLISH_HYPOTHESIS_EXAMPLES", "60")) * 10


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    ours, upstream = new_converter(), new_converter()
    assert type(ours.inlinePatterns["delimiter"]) is BoundedDelimiterProcessor
    upstream.inlinePatterns["delimiter"].__class__ = DelimiterProcessor
    return ours, upstream


OURS, UPSTREAM = _converters()


def _html(converter: markdown.Markdown, text: str) -> str:
    converter.reset()
    return converter.convert(text)


PIECES = [
    "~",
    "~~",
    "^",
    "^^",
    " ",
    "a",
    "b c",
    "*",
    "'",
    "]",
    "(",
    "\\",
    "\n",
    "1.5",
    "H",
    "2",
    "O",
]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_any_short_text_pairs_as_pymdown_extensions_pairs_it(text: str) -> None:
    assert _html(OURS, text) == _html(UPSTREAM, text)


def test_ordinary_uses_are_unchanged() -> None:
    for text in ("H~2~O and 2^10^", "~~struck out~~ and ~~more ~ than one~~", "~20% of ~5 people"):
        assert _html(OURS, text) == _html(UPSTREAM, text)
    assert "<sub>2</sub>" in _html(OURS, "H~2~O")


def test_a_close_past_the_bound_is_text() -> None:
    near = "~~" + "x^" * (MAX_DELIMITERS_AHEAD // 2 - 2) + "~~"
    assert "<del>" in _html(OURS, near)
    far = "~~" + "x^" * MAX_DELIMITERS_AHEAD + "~~"
    assert "<del>" not in _html(OURS, far)
