"""What the PDF prints as text and the HTML and EPUB editions do not, so that the parity check
compares the same words: the pages a cross-reference names (", p. 4", from the print
stylesheet's ``target-counter``) and the TeX each formula carries as invisible, searchable text
(``editions/pdf/formulas.py``; the HTML and EPUB carry MathML, which the check leaves out).

An equation's number "(1)" is set at the right margin, where pdftotext reads it apart from its
line, after the text around it: the PDF is compared without equation numbers on either side."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html


@dataclass(frozen=True)
class PrintOnly:
    formulas: tuple[re.Pattern[str], ...]  # the formulas' TeX, spaces or none, longest first
    numbers: re.Pattern[str] | None  # the equations' numbers, "(1)"
    page_references: tuple[re.Pattern[str], ...]  # "Figure 1, p. 4", each matching one reference


def print_only(html: Path, normalise: Callable[[str], str]) -> PrintOnly:
    """What of the HTML edition ``html`` the PDF adds as text, in the words of ``normalise``."""
    page = lxml.html.document_fromstring(html.read_bytes())
    formulas = {
        normalise(str(math.get("alttext")))
        for math in page.iter("math", "{http://www.w3.org/1998/Math/MathML}math")
        if math.get("alttext")
    }
    references = {
        (normalise("".join(str(t) for t in link.itertext())), normalise(label))
        for link in page.iter("a")
        if "crossref" in (link.get("class") or "").split()
        and (label := link.get("data-page-label")) is not None
    }
    numbers = {
        normalise("".join(str(t) for t in number.itertext()))
        for number in page.iter("span")
        if number.get("class") == "equation-number"
    }
    return PrintOnly(
        tuple(
            re.compile(r"\s*".join(map(re.escape, "".join(tex.split()))))
            for tex in sorted(filter(None, formulas), key=len, reverse=True)
        ),
        re.compile(rf"(?<!\S)(?:{'|'.join(map(re.escape, sorted(numbers)))})(?!\S)")
        if numbers
        else None,
        tuple(
            re.compile(rf"({re.escape(text)}), {re.escape(label)} [0-9ivxlcdmIVXLCDM]+\b")
            for text, label in sorted(references)
            if text
        ),
    )


def without_print_only(text: str, found: PrintOnly) -> str:
    """The PDF's (normalised) text without what only the PDF prints."""
    for pattern in found.page_references:
        text = pattern.sub(r"\1", text)
    for tex in found.formulas:
        text = tex.sub(" ", text)
    return without_equation_numbers(text, found)


def without_equation_numbers(text: str, found: PrintOnly) -> str:
    if found.numbers is not None:
        text = found.numbers.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()
