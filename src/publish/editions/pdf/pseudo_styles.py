"""WeasyPrint's user-agent stylesheet with six pseudo-element defaults kept to the elements that
can have those pseudo-elements.

WeasyPrint's ``html5_ua.css`` styles ``::marker``, ``::footnote-call``, ``::footnote-marker``,
``::note-call``, ``::note-marker`` and ``::note-callback`` on every element, and WeasyPrint
computes, before it builds a single box, a style for every pseudo-element that has one: six
styles per element of the book (45,000 at 100,000 words, about 50 MB) that no page uses, since
a marker exists only on a list item, a footnote call only on an element floated to the
footnotes and a note only on an element positioned as a note.

The sheet made here gives those six defaults to ``li`` and ``summary`` (the list items of the
user-agent stylesheet itself) and to every selector of the print stylesheet that makes an element
a list item (``display: list-item``), a footnote (``float: footnote``) or a note
(``position: note()``), read from its rules and the sheets it imports. Where the reading cannot
be sure (a ``var()`` or ``inherit`` in one of those properties, a pseudo-element made a list
item, an at-rule it does not know, a sheet it cannot read), it gives up and WeasyPrint's own
sheet is used: a footnote whose call has no style stops WeasyPrint, so a missed selector is not
an option. The book's HTML has no other source of styles: its ``style`` attributes only align
table cells (``sanitise``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# The user-agent rules that style one of these pseudo-elements on every element ("::marker {").
UNIVERSAL_PSEUDO_RULE = re.compile(
    r"(?m)^::(marker|footnote-call|footnote-marker|note-call|note-marker|note-callback)(?=\s*\{)"
)
# The user-agent stylesheet's own list items.
ALWAYS = ("li", "summary")
# At-rules whose block holds style rules that apply to elements.
GROUPING_RULES = frozenset({"media", "supports", "layer", "container", "scope", "document"})
# At-rules that cannot make an element a list item, a footnote or a note.
UNRELATED_RULES = frozenset(
    {
        "page", "font-face", "counter-style", "font-feature-values", "font-palette-values",
        "keyframes", "-webkit-keyframes", "namespace", "charset", "property", "color-profile",
    }
)  # fmt: skip
# Larger than any stylesheet a book needs: not read, WeasyPrint's own sheet is used.
MAX_STYLESHEET_BYTES = 4 * 1024 * 1024
# A selector naming a pseudo-element, new (::before) or old (:before) syntax.
PSEUDO_ELEMENT = re.compile(r"::|:(before|after|first-line|first-letter|marker)\b", re.IGNORECASE)


class _Unsure(Exception):
    """The print stylesheet says something the reading cannot follow."""


def user_agent_sheet(stylesheet: Path) -> Any | None:
    """A WeasyPrint ``CSS`` to use as the user-agent stylesheet for documents styled by
    ``stylesheet``, or None to keep WeasyPrint's own."""
    css = user_agent_css(stylesheet)
    if css is None:
        return None
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    # WeasyPrint's own user-agent sheet already registered the @counter-style rules this sheet
    # repeats; a throwaway registry keeps WeasyPrint's shared one as it is.
    return CSS(string=css, counter_style=CounterStyle())


def user_agent_css(stylesheet: Path) -> str | None:
    """The text of that user-agent stylesheet, or None to keep WeasyPrint's own."""
    try:
        from weasyprint.html import UA  # the text of WeasyPrint's html5_ua.css
    except ImportError:  # a WeasyPrint that keeps it elsewhere: its own sheet, unchanged
        return None

    try:
        hosts = list(dict.fromkeys([*ALWAYS, *_pseudo_element_hosts(stylesheet, set())]))
    except (_Unsure, RecursionError):  # RecursionError: grouping rules nested beyond reason
        return None
    scoped = UNIVERSAL_PSEUDO_RULE.sub(lambda rule: f":is({', '.join(hosts)})::{rule[1]}", UA)
    return None if scoped == UA else scoped


