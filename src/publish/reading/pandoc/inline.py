"""Pandoc's inline syntax that Python-Markdown lacks: inline notes, escaped spaces, backslash
line breaks. Superscript, subscript and strikeout come from pymdown-extensions (caret, tilde),
bracketed spans from its bracketspan (see ``__init__``).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from publish.reading.brackets import closing_bracket

# Labels a manuscript is unlikely to use; the notes are numbered in reading order afterwards
# with every other note (footnotes.number_calls), so the label never shows.
INLINE_NOTE_LABEL = "inline-note-{}"
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


class InlineNotes(Preprocessor):
    """``^[a note]`` becomes a call ``[^inline-note-N]`` and a definition after the text, so
    the notes join the footnotes machinery. A note spanning lines keeps the line count: its
    line breaks stay after the call, and diagnostics still name the right lines.

    Fenced code is stashed before this runs and code spans are skipped, but whether an indented
    line is a code block only the block parser knows: ``originals`` keeps what each call
    replaced, so ``NotesInCode`` can put it back where the call landed in code."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        # label → (the ``^[…]`` as typed, the indentation of the line it starts on)
        self.originals: dict[str, tuple[str, int]] = {}

    def run(self, lines: list[str]) -> list[str]:
        self.originals = {}
        text = "\n".join(lines)
        if "^[" not in text:
            return lines
        out: list[str] = []
        notes: list[str] = []
        position = 0
        for start, end in _inline_note_spans(text):
            out.append(text[position:start])
            body = text[start + 2 : end - 1]
            notes.append(" ".join(body.split()))
            label = INLINE_NOTE_LABEL.format(len(notes))
            line_start = text.rfind("\n", 0, start) + 1
            line = text[line_start:start]
            self.originals[label] = (text[start:end], len(line) - len(line.lstrip(" ")))
            out.append(f"[^{label}]" + "\n" * body.count("\n"))
            position = end
        if not notes:
            return lines
        out.append(text[position:])
        definitions = [
            f"[^{INLINE_NOTE_LABEL.format(index)}]: {note}"
            for index, note in enumerate(notes, start=1)
        ]
        return [*"".join(out).split("\n"), "", *definitions]


def _inline_note_spans(text: str) -> list[tuple[int, int]]:
    """Where each ``^[…]`` starts and ends (brackets balanced), outside code."""
    spans: list[tuple[int, int]] = []
    index = 0
    length = len(text)
    line_start = True
    fence: str | None = None
    while index < length:
        char = text[index]
        if line_start:
            line_start = False
            fenced = _FENCE.match(text, index)
            if fence is not None or fenced:
                end = text.find("\n", index)
                end = length if end < 0 else end
                line = text[index:end].strip()
                if fence is None and fenced:
                    fence = fenced.group(1)
                elif fence is not None and line.startswith(fence) and not line.strip(fence[0]):
                    fence = None
                index = end
                continue
        if char == "\n":
            line_start = True
        elif char == "\\":
            index += 1
        elif char == "`":
            run_end = index
            while run_end < length and text[run_end] == "`":
                run_end += 1
            closing = text.find(text[index:run_end], run_end)
            if closing >= 0:
                index = closing + (run_end - index)
                continue
            index = run_end
            continue
        elif char == "^" and text.startswith("^[", index):
            closing_at = closing_bracket(text, index + 1)  # a blank line ends the note
            if closing_at is not None:
                spans.append((index, closing_at + 1))
                index = closing_at + 1
                continue
        index += 1
    return spans


class NotesInCode(Treeprocessor):
    """An inline note's call that landed in a code block is the author's example of the
    syntax (``Here is a note.^[...]`` indented four spaces): its text goes back as typed, and
    its definition is dropped, before the footnotes are built."""

    _CALL = re.compile(r"\[\^(" + INLINE_NOTE_LABEL.format(r"\d+") + r")\](\n*)")

    def __init__(self, md: markdown.Markdown, notes: InlineNotes) -> None:
        super().__init__(md)
        self.notes = notes

    def run(self, root: etree.Element) -> None:
        originals = self.notes.originals
        if not originals:
            return
        restored: set[str] = set()

        def put_back(match: re.Match[str], text: str) -> str:
            label = match.group(1)
            if label not in originals:
                return match.group(0)
            original, source_indent = originals[label]
            restored.add(label)
            # The code block took off its own indentation: as much as the call's line lost.
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            removed = source_indent - (len(line) - len(line.lstrip(" ")))
            first, *rest = original.split("\n")
            lines = [first, *(_dedent(r, removed) for r in rest)]
            # The call kept the note's line breaks after it; the original holds them itself.
            kept = match.group(2)[original.count("\n") :]
            return "\n".join(lines) + kept

        for code in root.iter("code"):
            text = code.text
            if text and "[^" in text:
                new = self._CALL.sub(functools.partial(put_back, text=text), text)
                code.text = markdown.util.AtomicString(new)
        store = getattr(self.md.treeprocessors["footnote"], "footnotes", None)
        for label in restored:
            if store is not None:
                store.footnotes.pop(label, None)


def _dedent(line: str, width: int) -> str:
    """``line`` without up to ``width`` leading spaces."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, max(width, 0)) :]


class _EscapedBreakOrSpace(InlineProcessor):
    """A backslash before a line end is a hard line break in pandoc; before a space, a
    non-breaking space. One pattern for both: each pattern costs a scan of every text."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str, int, int]:
        if m.group(1) == " ":
            return "\u00a0", m.start(0), m.end(0)
        return etree.Element("br"), m.start(0), m.end(0)


def register(md: markdown.Markdown) -> None:
    # After fenced code is stashed (25) and before raw HTML is (20).
    notes = InlineNotes(md)
    md.preprocessors.register(notes, "pandoc_inline_notes", 24)
    # Before the footnotes extension builds its notes (50), after the blocks are parsed.
    md.treeprocessors.register(NotesInCode(md, notes), "pandoc_notes_in_code", 55)
    # Before 'escape' (180), which would keep the backslash as text.
    md.inlinePatterns.register(_EscapedBreakOrSpace(r"\\([ \n])", md), "pandoc_escapes", 185)
