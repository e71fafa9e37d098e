"""The parity check reads a PDF as pdftotext does: a long table's cells interleaved and its
header repeated on the next page, footnotes at the foot of their page, a section whose first
page names it again in its text. None of that is a difference; a word lost from a table is."""

from __future__ import annotations

from collections import Counter

import pytest

from publish.checks.parity import compare, differences
from publish.checks.reordered import MovableWords
from support import Built, build_fixture, require_tool
from support.manuscripts import manuscript

ROWS = "".join(
    f"| Row {i} | A cell whose words run over several lines of the narrow column, "
    f"number {i} | Another long cell, wrapped as well, for row {i} |\n"
    for i in range(1, 60)
)
BODY = f"""# Tables

A long table, sure to reach the next page:

| Name | First description | Second description |
|------|-------------------|--------------------|
{ROWS}
# Notes

Notes is the title of this section, and Notes comes again here.[^a] More text follows.[^b]

[^a]: The first note, printed at the foot of its page.
[^b]: The second note.
"""


@pytest.fixture(scope="module")
def reordered(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("reordered")
    return build_fixture(manuscript(folder, BODY), folder / "out")


def test_tables_notes_and_a_repeated_title_are_no_differences(reordered: Built) -> None:
    require_tool("pdftotext")
    _, found = compare(reordered.pdf, reordered.epub, reordered.html, ("T",))
    assert found == []


def test_a_word_lost_from_a_table_is_still_a_difference() -> None:
    movable = MovableWords(Counter(["Name", "Size", "a", "b", "c", "d"]), Counter(["Name", "Size"]))
    # The header printed again is fine; "d" gone and "e" added are not.
    assert differences("x Name Size a b c d y", "x Name Size a b Name Size c d y", "P", "PDF",
                       tables=movable) == []  # fmt: skip
    lost = differences("x Name Size a b c d y", "x Name Size b a c y", "P", "PDF", tables=movable)
    assert any("lacks 'd'" in d.detail for d in lost)
    stray = differences("x Name a y", "x Name a zzz y", "P", "PDF", tables=movable)
    assert [d.detail for d in stray] == ["after '…x Name a' it adds 'zzz'"]


def test_a_phrase_read_a_little_later_is_no_difference_but_one_read_far_away_is() -> None:
    words = [f"w{i}" for i in range(200)]
    text = " ".join(["A", "paragraph", "with", *words])
    near = " ".join(["A", *words[:10], "paragraph", "with", *words[10:]])
    assert differences(text, near, "P", "PDF") == []
    far = " ".join(["A", *words[:150], "paragraph", "with", *words[150:]])
    assert len(differences(text, far, "P", "PDF")) == 2
