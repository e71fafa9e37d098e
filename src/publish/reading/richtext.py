"""Math, raw TeX, raw attribute content and highlighted code: what pandoc's Markdown adds to prose.

One object per manuscript, as for citations: its Python-Markdown extension turns formulas,
references and TeX commands into tokens before Markdown reads the text (so ``_`` and ``*`` in a
formula are never taken for emphasis), tokens become placeholder spans, and ``finish`` makes
them MathML, links and page breaks once the HTML is sanitised. The placeholders are plain spans
the sanitiser keeps; the MathML is ours, made from TeX, so no author-written MathML is let in.

Two preprocessing passes keep the line numbers right for the citations extension between them:
the first (before citations) only makes one-line replacements (``\\cite``, ``\\ref``);
the second (after) turns formulas into tokens, which may join lines.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree
from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from publish.errors import DiagnosticCollector
from publish.reading import cells, code, rawblocks, rawtex
from publish.reading.math import equations
from publish.reading.math.delimiters import Escape, Found, find_math
from publish.reading.math.mathml import TexError, to_mathml
from publish.reading.scan import CodeRanges

_TOKEN = re.compile("\ufdd2([0-9]+)\ufdd3")
ATTRIBUTE = "data-rich"


@dataclass(frozen=True)
class Item:
    """What a token stands for: ``kind`` is formula, eqref, ref, pagebreak, html (a TeX
    command's meaning as markup, in ``html``) or warning (a command printed as typed, with the
    message in ``html``). A token that lands in code goes back to ``source``: the first two
    kinds say nothing there, so a TeX example in an indented code block stays as typed."""

    kind: str
    source: str
    line: int
    column: int | None
    tex: str = ""
    display: bool = False
    label: str | None = None
    style: str = ""
    html: str = ""


class RichText:
    def __init__(self, manuscript: Path, report: DiagnosticCollector) -> None:
        self.manuscript = manuscript
        self.report = report
        self.items: list[Item] = []
        self.numbers = equations.EquationNumbers()
        self.first_line = 1
        self.indent: int | None = 0
        self.shifted_lines: set[int] = set()  # lines whose columns raw spans have changed

    def extension(self) -> Extension:
        return _RichTextExtension(self)

    def starting_at(self, first_line: int, indent: int | None = 0) -> RichText:
        self.first_line, self.indent = first_line, indent
        return self

    def warn(self, line: int, column: int | None, message: str, rule: str = "raw-tex") -> None:
        if column is not None and self.indent is not None and line not in self.shifted_lines:
            column += self.indent
        else:
            column = None
        self.report.warning(self.manuscript, line, message, column=column, rule=rule)

    # Preprocessing.

    def raw_blocks(self, lines: list[str]) -> list[str]:
        lines = rawblocks.take_raw_blocks(
            lines,
            self.first_line,
            lambda ln, col, msg: self.warn(ln, col, msg, "raw-content"),
            self.shifted_lines,
        )
        return cells.rewrite(
            lines, self.first_line, lambda ln, col, msg: self.warn(ln, col, msg, "cell")
        )

    def references(self, lines: list[str]) -> list[str]:
        """``\\cite`` and ``\\ref`` on their lines; the line count does not change. (``@eq:``
        is a cross-reference as ``@fig:`` is: ``reading.crossref``.)"""
        text = "\n".join(lines)
        if "\\" not in text:
            return lines
        where = _Where(text, self.first_line)
        code_ranges = CodeRanges(text)
        math = [f for f in find_math(text, code_ranges) if isinstance(f, Found)]
        skip = [(f.start, f.end) for f in math]
        edits: list[tuple[int, int, str]] = []
        for command in rawtex.find_commands(text, code_ranges, skip):
            if command.argument is None:
                continue
            if command.name in rawtex.CITE_PARENTHETICAL | rawtex.CITE_IN_TEXT:
                cited = rawtex.citation_markdown(command)
                if cited is not None:
                    edits.append((command.start, command.end, cited))
            elif command.name in rawtex.REFERENCES:
                line, column = where.of(command.start)
                source = text[command.start : command.end]
                item = Item("ref", source, line, column, label=command.argument.strip(),
                            style=command.name)  # fmt: skip
                edits.append((command.start, command.end, self._token(item)))
        return _apply(text, edits).split("\n")

    def formulas_and_commands(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "$" not in text and "\\" not in text:
            return lines
        where = _Where(text, self.first_line)
        code_ranges = CodeRanges(text)
        edits: list[tuple[int, int, str]] = []
        skip: list[tuple[int, int]] = []
        for found in find_math(text, code_ranges):
            if isinstance(found, Escape):
                edits.append((found.start, found.end, "&#36;"))
                continue
            skip.append((found.start, found.end))
            line, column = where.of(found.tex_start)
            number = self.numbers.number(found.label) if found.label else None
            if found.label and number is None:
                self.warn(line, column, f"the label {{#{found.label}}} is used twice", "math")
            item = Item("formula", text[found.start : found.end], line, column, found.tex,
                        found.display, found.label if number else None)  # fmt: skip
            edits.append((found.start, found.end, self._token(item)))
        for command in rawtex.find_commands(text, code_ranges, skip):
            edits += self._command_edits(text, command, where)
        edits.sort()
        return _apply(text, edits).split("\n")

    def _command_edits(
        self, text: str, command: rawtex.Command, where: _Where
    ) -> list[tuple[int, int, str]]:
        line, column = where.of(command.start)
        if command.name in rawtex.PAGE_BREAKS:
            item = Item("pagebreak", text[command.start : command.end], line, column)
            return [(command.start, command.end, self._token(item))]
        source = text[command.start : command.end]
        if command.name in rawtex.EMPHASIS and command.closing is not None:
            tag = rawtex.EMPHASIS[command.name]
            closing = Item("html", "}", line, column, html=f"</{tag}>")
            return [
                (command.start, command.end, self._token(Item("html", source, line, column,
                                                              html=f"<{tag}>"))),
                (command.closing, command.closing + 1, self._token(closing)),
            ]  # fmt: skip
        if command.name == "url" and command.argument:
            address = rawtex.url_html(command.argument.strip())
            return [(command.start, command.end, self._token(Item("html", source, line, column,
                                                                   html=address)))]  # fmt: skip
        message = (
            f"the TeX command \\{command.name} is printed as typed: publish knows "
            "\\newpage, \\emph, \\textbf, \\textit, \\url, \\ref, \\autoref and \\cite"
        )
        # Said only once the text is known to be prose: in code the command is an example.
        warning = Item("warning", "", line, column, html=message)
        return [(command.start, command.start, self._token(warning))]

    def _token(self, item: Item) -> str:
        self.items.append(item)
        return f"\ufdd2{len(self.items) - 1}\ufdd3"

    # After sanitising: placeholders become what they stand for.

    def finish(self, root: lxml.html.HtmlElement) -> None:
        placeholders = [e for e in root.iter("span") if e.get(ATTRIBUTE) is not None]
        for placeholder in placeholders:
            item = self.items[int(placeholder.attrib.pop(ATTRIBUTE))]
            if item.kind == "formula":
                self._formula(placeholder, item)
            elif item.kind == "pagebreak":
                _page_break(placeholder)
            else:
                self._reference(placeholder, item, root)
        code.finish(root)

    def _formula(self, placeholder: lxml.html.HtmlElement, item: Item) -> None:
        try:
            math = to_mathml(item.tex, display=item.display)
        except TexError as exc:
            line, column = _position_in(item, exc.offset)
            if column is not None and (self.indent is None or line in self.shifted_lines):
                column = None
            elif column is not None and line == item.line:
                column += self.indent or 0
            self.report.error(
                self.manuscript, line, f"the formula ${item.tex}$ cannot be set: {exc.message}",
                column=column, rule="math",
            )  # fmt: skip
            return
        placeholder.text = None
        placeholder.set("class", "math display" if item.display else "math inline")
        placeholder.append(math)
        if item.label:
            number = self.numbers.numbers[item.label]
            placeholder.set("id", item.label)
            placeholder.set("class", "math display equation")
            label = etree.SubElement(placeholder, "span")
            label.set("class", "equation-number")
            label.text = f"({number})"

    def _reference(
        self, placeholder: lxml.html.HtmlElement, item: Item, root: lxml.html.HtmlElement
    ) -> None:
        text = equations.reference_text(item.label or "", item.style, self.numbers)
        if text is None and item.label and not item.label.startswith("eq:"):
            target = next((e for e in root.iter() if e.get("id") == item.label), None)
            if target is not None and str(target.tag) in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = lxml.html.tostring(target, method="text", encoding="unicode").strip()
        if text is None:
            self.warn(item.line, item.column, f"{item.source} refers to nothing in the book: "
                      "no equation or heading has that label", "cross-reference")  # fmt: skip
            placeholder.text = item.source
            return
        placeholder.tag = "a"
        placeholder.set("href", f"#{item.label}")
        placeholder.set("class", "cross-reference")
        placeholder.text = text


def _position_in(item: Item, offset: int) -> tuple[int, int | None]:
    before = item.tex[:offset]
    newlines = before.count("\n")
    if newlines:
        return item.line + newlines, offset - before.rfind("\n")
    return item.line, None if item.column is None else item.column + offset


def _page_break(placeholder: lxml.html.HtmlElement) -> None:
    placeholder.text = None
    placeholder.set("class", "page-break")
    placeholder.set("aria-hidden", "true")
    parent = placeholder.getparent()
    alone = (
        parent is not None
        and parent.tag == "p"
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (placeholder.tail or "").strip()
    )
    if alone:
        parent.tag = "div"
        parent.set("class", "page-break")
        parent.set("aria-hidden", "true")
        parent.remove(placeholder)


class _Where:
    """Offsets in a text to file lines and 1-based columns."""

    def __init__(self, text: str, first_line: int) -> None:
        self.first_line = first_line
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def of(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.newlines, offset)
        line_start = self.newlines[index - 1] + 1 if index else 0
        return self.first_line + index, offset - line_start + 1


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(ranges, (offset, 1 << 62)) - 1
    return index >= 0 and ranges[index][0] <= offset < ranges[index][1]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    if not edits:
        return text
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits):
        if start < position:
            continue  # overlaps an earlier edit
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class _RawPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, rich: RichText, step: str) -> None:
        super().__init__(md)
        self.rich, self.step = rich, step

    def run(self, lines: list[str]) -> list[str]:
        if self.step == "raw":
            return self.rich.raw_blocks(lines)
        if self.step == "references":
            return self.rich.references(lines)
        return self.rich.formulas_and_commands(lines)


class _TokenPattern(InlineProcessor):
    def __init__(self, md: Markdown, rich: RichText) -> None:
        super().__init__(_TOKEN.pattern, md)
        self.rich = rich
        self.warned: set[int] = set()

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree._Element, int, int]:
        import xml.etree.ElementTree as ET

        item = self.rich.items[int(m.group(1))]
        if item.kind == "html":
            return self.md.htmlStash.store(item.html), m.start(0), m.end(0)  # type: ignore[return-value]
        if item.kind == "warning":
            if int(m.group(1)) not in self.warned:
                self.warned.add(int(m.group(1)))
                self.rich.warn(item.line, item.column, item.html)
            return "", m.start(0), m.end(0)  # type: ignore[return-value]
        placeholder = ET.Element("span")
        placeholder.set(ATTRIBUTE, m.group(1))
        placeholder.text = item.tex or item.source
        return placeholder, m.start(0), m.end(0)  # type: ignore[return-value]


class _RestorePostprocessor(Postprocessor):
    """Tokens no inline pattern reached (in an attribute, an image's alt text): the source."""

    def __init__(self, md: Markdown, rich: RichText) -> None:
        super().__init__(md)
        self.rich = rich

    def run(self, text: str) -> str:
        items = self.rich.items
        return _TOKEN.sub(lambda m: html.escape(items[int(m.group(1))].source), text)


class _RichTextExtension(Extension):
    def __init__(self, rich: RichText) -> None:
        super().__init__()
        self.rich = rich

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30); references before citations (28) read the text,
        # formulas after them and before fenced code (25) and raw HTML blocks (20).
        md.preprocessors.register(_RawPreprocessor(md, self.rich, "raw"), "raw_content", 29.5)
        md.preprocessors.register(_RawPreprocessor(md, self.rich, "references"), "tex_refs", 29)
        md.preprocessors.register(_RawPreprocessor(md, self.rich, "math"), "math", 27)
        md.inlinePatterns.register(_TokenPattern(md, self.rich), "rich_text", 186)
        md.postprocessors.register(_RestorePostprocessor(md, self.rich), "rich_text", 4)
