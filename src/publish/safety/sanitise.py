"""Raw HTML in a manuscript is untrusted: keep what a book can show, remove the rest, say so.

The HTML Python-Markdown produces goes through nh3 (the Rust sanitiser ammonia) with an
allow-list of elements and attributes: everything Python-Markdown itself generates (footnotes,
tables, code, abbreviations, heading ids, links into the book) passes; scripts, event handlers,
``javascript:`` links, style attributes, embedded frames and objects, and forms do not. Each
removal is reported as a warning with the manuscript line of what was removed, found by
inspecting the same HTML against the same allow-list before nh3 cleans it.

Text is never silently dropped. ``a <b and c> d`` is inline HTML to Python-Markdown (a ``b``
element with attributes ``and`` and ``c``), so "and c" would vanish; a tag that is not a real
HTML element, or carries bare words that are no HTML attribute, is put back as the text the
author typed. A raw HTML block that is never closed would swallow the rest of the manuscript as
HTML; it is an error naming the line where it opens.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown.postprocessors import Postprocessor

from publish.errors import DiagnosticCollector
from publish.locate import SourceLocator
from publish.reading.limits import parse_fragment
from publish.safety.addresses import address_problem


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What a book can show. Everything else is removed: its text stays unless the element is in
# DROPPED_WITH_CONTENT, whose content is code or a page from elsewhere, never the author's prose.
ALLOWED_TAGS = _words(
    """a abbr article aside b bdi bdo blockquote br caption cite code col colgroup data dd del
    details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd
    li mark ol p pre q rp rt ruby s samp section small span strong sub summary sup table tbody
    td tfoot th thead time tr u ul var wbr"""
)
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "template", "noembed", "noframes"})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    # Pandoc's column widths (style="width: 30%") on columns and on the table they fill.
    "col": frozenset({"span", "style"}),
    "table": frozenset({"style"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    # Python-Markdown's tables align columns with style="text-align: …"; nothing else is kept.
    "td": frozenset({"colspan", "rowspan", "headers", "style"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr", "style"}),
}
STYLE_PROPERTIES = frozenset({"text-align", "width"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# file: and data: pass the sanitiser only so that the resource check can refuse them by name
# with an error: a silently emptied image would hide the problem.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms", "file", "data"})
# What a reader may follow from a link: never file: or data: (a data:text/html page runs script).
# tel: and sms: dial or text from a phone: a crisis line should ("call or text 988").
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")

# Every element name of HTML (current and obsolete), SVG and MathML roots: a tag with any other
# name is text that happens to sit between angle brackets, like "<filename>".
KNOWN_ELEMENTS = ALLOWED_TAGS | _words(
    """acronym address applet area audio base basefont bgsound big blink body button canvas center
    datalist dialog dir embed fieldset font form frame frameset head hgroup html iframe image
    input isindex keygen label legend link listing main map marquee math menu menuitem meta meter
    nav nobr noembed noframes noscript object optgroup option output param picture plaintext
    portal progress rb rtc script search select slot source strike style svg template textarea
    title tt track video xmp"""
)
# Attributes written without a value: a bare word that is none of these was not meant as HTML.
BOOLEAN_ATTRIBUTES = _words(
    """allowfullscreen async autofocus autoplay checked controls default defer disabled
    formnovalidate hidden inert ismap itemscope loop multiple muted nomodule novalidate open
    playsinline readonly required reversed selected"""
)

_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_ATTRIBUTE = re.compile(
    r"\s*([^\s\"'>/=]+)(\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?\s*", re.DOTALL
)
_VOID = _words("area base br col embed hr img input keygen link meta param source track wbr")


class TextNotTags(markdown.Extension):
    """Put back as text the inline "tags" that are not HTML (see the module's docstring)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before 'raw_html' (30) puts the stashed raw HTML back into the document.
        md.postprocessors.register(_EscapeFalseTags(md), "publish_text_not_tags", 35)


class _EscapeFalseTags(Postprocessor):
    """Looks at each stashed piece once: the toc extension runs the postprocessors again for
    every heading, and rescanning the whole stash each time made long books quadratic."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._blocks: object = None
        self._seen = 0

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        if blocks is not self._blocks:  # reset() gives each document a new list
            self._blocks, self._seen = blocks, 0
        for index in range(self._seen, len(blocks)):
            raw = blocks[index]
            if isinstance(raw, str) and is_false_tag(raw):
                blocks[index] = html.escape(raw, quote=False)
        self._seen = len(blocks)
        return text


def single_tag(text: str) -> tuple[str, str, str | None] | None:
    """``text`` as one tag, ``<name attributes>`` or ``</name>``: its slash, name and attributes.

    The answer of ``^<(/?)([A-Za-z][A-Za-z0-9:-]*)(\\s[^<>]*?)?\\s*/?>$`` (the attributes are
    what precedes the white space and ``/`` before ``>``), found without that pattern: its lazy
    attributes and the white space after them backtracked through every run of spaces, in time
    the square of the run.
    """
    start = _TAG_NAME.match(text)
    if start is None:
        return None
    # '$' also matches before a newline that ends the text.
    end = len(text) - (1 if text.endswith(">") else 2 if text.endswith(">\n") else len(text))
    if end < start.end():
        return None
    rest = text[start.end() : end]
    if "<" in rest or ">" in rest:
        return None
    closing, name = start.group(1), start.group(2)
    bare = rest[:-1] if rest.endswith("/") else rest
    tail = len(rest) - len(bare.rstrip())  # the longest '\s*/?' that ends it
    if rest[:1].isspace():
        return closing, name, rest[: max(1, len(rest) - tail)]
    return (closing, name, None) if tail == len(rest) else None


def is_false_tag(raw: str) -> bool:
    """True for one "tag" that no HTML reader would take for an element, like ``<b and c>``."""
    tag = single_tag(raw.strip())
    if tag is None:
        return False
    # Stripped: the white space alone before '/>' (as in "<br />") is no attribute.
    closing, name, attributes = tag[0], tag[1].lower(), (tag[2] or "").strip()
    if name not in KNOWN_ELEMENTS:
        return True
    if closing:
        return bool(attributes.strip())
    position = 0
    while position < len(attributes):
        attribute = _ATTRIBUTE.match(attributes, position)
        if attribute is None or attribute.end() == position:
            return True  # stray quotes or '=': prose, not attributes
        if attribute.group(2) is None and attribute.group(1).lower() not in BOOLEAN_ATTRIBUTES:
            return True
        position = attribute.end()
    return False


@dataclass(frozen=True)
class UnclosedBlock:
    tag: str
    opening: str


def unclosed_raw_block(converter: markdown.Markdown) -> UnclosedBlock | None:
    """A raw HTML block Python-Markdown ran to the end of the text because it never closes.

    Python-Markdown reads a block that starts with an HTML tag as HTML up to its closing tag; with
    none, it takes everything to the end of the manuscript, headings and all, as raw HTML.
    """
    for raw in converter.htmlStash.rawHtmlBlocks:
        # A lone tag is inline HTML, or a block with nothing after it to swallow.
        if (
            not isinstance(raw, str)
            or not raw.lstrip().startswith("<")
            or single_tag(raw.strip()) is not None
        ):
            continue
        tracker = _OutermostTag()
        try:
            tracker.feed(raw)
            tracker.close()
        except AssertionError:  # html.parser's way of refusing malformed declarations
            continue
        # Only a block-level start tag opens a raw block; inline tags are inline HTML.
        if (
            tracker.tag
            and tracker.tag not in _VOID
            and converter.is_block_level(tracker.tag)
            and tracker.depth > 0
        ):
            return UnclosedBlock(tracker.tag, tracker.opening)
    return None


class _OutermostTag(HTMLParser):
    """Counts how deep the first element of a block is still open at its end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: str | None = None
        self.opening = ""
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag, self.opening = tag, self.get_starttag_text() or f"<{tag}>"
        if tag == self.tag:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag, self.opening = tag, self.get_starttag_text() or f"<{tag}/>"

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self.depth -= 1


def sanitise(markup: str, path: Path, locator: SourceLocator, report: DiagnosticCollector) -> str:
    """``markup`` with only allowed elements, attributes and links; each removal a warning."""
    for line, message in removals(markup, locator):
        report.warning(path, line, message, rule="raw-html")
    return str(
        nh3.clean(
            markup,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={
                "*": set(GLOBAL_ATTRIBUTES),
                **{t: set(a) for t, a in TAG_ATTRIBUTES.items()},
            },
            generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
            strip_comments=True,
            link_rel=None,
            url_schemes=set(URL_SCHEMES),
            attribute_filter=_followed_links_only,
            filter_style_properties=set(STYLE_PROPERTIES),
        )
    )


def removals(markup: str, locator: SourceLocator) -> list[tuple[int | None, str]]:
    """What ``sanitise`` takes out of ``markup``, in document order, each with its line."""
    found: list[tuple[int | None, str]] = []
    if "<" not in markup:
        return found
    root = parse_fragment(markup)
    _inspect(root, locator, found, top=True)
    return found


def _inspect(
    element: Any, locator: SourceLocator, found: list[tuple[int | None, str]], top: bool = False
) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:  # comments and processing instructions: removed, never shown anyway
        return
    tag = tag.lower()
    if not top:
        if tag in DROPPED_WITH_CONTENT:
            found.append((_tag_line(tag, locator), f"removed <{tag}> and its content: {_why(tag)}"))
            return  # its content goes with it; nothing inside needs a message of its own
        if tag not in ALLOWED_TAGS:
            has_text = tag not in _VOID and (element.text_content() or "").strip()
            kept = ", kept its text" if has_text else ""
            found.append((_tag_line(tag, locator), f"removed the <{tag}> tag{kept}: {_why(tag)}"))
        else:
            for name, value in element.attrib.items():
                message = _attribute_problem(tag, str(name).lower(), str(value))
                if message:
                    found.append((_attribute_line(str(name), str(value), locator), message))
    for child in element:
        _inspect(child, locator, found)


def _tag_line(tag: str, locator: SourceLocator) -> int | None:
    # Looked up only for a removal: each lookup scans the manuscript, so doing it for every
    # allowed element made reading a long book quadratic in its length.
    return locator.line(rf"<{re.escape(tag)}\b", pattern=True)


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    allowed = name in GLOBAL_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag, ())
    allowed = allowed or any(name.startswith(prefix) for prefix in ATTRIBUTE_PREFIXES)
    if name.startswith("on"):
        return (
            f"removed the event handler '{name}' on <{tag}>: a book runs no scripts; "
            "delete the attribute"
        )
    if name == "style":
        if allowed and _only_allowed_styles(value):
            return None
        return (
            f"removed the style attribute on <{tag}>: "
            "the stylesheets style the book; use a class instead"
        )
    if not allowed:
        return f"removed the attribute '{name}' on <{tag}>: it is not allowed in a book"
    if name in URL_ATTRIBUTES:
        scheme = _SCHEME.match(value)
        allowed_schemes = URL_SCHEMES if tag == "img" else LINK_SCHEMES
        if scheme and scheme.group(1).lower() not in allowed_schemes:
            shown = value if len(value) <= 60 else value[:57] + "..."
            return (
                f"removed the address '{shown}' on <{tag}>: only http, https, mailto, tel "
                "and sms links, and links within the book, are kept"
            )
    if name == "href" and tag == "a" and not value.strip().startswith("#"):
        malformed = address_problem(value)
        if malformed:
            return f"{malformed}: its text is kept without the link"
    return None


