"""Save our book HTML (what WeasyPrint lays out for the PDF) for the bare WeasyPrint reference.

python bench/save_book_html.py MANUSCRIPT OUT.html
"""

from __future__ import annotations

import sys
from pathlib import Path

from publish.manuscript import read_manuscript
from publish.pdf import book_html


def main(manuscript: str, out: str) -> None:
    Path(out).write_text(book_html(read_manuscript(Path(manuscript))), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
