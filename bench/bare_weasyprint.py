"""The reference for WeasyPrint's own cost: lay out an HTML file with a stylesheet, write a PDF.

Nothing of ours runs here: the HTML is our book HTML saved beforehand, so the difference between
this and our build is everything we add (reading the manuscript, Markdown, templates, the EPUB).

    python bench/bare_weasyprint.py BOOK.html STYLESHEET.css OUT.pdf BASE_URL
"""

from __future__ import annotations

import sys

from weasyprint import CSS, HTML


def main(html: str, stylesheet: str, out: str, base_url: str) -> None:
    document = HTML(filename=html, base_url=base_url).render(stylesheets=[CSS(filename=stylesheet)])
    document.write_pdf(out)


if __name__ == "__main__":
    main(*sys.argv[1:5])