def _followed_links_only(tag: str, attribute: str, value: str) -> str | None:
    """nh3's per-attribute hook: image sources are the resource check's to judge."""
    malformed = tag == "a" and attribute == "href" and not value.strip().startswith("#")
    if malformed and address_problem(value):
        return None  # reported by removals(), with its line
    if attribute in URL_ATTRIBUTES and tag != "img":
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
            return None
    return value


def _only_allowed_styles(style: str) -> bool:
    declarations = [d for d in style.split(";") if d.strip()]
    return all(d.split(":", 1)[0].strip().lower() in STYLE_PROPERTIES for d in declarations)


def _attribute_line(name: str, value: str, locator: SourceLocator) -> int | None:
    if value and ":" in value:  # an address such as javascript:...: the value is distinctive
        line = locator.line(value.strip())
        if line is not None:
            return line
    return locator.line(rf"\b{re.escape(name)}\s*=", pattern=True) or locator.line(
        rf"\b{re.escape(name)}\b", pattern=True
    )


def _why(tag: str) -> str:
    if tag == "script":
        return "a book runs no scripts"
    if tag == "style":
        return "the stylesheets style the book"
    if tag in ("iframe", "object", "embed", "frame", "frameset", "applet", "portal"):
        return "a book cannot embed other documents or programs"
    if tag in ("form", "input", "button", "select", "textarea", "option", "label", "fieldset"):
        return "forms do not work in a book"
    if tag in ("link", "meta", "base"):
        return "a manuscript's text cannot change the document's head"
    if tag in ("audio", "video", "source", "track", "canvas", "picture"):
        return "print and EPUB editions show no media players; use an image"
    return "it is not allowed in a book"
