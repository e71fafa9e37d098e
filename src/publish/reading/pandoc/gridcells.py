"""The cells of a pandoc grid table, with the rows and columns each one spans.

Pandoc 3 reads a grid table as a grid of ``+`` corners: a cell is the smallest rectangle whose
four sides are drawn (``-``, ``=`` or ``:`` across, ``|`` down, ``+`` where lines meet), so a
cell whose side is missing a ``+`` or a rule spans the columns or rows it covers. This is the
scan docutils uses for reStructuredText's grid tables, which pandoc's reads as well: from each
corner, right along the top, down the right side, back along the bottom and up the left.
"""

from __future__ import annotations

from dataclasses import dataclass

_ACROSS = frozenset("-=:+")
_DOWN = frozenset("|+")


@dataclass(frozen=True)
class Cell:
    top: int  # line of its top rule
    left: int  # column of its left side
    bottom: int
    right: int
    lines: tuple[str, ...]  # its text, without the sides

    def span(self, bounds: list[int], start: int, end: int) -> int:
        return sum(1 for b in bounds if start <= b < end)


@dataclass(frozen=True)
class Grid:
    cells: tuple[Cell, ...]
    rows: tuple[int, ...]  # the lines of the rules between rows, first and last included
    columns: tuple[int, ...]  # the columns of the sides between columns, first and last included

    def row_of(self, cell: Cell) -> int:
        return self.rows.index(cell.top)

    def rowspan(self, cell: Cell) -> int:
        return cell.span(list(self.rows), cell.top, cell.bottom)

    def colspan(self, cell: Cell) -> int:
        return cell.span(list(self.columns), cell.left, cell.right)


def read_grid(lines: list[str]) -> Grid | None:
    """The cells of the table drawn by ``lines``; ``None`` when the drawing is not a grid (a
    side that never meets a corner, text outside every cell)."""
    width = max(len(line) for line in lines)
    text = [line.ljust(width) for line in lines]
    bottom, right = len(text) - 1, _last_corner(text)
    if text[0][0] != "+" or text[bottom][0] != "+" or right <= 0:
        return None
    cells: list[Cell] = []
    corners = [(0, 0)]
    # For each column, the line down to which cells found so far cover it (docutils' "done"):
    # a corner above that line lies on the side of a cell that spans past it.
    done = [-1] * (right + 1)
    while corners:
        top, left = corners.pop(0)
        if top == bottom or left == right or top < done[left]:
            continue
        found = _scan_cell(text, top, left) if text[top][left] == "+" else None
        if found is None:
            continue  # a corner on a side that goes on: the hole, if any, is found below
        cell_bottom, cell_right = found
        cells.append(
            Cell(
                top,
                left,
                cell_bottom,
                cell_right,
                tuple(line[left + 1 : cell_right] for line in text[top + 1 : cell_bottom]),
            )
        )
        for column in range(left, cell_right):
            done[column] = cell_bottom
        corners = sorted({*corners, (top, cell_right), (cell_bottom, left)})
    covered = sum((c.bottom - c.top) * (c.right - c.left) for c in cells)
    if covered != bottom * right:
        return None  # cells overlap or leave a hole: not a grid pandoc would read
    rows = sorted({c.top for c in cells} | {c.bottom for c in cells})
    columns = sorted({c.left for c in cells} | {c.right for c in cells})
    ordered = sorted(cells, key=lambda c: (c.top, c.left))
    return Grid(tuple(ordered), tuple(rows), tuple(columns))


def _last_corner(text: list[str]) -> int:
    return text[0].rstrip().rfind("+")


def _scan_cell(text: list[str], top: int, left: int) -> tuple[int, int] | None:
    """The bottom line and right column of the cell whose top-left corner is given."""
    line = text[top]
    for right in range(left + 1, len(line)):
        char = line[right]
        if char not in _ACROSS:
            return None
        if char == "+":
            bottom = _scan_down(text, top, left, right)
            if bottom is not None:
                return bottom, right
    return None


def _scan_down(text: list[str], top: int, left: int, right: int) -> int | None:
    for bottom in range(top + 1, len(text)):
        char = text[bottom][right]
        if char not in _DOWN:
            return None
        if char == "+" and _closes(text, top, left, bottom, right):
            return bottom
    return None


def _closes(text: list[str], top: int, left: int, bottom: int, right: int) -> bool:
    """The bottom side runs back to the left corner and the left side up to the top."""
    if text[bottom][left] != "+":
        return False
    if any(char not in _ACROSS for char in text[bottom][left + 1 : right]):
        return False
    return all(text[row][left] in _DOWN for row in range(top + 1, bottom))
