"""Every warning names its own line: what the sanitiser removes from the disclaimer or the summary
is found in that value's lines, not in the first front-matter line that holds the same words."""

from __future__ import annotations

from pathlib import Path

from support.manuscripts import manuscript, warnings

FRONT = """---
title: 'A title with <script>x</script> and <span onclick="t()">a span</span>'
date: 2026-01-01
disclaimer: |
  Not advice. <span onclick="d()">Call 988.</span>
summary: |
  A summary.

  More <span onclick="s()">text</span> and <script>y</script>.
keywords: ['<script>k</script>']
---
"""


def test_the_summary_s_warnings_name_the_summary_s_lines(tmp_path: Path) -> None:
    _, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=FRONT))
    assert found == [
        "book.md:5: warning: removed the event handler 'onclick' on <span>: a book runs no "
        "scripts; delete the attribute [raw-html]",
        "book.md:9: warning: removed the event handler 'onclick' on <span>: a book runs no "
        "scripts; delete the attribute [raw-html]",
        "book.md:9: warning: removed <script> and its content: a book runs no scripts [raw-html]",
    ]


def test_a_plain_summary_after_a_title_with_the_same_markup(tmp_path: Path) -> None:
    summary = FRONT[FRONT.index("summary:") : FRONT.index("keywords:")]
    front = FRONT.replace(summary, "summary: 'One <script>y</script> line'\n")
    _, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert "book.md:6: warning: removed <script> and its content: a book runs no scripts " in (
        " ".join(found)
    )
    assert not any(line.startswith("book.md:2:") for line in found)


def test_the_body_s_warnings_still_name_the_body_s_lines(tmp_path: Path) -> None:
    _, found = warnings(manuscript(tmp_path, "# One\n\nText <script>z</script>.\n", front=FRONT))
    assert found[-1] == (
        "book.md:14: warning: removed <script> and its content: a book runs no scripts [raw-html]"
    )
