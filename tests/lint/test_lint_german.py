"""The lint in German: dosing units and phrases, absolute claims (in main and subordinate
clauses), negations that deny them, statistics, and the disclaimer's crisis lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publish.lint.rules import lint
from publish.lint.wordlists import word_lists
from support.manuscripts import manuscript

TODAY = dt.date(2026, 11, 26)
GERMAN_DISCLAIMER = (
    "Keine ärztliche Beratung. In einer Krise hilft die Telefonseelsorge, 0800 111 0 111."
)


def _front(disclaimer: str) -> str:
    return (
        "---\ntitle: T\ndate: 2026-11-01\nreviewed: 2026-11-01\nlang: de-DE\n"
        f"disclaimer: {disclaimer}\nsummary: Eine Zusammenfassung.\n---\n"
    )


def found(
    tmp_path: Path, body: str, disclaimer: str = GERMAN_DISCLAIMER
) -> list[tuple[int, str, str]]:
    path = manuscript(tmp_path, body, front=_front(disclaimer))
    return [(d.line or 0, d.rule or "", d.message) for d in lint(path, today=TODAY)]


def rules(tmp_path: Path, body: str) -> list[str]:
    return [rule for _, rule, _ in found(tmp_path, body)]


def test_german_has_word_lists() -> None:
    assert word_lists("de") is not None


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Nehmen Sie 5 g am Morgen.", "5 g"),
        ("Man nimmt 2,5 Gramm in Wasser.", "2,5 Gramm"),
        ("Trinken Sie einen Teelöffel davon täglich.", "einen Teelöffel"),
        ("Die Dosis liegt bei 2 bis 4 g.", "2 bis 4 g"),
        ("Zwei Esslöffel pro Tag genügen.", "Zwei Esslöffel"),
        ("Er konsumierte 10 ml des Extrakts.", "10 ml"),
    ],
)
def test_german_dosing(tmp_path: Path, sentence: str, amount: str) -> None:
    results = found(tmp_path, f"\n# A\n\n{sentence}\n")
    assert [(line, rule) for line, rule, _ in results] == [(12, "dosing")]
    assert f"'{amount}'" in results[0][2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Proben wogen 5 Gramm [@x].",
        "Ein Teelöffel ist ein Küchengerät.",
        "Die Pflanze wird bis zu 25 m hoch [@x].",
    ],
)
def test_german_weights_that_are_no_dose_pass(tmp_path: Path, sentence: str) -> None:
    assert rules(tmp_path, f"\n# A\n\n{sentence}\n") == []


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("Kratom heilt Depressionen.", "heilt Depressionen"),
        ("Händler sagen, dass Kratom Depressionen heilt.", "Depressionen heilt"),
        ("Das Kraut ist 100 % sicher.", "100 % sicher"),
        ("Die Wirkung ist garantiert.", "garantiert"),
        ("Es ist klinisch bewiesen.", "klinisch bewiesen"),
        ("Ein Wundermittel aus Asien.", "Wundermittel"),
        ("Es wirkt ohne Nebenwirkungen.", "ohne Nebenwirkungen"),
        ("Es ist billig, aber es heilt die Sucht.", "heilt die Sucht"),
    ],
)
def test_german_claims(tmp_path: Path, sentence: str, claim: str) -> None:
    results = found(tmp_path, f"\n# A\n\n{sentence}\n")
    assert [(line, rule) for line, rule, _ in results] == [(12, "absolute-claim")]
    assert f"'{claim}'" in results[0][2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Keine Studie hat gezeigt, dass Kratom Depressionen heilt.",
        "Es gibt keine Belege, dass es Depressionen heilt.",
        "Kratom ist nicht 100 % sicher.",
        "Nichts ist garantiert.",
        "Es ist falsch, dass Kratom ein Wundermittel ist.",
        "Kratom heilt niemals Depressionen, und es ist kein Wundermittel.",
    ],
)
def test_german_negated_claims_pass(tmp_path: Path, sentence: str) -> None:
    assert rules(tmp_path, f"\n# A\n\n{sentence}\n") == []


def test_not_only_is_no_negation(tmp_path: Path) -> None:
    assert rules(tmp_path, "\n# A\n\nEs ist nicht nur billig, es heilt Depressionen.\n") == [
        "absolute-claim"
    ]


def test_a_quoted_german_claim_with_an_allow_marker_passes(tmp_path: Path) -> None:
    body = '\n# A\n\nEine Seite schrieb „heilt Depressionen". <!-- lint: allow absolute-claim -->\n'
    assert rules(tmp_path, body) == []


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("40 % der Befragten hörten auf.", True),
        ("Zwei von drei Nutzern berichten das.", True),
        ("Mehr als die Hälfte war abhängig.", True),
        ("Siehe Tabelle 2 und Abschnitt 3.", False),
        ("Die Studie lief am 25. November 2026.", False),
        ("Die Telefonseelsorge ist unter 0800 111 0 111 rund um die Uhr erreichbar.", False),
        ("Rufen Sie den Notruf 112 an.", False),
    ],
)
def test_german_uncited_statistics(tmp_path: Path, sentence: str, flagged: bool) -> None:
    expected = ["uncited-statistic"] if flagged else []
    assert rules(tmp_path, f"\n# A\n\n{sentence}\n") == expected
    assert rules(tmp_path, f"\n# A\n\n{sentence} [@x]\n") == []


def test_a_german_disclaimer_needs_a_crisis_line(tmp_path: Path) -> None:
    results = found(tmp_path, "\n# A\n\nText.\n", disclaimer="Keine ärztliche Beratung.")
    assert [(line, rule) for line, rule, _ in results] == [(6, "disclaimer")]
    assert rules(tmp_path, "\n# A\n\nText.\n") == []
    notruf = "Keine Beratung. Im Notfall den Notruf 112 wählen."
    assert [r for _, r, _ in found(tmp_path, "\n# A\n\nText.\n", disclaimer=notruf)] == []


def test_labels_and_emergency_numbers_are_no_statistics(tmp_path: Path) -> None:
    body = (
        "\n# A\n\nAbbildung 1 zeigt es. Im Notfall die 112. Eine Angststörung heilt nie von "
        "selbst.\n"
    )
    assert rules(tmp_path, body) == []
    assert rules(tmp_path, "\n# A\n\nDas Mittel heilt jede Angststörung.\n") == ["absolute-claim"]
