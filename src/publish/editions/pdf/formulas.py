"""Formulas in the PDF: each MathML ``<math>`` of the book drawn as vector SVG by ziamath.

WeasyPrint lays out no MathML. ziamath is pure Python, brings its own math font (STIX Two Math)
and says where the baseline is, so each formula is an inline SVG sized in ``em`` (it follows the
text's size) and lowered by its depth (it sits on the text's baseline). Its ``<title>`` is the TeX,
which WeasyPrint's PDF/UA tagging takes as the alternate text of a ``Figure``; ``tag_formulas``
then names those elements ``Formula``, as PDF/UA asks for math. (matplotlib's mathtext knows
less TeX and is a far larger dependency; LaTeX with dvisvgm or MathJax would need a TeX
installation or Node.js at build time.)

The drawing is paths, which no search finds; so each SVG also holds its TeX as a ``<text>``
with neither fill nor stroke, which WeasyPrint writes in text render mode 3 (invisible, as an
OCR layer is), on the formula's baseline and stretched over its width: a PDF viewer's search
and pdftotext find ``\\frac{1}{3}``, and selecting the formula copies its TeX. The text is
drawn inside the formula's own marked content, so it belongs to the ``Formula`` element, whose
alternate text screen readers read instead of its content: the formula is not read twice.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import replace
from typing import Any

from lxml import etree

from publish.model import Book

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SVG_NS = "http://www.w3.org/2000/svg"
_EPUB_NS = "http://www.idpf.org/2007/ops"
# The size ziamath draws at; the SVG is then scaled to the text in em, so only precision depends
# on it.
_DRAWN_SIZE = 20.0
_VIEWBOX = re.compile(r"^\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*$")


def print_formulas(book: Book) -> Book:
    """The book with every formula drawn as SVG (the print HTML; the Book itself is unchanged)."""
    if not any("<math" in html for html in _parts(book)):
        return book
    return replace(
        book,
        disclaimer_html=_drawn(book.disclaimer_html),
        summary_html=_drawn(book.summary_html),
        sections=tuple(
            replace(
                s,
                html=_drawn(s.html),
                notes=tuple(replace(n, html=_drawn(n.html)) for n in s.notes),
            )
            for s in book.sections
        ),
    )


def _parts(book: Book) -> list[str]:
    """Every piece of the book's HTML: front matter, sections and their notes."""
    parts = [book.disclaimer_html, book.summary_html]
    for section in book.sections:
        parts += [section.html, *(note.html for note in section.notes)]
    return parts


def formula_alt_texts(book: Book) -> frozenset[str]:
    """The alternate texts the formulas carry: how ``tag_formulas`` tells them from images."""
    texts: set[str] = set()
    for html in _parts(book):
        if "<math" in html:
            for math in _fragment(html).iter(f"{{{MATHML_NS}}}math"):
                texts.add(_alt(math))
    return frozenset(texts)


def tag_formulas(pdf: Any, alt_texts: frozenset[str]) -> int:
    """Rename the ``Figure`` elements WeasyPrint made for formulas ``Formula``; returns how many."""
    if not alt_texts:
        return 0
    count = 0
    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/StructElem":
            continue
        if obj.get("S") != "/Figure" or "Alt" not in obj:
            continue
        alt = getattr(obj["Alt"], "string", None)
        if alt in alt_texts:
            obj["S"] = "/Formula"
            count += 1
    return count


def _alt(math: etree._Element) -> str:
    return f"Formula: {math.get('alttext', '')}"


def _drawn(html: str) -> str:
    if "<math" not in html:
        return html
    root = _fragment(html)
    for math in list(root.iter(f"{{{MATHML_NS}}}math")):
        svg = _svg(math.get("alttext", ""), math.get("display") == "block")
        svg.tail = math.tail
        title = etree.Element(f"{{{SVG_NS}}}title")
        title.text = _alt(math)
        svg.insert(0, title)
        parent = math.getparent()
        assert parent is not None
        parent.replace(math, svg)
    head = root.text or ""
    body = head + "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in root)
    return body.replace(f' xmlns:epub="{_EPUB_NS}"', "")


def _fragment(html: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns:epub="{_EPUB_NS}">{html}</div>')


def _svg(tex: str, display: bool) -> etree._Element:
    return etree.fromstring(_svg_markup(tex, display))


@functools.lru_cache(maxsize=2048)
def _svg_markup(tex: str, display: bool) -> str:
    # Imported on first use (a book without math never loads it); its package exports its
    # names without declaring them, so it is typed here as what it is to us.
    ziamath: Any = importlib.import_module("ziamath")
    ziamath.config.svg2 = False  # plain paths: no <symbol>/<use> ids repeated across formulas
    drawn = ziamath.Latex(tex, size=_DRAWN_SIZE, inline=not display)
    svg = etree.fromstring(drawn.svg())
    box = _VIEWBOX.match(svg.get("viewBox", ""))
    if box is None:
        return etree.tostring(svg, encoding="unicode")
    _, top, width, height = (float(v) for v in box.groups())
    depth = max(0.0, top + height)  # the baseline is y = 0
    em = _DRAWN_SIZE
    svg.set("width", f"{width / em:.3f}em")
    svg.set("height", f"{height / em:.3f}em")
    svg.set("class", "formula")
    svg.set("role", "img")
    svg.set("style", f"vertical-align: {-depth / em:.3f}em")
    svg.append(_searchable_text(tex, box.groups()))
    return etree.tostring(svg, encoding="unicode")


def _searchable_text(tex: str, box: tuple[str, ...]) -> etree._Element:
    """The TeX, invisible, over the drawing (see the module's docstring)."""
    left, _, width, _ = (float(v) for v in box)
    text = etree.Element(f"{{{SVG_NS}}}text")
    text.set("class", "formula-text")
    text.set("x", f"{left:.2f}")
    text.set("y", "0")  # ziamath's baseline: the text's, so a text reader keeps the line
    # The text's own size (1 em is _DRAWN_SIZE here): text readers keep it on the text's line.
    text.set("font-size", f"{_DRAWN_SIZE:.0f}")
    text.set("font-family", "Source Sans 3")
    text.set("fill", "none")
    text.set("stroke", "none")
    text.set("textLength", f"{max(width, 1.0):.2f}")
    text.set("lengthAdjust", "spacingAndGlyphs")
    text.text = " ".join(tex.split())
    return text
