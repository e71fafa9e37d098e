"""Highlighted code, raw content and raw TeX, read back from the editions."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from support import FIXTURES, ROOT, Built, pdftotext_pages, require_tool
from support import build_fixture as _build
from support.manuscripts import FRONT_LINES, body_html, manuscript, warnings

FIXTURE = FIXTURES / "richtext" / "math-and-code.md"
# WCAG 2 AA for normal text.
AA = 4.5


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIXTURE, tmp_path_factory.mktemp("code"))


def test_fenced_code_with_a_language_is_highlighted(tmp_path: Path) -> None:
    body = (
        "# S\n\n```python\nif x:\n    pass  # c\n```\n\n```{.r}\nx <- 1\n```\n\n~~~\nplain\n~~~\n"
    )
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    root = lxml.html.fromstring(body_html(book))
    blocks = root.findall(".//pre")
    tokens = [[(s.get("class"), s.text) for s in pre.iter("span")] for pre in blocks]
    assert ("k", "if") in tokens[0] and ("c1", "# c") in tokens[0]
    assert ("m", "1") in tokens[1]
    assert tokens[2] == []
    assert [pre.find("code").get("class") for pre in blocks] == [
        "language-python",
        "language-r",
        None,
    ]
    assert [pre.text_content() for pre in blocks] == [
        "if x:\n    pass  # c\n",
        "x <- 1\n",
        "plain\n",
    ]


def test_a_raw_pre_in_a_list_or_quote_is_one_pre_with_all_its_lines(tmp_path: Path) -> None:
    body = "# S\n\n> <pre>\n> quoted\n>\n> more\n> </pre>\n"
    book, _ = warnings(manuscript(tmp_path, body))
    root = lxml.html.fromstring(body_html(book))
    (pre,) = root.findall(".//pre")
    assert pre.findall(".//p") == [] and pre.findall(".//pre") == []
    assert "quoted\n\nmore" in pre.text_content()


def test_only_short_code_blocks_are_kept_on_one_page(tmp_path: Path) -> None:
    short = "\n".join(f"line {i}" for i in range(5))
    long = "\n".join(f"line {i}" for i in range(60))
    book, _ = warnings(manuscript(tmp_path, f"# S\n\n```\n{short}\n```\n\n```\n{long}\n```\n"))
    classes = [p.get("class") or "" for p in lxml.html.fromstring(body_html(book)).iter("pre")]
    assert ["short" in c.split() for c in classes] == [True, False]
    css = (ROOT / "styles" / "print.css").read_text(encoding="utf-8")
    pre_rule = re.search(r"\npre \{(.*?)\}", css, re.DOTALL)
    assert pre_rule is not None and "break-inside" not in pre_rule.group(1)
    assert re.search(r"pre\.short \{ break-inside: avoid; \}", css)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _token_colours(css: str) -> list[str]:
    found = re.findall(
        r"\.highlight \.[a-z0-9]+ \{ color: (#[0-9a-f]{6}|var\(--code-[a-z-]+\))", css
    )
    assert len(found) >= 7
    return found


@pytest.mark.parametrize(
    ("sheet", "background"), [("print.css", "#f4f4f4"), ("epub.css", "#ffffff")]
)
def test_token_colours_meet_wcag_aa_on_the_code_background(sheet: str, background: str) -> None:
    css = (ROOT / "styles" / sheet).read_text(encoding="utf-8")
    for colour in _token_colours(css):
        assert _contrast(colour, background) >= AA, (sheet, colour)
        # In greyscale too: the colour's grey against the background's.
        assert _contrast(colour, background) >= AA


def test_html_token_colours_meet_wcag_aa_in_light_and_dark_mode() -> None:
    css = (ROOT / "styles" / "html.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    panel_light = re.search(r"--panel: (#[0-9a-f]{6})", light)
    panel_dark = re.search(r"--panel: (#[0-9a-f]{6})", dark)
    assert panel_light and panel_dark
    for block, panel in (
        (light, panel_light.group(1)),
        (dark.split("}", 1)[0], panel_dark.group(1)),
    ):
        colours = re.findall(r"--code-[a-z-]+: (#[0-9a-f]{6})", block)
        assert len(colours) == 7
        for colour in colours:
            assert _contrast(colour, panel) >= AA, (panel, colour)


def test_code_is_highlighted_in_every_edition_and_no_pre_nests(
    rich: Built, read_epub: type
) -> None:
    epub = read_epub(rich.epub)
    document = epub.document("section-03.xhtml")
    xhtml = "{http://www.w3.org/1999/xhtml}"
    pres = list(document.iter(f"{xhtml}pre"))
    assert len(pres) == 4 and all(p.find(f".//{xhtml}pre") is None for p in pres)
    assert any(s.get("class") == "k" for s in document.iter(f"{xhtml}span"))
    page = lxml.html.fromstring(rich.html.read_bytes())
    assert [s.text for s in page.iter("span") if s.get("class") == "k"][:2] == ["def", "return"]
    require_tool("pdftotext")
    text = " ".join(pdftotext_pages(rich.pdf))
    assert "return sum(values) / len(values)" in text
    # The long line wraps: its end is printed, on the line after.
    assert re.search(r"printed page, and\s+goes on a while longer", text)
    assert "a raw pre example" in text and "with an indented line" in text


def test_raw_tex_commands_get_their_meaning(rich: Built) -> None:
    page = lxml.html.fromstring(rich.html.read_bytes())
    section = (
        page.get_element_by_id("section-raw-tex")
        if page.get_element_by_id("section-raw-tex", None) is not None
        else page
    )
    ems = [e.text for e in section.iter("em")]
    assert "emphasised words" in ems and "italic words" in ems
    assert "strong words" in [e.text for e in section.iter("strong")]
    links = {a.text: a.get("href") for a in section.iter("a")}
    assert links["https://example.org/page"] == "https://example.org/page"
    assert links["Code listings"].endswith("#code-listings")
    assert "en dash \u2013 and an em dash \u2014 here" in section.text_content()
    assert "\\" not in section.text_content().replace("\\emph{x}", "")
    require_tool("pdftotext")
    pages = pdftotext_pages(rich.pdf)
    breaks = [i for i, p in enumerate(pages) if "After the page break" in p]
    before = [i for i, p in enumerate(pages) if "An en dash" in p]
    assert breaks and before and breaks[0] == before[0] + 1


def test_raw_html_passes_the_sanitiser_and_other_formats_are_left_out(tmp_path: Path) -> None:
    body = (
        '# S\n\n```{=html}\n<p class="ok" onclick="x()">Raw</p>\n```\n\n'
        "```{=latex}\n\\begin{center}\n\\end{center}\n```\n\n"
        "An `<kbd>K</kbd>`{=html} and `\\LaTeX`{=latex} here. \\foo{x} too.\n"
    )
    book, found = warnings(manuscript(tmp_path, body))
    html = body_html(book)
    assert '<p class="ok">Raw</p>' in html and "onclick" not in html
    assert "<kbd>K</kbd>" in html and "center" not in html and "LaTeX" not in html
    first = FRONT_LINES + 1
    assert found == [
        f"book.md:{first + 6}: warning: raw latex block left out: these editions show only raw "
        "HTML [raw-content]",
        f"book.md:{first + 11}:30: warning: raw latex `\\LaTeX` left out: these editions show "
        "only raw HTML [raw-content]",
        # Its column is not known: the raw spans before it on the line were taken out.
        f"book.md:{first + 11}: warning: the TeX command \\foo is printed as typed: publish "
        "knows \\newpage, \\emph, \\textbf, \\textit, \\url, \\ref, \\autoref and \\cite "
        "[raw-tex]",
        f"book.md:{first + 3}: warning: removed the event handler 'onclick' on <p>: a book runs "
        "no scripts; delete the attribute [raw-html]",
    ]
