"""The order editions are written in, said once (publish.editions) for the build and the CLI."""

from __future__ import annotations

from publish.cli import _format_list
from publish.editions import FORMATS, writing_order
from publish.xhtml import escape_text, fragment_markup, parse_fragment


def test_in_one_process_the_pdf_comes_first_and_the_download_page_last() -> None:
    assert writing_order(["index", "html", "epub", "pdf"]) == list(FORMATS)
    assert writing_order(["html", "pdf"]) == ["pdf", "html"]


def test_with_the_pdf_in_another_process_what_needs_nothing_of_it_comes_first() -> None:
    assert writing_order(FORMATS, pdf_elsewhere=True) == ["html", "epub", "pdf", "index"]
    assert writing_order(["pdf", "epub"], pdf_elsewhere=True) == ["epub", "pdf"]


def test_the_command_line_asks_in_the_same_order() -> None:
    assert _format_list("index,epub,pdf") == ("pdf", "epub", "index")


def test_a_fragment_round_trips_without_its_wrapper() -> None:
    markup = '<p epub:type="x">a &amp; b</p>tail'
    assert fragment_markup(parse_fragment(markup)) == markup
    assert escape_text("<a & b>") == "&lt;a &amp; b&gt;"
