"""Do the three editions say the same thing? Text extracted from each, compared part by part.

The HTML edition is the reference: its disclaimer, summary and sections are found by id. The
EPUB's content documents carry the same ids. The PDF is read as a reader's tool reads it
(poppler's ``pdftotext``), cut into parts at the headings its outline points to, with the page
furniture (running headers, page numbers) left out by position. Before comparing, every text is
normalised for what typesetting changes without changing the words: ligatures and compatibility
characters (NFKC), soft hyphens, line-end hyphenation, and whitespace.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import lxml.html
from lxml import etree

from publish.checks.printed import print_only, without_equation_numbers, without_print_only
from publish.checks.reordered import MovableWords, local_moves, movable_words
from publish.parts import DISCLAIMER, SECTION_PREFIX, SUMMARY
from publish.xhtml import XHTML_NS

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Tags after which a reader's eye moves to a new line, though the markup holds no space there.
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
    )
)  # fmt: skip
# Bullets and list numbers: the PDF draws them as text, HTML and EPUB as list styling.
_LIST_MARKER = re.compile(
    r"^(?:[\u2022\u25e6\u25aa\u25cf\u2023\u2043\u2013\u2014-]|\d+[.)]|[a-zA-Z][.)]|[ivxlcIVXLC]+[.)])$"
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Raised and lowered text (citation numbers, note calls): pdftotext reads it as a word of its
# own, off the line it sits on, so on screen it counts as one too.
_RAISED = frozenset(("sup", "sub"))
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "x": XHTML_NS,
}


@dataclass(frozen=True)
class Part:
    """A stretch of the book compared across editions: its id, heading and text."""

    key: str
    title: str
    text: str


@dataclass(frozen=True)
class Difference:
    part: str
    edition: str
    detail: str


def normalise(text: str, *, line_breaks_are_soft: bool = False) -> str:
    """Words as a reader reads them, whatever the typesetting did to the characters."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if line_breaks_are_soft:
        # A hyphen at the end of a line may be the typesetter's; a hyphen inside a word is
        # dropped on both sides below, so "stimulant-\nlike" and "stimulant-like" agree.
        text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # lookarounds: "a-b-c" loses both hyphens
    return re.sub(r"\s+", " ", text).strip()


def html_parts(html: Path) -> list[Part]:
    """Disclaimer, summary and each section of the HTML edition, in reading order."""
    page = lxml.html.document_fromstring(html.read_bytes())
    parts = []
    for element in page.iter():
        key = element.get("id") or ""
        if key not in (DISCLAIMER, SUMMARY) and not key.startswith(SECTION_PREFIX):
            continue
        heading = next((h for h in element.iter(*_HEADINGS)), None)
        title = visible_text(heading) if heading is not None else key
        parts.append(Part(key, normalise(title), normalise(visible_text(element))))
    return parts


def visible_text(element: etree._Element) -> str:
    """The element's text with a space wherever a block ends, as it reads on screen."""
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        # A formula is a picture in the PDF (its alt text in the tags), MathML elsewhere.
        if tag in ("script", "style", "math"):
            return
        if tag in _RAISED:
            pieces.append(" ")
        pieces.append(node.text or "")
        for child in node:
            walk(child)
            pieces.append(child.tail or "")
        if tag in _BLOCKS or tag in _RAISED:
            pieces.append(" ")

    walk(element)
    return "".join(pieces)


def epub_parts(epub: Path, keys: Iterable[str]) -> dict[str, str]:
    """The text of the element with each id, looked up across the spine's content documents."""
    wanted = set(keys)
    found: dict[str, str] = {}
    with zipfile.ZipFile(epub) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", _NS)
        opf_path = PurePosixPath(rootfile.get("full-path", "") if rootfile is not None else "")
        opf = etree.fromstring(archive.read(str(opf_path)))
        manifest = {
            i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", _NS)
        }
        for itemref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
            href = manifest.get(itemref.get("idref"))
            if href is None:
                continue
            document = etree.fromstring(archive.read(str(opf_path.parent / href)))
            for element in document.iter():
                ident = element.get("id")
                if ident in wanted and ident not in found:
                    found[ident] = normalise(visible_text(element))
    return found


