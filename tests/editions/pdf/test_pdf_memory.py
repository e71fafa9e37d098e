"""What keeps the PDF's memory down changes no byte of it: the user-agent sheet that styles the
six pseudo-elements only where they can exist (``pseudo_styles``), and each page's drawing
compressed as soon as it is drawn (``pagestreams``). And the sheet is only used when the print
stylesheet can be read with certainty: a footnote whose call has no style would stop WeasyPrint.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from publish.editions.pdf import pagestreams, pseudo_styles
from publish.editions.pdf import writer as pdf
from publish.reading.manuscript import read_manuscript
from publish.styles import PROJECT_STYLES
from support import FIXTURES, require_tool


def _write(book_path: Path, out: Path, style: pdf.PrintStyle) -> bytes:
    book = read_manuscript(book_path)
    laid_out = pdf.layout(book, PROJECT_STYLES, style)
    pdf.save_pdf(laid_out, book, out)
    return out.read_bytes()


def test_the_pdf_is_the_same_bytes_as_with_weasyprints_own_sheet_and_late_compression(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = FIXTURES / "features.md"
    style = pdf.PrintStyle(features.parent, PROJECT_STYLES)
    assert style.user_agent is not None  # our print.css is read with certainty
    lean = _write(features, tmp_path / "lean.pdf", style)

    style.user_agent = None
    monkeypatch.setattr(pagestreams, "compress_as_drawn", lambda document: None)
    plain = _write(features, tmp_path / "plain.pdf", style)
    assert lean == plain


def _pseudo_styles_computed(monkeypatch: pytest.MonkeyPatch, html: str, scoped: bool) -> int:
    from weasyprint.css import StyleFor

    counted: list[str] = []
    original = StyleFor.set_computed_styles

    def counting(self: Any, element: Any, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("pseudo_type") and hasattr(element, "tag"):  # not a page's margin box
            counted.append(kwargs["pseudo_type"])
        original(self, element, *args, **kwargs)

    monkeypatch.setattr(StyleFor, "set_computed_styles", counting)
    style = pdf.PrintStyle(FIXTURES, PROJECT_STYLES)
    if not scoped:
        style.user_agent = None
    style.html(html).render(stylesheets=[style.stylesheet], font_config=style.fonts)
    monkeypatch.setattr(StyleFor, "set_computed_styles", original)
    return len(counted)


def test_weasyprint_computes_pseudo_element_styles_only_where_they_can_exist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paragraph = "<p>Paragraph <em>{}</em> of <strong>many</strong>.</p>"
    paragraphs = "".join(paragraph.format(n) for n in range(200))
    html = f"<html lang='en'><body>{paragraphs}<ul><li>one</li><li>two</li></ul></body></html>"
    # Two list items have a marker; no element is a footnote or a note.
    assert _pseudo_styles_computed(monkeypatch, html, scoped=True) <= 2 * 6
    # WeasyPrint's own sheet: six for each of the 600 elements of the paragraphs, and more.
    assert _pseudo_styles_computed(monkeypatch, html, scoped=False) >= 6 * 600


def _sheet(folder: Path, css: str, name: str = "print.css") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(css, encoding="utf-8")
    return path


def test_the_hosts_are_read_from_the_rules_imports_and_grouping_rules(tmp_path: Path) -> None:
    _sheet(tmp_path, "@media print { .aside-note { float: footnote } }", "notes.css")
    sheet = _sheet(
        tmp_path,
        '@import url("notes.css");\n@import "print.css";\n'
        "ol.steps > span, dd.item { display: block list-item }\n"
        ".margin { position: note(side) }\n"
        "p { display: block } .never { float: left }\n"
        "@page { @footnote { float: bottom } }\n"
        "@supports (display: grid) { @layer parts { .x { -weasy-float: footnote } } }\n",
    )
    assert set(pseudo_styles._pseudo_element_hosts(sheet, set())) == {
        ".aside-note",
        "ol.steps > span, dd.item",
        ".margin",
        ".x",
    }


@pytest.mark.parametrize(
    "css",
    [
        ".a { float: var(--where) }",
        ".a { display: inherit }",
        ".a::before { display: list-item }",
        ".a:after { float: footnote }",
        "@unknown-rule { .a { float: footnote } }",
        '@import "missing.css";',
        '@import "https://example.invalid/remote.css";',
        ".a { float: footnote; & .b { color: red } }",
        "@media print {" * 5000 + ".a { float: footnote }" + "}" * 5000,
        '@import "/dev/zero";',
        '@import "device.css";',  # a link to a device, which would never end
        "@namespace svg url(http://www.w3.org/2000/svg); svg|text { float: footnote }",
        "a:unknown-class(1) { float: footnote }",
    ],
)
def test_what_cannot_be_read_with_certainty_keeps_weasyprints_own_sheet(
    tmp_path: Path, css: str
) -> None:
    (tmp_path / "device.css").symlink_to("/dev/zero")
    assert pseudo_styles.user_agent_sheet(_sheet(tmp_path, css)) is None


def test_the_sheet_is_decoded_as_weasyprint_decodes_it(tmp_path: Path) -> None:
    sheet = tmp_path / "print.css"
    sheet.write_bytes(b"\xef\xbb\xbf.b { float: footnote }\n.caf\xc3\xa9 { display: list-item }")
    assert list(pseudo_styles._pseudo_element_hosts(sheet, set())) == [".b", ".café"]
    sheet.write_bytes(b'@charset "iso-8859-1";\n.caf\xe9 { display: list-item }')
    assert list(pseudo_styles._pseudo_element_hosts(sheet, set())) == [".café"]


def test_a_stylesheet_of_ones_own_gets_its_footnotes_calls_and_list_markers(
    tmp_path: Path,
) -> None:
    """A print.css that floats other elements than ours to the foot of the page, and makes
    other elements list items, relies on the user-agent sheet for the call, the marker and the
    bullet: they are still there."""
    styles = tmp_path / "styles"
    _sheet(
        styles,
        "aside { float: footnote }\n.step { display: list-item; list-style: square inside }\n",
    )
    style = pdf.PrintStyle(tmp_path, styles)
    assert style.user_agent is not None
    html = (
        "<html lang='en'><body><p>Text with a note<aside>The note itself.</aside> here.</p>"
        "<div class='step'>First step</div></body></html>"
    )
    out = tmp_path / "out.pdf"
    style.html(html).render(stylesheets=[style.stylesheet], font_config=style.fonts).write_pdf(out)
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"with a note\s+1\s+here\.", text), text  # the call, from the UA sheet
    assert "1. The note itself." in text  # the marker
    assert "▪ First step" in text  # the list marker of a div made a list item


def test_compressing_a_stream_early_writes_the_same_bytes() -> None:
    import pydyf

    def drawn(compress: bool) -> pydyf.Stream:
        stream = pydyf.Stream(compress=compress)
        stream.begin_text()
        stream.set_font_size("F1", 12.5)
        stream.move_text_to(72, 700.25)
        stream.show_text_string("Drawn, then compressed")
        stream.end_text()
        stream.begin_marked_content("P", pydyf.Dictionary({"MCID": 0}))
        stream.end_marked_content()
        return stream

    for compress in (True, False):
        early = drawn(compress)
        pagestreams.compress_stream(early)
        assert len(early.stream) == 1
        assert early.data == drawn(compress).data


def test_the_sheet_takes_the_place_of_weasyprints_html_sheet_only() -> None:
    from weasyprint.html import UA_FORM_STYLESHEET

    style = pdf.PrintStyle(FIXTURES, PROJECT_STYLES)
    document = style.html("<p>Text</p>")
    assert document._ua_stylesheets() == [style.user_agent]
    assert document._ua_stylesheets(forms=True) == [style.user_agent, UA_FORM_STYLESHEET]
