"""Read a manuscript file once and return the finished ``Book``: the only module that reads it."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import lxml.html
from lxml import etree

from publish import xhtml
from publish.errors import DiagnosticCollector, PublishError
from publish.labels import LABELS
from publish.locate import SourceLocator
from publish.model import Book, Footnote, Section, TocEntry
from publish.parts import OPENING
from publish.reading import (
    crossref,
    figures,
    footnotes,
    ids,
    limits,
    links,
    markup,
    nesting,
    numbering,
    structure,
)
from publish.reading.bibliography import Bibliography, load_bibliography
from publish.reading.budgets import OverBudget
from publish.reading.characters import NONCHARACTER, describe
from publish.reading.citations import Citations, placement
from publish.reading.citations.options import citation_options
from publish.reading.footnote_labels import warn_about_redefined_notes
from publish.reading.frontmatter import FrontMatter, split_front_matter
from publish.reading.long_words import break_long_runs
from publish.reading.metadata import DEFAULT_LANG, parse_metadata, summary_key
from publish.reading.richtext import RichText
from publish.safety.untrusted import HtmlGuard

# Far beyond any book (the 5 MB test manuscript is a 3,000-page one); bounds memory and time.
MAX_MANUSCRIPT_BYTES = 64_000_000
# C0 controls other than tab, line feed and carriage return, DEL and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLOCK_SCALAR = re.compile(r":[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


def read_manuscript(path: Path, report: DiagnosticCollector | None = None) -> Book:
    """Read, validate and convert ``path``; raise ``PublishError`` naming file and line.

    Warnings (and, before raising, errors) are added to ``report`` when one is given.
    """
    path = Path(path)
    text = decode(path)
    if not text.strip():
        raise PublishError.at(
            path,
            1,
            "the manuscript is empty: start it with front matter (title, date, disclaimer, "
            "summary between two '---' lines), then sections under '# Title' headings",
        )
    report = report if report is not None else DiagnosticCollector()
    front, decided = structure.titled(split_front_matter(text, path))
    limits.check_values(
        front.values, front.key_lines, path, markdown=("disclaimer", summary_key(front.values))
    )
    metadata = parse_metadata(front, path, report)
    labels = metadata.labels if metadata else LABELS  # the words of the book's language

    guard = HtmlGuard(path, report)
    # Reading order: disclaimer, summary, body. Citations are numbered in that order.
    citations = Citations(
        path,
        _bibliography(path, front, report),
        report,
        replace(
            citation_options(path, front, report),
            lang=metadata.lang if metadata else DEFAULT_LANG,
            default_title=labels.references,
        ),
    )
    rich = RichText(path, report)  # math, raw TeX and raw content, highlighted code
    quotes = (labels.quote_open, labels.quote_close)
    front_converter = markup.new_converter(
        with_heading_ids=False, extra=[citations.extension(), rich.extension()], quotes=quotes
    )
    # Each value has its own locator: a finding about the summary names a line of the summary,
    # even when the title before it holds the same words.
    summary_source = summary_key(front.values)  # summary, or pandoc's abstract, ...
    locators = {key: _value_locator(text, front, key) for key in ("disclaimer", summary_source)}

    def front_tree(key: str) -> lxml.html.HtmlElement:
        value = front.values.get(key)
        value_text = value if isinstance(value, str) else ""
        start = _value_start(text, front.key_lines.get(key))
        citations.starting_at(*start)
        rich.starting_at(*start)
        root = _converted(
            path,
            value_text,
            start[0],
            lambda: markup.markdown_to_tree(
                front_converter,
                value_text,
                lambda html: guard.clean(front_converter, html, locators[key]),
                lambda html, tree: _parsed_whole(html, tree, path, value_text, start[0]),
            ),
        )
        rich.finish(root)
        markup.make_figures(root)
        break_long_runs(root)
        return root

    disclaimer_tree = front_tree("disclaimer")
    disclaimer = xhtml.serialize_children(disclaimer_tree)
    summary_tree = front_tree(summary_source)

    body_converter = markup.new_converter(
        extra=[citations.extension(), rich.extension()], quotes=quotes
    )
    body_locator = SourceLocator(front.body, front.body_first_line)
    citations.starting_at(front.body_first_line)
    body_text = placement.mark_refs_div(front.body)
    rich.starting_at(front.body_first_line)
    root = _converted(
        path,
        body_text,
        front.body_first_line,
        lambda: markup.markdown_to_tree(
            body_converter,
            body_text,
            lambda html: guard.clean(body_converter, html, body_locator),
            lambda html, tree: _parsed_whole(html, tree, path, front.body, front.body_first_line),
        ),
    )
    rich.finish(root)
    markup.make_figures(root)
    break_long_runs(root)
    shift = structure.apply(root, decided)
    notes = footnotes.take_notes(root)
    warn_about_redefined_notes(front.body, front.body_first_line, path, report)
    preamble, raw_sections = markup.split_sections(root)
    section_lines = _heading_lines(front.body, front.body_first_line, level=1 - shift)
    opening = tuple(preamble) if any(_has_content(block) for block in preamble) else ()
    # The author's place for the list: a section of theirs the list goes into, when there is one.
    receiving = placement.find_placement(raw_sections, citations.options.section_title)

    if not raw_sections and not opening:
        report.error(
            path,
            front.body_first_line,
            "the manuscript has no text after its front matter: write the body below the "
            "closing '---'",
        )
    for index, raw in enumerate(raw_sections):
        loose_text = any((e.tail or "").strip() for e in (raw.heading, *raw.blocks))
        if receiving and receiving[0] == index:
            continue  # its list comes
        if not loose_text and not any(_has_content(block) for block in raw.blocks):
            line = section_lines[index] if index < len(section_lines) else None
            report.warning(path, line, f"section '{markup.plain_text(raw.heading)}' is empty")
    # Ids and links, on the finished trees: every part in reading order, the notes last.
    parts = [
        links.Part(disclaimer_tree, locators["disclaimer"]),
        links.Part(summary_tree, locators[summary_source]),
        links.Part(root, body_locator),
        *(links.Part(block, body_locator) for note in notes.values() for block in note.content),
    ]
    titles = {raw.heading.get("id") or "": markup.plain_text(raw.heading) for raw in raw_sections}
    for part in parts:
        for value in figures.image_sizes(part.root):
            report.warning(
                path,
                part.locator.line(value),
                f"the image size '{value}' is neither pixels (300) nor a CSS length (50%, "
                "8cm): it is left out",
            )
    cross_references = crossref.number((p.root for p in parts), labels)
    owned, book_elements = footnotes.book_ids(root, notes)
    settled = ids.settle_ids(
        [(p.root, p.locator) for p in parts], titles, path, report, owned, book_elements
    )
    crossref.resolve(cross_references, [(p.root, p.locator) for p in parts], path, report, labels)
    references = citations.references_section(
        {str(el.get("id")) for part in parts for el in part.root.iter() if el.get("id")},
        receiving[1] if receiving else None,
    )
    targets = {str(el.get("id")) for part in parts for el in part.root.iter() if el.get("id")}
    targets |= set(notes) | ids.linkable_book_ids(metadata is None or metadata.toc)
    if references is not None:
        targets |= set(re.findall(r'\sid="([^"]+)"', references.html))
    links.check_links(parts, targets, settled, path, report)

    report.raise_if_errors()
    assert metadata is not None  # parse_metadata returns None only after reporting an error
    if metadata.number_sections:
        numbering.number_headings(raw_sections)
    section_notes = footnotes.number_calls(
        [opening, *((raw.heading, *raw.blocks) for raw in raw_sections)],
        notes,
        path,
        report,
        front.body,
        front.body_first_line,
    )
    sections = tuple(
        replace(_section(raw, path, line), notes=own)
        for raw, own, line in zip(
            raw_sections,
            section_notes[1:],
            _section_lines(section_lines, len(raw_sections)),
            strict=True,
        )
    )
    limits.check_serialised(disclaimer_tree, disclaimer, path, front.key_lines.get("disclaimer"))
    if references is not None and receiving is not None:
        at = receiving[0]  # the author's section becomes the list, where they put it
        sections = (*sections[:at], references, *sections[at + 1 :])
    elif references is not None:
        sections += (references,)
    if opening:
        sections = (_opening_section(opening, metadata.title, section_notes[0]), *sections)
    return Book(
        source=path,
        metadata=metadata,
        disclaimer_html=disclaimer,
        summary_html=xhtml.serialize_children(summary_tree),
        summary_text=markup.plain_text(summary_tree),
        sections=sections,
        resources=tuple(guard.images),
    )


def _bibliography(
    path: Path, front: FrontMatter, report: DiagnosticCollector
) -> Bibliography | None:
    value = front.values.get("bibliography")
    if not isinstance(value, str) or not value.strip():
        return None  # absent; a value of the wrong kind is reported by parse_metadata
    try:
        return load_bibliography(path, value.strip(), front.key_lines.get("bibliography"))
    except PublishError as exc:
        report.items.extend(exc.diagnostics)
        report.raise_if_errors()
        raise


def _value_locator(text: str, front: FrontMatter, key: str) -> SourceLocator:
    """A locator over the lines of one front-matter value: from its key to the next key."""
    start = front.key_lines.get(key)
    if start is None:
        return SourceLocator("", 1)
    later = [line for line in front.key_lines.values() if line > start]
    end = min(later) if later else front.body_first_line - 1  # the closing '---' line
    return SourceLocator("\n".join(text.split("\n")[start - 1 : end - 1]), start)


def _value_start(text: str, key_line: int | None) -> tuple[int, int | None]:
    """Where a front-matter value's text starts in the file: line, and indentation when known.

    A ``|`` or ``>`` block starts on the next line, its lines indented alike; other values start
    on the key's line, at a column YAML's quoting and folding make uncertain.
    """
    lines = text.split("\n")
    if key_line is None or key_line >= len(lines):
        return 1, None
    if not _BLOCK_SCALAR.search(lines[key_line - 1]):
        return key_line, None
    following = lines[key_line]
    return key_line + 1, len(following) - len(following.lstrip(" "))


def _read_regular_file(path: Path) -> bytes:
    """The file's bytes. A device (``/dev/zero``) never ends and a pipe blocks on opening, so
    anything but a regular file is refused before it is opened."""
    status = path.stat()
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(status.st_mode):
        raise PublishError.at(path, None, "is not a regular file: name the manuscript's .md file")
    if status.st_size > MAX_MANUSCRIPT_BYTES:
        raise PublishError.at(
            path,
            None,
            f"is {status.st_size // 1_000_000} MB; a manuscript over "
            f"{MAX_MANUSCRIPT_BYTES // 1_000_000} MB is refused: split the book",
        )
    return path.read_bytes()


def decode(path: Path) -> str:
    """The manuscript as text with LF line ends; invalid UTF-8 and control bytes are errors."""
    try:
        data = _read_regular_file(path)
    except FileNotFoundError:
        raise PublishError.at(path, None, "no such manuscript file") from None
    except IsADirectoryError:
        raise PublishError.at(path, None, "is a folder, not a manuscript file") from None
    except OSError as exc:
        raise PublishError.at(path, None, f"cannot read the manuscript: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark carries no meaning in UTF-8; editors add it silently
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PublishError.at(
            path,
            line,
            f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file as UTF-8",
            column=column,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    noncharacter = NONCHARACTER.search(text)
    if noncharacter:
        line, column = _line_and_column(text, noncharacter.start())
        raise PublishError.at(
            path,
            line,
            f"{describe(noncharacter.group())} is never text and not allowed in a manuscript: "
            "delete it (most editors do not show it)",
            column=column,
        )
    found = _CONTROL.search(text)
    if found:
        line, column = _line_and_column(text, found.start())
        raise PublishError.at(
            path,
            line,
            f"control character U+{ord(found.group()):04X} is not allowed in a manuscript: "
            "delete it (most editors do not show it)",
            column=column,
        )
    return text


def _converted(
    path: Path, text: str, first_line: int, convert: Callable[[], lxml.html.HtmlElement]
) -> lxml.html.HtmlElement:
    """``convert()`` of ``text``, unless it nests too deep to convert safely (see ``nesting``)."""
    deep = nesting.too_deep(text, first_line)
    if deep is not None:
        raise PublishError.at(path, deep.line, deep.message)
    limits.check_source_blocks(text, first_line, path)
    try:
        return convert()
    except OverBudget as exc:
        raise PublishError.at(
            path, exc.line_in(text, first_line) or first_line, exc.message
        ) from None
    except RecursionError:
        raise PublishError.at(
            path,
            nesting.likely_culprit(text, first_line),
            "the text here nests too deep for Markdown to read (a long run of '*', '_' or "
            "brackets?): simplify it",
        ) from None


def _section(raw: markup.RawSection, path: Path, line: int | None) -> Section:
    toc = markup.toc_of(raw)
    elements = (raw.heading, *raw.blocks)
    html = "".join(xhtml.to_xhtml(e) for e in elements)
    limits.check_serialised(elements, html, path, line)
    return Section(anchor=toc.anchor, title=toc.title, html=html, toc=toc)


def _section_lines(h1_lines: list[int], count: int) -> list[int | None]:
    return [h1_lines[i] if i < len(h1_lines) else None for i in range(count)]


def _parsed_whole(
    html: str,
    tree: lxml.html.HtmlElement,
    path: Path,
    source: str,
    first_line: int,
) -> None:
    """Nothing the HTML parser was given may be missing from its tree (see ``limits``)."""
    limits.check_tree(tree, path, source, first_line)
    limits.check_text_kept(html, tree, path, first_line)


def _opening_section(
    blocks: tuple[etree._Element, ...], book_title: str, notes: tuple[Footnote, ...]
) -> Section:
    """The text before the first heading: the opening of the body, untitled, not in the
    contents (as pandoc prints it). Its documents are named after the book."""
    html = "".join(xhtml.to_xhtml(e) for e in blocks)
    toc = TocEntry(book_title, OPENING, 1)
    return Section(OPENING, book_title, html, toc, notes=notes, listed=False)


def _has_content(block: etree._Element) -> bool:
    return bool(markup.plain_text(block)) or any(True for _ in block.iter("img", "table"))


def _heading_lines(body: str, first_line: int, *, level: int) -> list[int]:
    """File lines of the headings that begin sections, for messages about sections."""
    return [h.line for h in structure.source_headings(body, first_line) if h.level == level]


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
