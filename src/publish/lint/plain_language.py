"""The ``readability`` rule (a warning): each section's grade by its language's formula, and
sentences longer than readers follow easily.

What is counted is the prose readers get, section by section: the paragraphs, list items,
quotations and notes of the Book's HTML, without headings, tables, figures and their captions,
code, formulas, citation marks and the reference list; the summary is scored as a unit of its
own; the disclaimer, whose wording is the publisher's, is not. Each sentence is placed in the
source as the other rendered checks place theirs (``rendered.SourceMap``), so a finding names
its line: a section's at its heading, a sentence's where it starts.

An author allows what cannot read more plainly with a marker naming the rule, and a reason
after a colon (``<!-- lint: allow readability: the drug names are the subject -->``): written
in or right after a long sentence, it allows that sentence; anywhere else in a section's prose,
it allows the section's grade.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publish.errors import DiagnosticCollector
from publish.lint import rendered
from publish.lint.prose import Paragraph
from publish.lint.readability import (
    GRADE,
    MIN_WORDS,
    Counts,
    Formula,
    Settings,
    count,
    formula_for,
)
from publish.lint.syllables import words
from publish.lint.verdicts import Verdicts
from publish.model import Book
from publish.reading.frontmatter import FrontMatter
from publish.reading.limits import parse_fragment

RULE = "readability"
FRONT_MATTER_KEY = "readability"
SUMMARY = "Summary"
OPENING = "The opening text"  # the untitled text before the first heading
_SETTING_KEYS = {"max-grade": float, "min-ease": float, "max-sentence-words": int}
_PROSE = frozenset(("p", "li", "dt", "dd", "blockquote", "aside", "div"))
_BLOCKS = _PROSE | frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "section"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Not prose: their text is not counted, inside a block or as blocks of their own.
_SKIPPED = frozenset(
    ("table", "figure", "figcaption", "pre", "code", "kbd", "samp", "math", "svg", "nav")
)


@dataclass(frozen=True)
class Score:
    """One section's score, for the report ``publish lint --grades`` prints."""

    title: str
    line: int | None
    formula: Formula
    score: float | None  # None: no words to score
    threshold: float
    counts: Counts
    judged: bool  # long enough for the formula to say something
    allowed: bool

    def __str__(self) -> str:
        if self.score is None:
            return f"{self.title}: no prose to score"
        limit = "at most" if self.formula.kind == GRADE else "at least"
        verdict = "passes" if self.formula.passes(self.score, self.threshold) else "over"
        if not self.judged:
            verdict = f"not judged, under {MIN_WORDS} words"
        elif self.allowed and verdict == "over":
            verdict = "over, allowed by a marker"
        return (
            f"{self.title}: {self.formula.name} {self.score:.1f} ({limit} "
            f"{self.threshold:g}; {verdict}) in {self.counts.words} words, "
            f"{self.counts.sentences} sentences"
        )


def front_settings(front: FrontMatter, path: Path, report: DiagnosticCollector) -> Settings:
    """The front matter's ``readability: {max-grade: 9, min-ease: 50, max-sentence-words: 30}``;
    a value that is not a number is reported and left out."""
    value = front.values.get(FRONT_MATTER_KEY)
    line = front.key_lines.get(FRONT_MATTER_KEY)
    if value is None:
        return Settings()
    if not isinstance(value, dict):
        report.error(path, line, _setting_help("'readability' must be a mapping"), rule=RULE)
        return Settings()
    read: dict[str, float | int] = {}
    for key, raw in value.items():
        kind = _SETTING_KEYS.get(str(key))
        if kind is None:
            report.error(path, line, _setting_help(f"'readability' has no '{key}'"), rule=RULE)
            continue
        try:
            number = kind(str(raw))
        except ValueError:
            number = None
        if number is None or number <= 0:
            report.error(
                path,
                line,
                f"'readability: {key}' must be a positive number, not '{raw}'",
                rule=RULE,
            )
            continue
        read[str(key)] = number
    return Settings(
        _float(read.get("max-grade")),
        _float(read.get("min-ease")),
        int(read["max-sentence-words"]) if "max-sentence-words" in read else None,
    )


def _float(value: float | int | None) -> float | None:
    return float(value) if value is not None else None


def _setting_help(problem: str) -> str:
    return f"{problem}; its keys are {', '.join(_SETTING_KEYS)}"


