"""The PDF as a printed book: fonts, page size, page numbering and running headers, read back
with pdffonts, pypdf and pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pyphen
import pytest
import yaml
from fontTools.ttLib import TTFont

from publish.build import build
from publish.editions.pdf.writer import paper
from publish.errors import DiagnosticCollector
from publish.model import Metadata
from support import FIXTURES, ROOT, Built, pdftotext_pages, require_tool
from support.headings import back_matter, flatten, normalise, source_outline

FONTS = ROOT / "styles" / "fonts"
FURNITURE = FIXTURES / "furniture" / "furniture.md"
POINTS_PER_MM = 72 / 25.4


@pytest.fixture(scope="session")
def furniture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DiagnosticCollector]:
    """A British English manuscript on A5 with a table, a figure, lists and a note."""
    report = DiagnosticCollector()
    (written,) = build(FURNITURE, tmp_path_factory.mktemp("furniture"), ["pdf"], report=report)
    return written.path, report


@pytest.fixture(scope="session")
def furniture(furniture_build: tuple[Path, DiagnosticCollector]) -> Path:
    return furniture_build[0]


def _fonts(pdf: Path) -> list[dict[str, str]]:
    lines = subprocess.run(
        [require_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    header, rule, *rows = lines
    starts = [match.start() for match in re.finditer(r"-+", rule)]
    columns = [header[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
    return [
        {
            col: row[a:b].strip()
            for col, a, b in zip(columns, starts, [*starts[1:], None], strict=True)
        }
        for row in rows
    ]


def _bundled_families() -> set[str]:
    """The family names in the bundled font files, written as PDF font names write them."""
    return {
        TTFont(path)["name"].getBestFamilyName().replace(" ", "-") for path in FONTS.glob("*.otf")
    }


def test_every_bundled_font_comes_with_its_open_licence() -> None:
    files = sorted(FONTS.glob("*.otf"))
    assert files
    licences = {path.name: path.read_text(encoding="utf-8") for path in FONTS.glob("LICENSE*")}
    for path in files:
        family = TTFont(path)["name"].getBestFamilyName().replace(" ", "")
        licence = next((text for name, text in licences.items() if family in name), None)
        assert licence is not None, f"no licence file for {path.name}"
        assert "SIL Open Font License" in licence


@pytest.mark.parametrize("name", ["minimal", "real", "furniture"])
def test_every_font_is_bundled_embedded_and_subset(
    name: str, request: pytest.FixtureRequest
) -> None:
    fixture = request.getfixturevalue(name)
    pdf = fixture if isinstance(fixture, Path) else fixture.pdf
    fonts = _fonts(pdf)
    assert fonts
    families = _bundled_families()
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes", font
        base = font["name"].split("+", 1)[-1]
        assert any(base.startswith(family) for family in families), f"{base} is not ours"
    used = {font["name"].split("+", 1)[-1] for font in fonts}
    # Body serif, heading sans, and the serif's bold and italic are all in use in the real text.
    assert any(name.startswith("Source-Serif-4-Bold") for name in used)
    assert any(name.startswith("Source-Sans-3-Semi-Bold") for name in used)


def test_paper_size_comes_from_the_manuscript(furniture: Path, edition: Built) -> None:
    width, height = (float(v) for v in pypdf.PdfReader(furniture).pages[0].mediabox[2:])
    assert (round(width / POINTS_PER_MM), round(height / POINTS_PER_MM)) == (148, 210)
    # Both other manuscripts say nothing of paper and are written in en-US: US Letter.
    for page in pypdf.PdfReader(edition.pdf).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def _page_labels(pdf: Path) -> list[str]:
    return list(pypdf.PdfReader(pdf).page_labels)


def _folio(page_text: str) -> str | None:
    lines = [line.strip() for line in page_text.split("\n") if line.strip()]
    return lines[-1] if lines and re.fullmatch(r"[0-9]+|[ivxlc]+", lines[-1]) else None


def _first_body_page(pages: list[str], manuscript: Path) -> int:
    first_section = source_outline(manuscript)[0][0]
    contents = next(i for i, p in enumerate(pages) if re.search(r"^\s*Contents\s*$", p, re.M))
    return next(
        i
        for i in range(contents + 1, len(pages))
        if any(normalise(line) == first_section for line in pages[i].split("\n"))
    )


def test_front_matter_counts_in_roman_and_the_body_from_arabic_one(edition: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(edition.pdf)
    body = _first_body_page(pages, edition.manuscript)
    labels = _page_labels(edition.pdf)
    assert labels == [
        *(["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][:body]),
        *(str(n) for n in range(1, len(pages) - body + 1)),
    ]
    # What the viewer shows as the page label is what is printed at the foot of the page.
    assert _folio(pages[0]) is None
    assert [_folio(page) for page in pages[1:]] == labels[1:]


def test_title_page_has_neither_header_nor_number(edition: Built) -> None:
    require_tool("pdftotext")
    title = pdftotext_pages(edition.pdf)[0]
    lines = [normalise(line) for line in title.split("\n") if line.strip()]
    front = edition.manuscript.read_text(encoding="utf-8")
    expected_title = re.search(r'^title: "?(.*?)"?$', front, re.M).group(1)  # type: ignore[union-attr]
    assert lines[0] == expected_title
    assert _folio(title) is None


def test_running_header_names_the_section_after_its_opening_page(edition: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(edition.pdf)
    body = _first_body_page(pages, edition.manuscript)
    # Where each section starts, from the PDF's own bookmarks.
    reader = pypdf.PdfReader(edition.pdf)
    starts = {
        reader.get_destination_page_number(item): normalise(item.title)
        for item in reader.outline
        if not isinstance(item, list)
    }
    current = None
    for index in range(body, len(pages)):
        current = starts.get(index, current)
        assert current is not None
        first_line = normalise(next(line for line in pages[index].split("\n") if line.strip()))
        if index in starts:
            # An opening page has no header: it starts with the section's heading, set once.
            assert current.startswith(first_line), f"page {index + 1}"
            assert normalise(pages[index]).count(current) == 1, f"page {index + 1}"
        else:
            assert first_line == current, f"page {index + 1}"
    # Front matter pages carry no header: each starts with its own heading.
    firsts = [
        next(line.strip() for line in page.split("\n") if line.strip()) for page in pages[1:4]
    ]
    assert firsts == ["Medical Disclaimer", "Summary", "Contents"]


@pytest.mark.parametrize("name", ["real", "furniture"])
def test_long_words_are_hyphenated_in_the_manuscripts_language(
    name: str, request: pytest.FixtureRequest
) -> None:
    require_tool("pdftotext")
    manuscript, path = _manuscript_of(name, request)
    source = manuscript.read_text(encoding="utf-8")
    lang = yaml.safe_load(source.split("\n---", 1)[0][4:]).get("lang", "en-US")
    dictionary = pyphen.Pyphen(lang=lang.replace("-", "_"))
    text = "\n".join(pdftotext_pages(path))
    # A line that ends inside a word, with the hyphen the layout added (poppler may read it as
    # U+2010): the word is whole in the manuscript, and the break is one the language allows.
    broken = re.findall(r"([A-Za-z]+)[-\u2010]\n\s*([a-z]+)", text)
    assert len(broken) >= 2, "long words were not hyphenated at line ends"
    for head, tail in broken:
        word = head + tail
        if not re.search(rf"\b{word}\b", source):
            continue  # a hyphen of the manuscript's own (semi-synthetic) at a line end
        assert (head, tail) in [(a.rstrip("-"), b) for a, b in dictionary.iterate(word)], word


# ---------------------------------------------------------------- tags and metadata


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order (depth first from the StructTreeRoot)."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def _roles(elements: list[pikepdf.Dictionary]) -> list[str]:
    return [str(element.S)[1:] for element in elements]


def _manuscript_of(name: str, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    fixture = request.getfixturevalue(name)
    if isinstance(fixture, Path):
        return FURNITURE, fixture
    return fixture.manuscript, fixture.pdf


@pytest.mark.parametrize("name", ["minimal", "real", "furniture"])
def test_pdf_is_tagged_for_screen_readers(name: str, request: pytest.FixtureRequest) -> None:
    manuscript, path = _manuscript_of(name, request)
    outline = flatten(source_outline(manuscript) + back_matter(manuscript))
    front = yaml.safe_load(manuscript.read_text(encoding="utf-8").split("\n---", 1)[0][4:])
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.7"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.Root.Lang) == front.get("lang", "en-US")
        roles = _roles(_structure(pdf))
    # The title, the three front-matter headings, then one H1 per section (References included);
    # H2… per subsection.
    assert roles.count("H1") == 1 + 3 + sum(1 for level, _ in outline if level == 1)
    for level in (2, 3):
        assert roles.count(f"H{level}") == sum(1 for depth, _ in outline if depth == level)
    assert roles.count("P") >= 3
    # The summary is a list in the real manuscript; the contents are a list everywhere.
    assert "L" in roles and "LI" in roles and "LBody" in roles


def test_tables_figures_and_lists_keep_their_structure(furniture: Path) -> None:
    source = FURNITURE.read_text(encoding="utf-8")
    alt = re.search(r"!\[(.*?)\]\(", source).group(1)  # type: ignore[union-attr]
    # Each Markdown table: its lines, less the delimiter row; the first is the header row.
    tables = [
        [row for row in block.split("\n") if row.startswith("| ")]
        for block in re.findall(r"(?:^\|.*\n)+", source, re.M)
    ]
    header_cells = sum(table[0].count("|") - 1 for table in tables)
    body_cells = sum((len(table) - 1) * (table[0].count("|") - 1) for table in tables)
    with pikepdf.open(furniture) as pdf:
        elements = _structure(pdf)
        roles = _roles(elements)
        figures = [e for e in elements if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == [alt]
        # The caption follows its figure.
        assert roles.index("Caption") > roles.index("Figure")
        table = roles.index("Table")
        assert roles[table : table + 3] == ["Table", "THead", "TR"]
        # A table that runs over a page is one Table element per page, each with its header.
        fragments = [e for e in elements if e.S == "/Table"]
        assert len(fragments) >= len(tables) == 2
        for fragment in fragments:
            assert [str(child.S) for child in fragment.K][:1] == ["/THead"]
        assert roles.count("TD") == body_cells
        assert roles.count("TH") >= header_cells
        # Header cells are tied to their data cells, as PDF/UA asks of a table.
        cells = [e for e in elements if e.S == "/TD"]
        assert all("/Headers" in cell.A for cell in cells)
        # The ordered list's three items and the bullet list's two, with their labels.
        assert roles.count("Lbl") >= 5


@pytest.mark.parametrize("name", ["minimal", "real"])
def test_xmp_metadata_agrees_with_the_document_information(
    name: str, request: pytest.FixtureRequest
) -> None:
    _, path = _manuscript_of(name, request)
    with pikepdf.open(path) as pdf:
        info = pdf.docinfo
        xmp = pdf.open_metadata()
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == str(info.Title)
        assert ", ".join(xmp["dc:creator"]) == str(info.Author)
        assert xmp["dc:description"] == str(info.Subject)
        assert xmp["pdf:Keywords"] == str(info.Keywords)
        assert xmp["xmp:CreatorTool"] == str(info.Creator)
        assert xmp["pdf:Producer"] == str(info.Producer)
        created = str(info.CreationDate)  # D:YYYYMMDDHHmmSS…
        assert xmp["xmp:CreateDate"].startswith(
            f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}"
        )


# ---------------------------------------------------------------- reproducibility


def test_two_builds_give_the_same_bytes(minimal: Built, tmp_path: Path) -> None:
    (again,) = build(minimal.manuscript, tmp_path, ["pdf"])
    assert again.path.read_bytes() == minimal.pdf.read_bytes()


# ---------------------------------------------------------------- pagination


@pytest.mark.parametrize(
    ("lang", "papersize", "expected"),
    [
        ("en-US", None, "letter"),
        ("es-US", None, "letter"),
        ("en", None, "a4"),
        ("en-GB", None, "a4"),
        ("de-DE", None, "a4"),
        ("en-US", "a5", "a5"),
        ("fr-FR", "letter", "letter"),
    ],
)
def test_paper_defaults_to_the_readers_custom(
    lang: str, papersize: str | None, expected: str
) -> None:
    metadata = Metadata(
        title="T", authors=(), date=dt.date(2026, 1, 1), lang=lang, identifier="x",
        papersize=papersize,
    )  # fmt: skip
    assert paper(metadata) == expected


@pytest.mark.parametrize("name", ["real", "furniture"])
def test_no_page_ends_with_a_heading(name: str, request: pytest.FixtureRequest) -> None:
    require_tool("pdftotext")
    manuscript, path = _manuscript_of(name, request)
    headings = {title for _, title in flatten(source_outline(manuscript))}
    for number, page in enumerate(pdftotext_pages(path), start=1):
        lines = [normalise(line) for line in page.split("\n") if line.strip()]
        if _folio(page) is not None:
            lines = lines[:-1]
        assert lines, f"page {number} is empty"
        assert lines[-1] not in headings, f"page {number} ends with the heading '{lines[-1]}'"


@pytest.mark.parametrize("name", ["real", "furniture"])
def test_figures_stay_on_one_page_with_their_caption(
    name: str, request: pytest.FixtureRequest
) -> None:
    _, path = _manuscript_of(name, request)
    with pikepdf.open(path) as pdf:
        elements = _structure(pdf)
        figures = [i for i, e in enumerate(elements) if e.S == "/Figure"]
        assert figures
        for index in figures:
            caption = next(e for e in elements[index:] if e.S == "/Caption")
            assert caption.Pg.objgen == elements[index].Pg.objgen


def test_a_character_no_bundled_font_has_is_named(tmp_path: Path) -> None:
    text = FIXTURES.joinpath("minimal.md").read_text(encoding="utf-8")
    body = text.index("\n# Introduction\n")
    manuscript = tmp_path / "book.md"
    manuscript.write_text(
        text[:body] + "\n# Introduction\n\nThe plant is called 帽柱木 in Chinese ↩.\n",
        encoding="utf-8",
    )
    report = DiagnosticCollector()
    build(manuscript, tmp_path / "out", ["pdf"], report=report)
    (warning,) = [str(w) for w in report.warnings if "bundled font" in w.message]
    assert all(code in warning for code in ("U+5E3D", "U+67F1", "U+6728", "U+21A9"))
    assert str(manuscript) in warning


def test_no_warning_when_the_bundled_fonts_cover_the_text(
    furniture_build: tuple[Path, DiagnosticCollector],
) -> None:
    _, report = furniture_build
    assert not [w for w in report.warnings if "bundled font" in w.message]


def test_a_long_table_repeats_its_header_row_on_each_page(furniture: Path) -> None:
    require_tool("pdftotext")
    pages = [p for p in pdftotext_pages(furniture) if re.search(r"Measurement \d+", p)]
    assert len(pages) >= 2, "the long table should run over a page"
    seen: list[int] = []
    for page in pages:
        lines = [normalise(line) for line in page.split("\n") if line.strip()]
        header = next(i for i, line in enumerate(lines) if line == "Reading Dose Assessment")
        rows = [i for i, line in enumerate(lines) if line.startswith("Measurement ")]
        assert rows and header < min(rows)
        seen += [int(lines[i].split()[1]) for i in rows]
    # Every row once, in order: none lost or cut in two at the page break.
    assert seen == list(range(1, 46))
