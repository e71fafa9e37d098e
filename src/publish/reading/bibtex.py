"""BibTeX and BibLaTeX references (``.bib``) as CSL items, the form the rest of the reader takes.

The file is parsed by bibtexparser 2, and its LaTeX turned into text by pylatexenc (which
bibtexparser uses for the same purpose). Chosen over citeproc-py's own BibTeX source and
pybtex because it is the one that keeps each entry's line (every message about an entry names
it), reports every duplicate key and every unreadable entry with its line instead of stopping
at the first, and leaves the mapping to CSL to us, where BibLaTeX's fields (``date``,
``journaltitle``, ``location``, ``urldate``) can be mapped as pandoc maps them. citeproc-py's
source knows BibTeX's fields only and keeps no lines; pybtex keeps no lines either.

LaTeX escapes become the characters they stand for (``{\\"u}`` → ü, ``\\&`` → &, ``--`` → an
en dash); the protecting braces of titles are dropped. URLs, DOIs and keys are taken as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bibtexparser import middlewares, model
from bibtexparser.entrypoint import parse_string
from pylatexenc.latex2text import LatexNodes2Text

from publish.errors import Diagnostic

# pandoc's mapping of entry types (citeproc's Citeproc.BibTeX), for the common ones.
TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "report": "report",
    "techreport": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "periodical": "periodical",
    "unpublished": "manuscript",
    "misc": "document",
}
_TEXT_FIELDS = {
    "title": "title",
    "subtitle": "subtitle",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "edition": "edition",
    "pages": "page",
    "chapter": "chapter-number",
    "note": "note",
    "isbn": "ISBN",
    "issn": "ISSN",
    "language": "language",
    "howpublished": "medium",
    "version": "version",
    "eventtitle": "event-title",
}
_VERBATIM_FIELDS = {"doi": "DOI", "url": "URL", "pmid": "PMID", "pmcid": "PMCID"}
_NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator"}
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "september", "sept"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def bibtex_items(
    text: str, path: Path
) -> tuple[list[tuple[dict[str, Any], int | None]], list[Diagnostic]]:
    """The CSL items of a ``.bib`` file's text, each with its line, and what could not be read
    (unreadable entries; duplicate keys are items too, for the caller to report together)."""
    library = parse_string(
        text,
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    items: list[tuple[dict[str, Any], int | None]] = []
    problems: list[Diagnostic] = []
    for block in library.blocks:
        line = block.start_line + 1 if block.start_line is not None else None
        if isinstance(block, model.Entry):
            items.append((_csl(block), line))
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            items.append(({"id": block.key, "type": "document"}, line))
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(
                Diagnostic(path, line, f"this BibTeX entry cannot be read: {block.error}")
            )
    items.sort(key=lambda item: item[1] or 0)
    return items, problems


def latex_text(value: str) -> str:
    """A field's LaTeX as the text it prints: escapes decoded, protecting braces dropped."""
    if not re.search(r"[\\{}$~%-]|``|''", value):
        return value
    return re.sub(r"\s+", " ", _LATEX.latex_to_text(value)).strip()


def _csl(entry: model.Entry) -> dict[str, Any]:
    fields = {field.key.lower(): field.value for field in entry.fields}
    kind = entry.entry_type.lower()
    item: dict[str, Any] = {"id": entry.key, "type": TYPES.get(kind, "document")}
    if kind in ("phdthesis", "mastersthesis"):
        item["genre"] = "PhD thesis" if kind == "phdthesis" else "Master's thesis"
    for name, csl in _TEXT_FIELDS.items():
        value = fields.get(name)
        if isinstance(value, str) and value.strip() and csl not in item:
            item[csl] = latex_text(value)
    number = fields.get("number")
    if isinstance(number, str) and number.strip():
        item["issue" if kind == "article" else "number"] = latex_text(number)
    for name, csl in _VERBATIM_FIELDS.items():
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            item[csl] = value.strip()
    for name, csl in _NAME_FIELDS.items():
        value = fields.get(name)
        if isinstance(value, list) and value:
            item[csl] = [_name(person) for person in value]
    issued = _issued(fields)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    accessed = _date_parts(fields.get("urldate"))
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item


def _name(person: Any) -> dict[str, str]:
    if isinstance(person, middlewares.NameParts):
        given = latex_text(" ".join(person.first))
        family = latex_text(" ".join(person.last))
        if not given and not person.von and len(person.last) == 1 and person.last[0][:1] == "{":
            return {"literal": family}  # {World Health Organization}: a name not to split
        name = {"family": family}
        if given:
            name["given"] = given
        if person.von:
            name["non-dropping-particle"] = latex_text(" ".join(person.von))
        if person.jr:
            name["suffix"] = latex_text(" ".join(person.jr))
        return name
    return {"literal": latex_text(str(person))}


def _issued(fields: dict[str, Any]) -> list[int] | None:
    parts = _date_parts(fields.get("date"))
    if parts:
        return parts
    year = fields.get("year")
    if not isinstance(year, str) or not re.fullmatch(r"\s*\d{4}\s*", year):
        return None
    result = [int(year)]
    month = fields.get("month")
    if isinstance(month, str):
        token = month.strip().lower().rstrip(".")
        number = _MONTHS.get(token) or (int(token) if token.isdigit() else None)
        if number and 1 <= number <= 12:
            result.append(number)
    return result


def _date_parts(value: Any) -> list[int] | None:
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())  # a range (2006/2007) gives its start
    if not match:
        return None
    return [int(part) for part in match.groups() if part]
