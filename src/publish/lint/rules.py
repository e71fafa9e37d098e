"""``publish lint``: the editorial rules of a health publication, checked on the manuscript.

Each finding is printed as linters print them, ``file:line: level: message [rule]``, with the
line in the manuscript file, front matter included. The rules:

- ``dosing`` (error): an amount with a unit of mass or volume in a sentence about taking or
  dosing. The publication gives no dosing information.
- ``absolute-claim`` (error): a curative or absolute claim ("cures", "treats depression",
  "guaranteed", "proven to", "completely safe", ...), unless a negation in the same clause
  denies it ("no trial has shown that it treats depression").
- ``uncited-statistic`` (warning): a sentence with a number, percentage or proportion in a
  paragraph that cites no source.
- ``disclaimer`` (error): no disclaimer, or one without a crisis line.
- ``review-date`` (warning): no ``reviewed`` date, or one older than the allowed age.

The word lists are data, in ``publish/data/*.yaml`` for English and
``publish/data/lint/<language>/`` for another language (see ``wordlists``). Where a rule
cannot tell (a quotation of a claim being refuted, say), the author allows one sentence,
visibly in the source, with ``<!-- lint: allow RULE -->`` written inside or right after it; a
marker that allows nothing is itself reported (``lint-marker``), so markers do not outlive
their reason.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from pathlib import Path

from publish.errors import Diagnostic, DiagnosticCollector, PublishError
from publish.lint import crisis, leftovers, plain_language, rendered
from publish.lint.plain_language import Score
from publish.lint.prose import Paragraph, paragraphs
from publish.lint.readability import Settings
from publish.lint.regions import front_regions
from publish.lint.review import REVIEW, check_review
from publish.lint.verdicts import Finding, Verdicts
from publish.lint.wordlists import WordLists, word_lists
from publish.model import Book
from publish.reading.frontmatter import FrontMatter, split_front_matter
from publish.reading.manuscript import decode, read_manuscript
from publish.reading.metadata import DEFAULT_LANG, parse_metadata

DOSING = "dosing"
CLAIM = "absolute-claim"
STATISTIC = "uncited-statistic"
DISCLAIMER = "disclaimer"
HIDDEN = rendered.HIDDEN
MARKER = "lint-marker"
READABILITY = plain_language.RULE
RULES = (DOSING, CLAIM, STATISTIC, DISCLAIMER, REVIEW, HIDDEN, READABILITY)
DEFAULT_MAX_REVIEW_AGE = 12  # months
PROSE_KEYS = ("title", "subtitle", "disclaimer", "summary", "abstract", "description")


def lint(
    path: Path,
    *,
    max_review_age: int = DEFAULT_MAX_REVIEW_AGE,
    today: dt.date | None = None,
    readability: Settings | None = None,
    scores: list[Score] | None = None,
) -> list[Diagnostic]:
    """Every finding in the manuscript at ``path``, in file order. Raises ``PublishError`` only
    when the file cannot be read or its front matter cannot be split from the body.

    ``readability``: the thresholds given on the command line (the front matter's, else the
    language's defaults, fill what it leaves out). ``scores``, when given, receives each
    section's readability score."""
    path = Path(path)
    text = decode(path)
    front = split_front_matter(text, path)
    report = DiagnosticCollector()
    metadata = parse_metadata(front, path, report)
    lang = metadata.lang if metadata is not None else DEFAULT_LANG
    lists = word_lists(lang.partition("-")[0].lower())
    if lists is None:
        report.warning(
            path,
            front.key_lines.get("lang"),
            f"the lint has no word lists for the language of '{lang}': only the checks that "
            "read no words ran (hidden characters, leftovers, disclaimer, review date)",
            rule="language",
        )

    texts = [
        (key, region_first, region_lines)
        for key, (region_first, region_lines) in front_regions(text).items()
        if key in PROSE_KEYS
    ]
    texts.append(("body", front.body_first_line, front.body.split("\n")))
    found = {key: paragraphs(lines, first_line) for key, first_line, lines in texts}
    verdicts = {
        key: [_check_paragraph(paragraph, path, report, lists) for paragraph in region]
        for key, region in found.items()
    }
    book = _read_book(path)
    if book is not None:
        _check_rendered(path, book, found, verdicts, report, lists)
        settings = (readability or Settings()).over(
            plain_language.front_settings(front, path, report)
        )
        language = lang.partition("-")[0].lower()
        scored = plain_language.check(path, book, language, found, verdicts, settings, report)
        if scores is not None:
            scores.extend(scored)
    for region_verdicts in verdicts.values():
        for judged in region_verdicts:
            _report_unused_markers(judged, path, report)

    if _check_disclaimer(front, path, report, lists):  # then the region's own lines
        crisis.check_region(front, lang, path, report)
    if book is not None:
        report.items.extend(leftovers.check(path, book))
    reviewed = metadata.reviewed if metadata is not None else None
    if metadata is not None:
        check_review(reviewed, front, path, max_review_age, today or dt.date.today(), report)
    return sorted(report.items, key=lambda d: (d.line or 0, d.level != "error", d.message))


# Sentences.


def _check_paragraph(
    paragraph: Paragraph, path: Path, report: DiagnosticCollector, lists: WordLists | None
) -> Verdicts:
    verdicts = Verdicts(paragraph, list(paragraph.sentences()))
    for marker in paragraph.markers:
        unknown = [r for r in marker.rules if r not in RULES]
        for rule in unknown:
            report.warning(
                path,
                marker.line,
                f"the lint marker names '{rule}', which is no rule; rules: {', '.join(RULES)}",
                rule=MARKER,
            )
        owner = verdicts.sentence_at(marker.offset)
        verdicts.allowed.setdefault(owner, set()).update(r for r in marker.rules if r in RULES)
    for index, (start, end) in enumerate(verdicts.sentences):
        sentence = paragraph.text[start:end]
        for finding in sentence_findings(
            sentence, cited=paragraph.cited, heading=paragraph.heading, data=lists
        ):
            _judge(verdicts, index, start + finding.offset, finding, path, report)
    return verdicts


def sentence_findings(
    sentence: str, *, cited: bool, heading: bool, data: WordLists | None
) -> list[Finding]:
    """What the sentence rules find in one sentence: nothing without word lists."""
    if data is None:
        return []
    findings = [*_dosing(sentence, data), *_claims(sentence, data)]
    if not cited and not heading:
        findings.extend(_statistics(sentence, data))
    return findings


def _judge(
    verdicts: Verdicts,
    sentence: int,
    offset: int,
    finding: Finding,
    path: Path,
    report: DiagnosticCollector,
) -> None:
    """Report ``finding`` unless a marker allows it or its sentence was reported for it."""
    if finding.rule in verdicts.allowed.get(sentence, set()):
        verdicts.used.add((sentence, finding.rule))
        return
    # A sentence is reported once for a rule; each hidden character is a finding of its own.
    key = (sentence, finding.rule, offset if finding.rule == HIDDEN else -1)
    if key in verdicts.flagged:
        return
    verdicts.flagged.add(key)
    line = verdicts.paragraph.line_at(offset)
    if finding.level == "error":
        report.error(path, line, finding.message, rule=finding.rule)
    else:
        report.warning(path, line, finding.message, rule=finding.rule)


def _report_unused_markers(verdicts: Verdicts, path: Path, report: DiagnosticCollector) -> None:
    for marker in verdicts.paragraph.markers:
        owner = verdicts.sentence_at(marker.offset)
        for rule in marker.rules:
            if rule in RULES and (owner, rule) not in verdicts.used:
                report.warning(
                    path,
                    marker.line,
                    f"the lint marker allows '{rule}', but its sentence breaks no such rule: "
                    "remove the marker",
                    rule=MARKER,
                )


def _read_book(path: Path) -> Book | None:
    """The Book the editions are made from, for the passes that judge the rendered text. A
    manuscript the reader refuses has only the first pass: the build reports why."""
    try:
        return read_manuscript(path, DiagnosticCollector())
    except PublishError:
        return None


def _check_rendered(
    path: Path,
    book: Book,
    paragraphs: dict[str, list[Paragraph]],
    verdicts: dict[str, list[Verdicts]],
    report: DiagnosticCollector,
    lists: WordLists | None,
) -> None:
    """The second pass: the text as the Book holds it, judged by the same rules and mapped to
    the source (see ``rendered``), and its invisible and look-alike characters."""
    for region, blocks in rendered.book_blocks(book).items():
        if not paragraphs.get(region):
            continue
        source = rendered.SourceMap(paragraphs[region])
        for placed, findings in rendered.block_findings(
            blocks, source, functools.partial(sentence_findings, data=lists)
        ):
            for offset, finding in findings:
                places = placed.places
                place = places[min(offset, len(places) - 1)] if places else None
                if place is None:
                    continue
                judged = verdicts[region][place.paragraph]
                sentence = judged.sentence_at(place.offset)
                _judge(judged, sentence, place.offset, finding, path, report)


def _dosing(sentence: str, data: WordLists) -> list[Finding]:
    taking = data.taking.search(sentence)
    if taking is None:
        return []
    found = []
    for amount in (*data.amounts.finditer(sentence), *data.household.finditer(sentence)):
        text = re.sub(r"\s+", " ", amount.group()).strip()
        found.append(
            Finding(
                DOSING,
                amount.start(),
                f"dosing amount '{text}' near '{taking.group()}': this publication gives no "
                "dosing information",
                "error",
            )
        )
    return found


def _claims(sentence: str, data: WordLists) -> list[Finding]:
    found = []
    breaks = [boundary.end() for boundary in data.clause_breaks.finditer(sentence)]
    for claim in data.claims.finditer(sentence):
        if _negated(sentence, breaks, claim.start(), data):
            continue
        phrase = re.sub(r"\s+", " ", claim.group())
        found.append(
            Finding(
                CLAIM,
                claim.start(),
                f"absolute or curative claim '{phrase}': say what the evidence shows, or deny "
                "the claim",
                "error",
            )
        )
    return found


def _negated(sentence: str, breaks: list[int], claim: int, data: WordLists) -> bool:
    """A negation in the clause that leads up to the claim denies it.

    The clause starts at the last break (found once per sentence) before the claim, and is read
    no further back than a clause could reach: a sentence of a thousand claims is not read a
    thousand times over."""
    index = bisect.bisect_right(breaks, claim) - 1
    start = breaks[index] if index >= 0 else 0
    clause = sentence[max(start, claim - _LONGEST_CLAUSE) : claim]
    clause = data.not_negations.sub(" ", clause)
    return data.negations.search(clause) is not None


# How far around a number or a claim the rules look for the words that change its meaning.
_LONGEST_CLAUSE = 400
_NEIGHBOURHOOD = 80
_NUMBER = re.compile(
    r"(?<![\w.,/\-\u2013\u2060])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?%)?"
    r"(?![\w/\u2060]|[\-\u2013][A-Za-z])"
)  # \u2060 is prose.GLUE, left where an inline tag was
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[-.\s])?\(?\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}(?!\d)")


