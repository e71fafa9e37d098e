"""Render the pages a designer checks to PNG: `python tools/proof.py BOOK.pdf build/proof`.

The pages are chosen from the PDF itself, so a different manuscript gets its own proof: the
title page; the first page of the disclaimer, the summary and the contents (their named
destinations); the first body page; the References; the first page holding a figure, a table, a list and a
footnote (from the tagged structure tree and the notes' destinations); and the last page.
Each page is written as `p<label>-<why>.png` at 100 dpi, next to a `proof.txt` that lists them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf

FRONT_PARTS = ("disclaimer", "summary", "contents")
RESOLUTION = "100"


def _destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Named destination → page index."""
    pages: dict[object, int] = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: dict[str, int] = {}
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return found
    tree = pikepdf.NameTree(names.Dests)
    for name, target in tree.items():
        array = target.D if isinstance(target, pikepdf.Dictionary) else target
        found[str(name)] = pages.get(array[0].objgen, -1)
    return found


def _first_page_with(pdf: pikepdf.Pdf, roles: set[str]) -> dict[str, int]:
    pages: dict[object, int] = {page.objgen: index for index, page in enumerate(pdf.pages)}
    first: dict[str, int] = {}
    if "/StructTreeRoot" not in pdf.Root:
        return first

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            role = str(node.S)[1:]
            if role in roles and role not in first and "/Pg" in node:
                first[role] = pages.get(node.Pg.objgen, -1)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return first


def chosen_pages(path: Path) -> list[tuple[int, str]]:
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        labels = [str(pikepdf.Page(page).label) for page in pdf.pages]
        dests = _destinations(pdf)
        structure = _first_page_with(pdf, {"Figure", "Table", "L"})
    picks: dict[int, list[str]] = {0: ["title"]}
    for part in FRONT_PARTS:
        if part in dests:
            picks.setdefault(dests[part], []).append(part)
    if "body-matter" in dests:
        picks.setdefault(dests["body-matter"], []).append("body")
    if "references" in dests:
        picks.setdefault(dests["references"], []).append("references")
    for role, why in (("Figure", "figure"), ("Table", "table"), ("L", "list")):
        if role in structure:
            picks.setdefault(structure[role], []).append(why)
    notes = sorted(index for name, index in dests.items() if re.match(r"fn-", name))
    if notes:
        picks.setdefault(notes[0], []).append("footnote")
    picks.setdefault(count - 1, []).append("last")
    return [
        (index, f"p{labels[index]}-{'-'.join(why)}")
        for index, why in sorted(picks.items())
        if 0 <= index < count
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    pdf, out = Path(argv[1]), Path(argv[2])
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is needed (Debian: poppler-utils)", file=sys.stderr)
        return 1
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lines = []
    for index, name in chosen_pages(pdf):
        number = str(index + 1)
        page = ["-f", number, "-l", number, "-singlefile"]
        subprocess.run(
            ["pdftoppm", "-png", "-r", RESOLUTION, *page, str(pdf), str(out / name)], check=True
        )
        lines.append(f"{name}.png\tpage {number} of the PDF")
    (out / "proof.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(str(out / line.split("\t")[0]) for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
