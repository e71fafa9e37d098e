"""The readability rule: each language's formula checked on texts graded by hand, and the rule
as the lint runs it (sections over the threshold, long sentences, markers, settings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publish.cli import main
from publish.lint import syllables
from publish.lint.plain_language import Score
from publish.lint.readability import Counts, Settings, count, formula_for
from publish.lint.rules import lint
from support.manuscripts import manuscript

TODAY = dt.date(2026, 11, 26)


def score(text: str, language: str) -> float:
    counts = Counts()
    for sentence in text.split(". "):
        counts += count(syllables.words(sentence), language)
    formula = formula_for(language)
    assert formula is not None
    return formula.score(counts)


def test_flesch_kincaid_grade_by_hand() -> None:
    # 12 words, 2 sentences, 12 syllables (all one-syllable words):
    # 0.39 * 12/2 + 11.8 * 12/12 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
    assert score("The cat sat on the mat. The dog ran to the park.", "en") == pytest.approx(-1.45)
    # de-pres-sion 3, is 1, a 1, com-mon 2, ill-ness 2, treat-ment 2, us-u-al-ly 4, helps 1:
    # 8 words, 2 sentences, 16 syllables: 0.39 * 4 + 11.8 * 2 - 15.59 = 9.57
    text = "Depression is a common illness. Treatment usually helps."
    assert score(text, "en") == pytest.approx(9.57)


def test_szigriszt_pazos_by_hand() -> None:
    # el 1, a-gua 2, es 1, vi-da 2, la 1, ciu-dad 2, duer-me 2: 7 words, 2 sentences, 11
    # syllables: 206.835 - 62.3 * 11/7 - 7/2 = 206.835 - 97.9 - 3.5 = 105.435
    assert score("El agua es vida. La ciudad duerme.", "es") == pytest.approx(105.435)
    # Hiatus: po-e-ta 3, le-yó 2 (the y before a vowel is a consonant), po-e-ma 3; el, un 1:
    # 5 words, 1 sentence, 10 syllables: 206.835 - 62.3 * 2 - 5 = 77.235
    assert score("El poeta leyó un poema.", "es") == pytest.approx(77.235)


def test_wiener_sachtextformel_by_hand() -> None:
    # Der Hund bellt laut (1 syllable each), Die 1, Kat-ze 2, schläft 1: 7 words, 2 sentences;
    # MS 0 %, SL 3.5, IW 1/7 (schläft has 7 letters), ES 6/7:
    # 0.1672 * 3.5 + 0.1297 * 14.2857 - 0.0327 * 85.7143 - 0.875 = -1.2398
    text = "Der Hund bellt laut. Die Katze schläft."
    assert score(text, "de") == pytest.approx(-1.2398, abs=1e-4)
    # Die 1, Be-hand-lung 3, der 1, De-pres-si-on 4, braucht 1, Ge-duld 2: 6 words, 1 sentence;
    # MS 2/6, SL 6, IW 3/6 (Behandlung, Depression, braucht), ES 3/6:
    # 0.1935 * 33.333 + 0.1672 * 6 + 0.1297 * 50 - 0.0327 * 50 - 0.875 = 11.4282
    text = "Die Behandlung der Depression braucht Geduld."
    assert score(text, "de") == pytest.approx(11.4282, abs=1e-4)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {"medicine": 3, "area": 3, "about": 2, "make": 1, "little": 2, "reported": 3}),
        ("es", {"agua": 2, "país": 2, "oír": 2, "leer": 2, "ayuda": 3, "que": 1, "hoy": 1}),
        ("de", {"oder": 2, "Teelöffel": 3, "Häuser": 2, "Studien": 3, "Arzt": 1}),
    ],
)
def test_syllables_where_hyphenation_dictionaries_miss_them(
    language: str, expected: dict[str, int]
) -> None:
    # Pyphen alone gives 1 for medicine, area, about, agua, país, oír, leer and oder.
    assert {word: syllables.count(word, language) for word in expected} == expected


HARD = (
    "Pharmacological investigations concerning psychoactive alkaloids necessitate "
    "considerable methodological sophistication. "
)
EASY = "The cat sat on the mat. The dog ran to the park. We like to read a book. "


def _findings(tmp_path: Path, body: str, front: str = "", **options: object) -> list[str]:
    path = manuscript(tmp_path, body, front=_front(front))
    return [
        f"{d.line}: {d.rule}: {d.message}"
        for d in lint(path, today=TODAY, **options)  # type: ignore[arg-type]
        if d.rule == "readability"
    ]


def _front(extra: str) -> str:
    return (
        "---\ntitle: T\ndate: 2026-11-01\nreviewed: 2026-11-01\n"
        "disclaimer: Not medical advice. In a crisis, call or text 988.\n"
        f"summary: A summary.\n{extra}"
        "---\n"
    )


def test_a_hard_section_is_flagged_at_its_heading_and_an_easy_one_is_not(tmp_path: Path) -> None:
    body = f"\n# Easy\n\n{EASY * 6}\n\n# Hard\n\n{HARD * 12}\n"
    found = _findings(tmp_path, body)
    assert len(found) == 1
    assert found[0].startswith("13: readability: 'Hard' reads at Flesch-Kincaid grade ")
    assert "(at most 8)" in found[0]


def test_tables_code_and_headings_are_not_counted(tmp_path: Path) -> None:
    table = "| A | B |\n|---|---|\n" + f"| {HARD} | x |\n" * 12
    code = "```\n" + HARD * 12 + "\n```\n"
    heading = "# Pharmacological Investigations Concerning Alkaloids"
    body = f"\n{heading}\n\n{EASY * 6}\n\n{table}\n{code}"
    assert _findings(tmp_path, body) == []


def test_a_long_sentence_is_flagged_at_its_line(tmp_path: Path) -> None:
    long = " ".join(["word"] * 30) + "."
    found = _findings(tmp_path, f"\n# A\n\nShort one.\n{long}\n")
    assert found == [
        "12: readability: a sentence of 30 words ('word word word word word word …'; at most "
        "25): split it, or say it in fewer words"
    ]
    wider = Settings(max_sentence_words=30)
    assert _findings(tmp_path, f"\n# A\n\nShort one.\n{long}\n", readability=wider) == []


def test_markers_with_a_reason_allow_a_sentence_or_a_section(tmp_path: Path) -> None:
    long = " ".join(["word"] * 30) + "."
    marked = f"{long} <!-- lint: allow readability: a list of names cannot be split -->"
    section = f"{HARD * 12}\n\nWhy. <!-- lint: allow readability: the terms are the topic -->"
    body = f"\n# A\n\n{marked}\n\n# B\n\n{section}\n"
    assert _findings(tmp_path, body) == []


def test_an_unused_readability_marker_is_reported(tmp_path: Path) -> None:
    body = f"\n# A\n\n{EASY} <!-- lint: allow readability: no need -->\n"
    path = manuscript(tmp_path, body, front=_front(""))
    rules = [d.rule for d in lint(path, today=TODAY)]
    assert rules == ["lint-marker"]


def test_thresholds_from_the_command_line_and_the_front_matter(tmp_path: Path) -> None:
    body = f"\n# A\n\n{HARD * 12}\n"
    lenient = "readability:\n  max-grade: 99\n"
    assert len(_findings(tmp_path, body)) == 1
    assert _findings(tmp_path, body, lenient) == []
    # The command line wins over the front matter.
    found = _findings(tmp_path, body, lenient, readability=Settings(max_grade=8.5))
    assert len(found) == 1 and "(at most 8.5)" in found[0]
    assert _findings(tmp_path, body, "readability:\n  grade: 9\n") == [
        "7: readability: 'readability' has no 'grade'; its keys are max-grade, min-ease, "
        "max-sentence-words",
        found[0].replace("8.5", "8"),
    ]
    refused = _findings(tmp_path, body, "readability:\n  max-grade: -5\n")
    assert refused[0] == (
        "7: readability: 'readability: max-grade' must be a positive number, not '-5'"
    )


def test_spanish_is_judged_by_inflesz(tmp_path: Path) -> None:
    hard = (
        "La farmacología de los alcaloides psicoactivos requiere investigaciones "
        "metodológicamente sofisticadas y extraordinariamente complicadas. "
    )
    front = "lang: es-ES\n"
    found = _findings(tmp_path, f"\n# A\n\n{hard * 10}\n", front)
    assert len(found) == 1 and "Szigriszt-Pazos (INFLESZ)" in found[0]
    assert "(at least 55)" in found[0]
    easy = "El agua es vida. La casa es azul. El sol sale hoy. " * 8
    assert _findings(tmp_path, f"\n# A\n\n{easy}\n", front) == []
    demanding = Settings(min_ease=150)
    assert len(_findings(tmp_path, f"\n# A\n\n{easy * 2}\n", front, readability=demanding)) == 1


def test_a_short_section_is_scored_but_not_judged(tmp_path: Path) -> None:
    path = manuscript(tmp_path, f"\n# A\n\n{HARD}\n", front=_front(""))
    scores: list[Score] = []
    assert [d for d in lint(path, today=TODAY, scores=scores) if d.rule == "readability"] == []
    assert [s.title for s in scores] == ["Summary", "A"]
    assert not scores[1].judged and scores[1].score is not None and scores[1].score > 8


def test_publish_lint_prints_the_grades(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = manuscript(tmp_path, f"\n# Easy\n\n{EASY * 6}\n", front=_front(""))
    main(["lint", str(path), "--grades", "--max-sentence-words", "30"])
    out = capsys.readouterr().out
    assert f"{path}:9: Easy: Flesch-Kincaid grade -1.4 (at most 8; passes) in 108 words" in out
    hard = manuscript(tmp_path, f"\n# Hard\n\n{HARD * 12}\n", front=_front(""), name="hard.md")
    assert main(["lint", str(hard), "--strict"]) == 1
    assert main(["lint", str(hard), "--strict", "--max-grade", "99"]) == 0
    with pytest.raises(SystemExit):
        main(["lint", str(hard), "--max-grade", "eight"])


def test_the_text_before_the_first_heading_is_a_unit_of_its_own(tmp_path: Path) -> None:
    found = _findings(tmp_path, f"\n{HARD * 12}\n\n# Easy\n\n{EASY * 6}\n")
    assert len(found) == 1 and found[0].startswith("9: readability: 'The opening text' reads at")
