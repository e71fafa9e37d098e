"""Generated manuscripts with random headings, ids and links: the build refuses them with our
error, or every edition's links resolve; the EPUB never holds an unresolved fragment.

``PUBLISH_HYPOTHESIS_EXAMPLES`` sets how many manuscripts are tried (default 60; a third here,
since each is built into two editions)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from publish.editions.epub.package import write_epub
from publish.editions.html import write_html
from publish.editions.pdf.pagemap import PageMap
from publish.errors import DiagnosticCollector, PublishError
from publish.reading.identifiers import pandoc_identifier
from publish.reading.manuscript import read_manuscript
from publish.styles import default_styles_dir
from support.linkcheck import epub_unresolved, html_unresolved
from support.manuscripts import FRONT

EXAMPLES = max(10, int(os.environ.get("PUBLISH_HYPOTHESIS_EXAMPLES", "60")) // 3)
WORDS = ["Reader", "options", "Options", "1.2", "é", "a_b", "x.y", "--", "(note)", "?", "Why",
         "Summary", "Contents", "fig", "中文", "`code`", "*em*", "[^n]"]  # fmt: skip
TITLE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
IDENT = st.sampled_from(["same", "fig:a", "sec:b", "odd\u200bid", "x\u202ey", "fn-n", "1st",
                         "summary", "page-3", "ok", "ok-1", "a:b:c"])  # fmt: skip


@st.composite
def manuscripts(draw: st.DrawFn) -> str:
    titles = draw(st.lists(TITLE, min_size=1, max_size=6))
    ids = draw(st.lists(IDENT, max_size=6))
    blocks: list[str] = []
    targets = [pandoc_identifier(t.replace("*", "").replace("`", "")) for t in titles] + ids
    for index, title in enumerate(titles):
        level = 1 if index == 0 else draw(st.integers(1, 3))
        blocks.append("#" * level + " " + title)
        if ids and draw(st.booleans()):
            ident = ids.pop()
            blocks.append(draw(st.sampled_from([
                f'<p id="{ident}">Raw.</p>', f"[a span]{{#{ident}}}", f"## Sub {{#{ident}}}",
                f"Para.\n{{: #{ident} }}",
            ])))  # fmt: skip
        link = draw(st.sampled_from(targets * 3 + ["missing", "notes.md", "//h/x", "www.x.org"]))
        suffix = draw(st.sampled_from(["", "", "", "-1"]))
        href = link if "." in link or link.startswith("/") else f"#{link}{suffix}"
        figure = " and @fig:a" if "fig:a" in targets and draw(st.booleans()) else ""
        blocks.append(f"See [this]({href}){figure}.[^n]")
    blocks.append("[^n]: A note [back](#" + targets[0] + ").")
    return "\n\n".join(blocks) + "\n"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=manuscripts())
def test_no_edition_holds_an_unresolved_fragment(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.md"
        path.write_text(FRONT + body, encoding="utf-8")
        try:
            book = read_manuscript(path, DiagnosticCollector())
        except PublishError as exc:
            event("refused: " + " | ".join(sorted({d.message[:25] for d in exc.diagnostics})))
            return
        event("built")
        styles = default_styles_dir(path)
        epub = write_epub(
            book, Path(folder) / "book.epub", styles, dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            DiagnosticCollector(), PageMap(()),
        ).path  # fmt: skip
        html = write_html(book, Path(folder) / "book.html", styles).path
        assert epub_unresolved(epub) == []
        assert html_unresolved(html) == []
