"""Pandoc's simple, multiline and grid tables, with column widths as pandoc computes them.

Pipe tables are Python-Markdown's own (``tables``); ``captions`` adds their captions and widths.
The three kinds here are block processors: a multiline table's rows are separated by blank
lines, so a table may take several of the blocks Python-Markdown splits the text into.

Widths follow pandoc's Markdown reader (relative to 72 columns, pandoc's default line width,
or to the table's own width when it is wider) and pandoc's HTML writer (``<col>`` widths in
whole per cent, rounded down; the table's own width when the columns do not fill the line).
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.blockprocessors import BlockProcessor

from publish.reading.pandoc.gridcells import read_grid

LINE_WIDTH = 72
_DASHES = re.compile(r"-+")
_GROUPS = re.compile(r" *-+(?: +-+)+ *$")  # two columns or more
_FULL_RULE = re.compile(r" *-{3,} *$")
_GRID_RULE = re.compile(r"\+(?:[-=:]+\+)+ *$")
_GRID_ROW = re.compile(r"[|+].*[|+] *$")


@dataclass(frozen=True)
class Column:
    start: int
    end: int  # where the next column starts (or the line ends)
    dashes: int


def columns_of(rule: str) -> list[Column]:
    groups = list(_DASHES.finditer(rule))
    return [
        Column(
            g.start(), groups[i + 1].start() if i + 1 < len(groups) else 1_000_000, len(g.group())
        )
        for i, g in enumerate(groups)
    ]


def cells(line: str, columns: list[Column]) -> list[str]:
    # A cell starts where its column's dashes start: text that overhangs to the left belongs to
    # the column before, as in pandoc.
    return [line[c.start : c.end] for c in columns]


def alignment(header_lines: list[str], columns: list[Column]) -> list[str | None]:
    """Pandoc's rule: text flush with the dashes on one side only is aligned to that side;
    overhanging both, centred; flush with both, the default."""
    aligns: list[str | None] = []
    for index, column in enumerate(columns):
        pieces = [cells(line, columns)[index].rstrip() for line in header_lines]
        pieces = [p for p in pieces if p]
        if not pieces:
            aligns.append(None)
            continue
        shortest = min(pieces, key=len)
        left = shortest[0] == " "
        right = len(shortest) < column.dashes
        aligns.append(
            {(True, False): "right", (False, True): "left", (True, True): "center"}.get(
                (left, right)
            )
        )
    return aligns


def fractions(lengths: list[int], indent: int = 0) -> list[float]:
    total = sum(lengths) + indent
    return [length / max(total, LINE_WIDTH) for length in lengths]


def add_widths(table: etree.Element, widths: list[float]) -> None:
    colgroup = etree.Element("colgroup")
    for width in widths:
        etree.SubElement(colgroup, "col", {"style": f"width: {int(100 * width)}%"})
    table.insert(0, colgroup)
    total = sum(widths)
    if total < 0.995:
        table.set("style", f"width: {round(100 * total)}%")


def _cell(row: etree.Element, tag: str, align: str | None) -> etree.Element:
    cell = etree.SubElement(row, tag)
    if align:
        cell.set("style", f"text-align: {align};")
    return cell


class SimpleTableProcessor(BlockProcessor):
    """Simple tables (one line a row) and multiline tables (rows separated by blank lines,
    between two full-width rules)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        lines = block.split("\n")
        if _FULL_RULE.match(lines[0]):
            # A multiline table: a full-width rule, the header, the columns' rule. A lone rule
            # followed by text is a horizontal rule and a paragraph.
            return any(_GROUPS.match(line) for line in lines[2:])
        if len(lines) >= 3 and _GROUPS.match(lines[0]):
            return bool(_GROUPS.match(lines[-1]))  # a table without header, between rules
        return len(lines) >= 3 and bool(_GROUPS.match(lines[1])) and bool(lines[0].strip())

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        lines = blocks[0].split("\n")
        if _FULL_RULE.match(lines[0]) and not _GROUPS.match(lines[0]):
            return self._multiline(parent, blocks)
        if _GROUPS.match(lines[0]):
            return self._headerless(parent, blocks)
        columns = columns_of(lines[1])
        table = etree.SubElement(parent, "table")
        aligns = alignment([lines[0]], columns)
        head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
        for text, align in zip(cells(lines[0], columns), aligns, strict=True):
            _cell(head, "th", align).text = text.strip()
        body = etree.SubElement(table, "tbody")
        for line in lines[2:]:
            if _GROUPS.match(line) or _FULL_RULE.match(line):
                continue
            row = etree.SubElement(body, "tr")
            for text, align in zip(cells(line, columns), aligns, strict=True):
                _cell(row, "td", align).text = text.strip()
        del blocks[0]
        return True

    def _headerless(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        lines = blocks[0].split("\n")
        if len(lines) < 3 or not (_GROUPS.match(lines[-1]) or _FULL_RULE.match(lines[-1])):
            return False
        columns = columns_of(lines[0])
        aligns = alignment(lines[1:2], columns)
        table = etree.SubElement(parent, "table")
        body = etree.SubElement(table, "tbody")
        for line in lines[1:-1]:
            row = etree.SubElement(body, "tr")
            for text, align in zip(cells(line, columns), aligns, strict=True):
                _cell(row, "td", align).text = text.strip()
        del blocks[0]
        return True

    def _multiline(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        # The table runs to the first block that ends with a full-width rule.
        taken = next(
            (
                index
                for index, block in enumerate(blocks)
                if (index or len(block.split("\n")) > 1)
                and _FULL_RULE.match(block.split("\n")[-1])
                and not _GROUPS.match(block.split("\n")[-1])
            ),
            None,
        )
        if taken is None:
            return False
        first = blocks[0].split("\n")
        rule_at = next((i for i, line in enumerate(first) if _GROUPS.match(line)), None)
        if rule_at is None:
            return False
        header = first[1:rule_at]
        columns = columns_of(first[rule_at])
        aligns = alignment(header, columns)
        rows: list[list[str]] = []
        for index in range(taken + 1):
            block_lines = blocks[index].split("\n")
            if index == 0:
                block_lines = block_lines[rule_at + 1 :]
            if index == taken:
                block_lines = block_lines[:-1]
            if block_lines:
                rows.append(block_lines)
        table = etree.SubElement(parent, "table")
        indent = len(first[rule_at]) - len(first[rule_at].lstrip(" "))
        lengths = [c.end - c.start for c in columns[:-1]] + [columns[-1].dashes + 1]
        add_widths(table, fractions(lengths, indent))
        if header:
            head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
            for index, align in enumerate(aligns):
                text = " ".join(cells(line, columns)[index].strip() for line in header)
                _cell(head, "th", align).text = " ".join(text.split())
        body = etree.SubElement(table, "tbody")
        for row_lines in rows:
            row = etree.SubElement(body, "tr")
            for index, align in enumerate(aligns):
                text = " ".join(cells(line, columns)[index].strip() for line in row_lines)
                _cell(row, "td", align).text = " ".join(text.split())
        del blocks[: taken + 1]
        return True


class GridTableProcessor(BlockProcessor):
    """Grid tables: ``+---+`` rules, ``|`` between cells, ``+===+`` under the header; a cell
    holds blocks (paragraphs, lists), parsed as Markdown in their own right."""

    def test(self, parent: etree.Element, block: str) -> bool:
        lines = block.split("\n")
        return (
            len(lines) >= 3
            and bool(_GRID_RULE.match(lines[0]))
            and bool(_GRID_RULE.match(lines[-1]))
            and all(_GRID_ROW.match(line) for line in lines)
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        lines = [line.rstrip() for line in blocks[0].split("\n")]
        grid = read_grid(lines)
        if grid is None:
            return False  # not a grid pandoc reads: left as text (the safety net names it)
        bounds = list(grid.columns)
        header_rule = next(
            (i for i, line in enumerate(lines) if "=" in line and _GRID_RULE.match(line)), None
        )
        rule = lines[header_rule if header_rule is not None else 0].ljust(bounds[-1] + 1)
        aligns = [
            _grid_alignment(rule[a + 1 : b].strip("+")) for a, b in itertools.pairwise(bounds)
        ]
        del blocks[0]
        table = etree.SubElement(parent, "table")
        add_widths(table, fractions([b - a for a, b in itertools.pairwise(bounds)]))
        head = etree.SubElement(table, "thead") if header_rule is not None else None
        body = etree.SubElement(table, "tbody")
        rows: dict[int, etree.Element] = {}
        for cell in grid.cells:  # in reading order: by row, then by column
            in_head = head is not None and header_rule is not None and cell.top < header_rule
            if cell.top not in rows:
                rows[cell.top] = etree.SubElement(
                    head if in_head and head is not None else body, "tr"
                )
            column = bounds.index(cell.left)
            element = _cell(rows[cell.top], "th" if in_head else "td", aligns[column])
            for name, span in (("rowspan", grid.rowspan(cell)), ("colspan", grid.colspan(cell))):
                if span > 1:
                    element.set(name, str(span))
            self.parser.parseChunk(element, _dedent([line.rstrip() for line in cell.lines]))
            _unwrap_single_paragraph(element)
        return True


def _grid_alignment(rule: str) -> str | None:
    left, right = rule.startswith(":"), rule.endswith(":")
    return {(True, False): "left", (False, True): "right", (True, True): "center"}.get(
        (left, right)
    )


def _dedent(lines: list[str]) -> str:
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip("\n")


def _unwrap_single_paragraph(cell: etree.Element) -> None:
    """A cell of one paragraph holds its text directly, as pandoc writes it."""
    if len(cell) == 1 and cell[0].tag == "p" and not (cell.text or "").strip():
        paragraph = cell[0]
        cell.text = paragraph.text
        for child in list(paragraph):
            cell.append(child)
        cell.remove(paragraph)


def register(md: markdown.Markdown) -> None:
    # Before hr (50), setext headings (60) and pipe tables (75), which would each read a rule.
    md.parser.blockprocessors.register(GridTableProcessor(md.parser), "pandoc_grid_table", 78)
    md.parser.blockprocessors.register(SimpleTableProcessor(md.parser), "pandoc_simple_table", 77)
