"""`publish check` on editions crafted to break it: each is a failed check with one line naming
the file (and the member), never a traceback, and what the check reads stays bounded."""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pikepdf
import pytest

from publish.checks import archive
from publish.cli import main
from support import ROOT
from support.manuscripts import manuscript
from support.packages import CONTAINER

OPF = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
    "<metadata/><manifest>{items}</manifest><spine/></package>"
)
XHTML = (
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{}</body></html>'
)


def _epub(path: Path, members: dict[str, bytes | str], *, store: bool = False) -> Path:
    method = zipfile.ZIP_STORED if store else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as target:
        target.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        for name, data in members.items():
            target.writestr(name, data)
    return path


def _package(
    items: dict[str, str], extra: dict[str, bytes | str] | None = None
) -> dict[str, bytes | str]:
    listed = "".join(
        f'<item id="i{n}" href="{href}" media-type="application/xhtml+xml"/>'
        for n, href in enumerate(items)
    )
    members: dict[str, bytes | str] = {
        "META-INF/container.xml": CONTAINER.format(opf="EPUB/package.opf"),
        "EPUB/package.opf": OPF.format(items=listed),
    }
    members.update({f"EPUB/{href}": body for href, body in items.items() if body})
    members.update(extra or {})
    return members


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], skip: str) -> tuple[int, str]:
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    folders = ["-o", str(tmp_path / "dist"), "--reports", str(tmp_path / "r")]
    code = main(["check", str(book), *folders, "--skip", skip])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _failed_line(output: str, check: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(check)]
    assert lines, output
    assert " FAIL " in lines[0], output
    return lines[0]


def _dist(tmp_path: Path) -> Path:
    (tmp_path / "dist").mkdir(exist_ok=True)
    return tmp_path / "dist"


def _deep(levels: int) -> str:
    return XHTML.format("<div>" * levels + "deep" + "</div>" * levels)


EPUBS = {
    "not a zip": (lambda p: p.write_bytes(b"PK but not really a zip" * 100), "not a zip archive"),
    "no container": (
        lambda p: _epub(p, {"EPUB/package.opf": OPF.format(items="")}),
        "no META-INF/container.xml",
    ),
    "missing package": (
        lambda p: _epub(p, {"META-INF/container.xml": CONTAINER.format(opf="EPUB/gone.opf")}),
        "member 'META-INF/container.xml' names the package document 'EPUB/gone.opf', which is not",
    ),
    "missing member": (
        lambda p: _epub(p, _package({"one.xhtml": XHTML.format("x"), "two.xhtml": ""})),
        "member 'EPUB/package.opf' lists 'two.xhtml', which is not in the archive",
    ),
    "deep XHTML": (
        lambda p: _epub(p, _package({"deep.xhtml": _deep(100_000)})),
        "member 'EPUB/deep.xhtml' ",
    ),
    "deep within lxml's limits": (
        lambda p: _epub(p, _package({"deep.xhtml": _deep(archive.MAX_XML_DEPTH + 5)})),
        f"member 'EPUB/deep.xhtml' nests elements more than {archive.MAX_XML_DEPTH} deep",
    ),
    "bomb": (
        lambda p: _epub(
            p, _package({"one.xhtml": XHTML.format("x")}, {"EPUB/big.bin": b"\0" * (300 << 20)})
        ),
        "member 'EPUB/big.bin' inflates to more than",
    ),
    "many members": (
        lambda p: shutil.copy(_many_members(), p),
        "100,001 members, more than an EPUB may hold",
    ),
    "path outside": (
        lambda p: _epub(p, _package({"one.xhtml": XHTML.format("x")}, {"../../x": "escape"})),
        "member '../../x' has a path outside the archive",
    ),
    "damaged member": (
        lambda p: _damaged(_epub(p, _package({"one.xhtml": XHTML.format("x" * 5000)}))),
        "a damaged zip archive",
    ),
}


@functools.cache
def _many_members() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="many-members-"))
    atexit.register(shutil.rmtree, folder, True)
    return _epub(folder / "many.epub", {f"m{n}": b"" for n in range(100_000)}, store=True)


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b"EPUB/one.xhtml") + len("EPUB/one.xhtml") + 10  # into its deflated bytes
    data[at : at + 40] = os.urandom(40)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("case", list(EPUBS))
