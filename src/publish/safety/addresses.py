"""Whether an address a link carries is well formed: one rule for the sanitiser and the reader.

The sanitiser (nh3) silently drops an ``href`` it cannot parse (a space, a ``]`` in the host),
so the same rule is applied before it runs, to say so with the line; the reader applies it
again to what remains (see ``reading.links``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Characters RFC 3986 allows in a URI, with '%' for escapes.
_URI_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9-]+(?::[0-9]+)?")
_MAILBOX = re.compile(r"[^@\s]+@[^@\s]+")
# RFC 3966: a global number (+ and digits) or a local one, with visual separators.
_PHONE = re.compile(r"\+?[0-9][0-9\-.()]*(?:;[A-Za-z0-9\-=+.]*)*")


def short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def address_problem(href: str) -> str | None:
    """What makes ``href`` malformed, in words; ``None`` when it is well formed.

    Only the form is judged here; whether a well-formed link can be kept is the reader's call.
    """
    href = href.strip()
    shown = short(href)
    if href[:4].lower() in ("tel:", "sms:"):
        # People write numbers with spaces ("tel:+1 800 273 8255"); the link drops them.
        if not _PHONE.fullmatch(phone_number(href)):
            return f"the address '{shown}' is not a phone number"
        return None
    bad = next((c for c in href if not _uri_character(c)), None)
    if bad is not None:
        what = (
            "a space" if bad.isspace() else f"'{bad}'" if bad.isprintable() else f"U+{ord(bad):04X}"
        )
        return f"the address '{shown}' is malformed: it holds {what}"
    if href.count("[") != href.count("]") or href.count("(") != href.count(")"):
        return f"the address '{shown}' is malformed: its brackets do not pair up"
    try:
        parts = urlsplit(href)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return f"the address '{shown}' is malformed"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname or not _HOST.fullmatch(parts.netloc.rpartition("@")[2]):
            return f"the address '{shown}' names no valid host"
    elif scheme == "mailto" and not _MAILBOX.fullmatch(unquote(parts.path)):
        return f"the address '{shown}' names no mailbox"
    return None


def phone_number(href: str) -> str:
    """The number of a ``tel:`` or ``sms:`` address, with the spaces people type taken out."""
    return unquote(urlsplit(href.strip()).path).replace(" ", "")


def _uri_character(char: str) -> bool:
    """Allowed in an address: RFC 3986's characters, and visible letters beyond ASCII (IRIs)."""
    if char in _URI_CHARACTERS:
        return True
    return ord(char) > 0x7F and char.isprintable() and not char.isspace()
