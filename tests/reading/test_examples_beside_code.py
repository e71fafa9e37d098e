"""Example lists shown in an indented code block (as a manual shows the syntax) are text: they
take no number, and ``(@label)`` in them stays as typed; the real list after them starts at 1.
Compared with pandoc's HTML of the same text."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from support.manuscripts import FRONT, body_html, manuscript, warnings

pypandoc = pytest.importorskip("pypandoc")

BODY = """# Examples

The syntax, shown as code:

    (@)  A first example.
    (@shown)  A labelled one.

    As (@shown) illustrates, ...

A real list:

(@)  Water boils at sea level.
(@real)  Ice floats.

As (@real) shows, and as `(@real)` in code does not.
"""


def _summary(root: lxml.html.HtmlElement) -> tuple[list[str], list[tuple[str | None, str]], str]:
    codes = [c.text_content() for c in root.iter("code")]
    items = [(ol.get("start"), li.text_content().strip()) for ol in root.iter("ol") for li in ol]
    last = [p for p in root.iter("p")][-1].text_content()
    return codes, items, " ".join(last.split())


def test_examples_in_code_take_no_number_and_keep_their_labels(tmp_path: Path) -> None:
    book, _ = warnings(manuscript(tmp_path, BODY))
    ours = _summary(lxml.html.fromstring(f"<div>{body_html(book)}</div>"))
    theirs = _summary(
        lxml.html.fromstring(
            "<div>" + pypandoc.convert_text(FRONT + BODY, "html5", format="markdown") + "</div>"
        )
    )
    codes, items, last = ours
    assert (
        codes[0]
        == "(@)  A first example.\n(@shown)  A labelled one.\n\nAs (@shown) illustrates, ...\n"
    )
    assert [text for _, text in items] == ["Water boils at sea level.", "Ice floats."]
    assert last == "As (2) shows, and as (@real) in code does not."
    assert (codes[0].rstrip("\n"), items, last) == (theirs[0][0].rstrip("\n"), theirs[1], theirs[2])
    assert codes[1:] == theirs[0][1:]
