"""The lint in Spanish, a language without lists, and crisis lines by region."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from publish.lint.crisis import crisis_lines, names_one, region_of
from publish.lint.rules import lint
from support.manuscripts import manuscript

TODAY = dt.date(2026, 11, 26)


SPANISH_DISCLAIMER = "No es consejo médico. En una crisis, llame al 024."


def _front(lang: str, disclaimer: str = SPANISH_DISCLAIMER) -> str:
    return (
        f"---\ntitle: T\ndate: 2026-11-01\nreviewed: 2026-11-01\nlang: {lang}\n"
        f"disclaimer: {disclaimer}\nsummary: Un resumen.\n---\n"
    )


def found(tmp_path: Path, body: str, lang: str = "es-ES", **kw: str) -> list[tuple[int, str, str]]:
    path = manuscript(tmp_path, body, front=_front(lang, **kw))
    return [(d.line or 0, d.rule or "", d.message) for d in lint(path, today=TODAY)]


def rules(tmp_path: Path, body: str, **kw: str) -> list[str]:
    return [rule for _, rule, _ in found(tmp_path, body, **kw)]


def test_spanish_dosing_units(tmp_path: Path) -> None:
    body = "\n# A\n\nTome 5 gramos al día.\n\nBeba una cucharadita antes de dormir.\n"
    results = found(tmp_path, body)
    assert [(line, rule) for line, rule, _ in results] == [(12, "dosing"), (14, "dosing")]
    assert "'5 gramos'" in results[0][2] and "'una cucharadita'" in results[1][2]


def test_spanish_weighing_is_not_dosing(tmp_path: Path) -> None:
    assert rules(tmp_path, "\n# A\n\nLas muestras pesaban 5 gramos [@x].\n") == []


def test_spanish_claims(tmp_path: Path) -> None:
    body = "\n# A\n\nEsta hoja cura la depresión.\n\nEs 100 % seguro.\n"
    assert [(line, rule) for line, rule, _ in found(tmp_path, body)] == [
        (12, "absolute-claim"),
        (14, "absolute-claim"),
    ]


def test_spanish_negated_claims_pass(tmp_path: Path) -> None:
    body = (
        "\n# A\n\nNingún ensayo ha demostrado que cura la depresión.\n\n"
        "No hay pruebas de que sea 100 % seguro.\n"
    )
    assert rules(tmp_path, body) == []


def test_a_spanish_claim_after_a_clause_break_is_flagged(tmp_path: Path) -> None:
    body = "\n# A\n\nNo es caro, pero cura la depresión.\n"
    assert rules(tmp_path, body) == ["absolute-claim"]


def test_a_quoted_spanish_claim_with_an_allow_marker_passes(tmp_path: Path) -> None:
    body = '\n# A\n\nUna web decía "cura la depresión". <!-- lint: allow absolute-claim -->\n'
    assert rules(tmp_path, body) == []


def test_spanish_uncited_statistic(tmp_path: Path) -> None:
    assert rules(tmp_path, "\n# A\n\nEl 40 % de los usuarios lo dejó.\n") == ["uncited-statistic"]
    assert rules(tmp_path, "\n# A\n\nVea la tabla 2 y llame al 024.\n") == []


def test_a_language_without_lists_gets_one_notice(tmp_path: Path) -> None:
    body = "\n# A\n\nTome 5 gramos.\n\nOutro parágrafo.\n"
    results = found(tmp_path, body, lang="pt-BR", disclaimer="Não é conselho médico.")
    assert [(line, rule) for line, rule, _ in results] == [(5, "language")]
    assert "no word lists" in results[0][2]


def test_a_region_disclaimer_without_its_crisis_line_warns(tmp_path: Path) -> None:
    results = found(
        tmp_path, "\n# A\n\nTexto.\n", lang="es-MX", disclaimer="No es consejo. Llame al 024."
    )
    assert [(line, rule) for line, rule, _ in results] == [(6, "disclaimer")]
    assert "MX" in results[0][2] and "800 911 2000" in results[0][2]


def test_a_region_disclaimer_with_its_crisis_line_passes(tmp_path: Path) -> None:
    disclaimer = "No es consejo. Llame a la Línea de la Vida, 800-911-2000."
    assert rules(tmp_path, "\n# A\n\nTexto.\n", lang="es-MX", disclaimer=disclaimer) == []
    assert rules(tmp_path, "\n# A\n\nTexto.\n", lang="es-ES") == []


def test_every_crisis_number_carries_its_source_and_date() -> None:
    for region, lines in crisis_lines().items():
        assert len(region) == 2 and lines
        for line in lines:
            assert line.source.strip() and line.name.strip()
            assert dt.date.fromisoformat(line.checked) <= dt.date(2026, 12, 1)


def test_regions_and_number_forms() -> None:
    assert (region_of("es-MX"), region_of("de"), region_of("sr-Latn-RS")) == ("MX", None, "RS")
    german = crisis_lines()["DE"]
    assert names_one("Rufen Sie 0800 111 0 111 an.", german)
    assert names_one("Rufen Sie 08001110111 an.", german)
    assert not names_one("Rufen Sie 0800 111 an.", german[:2])
