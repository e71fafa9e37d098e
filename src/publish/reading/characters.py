"""Characters that are never text: C0 and C1 controls (but tab and line breaks), noncharacters
(U+FFFE, U+FDD0…), and lone surrogates, which a YAML or JSON escape (``"\\ud800"``) can make
although no UTF-8 file holds one.

None of them prints; XML refuses controls and surrogates outright (an EPUB with one is broken);
UTF-8 cannot encode a surrogate (the text after it was lost); and the reader uses two
noncharacters of its own to mark citations in the text, so a manuscript that held them could
forge one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from publish.errors import PublishError

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _NONCHARACTERS + "\ud800-\udfff]")
NONCHARACTER = re.compile("[" + _NONCHARACTERS + "]")


def describe(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate (half of a character)"
    elif NONCHARACTER.match(character):
        kind = "a noncharacter"
    else:
        kind = "a control character"
    return f"U+{code:04X}, {kind}"


def first_not_text(value: Any) -> str | None:
    """The first character that is never text in ``value`` (text, or lists and mappings of it)."""
    found = _first(value)
    return found[0] if found else None


def _first(value: Any) -> tuple[str, str] | None:
    """That character and the text that holds it."""
    for text in _strings(value):
        found = NOT_TEXT.search(text)
        if found:
            return found.group(), text
    return None


def _strings(value: Any) -> Iterator[str]:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(str(k) for k in item)
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)


def not_text_in_values(values: dict[str, Any], key_lines: dict[str, int], path: Path) -> None:
    """Raise, naming the key's line, when a front matter value holds what is never text."""
    for key, value in values.items():
        found = _first([key, value])
        if found is not None:
            character, text = found
            shown = text if len(text) <= 80 else text[:77] + "..."
            # Messages show control characters as escapes, so the value can be quoted.
            raise PublishError.at(
                path,
                key_lines.get(str(key)),
                f"'{key}' holds {describe(character)}, which is never text (written as a YAML "
                f"escape?): remove it from '{shown}'",
            )
