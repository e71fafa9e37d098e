"""Pandoc's Markdown on top of Python-Markdown: what pandoc reads and Python-Markdown did not,
each in its own module, all installed on a converter by ``PandocMarkdown``.

From pymdown-extensions, checked against pandoc's manual: ``caret`` (``^superscript^``; its
``^^insert^^`` is not pandoc's and is off), ``tilde`` (``~subscript~``, ``~~strikeout~~``),
``fancylists`` (``a.``, ``iv)``, ``#.``, start numbers as ``type``/``start``) and
``bracketspan`` (``[text]{.smallcaps}``). Written here: ``headings`` (a space after ``#``,
so ``#.`` is a list marker), ``lists`` (nesting at two or three spaces, ``(A)``, example lists),
``inline`` (inline notes, escaped spaces, backslash breaks), ``divs`` (fenced divs, callouts),
``lineblocks``, ``tables`` and ``captions`` (simple, multiline and grid tables, captions,
widths), ``attributes`` (``{key=value}`` as ``data-key``), ``headerrefs`` (``[Heading]``),
``nested_fences`` (fenced code in lists and quotes), ``tasks`` (``[ ]``/``[x]``), ``codeattrs``
(fenced code's ``key=value`` and ``.numberLines``) and ``htmlblocks`` (Markdown inside raw HTML
blocks).
"""

from __future__ import annotations

import markdown
from pymdownx.bracketspan import BracketSpanExtension
from pymdownx.caret import InsertSupExtension
from pymdownx.fancylists import FancyListExtension
from pymdownx.tilde import DeleteSubExtension

from publish.reading.pandoc import (
    alerts,
    attributes,
    blockquotes,
    captions,
    codeattrs,
    divs,
    headerrefs,
    headings,
    htmlblocks,
    inline,
    lineblocks,
    lists,
    nested_fences,
    tables,
    tasks,
)
from publish.reading.pandoc.bounded_delimiters import BoundedDelimiters
from publish.reading.pandoc.tasks import finish_tree

__all__ = ["PandocMarkdown", "extensions", "finish_tree"]


class PandocMarkdown(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for module in (headings, lists, inline, divs, lineblocks, tables, captions, attributes):
            module.register(md)
        headerrefs.register(md)
        alerts.register(md)
        blockquotes.register(md)
        headings.register_quotes(md)
        nested_fences.register(md)
        codeattrs.register(md)
        htmlblocks.register(md)
        tasks.register(md)


def extensions() -> list[markdown.Extension]:
    """The extensions to add after Python-Markdown's own (``tables`` and ``attr_list`` first)."""
    return [
        FancyListExtension(additional_ordered_styles=["roman", "alpha", "generic"]),
        InsertSupExtension(insert=False, smart_insert=False),
        DeleteSubExtension(smart_delete=True),
        BoundedDelimiters(),  # after caret and tilde: it bounds their shared processor's walk
        BracketSpanExtension(),
        PandocMarkdown(),
    ]
