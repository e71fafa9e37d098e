"""Messages quote what a submission holds (front matter, the references file, file names, tools'
reports on crafted editions); a terminal must be shown its control characters, never obey them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from publish.checks.report import epubcheck_outcome
from publish.cli import main
from publish.errors import Diagnostic, visible
from publish.progress import Progress
from support.manuscripts import FRONT, manuscript

OSC_TITLE = "\x1b]0;owned\x07"  # sets the window title
ERASE = "\x1b[2J\x1b[1A"  # clears the screen, moves up


def printed(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out + err


def assert_inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\u202e" not in text


def test_yaml_escapes_in_the_front_matter_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    front = FRONT.replace("---\ntitle", '---\nlang: "\\e]0;owned\\a\\e[2J"\ntitle')
    book = manuscript(tmp_path / "book", "# One\n\nText.\n", front=front)
    status, text = printed(capsys, "build", str(book), "-o", str(tmp_path / "dist"))
    assert status == 1
    assert_inert(text)
    assert "\\x1b]0;owned\\x07\\x1b[2J" in text


def test_json_escapes_in_the_references_file_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    entries = [
        {"id": "cited", "type": "book", "title": "A", "issued": {"date-parts": [[2020]]}},
        {"id": f"never{OSC_TITLE}", "type": "book", "title": "B"},
    ]
    (folder / "refs.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
    front = FRONT.replace("---\ntitle", "---\nbibliography: refs.json\ntitle")
    book = manuscript(folder, "# One\n\nText [@cited].\n", front=front)
    _, text = printed(capsys, "build", str(book), "-o", str(tmp_path / "dist"), "--format", "html")
    assert_inert(text)
    assert "never\\x1b]0;owned\\x07" in text  # the warning about the uncited entry


def test_a_file_name_with_escapes_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = manuscript(tmp_path / f"b{ERASE}", "# One\n\nText.\n", name=f"x{OSC_TITLE}.md")
    status, text = printed(
        capsys, "build", str(book), "-o", str(tmp_path / "dist"), "--format", "html"
    )
    assert status == 0
    assert_inert(text)
    assert f"x{visible(OSC_TITLE)}.md" in text  # the step line names the manuscript
    status, text = printed(capsys, "lint", str(book))
    assert_inert(text)
    assert "\\x1b[2J\\x1b[1A" in text  # lint findings name the file


def test_the_command_line_shows_the_arguments_it_refuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--format", f"pdf,{ERASE}"])
    _, err = capsys.readouterr()
    assert_inert(err)
    assert "\\x1b[2J" in err


def test_a_tool_report_on_a_crafted_edition_is_shown() -> None:
    report = {
        "messages": [
            {
                "severity": "ERROR",
                "ID": "RSC-001",
                "message": f"missing{ERASE}",
                "locations": [{"path": f"EPUB/{OSC_TITLE}.xhtml", "line": 1, "column": 1}],
            }
        ]
    }
    outcome = epubcheck_outcome(report)
    stream = io.StringIO()
    progress = Progress(stream, live=False)
    with progress.step("epubcheck") as step:
        step.detail = outcome.summary + "".join(f"\n  {line}" for line in outcome.details)
    assert_inert(stream.getvalue())
    assert "\\x1b]0;owned\\x07.xhtml" in stream.getvalue()
    assert stream.getvalue().count("\n") == 2  # its own line break kept, none forged


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b", "\\x1b"),
        ("\x9b", "\\x9b"),  # C1 control sequence introducer
        ("\x7f", "\\x7f"),
        ("\n", "\\x0a"),  # a message cannot forge a second diagnostic line
        ("\r", "\\x0d"),
        ("\u202e", "\\u202e"),  # reorders what follows on screen
        ("\u2028", "\\u2028"),
        ("\ud800", "\\ud800"),  # a lone surrogate cannot even be encoded for the terminal
        ("é \u2013 ü", "é \u2013 ü"),
    ],
)
def test_every_diagnostic_shows_its_control_characters(raw: str, shown: str) -> None:
    diagnostic = Diagnostic(Path(f"a{raw}.md"), 3, f"title {raw} here", rule="r")
    assert str(diagnostic) == f"a{shown}.md:3: error: title {shown} here [r]"
    str(diagnostic).encode("utf-8")  # printable: no lone surrogate left
