"""Code blocks: highlighted with Pygments, and raw ``<pre>`` examples kept whole.

Fenced code with a language (```` ```python ````, ```` ```{.r} ````, ``~~~ sh``) reaches the
tree as ``<pre><code class="language-python">``. Pygments' tokens become spans with its short
class names (``k`` keyword, ``s`` string, ``c`` comment, …) inside the same ``<code>``, after the
sanitiser has run: the spans are ours, the text is the author's, escaped as any text. The
colours are the stylesheets' (``.highlight`` rules in print.css, epub.css and html.css), chosen to
read in greyscale and to meet WCAG AA contrast on the code background.

A raw ``<pre>`` that Markdown read as paragraphs (inside a list or a quote) comes out as a
``<pre>`` holding ``<p>`` elements; those become the blank lines they were.
"""

from __future__ import annotations

import functools
from typing import Any

from lxml import etree

from publish.reading.pandoc import codeattrs

_LANGUAGE_PREFIX = "language-"
# Above this many lines a block may break across pages: keeping it whole left most of a page
# empty before a long listing. Short blocks stay whole (``break-inside: avoid`` in print.css).
SHORT_BLOCK_LINES = 12


def finish(root: etree._Element) -> None:
    for pre in list(root.iter("pre")):
        _repair(pre)
        children = list(pre)
        if len(children) == 1 and children[0].tag == "code" and not (pre.text or "").strip():
            block = children[0]
            language = _language(block.get("class") or "")
            if language is not None:
                _highlight(pre, block, language)
            codeattrs.finish(pre, block)
        lines = "".join(str(t) for t in pre.itertext()).rstrip("\n").count("\n") + 1
        if lines <= SHORT_BLOCK_LINES:
            pre.set("class", " ".join(filter(None, [pre.get("class"), "short"])))


def _language(classes: str) -> str | None:
    for name in classes.split():
        if name.startswith(_LANGUAGE_PREFIX):
            return name[len(_LANGUAGE_PREFIX) :]
    # pandoc's ```{.r} names the language as a bare class.
    for name in classes.split():
        if _lexer(name) is not None:
            return name
    return None


@functools.lru_cache(maxsize=256)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _highlight(pre: etree._Element, block: etree._Element, language: str) -> None:
    lexer = _lexer(language)
    if lexer is None or len(block):
        return
    from pygments.token import STANDARD_TYPES

    source = block.text or ""
    block.text = None
    last: etree._Element | None = None
    for kind, value in lexer.get_tokens(source):
        css = _css_class(kind, STANDARD_TYPES)
        last = codeattrs.append_run(block, last, None if kind in _PLAIN else css or None, value)
    pre.set("class", " ".join(filter(None, [pre.get("class"), "highlight"])))
    classes = (block.get("class") or "").split()
    if f"{_LANGUAGE_PREFIX}{language}" not in classes:
        block.set("class", " ".join([*classes, f"{_LANGUAGE_PREFIX}{language}"]))


def _css_class(kind: Any, standard: dict[Any, str]) -> str:
    while kind not in standard:
        kind = kind.parent
    return standard[kind]


def _plain_kinds() -> frozenset[Any]:
    from pygments.token import Text, Whitespace

    return frozenset({Text, Whitespace, Text.Whitespace})


_PLAIN = _plain_kinds()


def _repair(pre: etree._Element) -> None:
    """``<p>`` inside ``<pre>`` (a raw example Markdown split into paragraphs): blank lines.

    The example's lines are kept as text, its paragraphs joined by the blank line that separated
    them; inline markup inside such a broken example is not worth keeping over its lines.
    """
    if not any(True for child in pre.iter("p", "pre") if child is not pre):
        return
    chunks: list[str] = [pre.text or ""]
    for child in pre:
        chunks += ["".join(str(t) for t in child.itertext()), child.tail or ""]
    kept = [chunk.strip("\n") for chunk in chunks if chunk.strip()]
    for child in list(pre):
        pre.remove(child)
    pre.text = "\n\n".join(kept) + "\n"