def test_a_crafted_epub_fails_its_checks_with_the_reason(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = EPUBS[case]
    epub = _dist(tmp_path) / "book.epub"
    make(epub)
    code, output = _check(tmp_path, capsys, "pdf,lint,parity")
    assert code == 1
    assert "Traceback" not in output
    for check in ("epubcheck", "ace"):  # neither tool is run on it: the pre-check failed
        line = _failed_line(output, check)
        assert f"{epub}: " in line and reason in line, line


def test_a_bomb_is_stopped_at_the_cap_not_read_whole(tmp_path: Path) -> None:
    bomb = _epub(tmp_path / "book.epub", {"big": b"\0" * (archive.MAX_MEMBER_BYTES * 4)})
    read = 0
    original = zipfile.ZipExtFile.read

    def counting(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        nonlocal read
        data = original(self, n)
        read += len(data)
        return data

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipExtFile, "read", counting)
        problem = archive.epub_problem(bomb)
    assert problem is not None and "member 'big' inflates to more than" in problem
    assert read <= archive.MAX_MEMBER_BYTES + 2 * (1 << 16)  # the cap, and a chunk past it


def test_a_member_that_lies_about_its_size_is_still_capped(tmp_path: Path) -> None:
    bomb = _epub(tmp_path / "book.epub", {"big": b"\0" * (archive.MAX_MEMBER_BYTES + 1)})
    data = bytearray(bomb.read_bytes())
    # The central directory's and the local header's "uncompressed size": a small lie.
    with zipfile.ZipFile(bomb) as opened:
        info = opened.getinfo("big")
    true_size = info.file_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(true_size, (1000).to_bytes(4, "little")))
    bomb.write_bytes(bytes(data))
    problem = archive.epub_problem(bomb)
    assert problem is not None and problem.startswith(f"{bomb}: ")


def _pdf_bytes() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


PDFS = {
    "random bytes": (lambda: b"%PDF-1.7\n" + os.urandom(20_000), "not a readable PDF"),
    "truncated": (lambda: _pdf_bytes()[:400], "not a readable PDF"),
    "no header": (lambda: b"<html>not a pdf</html>", "not a PDF (it does not start with %PDF-)"),
}


@pytest.mark.parametrize("case", list(PDFS))
def test_a_crafted_pdf_fails_the_pdf_check_with_the_reason(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = PDFS[case]
    pdf = _dist(tmp_path) / "book.pdf"
    pdf.write_bytes(make())
    code, output = _check(tmp_path, capsys, "epubcheck,ace,lint,parity")
    assert code == 1
    assert "Traceback" not in output
    line = _failed_line(output, "pdf")
    assert f"{pdf}: {reason}" in line, line


def test_a_page_tree_that_leads_back_to_itself_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.save(tmp_path / "two.pdf", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = (tmp_path / "two.pdf").read_bytes()
    with pikepdf.open(tmp_path / "two.pdf") as opened:
        pages, second = opened.Root.Pages.objgen, opened.pages[1].objgen
    kid, tree = f"{second[0]} {second[1]} R".encode(), f"{pages[0]} {pages[1]} R".encode()
    assert len(kid) == len(tree)  # same length: the cross-reference offsets stay right
    at = data.index(b"/Kids")
    end = data.index(b"]", at)
    cyclic = data[:at] + data[at:end].replace(kid, tree) + data[end:]
    assert cyclic != data
    (_dist(tmp_path) / "book.pdf").write_bytes(cyclic)
    code, output = _check(tmp_path, capsys, "epubcheck,ace,lint,parity")
    assert code == 1 and "Traceback" not in output
    line = _failed_line(output, "pdf")
    assert "book.pdf: not a readable PDF" in line and "cyclic" in line, line


def test_parity_is_not_run_on_editions_that_failed_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = _dist(tmp_path)
    (dist / "book.epub").write_bytes(b"not a zip")
    (dist / "book.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2_000))
    (dist / "book.html").write_text("<html><body><p>x</p></body></html>")
    code, output = _check(tmp_path, capsys, "epubcheck,ace,pdf,lint")
    assert code == 1 and "Traceback" not in output
    line = _failed_line(output, "parity")
    assert f"{dist / 'book.epub'}: not a zip archive" in line, line


def test_a_check_that_crashes_is_a_failed_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.checks import report

    def crash(*_: object) -> object:
        raise ValueError("the tool's report is not JSON\nsecond line")

    monkeypatch.setattr(report, "epubcheck", crash)
    _epub(_dist(tmp_path) / "book.epub", _package({"one.xhtml": XHTML.format("x")}))
    code, output = _check(tmp_path, capsys, "ace,pdf,lint,parity")
    assert code == 1 and "Traceback" not in output
    line = _failed_line(output, "epubcheck")
    assert "the check stopped (ValueError: the tool's report is not JSON)" in line, line
    assert "second line" not in output


def test_from_the_command_line_a_bomb_is_one_line_and_exit_1(tmp_path: Path) -> None:
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    shutil.copy(_many_members(), _dist(tmp_path) / "book.epub")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "publish",
            "check",
            str(book),
            "-o",
            str(tmp_path / "dist"),
            "--reports",
            str(tmp_path / "r"),
            "--skip",
            "pdf,lint,parity",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "100,001 members, more than an EPUB may hold" in _failed_line(run.stdout, "epubcheck")
