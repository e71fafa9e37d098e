"""A script the bundled fonts cannot set: a book written in it is an error before any PDF is laid
out; a passage in it is a warning that names the script and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.build import build
from publish.editions.pdf.scripts import by_script, script_of
from publish.errors import DiagnosticCollector, PublishError
from support.manuscripts import manuscript


def _front(lang: str) -> str:
    return (
        f"---\ntitle: T\ndate: 2026-11-01\nlang: {lang}\n"
        "disclaimer: Not medical advice. In a crisis, call your local emergency number.\n"
        "summary: A short summary.\n---\n"
    )


CHINESE = "睡眠不足会影响情绪。这份指南总结了已知的内容。规律的作息对很多人有帮助。"
ARABIC = "قلة النوم تؤثر على المزاج."


def test_scripts_by_unicode_property() -> None:
    assert [script_of(c) for c in "漢あア\u0627אअกЖa😀"] == [
        "Han", "Hiragana", "Katakana", "Arabic", "Hebrew", "Devanagari", "Thai", "Cyrillic",
        "Latin", "symbols",
    ]  # fmt: skip
    assert by_script("漢\u0627字") == {"Han": ["漢", "字"], "Arabic": ["\u0627"]}


@pytest.mark.parametrize(
    ("lang", "text", "script", "code"),
    [("zh-CN", CHINESE, "Han", "U+7761"), ("ar", ARABIC * 3, "Arabic", "U+0642")],
)
def test_a_book_in_a_script_the_fonts_cannot_set_is_an_error(
    tmp_path: Path, lang: str, text: str, script: str, code: str
) -> None:
    path = manuscript(tmp_path / "book", f"\n# 1\n\nOK.\n\n{text}\n", front=_front(lang))
    out = tmp_path / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("before", encoding="utf-8")
    with pytest.raises(PublishError) as raised:
        build(path, out, ["pdf", "html"], report=DiagnosticCollector())
    message = str(raised.value.diagnostics[0])
    assert message.startswith(f"{path}:13: error: the text is in the {script} script (")
    assert code in message and "empty boxes" in message and "--format epub,html" in message
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]  # nothing written


def test_the_html_edition_of_such_a_book_still_builds(tmp_path: Path) -> None:
    path = manuscript(tmp_path / "book", f"\n# 1\n\n{CHINESE}\n", front=_front("zh-CN"))
    build(path, tmp_path / "dist", ["html"], report=DiagnosticCollector())
    assert CHINESE in (tmp_path / "dist" / "book.html").read_text(encoding="utf-8")


def test_a_passage_in_another_script_is_a_warning_with_its_script_and_line(
    tmp_path: Path,
) -> None:
    body = (
        "\n# Sleep\n\n"
        + "Too little sleep weighs on mood, as many readers know well. " * 6
        + "\n\n"
        f"In Arabic one says: {ARABIC}\n\nIn Chinese: 睡眠.\n"
    )
    path = manuscript(tmp_path / "book", body, front=_front("en-US"))
    report = DiagnosticCollector()
    build(path, tmp_path / "dist", ["pdf"], report=report)
    assert (tmp_path / "dist" / "book.pdf").is_file()
    (warning,) = [str(w) for w in report.warnings if "bundled font" in w.message]
    assert warning.startswith(f"{path}:13: warning: no bundled font has the Arabic script (")
    assert "U+0642 ARABIC LETTER QAF" in warning and "first on line 13" in warning
    assert "the Han script ('睡' (U+7761" in warning and "first on line 15" in warning


def test_the_pdf_worker_refuses_such_a_book_too(tmp_path: Path) -> None:
    path = manuscript(tmp_path / "book", f"\n# 1\n\n{CHINESE}\n", front=_front("zh-CN"))
    with pytest.raises(PublishError, match="the text is in the Han script"):
        build(path, tmp_path / "dist", ["pdf", "epub"], report=DiagnosticCollector(), parallel=True)
    assert not (tmp_path / "dist" / "book.epub").exists()
