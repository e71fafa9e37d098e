"""The math, code and raw content fixture read by pandoc and by publish: the same formulas, the
same words around them, the same code, in the same structure."""

from __future__ import annotations

import re

import lxml.html
import pytest
from lxml import etree

from support import FIXTURES, Built
from support import build_fixture as _build

pypandoc = pytest.importorskip("pypandoc")

FIXTURE = FIXTURES / "richtext" / "math-and-code.md"
MATHML = "http://www.w3.org/1998/Math/MathML"


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIXTURE, tmp_path_factory.mktemp("against-pandoc"))


@pytest.fixture(scope="module")
def pandoc() -> lxml.html.HtmlElement:
    html = pypandoc.convert_text(
        FIXTURE.read_text(encoding="utf-8"),
        "html5",
        format="markdown+tex_math_single_backslash",
        extra_args=["--mathml"],
    )
    return lxml.html.fromstring(f"<div>{html}</div>")


def _ours_body(built: Built) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring(built.html.read_bytes())
    sections = [e for e in page.iter("section") if (e.get("id") or "").startswith("section-")]
    root = lxml.html.Element("div")
    for section in sections:
        root.append(section)
    return root


def _math(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    found = []
    for math in root.iter("math", f"{{{MATHML}}}math"):
        annotation = next((a for a in math.iter() if "annotation" in str(a.tag)), None)
        tex = math.get("alttext") or (annotation.text if annotation is not None else "")
        found.append((math.get("display") or "inline", " ".join((tex or "").split())))
    return found


def _words_without_math(element: lxml.html.HtmlElement) -> list[str]:
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for math in list(copy.iter("math", f"{{{MATHML}}}math")):
        math.drop_tree()
    for number in copy.find_class("equation-number"):
        number.drop_tree()
    return copy.text_content().split()


def _paragraphs(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Paragraphs by their first three words (with math left out), as word lists."""
    found = {}
    for paragraph in root.iter("p"):
        words = _words_without_math(paragraph)
        if words:
            found[" ".join(words[:3])] = words
    return found


def test_the_same_formulas_in_the_same_order(ours: Built, pandoc: lxml.html.HtmlElement) -> None:
    assert _math(_ours_body(ours)) == _math(pandoc)


def test_the_same_words_around_formulas_code_and_raw_html(
    ours: Built, pandoc: lxml.html.HtmlElement
) -> None:
    mine, theirs = _paragraphs(_ours_body(ours)), _paragraphs(pandoc)
    # pandoc without pandoc-crossref and without a LaTeX writer prints raw TeX and equation
    # references differently on purpose; every other paragraph reads the same.
    compared = [
        "The mean sits",
        "Unnumbered display math:",
        "In code the",
        "After the page",
        "A paragraph written",
        "An inline Ctrl",
    ]
    for key in compared:
        assert mine[key] == theirs[key], key


def test_the_same_code_blocks_and_languages(ours: Built, pandoc: lxml.html.HtmlElement) -> None:
    def blocks(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
        found = []
        for pre in root.iter("pre"):
            code = pre.find("code")
            classes = " ".join(
                [pre.get("class") or "", code.get("class") or "" if code is not None else ""]
            )
            language = re.search(r"(?:language-|sourceCode )(\w+)", classes)
            found.append((language.group(1) if language else "", pre.text_content().strip()))
        return found

    assert blocks(_ours_body(ours)) == blocks(pandoc)


def test_pandoc_agrees_that_prices_and_code_are_not_math(pandoc: lxml.html.HtmlElement) -> None:
    text = " ".join(pandoc.text_content().split())
    assert "Prices of $20 and $30 stay prices" in text
    assert etree.tostring(pandoc).count(b"<math") == 6
