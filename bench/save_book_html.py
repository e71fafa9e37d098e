"""Save our book HTML (what WeasyPrint lays out for the PDF) for the bare WeasyPrint reference,
with the WeasyPrint options our PDF writer passes, the collector setting it runs WeasyPrint with
and the user-agent stylesheet it gives WeasyPrint, so the reference does WeasyPrint's same work
the same way.

    python bench/save_book_html.py MANUSCRIPT OUT.html      # also writes OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from publish.editions.pdf import writer as pdf
from publish.reading.manuscript import read_manuscript
from publish.styles import PROJECT_STYLES


def main(manuscript: str, out: str) -> None:
    book = read_manuscript(Path(manuscript))
    Path(out).write_text(pdf.book_html(book), encoding="utf-8")
    page_size = getattr(pdf, "page_size_css", None)
    options = {
        "pdf_variant": getattr(pdf, "PDF_VARIANT", None),
        "extra_css": page_size(book.metadata) if page_size else None,
        # The file identifier costs WeasyPrint's writer a second pass over every object.
        "pdf_identifier": book.metadata.identifier,
        "collect_every": getattr(pdf, "COLLECT_EVERY", None),
        # The user-agent sheet our build gives WeasyPrint (see publish/pseudo_styles.py).
        "user_agent_css": _user_agent_css(),
    }
    Path(out).with_suffix(".json").write_text(json.dumps(options), encoding="utf-8")


def _user_agent_css() -> str | None:
    try:
        from publish.editions.pdf.pseudo_styles import user_agent_css
    except ImportError:  # a checkout from before it
        return None
    return user_agent_css(PROJECT_STYLES / "print.css")


if __name__ == "__main__":
    main(*sys.argv[1:3])
