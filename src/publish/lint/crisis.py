"""Crisis lines by region (rule ``disclaimer``): the numbers a reader in the manuscript's region
can call, from ``publish/data/crisis_lines.yaml``, where each carries its source and the date it
was checked. A disclaimer for that region that names none of them is a warning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from publish.errors import DiagnosticCollector
from publish.reading.frontmatter import FrontMatter

RULE = "disclaimer"


@dataclass(frozen=True)
class CrisisLine:
    number: str
    name: str
    source: str
    checked: str


@cache
def crisis_lines() -> dict[str, tuple[CrisisLine, ...]]:
    """Each region's lines (``ES`` → 024, 112), as the data file lists them."""
    source = resources.files("publish") / "data" / "crisis_lines.yaml"
    loaded: dict[str, list[dict[str, Any]]] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return {
        region: tuple(
            CrisisLine(str(e["number"]), str(e["name"]), str(e["source"]), str(e["checked"]))
            for e in entries
        )
        for region, entries in loaded.items()
    }


def region_of(lang: str) -> str | None:
    """The region subtag of a BCP 47 tag: ``es-MX`` → ``MX``; ``es`` → none."""
    return next((p.upper() for p in lang.split("-")[1:] if len(p) == 2 and p.isalpha()), None)


def names_one(text: str, lines: tuple[CrisisLine, ...]) -> bool:
    """Whether ``text`` gives one of the numbers, however its digits are grouped."""
    for line in lines:
        digits = r"[\s.\-\u00a0]?".join(re.escape(d) for d in re.sub(r"\D", "", line.number))
        if re.search(rf"(?<![\d]){digits}(?![\d])", text):
            return True
    return False


def _short(name: str) -> str:
    """A line's name without its details: 'Samaritans, free ...' → 'Samaritans'."""
    return re.split(r"[,(]", name)[0].strip()


def check_region(front: FrontMatter, lang: str, path: Path, report: DiagnosticCollector) -> None:
    value = front.values.get("disclaimer")
    region = region_of(lang)
    lines = crisis_lines().get(region or "", ())
    if not isinstance(value, str) or not value.strip() or not lines or names_one(value, lines):
        return
    listed = ", ".join(
        f"{line.number} ({re.split(r'[,(]', line.name)[0].strip()})" for line in lines
    )
    report.warning(
        path,
        front.key_lines.get("disclaimer"),
        f"the disclaimer names no crisis line of {region}, where '{lang}' is read: give one, "
        f"such as {listed}",
        rule=RULE,
    )