def check(
    path: Path,
    book: Book,
    language: str,
    found: dict[str, list[Paragraph]],
    verdicts: dict[str, list[Verdicts]],
    settings: Settings,
    report: DiagnosticCollector,
) -> list[Score]:
    """Judge the summary and each body section; their scores, in reading order."""
    formula = formula_for(language)
    if formula is None:
        return []
    scores: list[Score] = []
    units = [("summary", SUMMARY, [book.summary_html])]
    units += [
        (
            "body",
            section.title if section.listed else OPENING,
            [section.html, *(note.html for note in section.notes)],
        )
        for section in book.sections
        if section.role == "bodymatter"
    ]
    maps = {region: rendered.SourceMap(found.get(region, [])) for region in ("summary", "body")}
    for region, title, htmls in units:
        if not found.get(region):
            continue
        unit = _Unit(path, region, verdicts[region], maps[region], settings, language, report)
        for html in htmls:
            for block in _prose_blocks(html):
                unit.read(block)
        scores.append(unit.score(title, formula, settings.threshold(formula)))
    return scores


class _Unit:
    """One section as it is read: its counts, its long sentences, its heading's line."""

    def __init__(
        self,
        path: Path,
        region: str,
        verdicts: list[Verdicts],
        source: rendered.SourceMap,
        settings: Settings,
        language: str,
        report: DiagnosticCollector,
    ) -> None:
        self.path, self.region, self.verdicts = path, region, verdicts
        self.source, self.settings, self.language, self.report = source, settings, language, report
        self.counts = Counts()
        self.line: int | None = None
        self.paragraphs: set[int] = set()

    def read(self, block: rendered.Block) -> None:
        places = self.source.places_of(block)
        first = next((p for p in places if p is not None), None)
        if first is not None:
            self.paragraphs.add(first.paragraph)
            if self.line is None:
                self.line = self.verdicts[first.paragraph].paragraph.line_at(first.offset)
        if block.heading:
            return
        text = block.text.text
        for start, end in Paragraph(text, 0).sentences():
            sentence_words = words(text[start:end])
            if not sentence_words:
                continue
            self.counts += count(sentence_words, self.language)
            if len(sentence_words) > self.settings.sentence_words:
                opening = " ".join(text[start:end].split()[:6])
                self._long_sentence(places[start], len(sentence_words), opening)

    def _long_sentence(self, place: rendered.Place | None, length: int, opening: str) -> None:
        if place is None:
            return
        judged = self.verdicts[place.paragraph]
        sentence = judged.sentence_at(place.offset)
        if RULE in judged.allowed.get(sentence, set()):
            judged.used.add((sentence, RULE))
            return
        key = (sentence, RULE, -1)
        if key in judged.flagged:
            return
        judged.flagged.add(key)
        self.report.warning(
            self.path,
            judged.paragraph.line_at(place.offset),
            f"a sentence of {length} words ('{opening} …'; at most "
            f"{self.settings.sentence_words}): split it, or say it in fewer words",
            rule=RULE,
        )

    def score(self, title: str, formula: Formula, threshold: float) -> Score:
        if not self.counts.words:
            return Score(title, self.line, formula, None, threshold, self.counts, False, False)
        value = formula.score(self.counts)
        judged = self.counts.words >= MIN_WORDS
        allowed = False
        if judged and not formula.passes(value, threshold):
            allowed = self._allowed()
            if not allowed:
                limit = "at most" if formula.kind == GRADE else "at least"
                self.report.warning(
                    self.path,
                    self.line,
                    f"'{title}' reads at {formula.name} {value:.1f} ({limit} {threshold:g}): "
                    "use shorter sentences and plainer words",
                    rule=RULE,
                )
        return Score(title, self.line, formula, value, threshold, self.counts, judged, allowed)

    def _allowed(self) -> bool:
        """A marker in the section's prose, outside any long sentence, allows its grade."""
        for index in sorted(self.paragraphs):
            judged = self.verdicts[index]
            for marker in judged.paragraph.markers:
                owner = judged.sentence_at(marker.offset)
                if RULE in marker.rules and (owner, RULE) not in judged.used:
                    judged.used.add((owner, RULE))
                    return True
        return False


def _prose_blocks(html: str) -> Iterator[rendered.Block]:
    """The headings and the prose blocks of ``html``, each with its own text only."""
    if not html.strip():
        return
    root = parse_fragment(html)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(a.tag in _SKIPPED for a in element.iterancestors()):
            continue
        pieces: list[str] = []
        _own_text(element, pieces)
        text = "".join(pieces)
        if text.strip() and (element.tag in _PROSE or element.tag in _HEADINGS):
            yield rendered.make_block(text, heading=element.tag in _HEADINGS)


def _own_text(element: etree._Element, pieces: list[str]) -> None:
    """The text of ``element`` outside nested blocks, skipped elements and citation marks."""
    if element.text:
        pieces.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            classes = (child.get("class") or "").split()
            if child.tag in _BLOCKS or child.tag in _SKIPPED:
                pieces.append(" ")
            elif not {"citation", "footnote-ref", "footnote-backref"} & set(classes):
                _own_text(child, pieces)
        if child.tail:
            pieces.append(child.tail)
