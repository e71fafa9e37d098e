"""Fenced code inside list items and block quotes is a code block, as pandoc reads it: compared
with pandoc's own HTML of the same text (the code's text and where each block sits)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from support.manuscripts import FRONT, body_html, manuscript, warnings

pypandoc = pytest.importorskip("pypandoc")

BODY = """# Steps

1. Install it:

    ```sh
    pip install thing

    thing --version
    ```

2. Then run, right after the text:
   ```python
   print("hello")
   ```

- Nested:

  - deeper

    ~~~ {.r}
    x <- 1
    ~~~

> A quote
>
> ```
> quoted code
> ```

Text, and ```not a fence``` on a line.
"""


def _blocks(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """Each code block: the chain of containers it sits in, and its text."""
    found = []
    for pre in root.iter("pre"):
        chain = "/".join(
            str(a.tag)
            for a in reversed(list(pre.iterancestors()))
            if a.tag in ("ol", "ul", "li", "blockquote")
        )
        found.append((chain, pre.text_content().rstrip("\n")))
    return found


def test_fenced_code_in_lists_and_quotes_is_code_as_pandoc_reads_it(tmp_path: Path) -> None:
    book, said = warnings(manuscript(tmp_path, BODY))
    ours = lxml.html.fromstring(f"<div>{body_html(book)}</div>")
    theirs = lxml.html.fromstring(
        "<div>" + pypandoc.convert_text(FRONT + BODY, "html5", format="markdown") + "</div>"
    )
    assert _blocks(ours) == _blocks(theirs)
    assert [c for _, c in _blocks(ours)] == [
        "pip install thing\n\nthing --version",
        'print("hello")',
        "x <- 1",
        "quoted code",
    ]
    languages = [code.get("class") for code in ours.iter("code") if code.getparent().tag == "pre"]
    assert languages == ["language-sh", "language-python", "language-r", None]
    inline = [c.text_content() for c in ours.iter("code") if c.getparent().tag != "pre"]
    assert inline == ["not a fence"]
    assert not [w for w in said if "leftover" in w or "printed as text" in w]
