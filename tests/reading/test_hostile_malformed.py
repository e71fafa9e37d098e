"""Malformed input is an error naming file and line, never a traceback: characters that are never
text (YAML escapes of controls, noncharacters, lone surrogates), forged citation markers, deep
front matter, file names the system cannot open, CSL numbers no date has."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.manuscripts import FRONT, FRONT_LINES, body_html, errors, manuscript, warnings


@pytest.mark.parametrize(
    ("title", "described"),
    [
        ('"a\\x1b]0;owned\\x07b"', "U+001B, a control character"),
        ('"a\\uFFFEb"', "U+FFFE, a noncharacter"),
        ('"a\\ud800 and the rest of the title"', "U+D800, a lone surrogate"),
        ('"x \\ufdd07\\ufdd1 y"', "U+FDD0, a noncharacter"),
    ],
    ids=["escape sequence", "noncharacter", "lone surrogate", "forged citation marker"],
)
def test_front_matter_escapes_of_what_is_never_text(
    tmp_path: Path, title: str, described: str
) -> None:
    front = FRONT.replace("title: T", f"title: {title}")
    (message,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert message.startswith(f"book.md:2: error: 'title' holds {described}")


def test_a_forged_citation_marker_in_the_body(tmp_path: Path) -> None:
    (message,) = errors(manuscript(tmp_path, "# One\n\nText \ufdd099\ufdd1 here.\n"))
    assert message.startswith(f"book.md:{FRONT_LINES + 3}:6: error: U+FDD0, a noncharacter")


def test_deep_front_matter(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nkeywords: " + "[" * 3000 + "]" * 3000 + "\n", 1)
    (message,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert message == "book.md:2: error: front matter nests lists or mappings too deep to read"


def _loop(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink("loop.png", folder / "loop.png")


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("loop.png", "its symbolic links lead round in a loop"),
        ("a%00b.png", "it holds a NUL character"),
        ("y" * 300 + ".png", "the name is longer than the file system allows"),
    ],
    ids=["symlink loop", "NUL", "too long"],
)
def test_image_paths_the_system_cannot_open(tmp_path: Path, target: str, why: str) -> None:
    _loop(tmp_path)
    (message,) = errors(manuscript(tmp_path, f"# One\n\n![x]({target})\n"))
    assert message.startswith(f"book.md:{FRONT_LINES + 3}: error:")
    assert f"names no usable file: {why}" in message


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("loop.png", "its symbolic links lead round in a loop"),
        ("y" * 300 + ".png", "the name is longer than the file system allows"),
    ],
    ids=["symlink loop", "too long"],
)
def test_cover_paths_the_system_cannot_open(tmp_path: Path, value: str, why: str) -> None:
    _loop(tmp_path)
    front = FRONT.replace("---\n", f"---\ncover-image: {value}\n", 1)
    (message,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert message.startswith("book.md:2: error: 'cover-image'")
    assert why in message


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "refs.yaml",
            "- id: a\n  type: book\n  issued: {date-parts: [[" + "9" * 5000 + "]]}\n",
            "refs.yaml:1: error: the reference 'a': 'issued' must be a CSL date",
        ),
        (
            "refs.yaml",
            "- id: a\n  type: book\n  issued: {date-parts: [['2²']]}\n",
            "refs.yaml:1: error: the reference 'a': 'issued' must be a CSL date",
        ),
        (
            "refs.json",
            '[{"id": "a", "type": "book", "issued": {"date-parts": [[' + "9" * 5000 + "]]}}]",
            "refs.json: error: holds a number longer than",
        ),
        (
            "refs.yaml",
            '- id: a\n  type: book\n  title: "A\\uFFFE"\n',
            "refs.yaml:1: error: the reference 'a' holds U+FFFE, a noncharacter",
        ),
    ],
    ids=["5,000 digits", "superscript digit", "5,000 digits in JSON", "noncharacter"],
)
def test_malformed_csl_fields(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    front = FRONT.replace("---\n", f"---\nbibliography: {name}\n", 1)
    (message,) = errors(manuscript(tmp_path, "# One\n\nSee [@a].\n", front=front))
    assert message.replace(str(tmp_path) + "/", "").startswith(expected)


def test_a_note_defined_twice_is_a_warning_naming_the_one_kept(tmp_path: Path) -> None:
    body = "# One\n\nText[^a].\n\n[^a]: First.\n\n```\n[^a]: in code\n```\n\n[^a]: Second.\n"
    book, found = warnings(manuscript(tmp_path, body))
    first, kept = FRONT_LINES + 5, FRONT_LINES + 11
    assert found == [
        f"book.md:{first}: warning: the note '[^a]' is defined again on line {kept}: the "
        f"definition on line {kept} is kept and this one is left out; give one of them another "
        "label"
    ]
    notes = "".join(n.html for s in book.sections for n in s.notes)
    assert "Second." in notes and "First." not in notes and "First." not in body_html(book)


def test_a_failed_build_leaves_no_half_made_files_folder(tmp_path: Path) -> None:
    import shutil

    from publish.build import build
    from publish.errors import PublishError
    from support import ROOT

    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "styles", styles)
    # The HTML edition is written first; then the PDF's stylesheet asks for a file outside.
    css = styles / "print.css"
    css.write_text('@import "../../private.css";\n' + css.read_text(encoding="utf-8"))
    path = manuscript(tmp_path / "book", "# One\n\nText.\n")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "kept.txt").write_text("already here", encoding="utf-8")
    with pytest.raises(PublishError, match="stylesheet"):
        build(path, dist, ["html", "pdf"], styles_dir=styles)
    assert sorted(p.name for p in dist.iterdir()) == ["kept.txt"]
