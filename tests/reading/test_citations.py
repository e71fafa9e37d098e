"""Citations and the reference list, read back from both editions as readers' tools see them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from publish.build import build
from publish.errors import DiagnosticCollector, PublishError
from publish.reading.manuscript import read_manuscript
from support import FIXTURES, NS, Built, Epub, pdftotext_pages, require_tool
from support.headings import normalise

CITED = FIXTURES / "cited" / "cited.md"
# The fixture's keys in the order of their first citation: the summary comes before the body.
FIRST_CITED = ["survey2020", "trial2021", "review2019", "cohort2018", "case2017", "animal2011"]


@pytest.fixture(scope="session")
def cited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, DiagnosticCollector]:
    report = DiagnosticCollector()
    written = {
        w.format: w.path for w in build(CITED, tmp_path_factory.mktemp("cited"), report=report)
    }
    built = Built(CITED, written["pdf"], written["epub"], written["html"], written["index"])
    return built, report


def _epub_citation_links(book: Epub) -> list[tuple[str, str]]:
    """(number text, href) of every citation link, in reading order."""
    links: list[tuple[str, str]] = []
    for href in book.spine_hrefs():
        for link in book.document(href).iter(f"{{{NS['xhtml']}}}a"):
            if link.get("role") == "doc-biblioref":
                links.append(("".join(link.itertext()), link.get("href")))
    return links


def test_sources_are_numbered_by_first_citation(cited) -> None:
    book = Epub(cited[0].epub)
    links = _epub_citation_links(book)
    numbers = {href.split("#ref-")[1]: text for text, href in links if re.fullmatch("[0-9]+", text)}
    # case2017 (5) is cited only inside the range 4-6, whose ends alone are links.
    assert {key: numbers[key] for key in numbers} == {
        "survey2020": "1",
        "trial2021": "2",
        "review2019": "3",
        "cohort2018": "4",
        "animal2011": "6",
    }
    # Within a citation the numbers are sorted, and three or more in a row collapse to a range.
    assert [text for text, _ in links] == ["1", "2", "1", "3", "2", "4", "6", "3(p33)", "2"]


def test_reference_list_is_in_citation_order_with_each_entry_once(cited) -> None:
    book = Epub(cited[0].epub)
    references = book.document(book.spine_hrefs()[-1])
    items = references.findall(".//xhtml:ol[@class='references']/xhtml:li", NS)
    assert [li.get("id") for li in items] == [f"ref-{key}" for key in FIRST_CITED]
    assert references.find(".//xhtml:body", NS).get(f"{{{NS['epub']}}}type") == "backmatter"


def test_every_epub_citation_links_to_an_existing_entry(cited) -> None:
    book = Epub(cited[0].epub)
    links = _epub_citation_links(book)
    assert links
    for _, href in links:
        file_name, fragment = href.split("#")
        target = book.document(file_name).xpath(f"//*[@id='{fragment}']")
        assert target and target[0].tag == f"{{{NS['xhtml']}}}li", href


def test_every_pdf_citation_links_to_an_existing_entry(cited) -> None:
    reader = pypdf.PdfReader(cited[0].pdf)
    destinations = reader.named_destinations
    targets = [
        str(annotation.get_object().get("/Dest"))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if str(annotation.get_object().get("/Dest", "")).startswith("ref-")
    ]
    linked = [key for key in FIRST_CITED if key != "case2017"]  # inside a collapsed range
    assert sorted(set(targets)) == sorted(f"ref-{key}" for key in linked)
    references_page = len(reader.pages) - 1
    for target in targets:
        assert reader.get_destination_page_number(destinations[target]) == references_page


def test_every_html_citation_links_to_an_entry_on_the_page(cited) -> None:
    import lxml.html

    page = lxml.html.parse(str(cited[0].html)).getroot()
    links = page.xpath("//a[@role='doc-biblioref']")
    assert len(links) == 9
    for link in links:
        target = page.xpath("//*[@id=$id]", id=link.get("href").removeprefix("#"))
        assert target and target[0].tag == "li", link.get("href")


def test_pdf_reference_list_is_numbered_in_citation_order(cited) -> None:
    require_tool("pdftotext")
    last = normalise(pdftotext_pages(cited[0].pdf)[-1])
    assert last.startswith("References")
    authors = [
        "Survey S",
        "Trial A",
        "Review R, Second S",
        "Cohort Study Group",
        "Case C",
        "Mouse M",
    ]
    positions = [last.find(f"{n}. {author}.") for n, author in enumerate(authors, start=1)]
    assert -1 not in positions and positions == sorted(positions), last


def test_references_are_in_both_navigations(cited) -> None:
    book = Epub(cited[0].epub)
    nav = book.document(book.nav_href())
    entries = nav.findall(".//xhtml:nav[@epub:type='toc']/xhtml:ol/xhtml:li/xhtml:a", NS)
    assert ["".join(a.itertext()) for a in entries][-1] == "References"
    reader = pypdf.PdfReader(cited[0].pdf)
    assert [item.title for item in reader.outline if not isinstance(item, list)][-1] == "References"


def test_code_and_addresses_are_not_citations(cited) -> None:
    book = Epub(cited[0].epub)
    text = "\n".join("".join(book.document(h).itertext()) for h in book.spine_hrefs())
    for literal in ("[@trial2021]", "@trial2021", "[@nowhere]", "[@indented]"):
        assert literal in text
    assert "editor@example.org" in text
    assert "In the text, Trial" in text  # an in-text citation names the author


def test_markup_in_reference_titles_is_kept_or_escaped(cited) -> None:
    book = Epub(cited[0].epub)
    entry = book.document(book.spine_hrefs()[-1]).xpath("//*[@id='ref-trial2021']")[0]
    assert entry.find("xhtml:i", NS).text == "Mitragyna speciosa"
    assert "& mood <script>alert(1)</script>" in "".join(entry.itertext())
    assert entry.find(".//xhtml:script", NS) is None
    assert entry.find("xhtml:a", NS).get("href") == "https://doi.org/10.1000/trial.2021"


def test_uncited_entry_is_a_warning_naming_the_bibliography(cited) -> None:
    _, report = cited
    bibliography = FIXTURES / "cited" / "references.yaml"
    assert [str(w) for w in report.warnings] == [
        f"{bibliography}:66: warning: the reference 'uncited2020' is cited nowhere"
    ]


def test_epubcheck_accepts_citations_and_references(cited) -> None:
    require_tool("java", "EPUBCheck")
    result = subprocess.run(
        [sys.executable, "-m", "epubcheck", str(cited[0].epub)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _manuscript(tmp_path: Path, body: str, front: str = "bibliography: refs.yaml\n") -> Path:
    (tmp_path / "refs.yaml").write_text(
        "- id: known2020\n  type: book\n  title: Known\n", encoding="utf-8"
    )
    path = tmp_path / "book.md"
    path.write_text(
        "---\ntitle: T\ndate: 2026-01-01\n" + front + "disclaimer: |\n  Not advice. Call 988.\n"
        "summary: |\n  Short.\n---\n\n# One\n\n" + body,
        encoding="utf-8",
    )
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(PublishError) as raised:
        read_manuscript(path)
    return [str(d) for d in raised.value.diagnostics]


def test_unknown_key_is_an_error_naming_file_line_and_column(tmp_path: Path) -> None:
    path = _manuscript(tmp_path, "Fine [@known2020].\n\nAs shown [@known2020; @knwon2020].\n")
    assert _errors(path) == [
        f"{path}:15:23: error: unknown citation key 'knwon2020': refs.yaml has no entry with "
        "that id; did you mean 'known2020'?"
    ]


def test_unknown_key_in_the_summary_names_its_file_line(tmp_path: Path) -> None:
    path = _manuscript(tmp_path, "Fine [@known2020].\n").read_text(encoding="utf-8")
    broken = tmp_path / "summary.md"
    broken.write_text(path.replace("  Short.\n", "  Short [@missing].\n"), encoding="utf-8")
    assert _errors(broken) == [
        f"{broken}:8:10: error: unknown citation key 'missing': refs.yaml has no entry with that id"
    ]


def test_citation_without_bibliography_is_an_error(tmp_path: Path) -> None:
    path = _manuscript(tmp_path, "Claim [@known2020].\n", front="")
    assert _errors(path) == [
        f"{path}:12:7: error: citation '[@known2020]' but the front matter names no "
        "bibliography: add 'bibliography: references.yaml' (CSL YAML or CSL JSON beside the "
        "manuscript)"
    ]


def test_bibliography_outside_the_manuscript_folder_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    path = _manuscript(inner, "Claim [@known2020].\n", front="bibliography: ../refs.yaml\n")
    (tmp_path / "refs.yaml").write_text("[]\n", encoding="utf-8")
    assert _errors(path) == [
        f"{path}:4: error: the bibliography '../refs.yaml' is outside the manuscript's folder: "
        "keep it beside the manuscript"
    ]


def test_csl_json_bibliography_is_read_with_entry_lines(tmp_path: Path) -> None:
    path = _manuscript(tmp_path, "Claim [@b].\n", front="bibliography: refs.json\n")
    (tmp_path / "refs.json").write_text(
        '[\n  {"id": "a", "type": "book", "title": "A"},\n'
        '  {"id": "b", "type": "book", "title": "B <i>x</i>"}\n]\n',
        encoding="utf-8",
    )
    report = DiagnosticCollector()
    book = read_manuscript(path, report)
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path / 'refs.json'}:2: warning: the reference 'a' is cited nowhere"
    ]
    references = book.sections[-1]
    assert (references.title, references.role, references.semantics) == (
        "References",
        "backmatter",
        "bibliography",
    )
    assert '<li id="ref-b"><i>B <i>x</i></i>.' in references.html


def test_no_bibliography_and_no_citations_builds_as_before(tmp_path: Path) -> None:
    path = _manuscript(tmp_path, "Plain text, and an address: a@b.org.\n", front="")
    book = read_manuscript(path)
    assert [s.title for s in book.sections] == ["One"]
    assert "References" not in book.sections[0].html


def test_in_text_key_not_in_the_bibliography_is_left_as_text_with_a_warning(
    tmp_path: Path,
) -> None:
    path = _manuscript(tmp_path, "As @known2020 found, and as @someone wrote.\n")
    report = DiagnosticCollector()
    book = read_manuscript(path, report)
    assert [str(w) for w in report.warnings] == [
        f"{path}:13:29: warning: '@someone' is not a key in refs.yaml; left as text"
    ]
    assert "@someone wrote" in book.sections[0].html
    assert 'href="#ref-known2020"' in book.sections[0].html


def test_malformed_reference_is_an_error_naming_the_references_file_and_line(
    tmp_path: Path,
) -> None:
    path = _manuscript(tmp_path, "Claim [@known2020].\n")
    (tmp_path / "refs.yaml").write_text(
        "- id: known2020\n  type: book\n  title: Known\n  author: Smith\n", encoding="utf-8"
    )
    assert _errors(path) == [
        f"{tmp_path / 'refs.yaml'}:1: error: the reference 'known2020': 'author' must be a list "
        "of names, each with 'family' and 'given' or a 'literal' (text)"
    ]


def test_epub_landmarks_point_to_the_reference_list(cited) -> None:
    book = Epub(cited[0].epub)
    nav = book.document(book.nav_href())
    links = nav.findall(".//xhtml:nav[@epub:type='landmarks']//xhtml:a", NS)
    types = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in links}
    assert types["bibliography"] == f"{book.spine_hrefs()[-1]}#references"