def _statistics(sentence: str, data: WordLists) -> list[Finding]:
    masked = data.idioms.sub(lambda m: " " * len(m.group()), sentence)
    masked = _PHONE.sub(lambda m: " " * len(m.group()), masked)
    # An amount with a unit is a quantity, not a finding (and the dosing rule judges it).
    masked = data.amounts.sub(lambda m: " " * len(m.group()), masked)
    proportion = data.proportions.search(masked)
    candidates = [(proportion.start(), proportion.group())] if proportion else []
    for number in _NUMBER.finditer(masked):
        if _is_statistic(masked, number, data):
            candidates.append((number.start(), number.group()))
            break  # only the first is reported
    if not candidates:
        return []
    offset, text = min(candidates)
    shown = re.sub(r"\s+", " ", text)
    return [
        Finding(
            STATISTIC,
            offset,
            f"statistic '{shown}' has no citation in its paragraph: cite its source",
            "warning",
        )
    ]


def _is_statistic(sentence: str, number: re.Match[str], data: WordLists) -> bool:
    digits = number.group()
    # Three words before and one after are all the rule reads; a window keeps it from copying
    # and scanning the whole sentence for each of a table's thousand numbers.
    before = sentence[max(0, number.start() - _NEIGHBOURHOOD) : number.start()]
    after = sentence[number.end() : number.end() + _NEIGHBOURHOOD]
    if _YEAR.match(digits):
        return False
    words_before = re.findall(r"[\w.]+", before)
    cut = number.start() - _NEIGHBOURHOOD
    if cut > 0 and re.match(r"[\w.]{2}", sentence[cut - 1 : cut + 1]):
        words_before = words_before[1:]  # the window cut a word: its end is no word
    words_before = words_before[-3:]
    last = words_before[-1].lower() if words_before else ""
    if data.labels.fullmatch(last):
        return False
    if any(data.contact.fullmatch(w.lower()) for w in words_before):
        return False
    if "%" not in digits and re.match(r"\s+[A-Z][a-z]", after):
        return False  # part of a name: "the 988 Suicide & Crisis Lifeline"
    # The word after: "25. November" (a German date) has its ordinal point before it.
    neighbours = [*words_before[-1:], *re.findall(r"\w[\w.]*", after)[:1]]
    return not (len(digits) <= 2 and any(data.months.fullmatch(w.lower()) for w in neighbours))


# Front matter.


def _check_disclaimer(
    front: FrontMatter, path: Path, report: DiagnosticCollector, lists: WordLists | None
) -> bool:
    """Report a missing disclaimer or one with no crisis line; whether it passed."""
    value = front.values.get("disclaimer")
    if not isinstance(value, str) or not value.strip():
        report.error(
            path,
            1,
            "the front matter has no disclaimer: a health text opens with one (not medical "
            "advice; talk to a clinician; where to get help in a crisis)",
            rule=DISCLAIMER,
        )
        return False
    if lists is not None and not lists.crisis_lines.search(value):
        report.error(
            path,
            front.key_lines.get("disclaimer"),
            "the disclaimer gives no crisis line: add one, such as 'call or text 988' (US) and "
            "local emergency services elsewhere",
            rule=DISCLAIMER,
        )
        return False
    return True


# The word lists.
