"""No edition overwrites another, nor a file the book is made from."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from publish.build import build
from publish.errors import PublishError
from publish.model import Book
from publish.outputs import check_distinct, planned_outputs
from publish.reading.manuscript import read_manuscript
from support.manuscripts import FRONT, manuscript, snapshot


def test_a_manuscript_named_index_keeps_its_html_edition(tmp_path: Path) -> None:
    path = manuscript(tmp_path / "docs", "# One\n\nThe edition's words.\n", name="index.md")
    written = {w.format: w.path.name for w in build(path, tmp_path / "dist", ["html", "index"])}
    assert written == {"html": "index-book.html", "index": "index.html"}
    edition = lxml.html.parse(str(tmp_path / "dist" / "index-book.html")).getroot()
    assert "The edition\u2019s words." in edition.text_content()
    page = lxml.html.parse(str(tmp_path / "dist" / "index.html")).getroot()
    assert "index-book.html" in [a.get("href") for a in page.iter("a")]


@pytest.mark.parametrize("name", ["index.md", "INDEX.md", "Index.markdown"])
def test_no_two_outputs_share_a_path_whatever_the_name(tmp_path: Path, name: str) -> None:
    book = read_manuscript(manuscript(tmp_path, "# One\n\nx\n", name=name))
    paths = [str(p).casefold() for what, p in planned_outputs(book, tmp_path, ["pdf", "epub"])]
    paths += [str(p).casefold() for what, p in planned_outputs(book, tmp_path, ["html", "index"])]
    assert len(set(paths)) == len(paths) - 1  # only the shared files folder repeats
    check_distinct(book, tmp_path, ["pdf", "epub", "html", "index"])


def test_an_edition_that_would_overwrite_the_manuscript_is_refused_unwritten(
    tmp_path: Path,
) -> None:
    path = manuscript(tmp_path, "# One\n\nx\n", name="book.html")
    before = snapshot(tmp_path)
    with pytest.raises(PublishError) as raised:
        build(path, tmp_path, ["html"])
    assert str(raised.value) == (
        f"{tmp_path / 'book.html'}: error: the HTML edition and the manuscript would be the same "
        "file: rename the manuscript or choose another output folder (-o)"
    )
    assert snapshot(tmp_path) == before


def test_two_outputs_on_one_path_are_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    book = read_manuscript(manuscript(tmp_path, "# One\n\nx\n", front=FRONT))
    # As if the slug rule let "index" through: the HTML edition and the download page collide.
    monkeypatch.setattr(Book, "slug", property(lambda self: "INDEX"))
    with pytest.raises(PublishError) as raised:
        check_distinct(book, tmp_path / "dist", ["html", "index"])
    assert "the download page and the HTML edition would be the same file" in str(raised.value)
