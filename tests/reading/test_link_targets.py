"""Link and image targets, and bracketed spans, read as Python-Markdown reads them, in linear
time: the same HTML on any short text as the converter with Python-Markdown's own processors,
and what pandoc makes of the ordinary forms."""

from __future__ import annotations

import os
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
)

from publish.reading.link_targets import MAX_PAREN_DEPTH, BoundedImage, BoundedLink
from publish.reading.markup import new_converter


class _UpstreamLink(LinkInlineProcessor):
    """Python-Markdown's walk, but where it would end before the link began (its fallback
    for an unclosed title, with no ``)`` found) the text stays: upstream swallowed it."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href, title, end, handled = super().getLink(data, index)
        return (href, title, end, False) if handled and end < index else (href, title, end, handled)


class _UpstreamImage(_UpstreamLink, ImageInlineProcessor):
    pass


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    ours = new_converter()
    upstream = new_converter()
    upstream.inlinePatterns.register(_UpstreamLink(LINK_RE, upstream), "link", 160)
    upstream.inlinePatterns.register(_UpstreamImage(IMAGE_LINK_RE, upstream), "image_link", 150)
    spans = upstream.inlinePatterns["bracket_span"]
    spans.ATTR_RE = type(spans).ATTR_RE  # type: ignore[attr-defined]
    assert isinstance(ours.inlinePatterns["link"], BoundedLink)
    assert isinstance(ours.inlinePatterns["image_link"], BoundedImage)
    return ours, upstream


OURS, UPSTREAM = _converters()


def _html(converter: markdown.Markdown, text: str) -> str:
    converter.reset()
    return converter.convert(text)


PIECES = [
    "[", "]", "(", ")", "](", "![", '"', "'", " ", "\n", "a", "b c", "<", ">", "{", "}", "{.x}",
    "{#i}", ":", "\\", "*", "`", "http://x.org/a_(b)", "[t](u)", '"t"', "'t'", "(t)", "\t",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=int(os.environ.get("PUBLISH_HYPOTHESIS_EXAMPLES", "60")) * 10, deadline=None)
@given(text=TEXTS)
def test_any_short_text_reads_as_python_markdown_reads_it(text: str) -> None:
    assert _html(OURS, text) == _html(UPSTREAM, text)


@pytest.mark.parametrize(
    "text",
    [
        "See [the page](https://example.org/a) now.",
        "[x](https://en.wikipedia.org/wiki/A_(b)) and [y](https://e.org/a_(b)_(c)).",
        "[a](https://e.org \"A title\") [b](https://e.org 'Single') [c](https://e.org (Paren))",
        '[a](<https://e.org/with space> "t") [b](<https://e.org>)',
        "![Chart](figures/chart.png \"A caption (with parentheses) and 'quotes'\")",
        '[ref][one] and [one] and ![pic][one]\n\n[one]: https://e.org/one "One"',
        '[a](b\n"title on the next line")',
        '[a](b"c) text after',
        "[text]{.smallcaps} and [more text]{#id .c key=v} and [not a span]{",
        "[a]{ }",
        "[a]{\n}",
    ],
)
def test_ordinary_links_images_and_spans_are_unchanged(text: str) -> None:
    assert _html(OURS, text) == _html(UPSTREAM, text)


def test_balanced_parentheses_in_an_address_match_pandoc() -> None:
    pypandoc = pytest.importorskip("pypandoc")
    text = '[x](https://en.wikipedia.org/wiki/A_(b)) and ![i](p.png "T")'
    ours = _html(OURS, text)
    theirs = pypandoc.convert_text(text, "html5", format="markdown")
    for html in (ours, theirs):
        assert 'href="https://en.wikipedia.org/wiki/A_(b)"' in html
        assert re.search(r'<img\s[^>]*src="p\.png"', html)


def test_a_title_that_never_closes_keeps_the_text_after_it() -> None:
    html = _html(OURS, '[a](b "c (d e f and the rest of the paragraph')
    assert "and the rest of the paragraph" in html
    assert "<a" not in html


def test_parentheses_nested_past_the_bound_are_text() -> None:
    deep = "(" * MAX_PAREN_DEPTH + ")" * MAX_PAREN_DEPTH
    assert "<a href" in _html(OURS, f"[a](b{deep[1:-1]})")
    too_deep = "(" * (MAX_PAREN_DEPTH + 1) + ")" * (MAX_PAREN_DEPTH + 1)
    assert "<a href" not in _html(OURS, f"[a](b{too_deep})")