def _pseudo_element_hosts(stylesheet: Path, seen: set[Path]) -> Iterator[str]:
    """The selectors of ``stylesheet`` (and of the sheets it imports) that make an element a
    list item, a footnote or a note."""
    import tinycss2

    path = stylesheet.resolve()
    if path in seen:
        return
    seen.add(path)
    try:
        # A regular file of a stylesheet's size: not a device or a pipe that never ends.
        if not path.is_file() or path.stat().st_size > MAX_STYLESHEET_BYTES:
            raise _Unsure(f"{path} is not a stylesheet file")
        data = path.read_bytes()
    except OSError as error:
        raise _Unsure(str(error)) from error
    # Decoded as WeasyPrint decodes a stylesheet: byte-order mark, @charset, else UTF-8.
    rules, _encoding = tinycss2.parse_stylesheet_bytes(
        data, skip_comments=True, skip_whitespace=True
    )
    yield from _hosts_in_rules(rules, path.parent, seen)


def _hosts_in_rules(rules: Iterable[Any], folder: Path, seen: set[Path]) -> Iterator[str]:
    import tinycss2

    for rule in rules:
        if rule.type == "qualified-rule":
            yield from _hosts_in_style_rule(rule)
        elif rule.type == "at-rule":
            name = rule.lower_at_keyword
            if name == "import":
                yield from _pseudo_element_hosts(folder / _imported(rule), seen)
            elif name in GROUPING_RULES and rule.content is not None:
                inner = tinycss2.parse_rule_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                yield from _hosts_in_rules(inner, folder, seen)
            elif name not in UNRELATED_RULES:
                raise _Unsure(f"@{name}")
        elif rule.type == "error":
            continue  # WeasyPrint drops what does not parse, so it styles nothing


def _hosts_in_style_rule(rule: Any) -> Iterator[str]:
    import cssselect2
    import tinycss2

    contents = tinycss2.parse_blocks_contents(
        rule.content, skip_comments=True, skip_whitespace=True
    )
    if not any(_makes_host(item) for item in contents):
        return
    if any(item.type in ("qualified-rule", "at-rule") for item in contents):
        raise _Unsure("a nested rule")
    selector = tinycss2.serialize(rule.prelude).strip()
    try:
        cssselect2.compile_selector_list(rule.prelude)
    except cssselect2.SelectorError as error:
        # WeasyPrint drops a rule it cannot match, unless what fails here is a namespace
        # prefix that an @namespace rule lets WeasyPrint read.
        raise _Unsure(selector) from error
    if PSEUDO_ELEMENT.search(selector) or "&" in selector:
        raise _Unsure(selector)
    yield selector


def _makes_host(item: Any) -> bool:
    """Whether a declaration makes its element a list item, a footnote or a note."""
    if item.type != "declaration":
        return False
    name = item.lower_name.removeprefix("-weasy-")
    if name not in ("display", "float", "position"):
        return False
    tokens = [token for token in item.value if token.type not in ("whitespace", "comment")]
    if any(token.type == "function" and token.lower_name == "var" for token in tokens):
        raise _Unsure(f"{name}: var()")
    words = {token.lower_value for token in tokens if token.type == "ident"}
    if "inherit" in words:
        raise _Unsure(f"{name}: inherit")  # takes the parent's value, whatever made it
    functions = {token.lower_name for token in tokens if token.type == "function"}
    return (
        (name == "display" and "list-item" in words)
        or (name == "float" and "footnote" in words)
        or (name == "position" and "note" in functions)
    )


def _imported(rule: Any) -> str:
    """The file an ``@import`` names, when it is a file next to the sheet."""
    for token in rule.prelude:
        if token.type == "function" and token.lower_name == "url":
            # url("x.css"): the address is the function's one string argument.
            arguments = [part for part in token.arguments if part.type == "string"]
            token = arguments[0] if len(arguments) == 1 else token
        if token.type in ("string", "url"):
            target = str(token.value)
            if ":" in target or target.startswith(("/", "\\")):
                raise _Unsure(f"@import {target}")
            return target
        if token.type not in ("whitespace", "comment"):
            break
    raise _Unsure("@import without an address this reading can follow")
