"""Quarto's and R Markdown's code cells and MyST's directives: code, callouts, and a warning for
what cannot be shown as its tool shows it."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from support.manuscripts import FRONT_LINES, body_html, manuscript, warnings

BODY = """# Cells

```{python}
#| label: fig-plot
#| echo: false
import math
```

```{r setup, include=FALSE}
x <- 1
```

```{note}
A MyST note with **bold** text.
```

````{admonition} Take care
:class: danger

The body.

```python
inner = "code"
```
````

:::{tip}
A colon-fenced tip.
:::

```{code-cell} python
print(1)
```

```{toctree}
chapter-one
```

```{.python}
pandoc = "unchanged"
```

A \\madeupcommand after the blocks, to check its line.
"""


def _read(tmp_path: Path) -> tuple[lxml.html.HtmlElement, list[str]]:
    book, said = warnings(manuscript(tmp_path, BODY))
    return lxml.html.fromstring(f"<div>{body_html(book)}</div>"), said


def test_code_cells_are_code_in_their_language_without_their_options(tmp_path: Path) -> None:
    root, said = _read(tmp_path)
    codes = [
        (c.get("class"), c.text_content()) for c in root.iter("code") if c.getparent().tag == "pre"
    ]
    assert codes == [
        ("language-python", "import math\n"),
        ("language-r", "x <- 1\n"),
        ("language-python", 'inner = "code"\n'),
        ("language-python", "print(1)\n"),
        (None, "chapter-one\n"),
        ("language-python", 'pandoc = "unchanged"\n'),
    ]
    line = FRONT_LINES + 3
    assert (
        f"book.md:{line}: warning: code cells are shown as code (line {line}, and 1 more): "
        "publish runs no code, so their output is not in the book [cell]" in said
    )


def test_admonitions_are_callouts(tmp_path: Path) -> None:
    root, _ = _read(tmp_path)
    boxes = [
        (
            a.get("class"),
            a.findtext("p[@class='callout-title']"),
            " ".join(a.text_content().split()),
        )
        for a in root.iter("aside")
    ]
    assert boxes == [
        ("callout callout-note", None, "A MyST note with bold text."),
        ("callout callout-caution", "Take care", 'Take care The body. inner = "code"'),
        ("callout callout-tip", None, "A colon-fenced tip."),
    ]
    assert root.find(".//aside//strong").text == "bold"


def test_other_directives_are_code_with_a_warning_and_lines_still_count(tmp_path: Path) -> None:
    _, said = _read(tmp_path)
    toctree = FRONT_LINES + BODY.split("\n").index("```{toctree}") + 1
    assert (
        f"book.md:{toctree}: warning: the directive {{toctree}} is shown as code: publish reads "
        "MyST's admonitions and code directives, and code cells [cell]" in said
    )
    command = (
        FRONT_LINES
        + BODY.split("\n").index("A \\madeupcommand after the blocks, to check its line.")
        + 1
    )
    assert any(
        w.startswith(f"book.md:{command}:3: warning: the TeX command \\madeupcommand") for w in said
    )
