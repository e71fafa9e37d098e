"""ATX headings as pandoc reads them: the hashes are followed by a space or end the line.

Python-Markdown also takes ``#word`` for a heading, so pandoc's generic list marker ``#.``
became a heading "." (and ``#hashtag`` at a line's start a heading). pymdown-extensions'
saneheaders requires the space but makes a lone ``#`` a paragraph, where pandoc (and
CommonMark) read an empty heading.
"""

from __future__ import annotations

import re

import markdown
from markdown.blockprocessors import HashHeaderProcessor


class PandocHashHeader(HashHeaderProcessor):
    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\])*?)#*(?:\n|$)")


def register(md: markdown.Markdown) -> None:
    md.parser.blockprocessors.register(PandocHashHeader(md.parser), "hashheader", 70)