def pdf_page_texts(pdf: Path, heads: dict[str, set[int]] | None = None) -> list[str]:
    """Each page's text in pdftotext's reading order, without its furniture.

    Furniture is the top or bottom line of a page when it holds only a page number (arabic or
    roman), perhaps beside a running head. ``heads`` maps each possible running head (top-level
    headings, the book's title) to the pages where that heading itself stands: there a line with
    its words is the heading, unless the heading appears again below it.
    """
    heads = heads or {}
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=900
    )
    document = etree.fromstring(result.stdout, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for number, page in enumerate(document.iter("{*}page")):
        lines = [
            (float(line.get("yMin", "0")), " ".join(w.text or "" for w in line.iter("{*}word")))
            for line in page.iter("{*}line")
        ]
        heights = [
            float(line.get("yMax", "0")) - float(line.get("yMin", "0"))
            for line in page.iter("{*}line")
        ]
        furniture: set[int] = set()
        if lines:
            top = min(range(len(lines)), key=lambda i: lines[i][0])
            bottom = max(range(len(lines)), key=lambda i: lines[i][0])
            usual = sorted(heights)[len(heights) // 2]
            for index in {top, bottom}:
                rest = _without_folio(normalise(lines[index][1]))
                others = " ".join(normalise(t) for i, (_, t) in enumerate(lines) if i != index)
                # A running head is set small; the heading itself, larger than the text, stays
                # even when its words come again lower on its page.
                heading = number in heads.get(rest, ()) and heights[index] > 1.2 * usual
                if not rest or (
                    rest in heads and not heading and (number not in heads[rest] or rest in others)
                ):
                    furniture.add(index)
        pages.append("\n".join(t for i, (_, t) in enumerate(lines) if i not in furniture))
    return pages


_FOLIO = re.compile(r"^(?:\d+|[ivxlcdm]+)$", re.IGNORECASE)


def _without_folio(line: str) -> str:
    """The line without a page number at either end."""
    words = line.split()
    if words and _FOLIO.match(words[0]):
        words = words[1:]
    if words and _FOLIO.match(words[-1]):
        words = words[:-1]
    return " ".join(words)


def pdf_outline(pdf: Path) -> list[tuple[str, int]]:
    """Top-level bookmarks: each heading's title and the index of the page it is on."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    entries = []
    for item in reader.outline:
        if isinstance(item, list):
            continue  # subsections: the parts are cut at the top level only
        page = reader.get_destination_page_number(item)
        if page is not None:
            entries.append((normalise(str(item.title)), page))
    return entries


def pdf_parts(
    pdf: Path, parts: list[Part], book_titles: Iterable[str] = ()
) -> tuple[dict[str, str], list[Difference]]:
    """Cut the PDF's text at each top-level heading; a part runs to the next heading."""
    outline = pdf_outline(pdf)
    heads: dict[str, set[int]] = {normalise(t): set() for t in book_titles}
    for title, page_index in outline:
        heads.setdefault(title, set()).add(page_index)
    pages = [normalise(p, line_breaks_are_soft=True) for p in pdf_page_texts(pdf, heads)]
    offsets: list[int] = []
    text = ""
    for page_text in pages:
        offsets.append(len(text))
        text += page_text + " "
    starts: list[tuple[int, str]] = []
    for title, page_index in outline:
        at = text.find(title, offsets[page_index]) if page_index < len(offsets) else -1
        if at >= 0:
            starts.append((at, title))
    starts.sort()
    problems = []
    found: dict[str, str] = {}
    previous = -1
    for part in parts:
        # In reading order, so that two sections with the same heading each find their own.
        begin = next((at for at, title in starts if title == part.title and at > previous), None)
        if begin is None:
            problems.append(Difference(part.title, "PDF", "no bookmark leads to this heading"))
            continue
        end = next((at for at, _ in starts if at > begin), len(text))
        found[part.key] = text[begin:end].strip()
        previous = begin
    return found, problems


def figure_words(html: Path) -> Counter[str]:
    """Words drawn inside the SVG figures: in the PDF they are text, in HTML and EPUB pictures."""
    page = lxml.html.document_fromstring(html.read_bytes())
    words: Counter[str] = Counter()
    for image in page.iter("img"):
        path = html.parent / (image.get("src") or "")
        if path.suffix.lower() != ".svg" or not path.is_file():
            continue
        svg = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for element in svg.iter("{http://www.w3.org/2000/svg}text"):
            words.update(normalise(visible_text(element)).split())
    return words


def line_numbers(html: Path) -> Counter[str]:
    """The numbers of a ``.numberLines`` listing's lines: generated content in every edition,
    which pdftotext reads as text and the HTML and EPUB text do not hold."""
    page = lxml.html.document_fromstring(html.read_bytes())
    return Counter(
        str(line.get("data-line"))
        for pre in page.iter("pre")
        if "numberLines" in (pre.get("class") or "").split()
        for line in pre.iter("span")
        if line.get("data-line") is not None
    )


def differences(
    expected: str,
    actual: str,
    part: str,
    edition: str,
    ignorable: Counter[str] | None = None,
    tables: MovableWords | None = None,
) -> list[Difference]:
    """Where ``actual`` departs from ``expected``, word by word, with a little context.

    With ``tables``, differences that only move the part's table, note and code words are
    dropped when, together, they lose none and add only headers (see ``checks.reordered``)."""
    want, got = expected.split(), actual.split()
    found: list[Difference] = []
    in_tables: list[tuple[Difference, list[str], list[str]]] = []
    changed: list[tuple[list[str], list[str]]] = []
    positions: list[int] = []
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "insert" and ignorable is not None and _only_drawn(got[j1:j2], ignorable):
            continue
        if op == "replace" and _split_at_line_ends(want[i1:i2], got[j1:j2]):
            continue
        before = " ".join(want[max(0, i1 - 5) : i1])
        missing, extra = " ".join(want[i1:i2]), " ".join(got[j1:j2])
        if op == "insert":
            detail = f"after '…{before}' it adds '{_clip(extra)}'"
        elif op == "delete":
            detail = f"after '…{before}' it lacks '{_clip(missing)}'"
        else:
            detail = f"after '…{before}' it has '{_clip(extra)}' for '{_clip(missing)}'"
        difference = Difference(part, edition, detail)
        changed.append((want[i1:i2], got[j1:j2]))
        positions.append(i1)
        if tables is not None and tables.covers(want[i1:i2], got[j1:j2]):
            in_tables.append((difference, want[i1:i2], got[j1:j2]))
        found.append(difference)
    every = list(found)
    if (
        in_tables
        and tables is not None
        and tables.settles([(m, e) for _, m, e in in_tables], changed)
    ):
        moved = {id(d) for d, _, _ in in_tables}
        found = [d for d in found if id(d) not in moved]
    near = local_moves([(at, m, e) for at, (m, e) in zip(positions, changed, strict=True)])
    if near:
        kept = {id(d) for index, d in enumerate(every) if index not in near}
        found = [d for d in found if id(d) in kept]
    return found


def _split_at_line_ends(want: list[str], got: list[str]) -> bool:
    """The same characters cut into more words: an address, a number or code the PDF broke
    across lines where it has no hyphen (after '/', ':' or '.'), or before a hyphen it kept;
    a space pdftotext reads between code and the punctuation after it ("pairs :"); perhaps with
    list markers drawn as text between them."""
    if _squashed(want) == _squashed(got):
        return True
    words = [w for w in got if not _LIST_MARKER.match(w)]
    return bool(words) and _squashed(want) == _squashed(words)


def _squashed(words: list[str]) -> str:
    return "".join(words).replace("-", "")


def _only_drawn(words: list[str], drawn: Counter[str]) -> bool:
    """List markers and words of figures: what the PDF shows as text and the others do not."""
    return not Counter(w for w in words if not _LIST_MARKER.match(w)) - drawn


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare(
    pdf: Path, epub: Path, html: Path, book_titles: Iterable[str] = ()
) -> tuple[list[Part], list[Difference]]:
    """The parts of the HTML edition and every way the EPUB and PDF differ from them."""
    parts = html_parts(html)
    problems: list[Difference] = []
    if not parts:
        return parts, [Difference("the book", "HTML", "no disclaimer, summary or sections found")]
    epub_text = epub_parts(epub, (p.key for p in parts))
    pdf_text, pdf_problems = pdf_parts(pdf, parts, book_titles)
    problems.extend(pdf_problems)
    drawn = figure_words(html) + line_numbers(html)
    printed = print_only(html, normalise)
    tables = movable_words(html, {p.key for p in parts}, visible_text, normalise)
    for part in parts:
        if part.key not in epub_text:
            problems.append(Difference(part.title, "EPUB", f"no element with id '{part.key}'"))
        else:
            problems.extend(differences(part.text, epub_text[part.key], part.title, "EPUB"))
        if part.key in pdf_text:
            problems.extend(
                differences(
                    without_equation_numbers(normalise(part.text), printed),
                    without_print_only(pdf_text[part.key], printed),
                    part.title,
                    "PDF",
                    ignorable=drawn,
                    tables=tables.get(part.key),
                )
            )
    return parts, problems
