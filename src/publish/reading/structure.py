"""Which headings are the sections, as pandoc decides for the documents people already have.

- A body without level-1 headings takes its highest level used as the section level: a page
  that starts at ``##`` or ``###`` reads as if it started at ``#``.
- One level-1 heading at the very top, with no other level-1 heading, titles the whole
  document: it becomes the title when the front matter has none (pandoc's
  ``--shift-heading-level-by=-1``) and is not printed a second time when it repeats the title.
- ``shift-heading-level-by`` in the front matter sets the shift explicitly, as pandoc's option
  does: with ``-N`` a level-N heading at the very top replaces the title, and a heading shifted
  above level 1 becomes a paragraph.

The decision about the title is made on the Markdown source, before the metadata is checked
(the title is a required key); the shift is applied to the converted tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import lxml.html
import markdown
from lxml import etree

from publish.locate import in_fenced_code
from publish.reading.frontmatter import FrontMatter
from publish.reading.metadata import whole_number

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+\{[^}]*\})?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


@dataclass(frozen=True)
class SourceHeading:
    level: int
    text: str  # as typed, without the #s and the attribute list
    line: int  # in the file


@dataclass(frozen=True)
class Plan:
    """What to do with the body's headings once it is converted."""

    title: str | None = None  # the plain text of the heading that titles the document
    title_line: int | None = None
    title_level: int = 1
    replaces_title: bool = False  # an explicit negative shift: pandoc replaces the title
    shift: int | None = None  # explicit, from the front matter; None: decided from the tree


def titled(front: FrontMatter) -> tuple[FrontMatter, Plan]:
    """The front matter with the title a heading gives it, and the plan for the body."""
    shift_value = front.values.get("shift-heading-level-by")
    shift = whole_number(shift_value) if isinstance(shift_value, str) else None
    title_value = front.values.get("title")
    front_title = title_value if isinstance(title_value, str) and title_value.strip() else None
    untitled = title_value is None or (isinstance(title_value, str) and not title_value.strip())
    decided = plan(front.body, front.body_first_line, front_title, shift)
    if decided.title and (decided.replaces_title or untitled):
        lines = dict(front.key_lines)
        lines.setdefault("title", decided.title_line or front.body_first_line)
        front = replace(front, values={**front.values, "title": decided.title}, key_lines=lines)
    return front, decided


def source_headings(body: str, first_line: int) -> list[SourceHeading]:
    """ATX headings and setext level-1 headings outside fenced code, with their file lines."""
    lines = body.split("\n")
    code = in_fenced_code(lines)
    found: list[SourceHeading] = []
    for index, line in enumerate(lines):
        if code[index]:
            continue
        atx = _ATX.match(line)
        if atx and _blank_before(lines, code, index):
            found.append(SourceHeading(len(atx.group(1)), (atx.group(2) or "").strip(), index))
        elif _setext_underline(lines, code, index):
            found.append(SourceHeading(1, lines[index - 1].strip(), index - 1))
    return [SourceHeading(h.level, h.text, h.line + first_line) for h in found]


def _blank_before(lines: list[str], code: list[bool], index: int) -> bool:
    """Pandoc's blank_before_header: an ATX line right under a paragraph's line is that
    paragraph's text (``reading.pandoc.headings``); under a heading, code, a div fence or a
    raw HTML block's closing tag it is a heading."""
    if index == 0 or code[index - 1]:
        return True
    above = lines[index - 1].strip()
    return (
        not above
        or bool(_ATX.match(above))
        or above.startswith(":::")
        or (above.startswith("</") and above.endswith(">"))
    )


def _setext_underline(lines: list[str], code: list[bool], index: int) -> bool:
    """A line of ``=`` under a line of text makes that text a level-1 heading."""
    if index == 0 or not _SETEXT_H1.match(lines[index]):
        return False
    above = lines[index - 1]
    return bool(above.strip()) and not code[index - 1] and not _ATX.match(above)


def plan(body: str, first_line: int, front_title: str | None, shift: int | None) -> Plan:
    headings = source_headings(body, first_line)
    first_text_line = next(
        (first_line + i for i, line in enumerate(body.split("\n")) if line.strip()), None
    )
    top = headings[0] if headings and headings[0].line == first_text_line else None
    if shift is not None:
        if shift < 0 and top is not None and top.level == -shift:
            return Plan(plain(top.text), top.line, top.level, replaces_title=True, shift=shift)
        return Plan(shift=shift)
    level_one = [h for h in headings if h.level == 1]
    if top is None or top.level != 1 or len(level_one) != 1:
        return Plan()
    text = plain(top.text)
    if front_title and plain(front_title) != text:
        return Plan()  # a lone section under a title of its own: keep it
    return Plan(text, top.line)


def apply(root: etree._Element, decided: Plan) -> int:
    """Remove the title heading and shift the rest; returns the shift applied."""
    if decided.title is not None:
        first = next(iter(root), None)
        text_before = (root.text or "").strip()
        if first is not None and first.tag == f"h{decided.title_level}" and not text_before:
            _remove(first)
    shift = decided.shift if decided.shift is not None else _automatic_shift(root)
    if shift:
        for heading in [el for el in root.iter(*HEADINGS)]:
            level = int(str(heading.tag)[1]) + shift
            heading.tag = f"h{level}" if 1 <= level <= 6 else "p"
    return shift


def _automatic_shift(root: etree._Element) -> int:
    levels = [int(str(el.tag)[1]) for el in root if el.tag in HEADINGS]
    return 1 - min(levels) if levels and 1 not in levels else 0


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def plain(markdown_text: str) -> str:
    """A heading's or title's text as readers see it: ``*Kratom*`` is "Kratom"."""
    html = markdown.markdown(markdown_text)
    if not html.strip():
        return ""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    return re.sub(r"\s+", " ", fragment.text_content()).strip()
