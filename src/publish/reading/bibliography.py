"""Read the references file the front matter names as ``bibliography``: CSL YAML, CSL JSON, or
BibTeX/BibLaTeX (``.bib``, see ``bibtex``).

These are the formats pandoc and Zotero write. The file must sit inside the manuscript's folder
(a manuscript is untrusted and may name ``../`` or absolute paths). Every entry keeps the line it
starts on, so that messages about an entry point into the references file.

CSL text fields may carry a little HTML-like markup (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
small caps). citeproc-py copies field text into its HTML output unescaped, so each field is
rewritten here into escaped text with only that markup kept: whatever a references file holds,
the formatted list is well-formed XHTML.
"""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from publish.errors import Diagnostic, PublishError
from publish.reading import limits, strict_yaml
from publish.reading.bibtex import bibtex_items
from publish.reading.characters import describe, first_not_text
from publish.reading.frontmatter import _TextOnlyLoader

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
BIBTEX_SUFFIXES = (".bib", ".bibtex")

# CSL-JSON "rich text": the only markup a field may carry (citeproc-js documents the same set).
_MARKUP = re.compile(r"<(/?)(i|b|sup|sub|span)((?:\s[^<>]*)?)>", re.IGNORECASE)
_SMALL_CAPS = re.compile(r"font-variant\s*:\s*small-caps", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One reference: its key, its CSL data (fields made markup-safe) and its line in the file."""

    key: str
    data: dict[str, Any]
    line: int | None


@dataclass(frozen=True)
class Bibliography:
    path: Path
    entries: dict[str, Entry]

    @property
    def name(self) -> str:
        return self.path.name


def load_bibliography(manuscript: Path, value: str, key_line: int | None) -> Bibliography:
    """Load the references file ``value`` names, relative to the manuscript's folder."""
    folder = manuscript.parent.resolve()
    path = (manuscript.parent / value).resolve()
    if not path.is_relative_to(folder):
        raise PublishError.at(
            manuscript,
            key_line,
            f"the bibliography '{value}' is outside the manuscript's folder: keep it beside "
            "the manuscript",
        )
    shown = manuscript.parent / value
    if not path.is_file():
        raise PublishError.at(manuscript, key_line, f"the bibliography '{value}' does not exist")
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + JSON_SUFFIXES + BIBTEX_SUFFIXES:
        raise PublishError.at(
            manuscript,
            key_line,
            f"the bibliography '{value}' must be CSL YAML (.yaml, .yml), CSL JSON (.json) or "
            "BibTeX (.bib)",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PublishError.at(shown, None, "is not UTF-8: save the file as UTF-8") from None
    except OSError as exc:
        raise PublishError.at(shown, None, f"cannot be read: {exc.strerror}") from None
    # A copy, so that nothing done with this book's entries reaches the next build's.
    kind = "json" if suffix in JSON_SUFFIXES else "bib" if suffix in BIBTEX_SUFFIXES else "yaml"
    return Bibliography(shown, copy.deepcopy(_parsed(text, shown, kind)))


@lru_cache(maxsize=4)
def _parsed(text: str, shown: Path, kind: str) -> dict[str, Entry]:
    """The entries of a references file's text. Kept between builds in one process (a preview):
    the file rarely changes while the manuscript does, and parsing it is most of a rebuild."""
    if kind == "bib":
        items, problems = bibtex_items(text, shown)
        if problems:
            raise PublishError(problems)
    else:
        items = _json_items(text, shown) if kind == "json" else _yaml_items(text, shown)
    return _entries(items, shown)


_TOO_DEEP = "nests lists or mappings too deep to read: no reference needs that many levels"


def _depth(value: Any) -> int:
    """How deep lists and mappings nest in ``value`` (walked without recursion)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if children:
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _json_items(text: str, path: Path) -> list[tuple[Any, int | None]]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise PublishError.at(path, None, _TOO_DEEP) from None
    except json.JSONDecodeError as exc:
        raise PublishError.at(
            path, exc.lineno, f"is not valid JSON: {exc.msg}", column=exc.colno
        ) from None
    except ValueError:  # a number of more digits than Python converts
        raise PublishError.at(
            path, None, "holds a number longer than any reference needs"
        ) from None
    if _depth(data) > strict_yaml.MAX_DEPTH:
        raise PublishError.at(path, None, _TOO_DEEP)
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    if not isinstance(data, list):
        raise PublishError.at(path, 1, "CSL JSON must be a list of references")
    # JSON parsers keep no positions: find each entry's id in the text, in order.
    # Lines are counted on from the last entry found, never from the start: 20,000 entries
    # counted from the start took seconds.
    result: list[tuple[Any, int | None]] = []
    position = 0
    line_so_far = 1
    for item in data:
        line = None
        if isinstance(item, dict) and "id" in item:
            # As written: "Müller" or "M\u00fcller".
            spellings = {json.dumps(item["id"], ensure_ascii=False), json.dumps(item["id"])}
            written = "|".join(re.escape(s) for s in sorted(spellings))
            found = re.compile(r'"id"\s*:\s*(?:' + written + ")").search(text, position)
            if found:
                line_so_far += text.count("\n", position, found.start())
                line = line_so_far
                line_so_far += text.count("\n", found.start(), found.end())
                position = found.end()
        result.append((item, line))
    return result


def _yaml_items(text: str, path: Path) -> list[tuple[Any, int | None]]:
    loader: Any = None
    try:
        if strict_yaml.available():
            loader, root = strict_yaml.compose(text)
        else:
            loader = _TextOnlyLoader(text)
            loader.first_line = 1
            root = loader.get_single_node()
        if root is None:
            raise PublishError.at(path, 1, "is empty: it must hold a list of references")
        if isinstance(root, MappingNode):
            root = _references_node(root, path)
        if not isinstance(root, SequenceNode):
            raise PublishError.at(
                path,
                root.start_mark.line + 1,
                "CSL YAML must be a list of references, or a mapping with 'references:'",
            )
        with strict_yaml.fewer_collections():
            data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context or "invalid YAML")
        raise PublishError.at(
            path,
            mark.line + 1 if mark else None,
            f"is not valid YAML: {message}",
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise PublishError.at(path, None, f"is not valid YAML: {exc}") from None
    except RecursionError:
        raise PublishError.at(path, None, _TOO_DEEP) from None
    finally:
        if loader is not None:
            loader.dispose()
    return [(item, _id_line(node)) for item, node in zip(data, root.value, strict=True)]


def _references_node(root: MappingNode, path: Path) -> Node:
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "references":
            found: Node = value
            return found
    raise PublishError.at(path, 1, "CSL YAML has no 'references:' list")


def _id_line(node: Node) -> int:
    if isinstance(node, MappingNode):
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and key.value == "id":
                return int(key.start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _entries(items: list[tuple[Any, int | None]], path: Path) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    folded: dict[str, str] = {}
    duplicates: list[Diagnostic] = []
    for item, line in items:
        if not isinstance(item, dict):
            raise PublishError.at(path, line, "each reference must be a mapping of CSL fields")
        key = item.get("id")
        if not isinstance(key, str | int) or not str(key).strip():
            raise PublishError.at(path, line, "a reference has no 'id'")
        key = str(key).strip()
        if key in entries:
            first = entries[key].line
            duplicates.append(
                Diagnostic(path, line, f"the id '{key}' is used twice (first on line {first})")
            )
            continue
        if key.casefold() in folded:
            # citeproc-py folds keys to lower case, so these two would be one source.
            duplicates.append(
                Diagnostic(
                    path,
                    line,
                    f"the ids '{folded[key.casefold()]}' and '{key}' differ only in case",
                )
            )
            continue
        folded[key.casefold()] = key
        if not isinstance(item.get("type"), str):
            raise PublishError.at(
                path, line, f"the reference '{key}' has no CSL 'type' (article-journal, book, ...)"
            )
        not_text = first_not_text(item)
        if not_text is not None:
            raise PublishError.at(
                path,
                line,
                f"the reference '{key}' holds {describe(not_text)}, which is never text (written "
                "as an escape?): remove it",
            )
        problem = _shape_problem(item)
        long_field = limits.longest_field(item)
        if long_field is not None:  # libxml2 would cut it in the editions (see limits)
            problem = limits.too_long_message(f"'{long_field[0]}'", long_field[1])
        if problem:
            raise PublishError.at(path, line, f"the reference '{key}': {problem}")
        data = {name: _safe_field(name, value) for name, value in item.items()}
        data["id"] = key
        entries[key] = Entry(key, data, line)
    if duplicates:  # every one of them, so that one run shows what a merge of exports did
        raise PublishError(duplicates)
    return entries


# CSL's name and date variables: the fields whose shape citeproc-py relies on.
NAME_FIELDS = (
    "author", "editor", "translator", "container-author", "collection-editor", "composer",
    "director", "editorial-director", "illustrator", "interviewer", "original-author",
    "recipient", "reviewed-author",
)  # fmt: skip
DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")


def _shape_problem(item: dict[str, Any]) -> str | None:
    """What is wrong with the shape of a reference's names and dates, in words, if anything."""
    for name in NAME_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(
            isinstance(n, dict) and all(isinstance(v, str) for v in n.values()) for n in value
        ):
            return (
                f"'{name}' must be a list of names, each with 'family' and 'given' or a "
                "'literal' (text)"
            )
    for name in DATE_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        parts = value.get("date-parts") if isinstance(value, dict) else None
        valid = isinstance(value, dict) and (
            (
                isinstance(parts, list)
                and parts
                and all(
                    isinstance(p, list) and 1 <= len(p) <= 3 and all(_is_number(x) for x in p)
                    for p in parts
                )
            )
            or (parts is None and isinstance(value.get("raw") or value.get("literal"), str))
        )
        if not valid:
            return f"'{name}' must be a CSL date: date-parts: [[year, month, day]]"
    return None


def _is_number(value: Any) -> bool:
    """A year, month or day: ASCII digits, no more than a date needs (``str.isdigit`` takes
    '²', which ``int`` refuses, and ``int`` refuses 5,000 digits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 10**9
    return isinstance(value, str) and _DATE_NUMBER.fullmatch(value.strip()) is not None


def _safe_field(name: str, value: Any) -> Any:
    if isinstance(value, str):
        return value if name in ("id", "type") else markup_safe(value)
    if isinstance(value, list):
        if name in ("date-parts",):
            return [_date_part(v) for v in value]
        return [_safe_field(name, v) for v in value]
    if isinstance(value, dict):
        return {k: _safe_field(str(k), v) for k, v in value.items()}
    return value


def _date_part(value: Any) -> Any:
    if isinstance(value, list):
        return [int(v) if isinstance(v, str) and _is_number(v) else v for v in value]
    return value


_DATE_NUMBER = re.compile(r"-?[0-9]{1,9}")


def markup_safe(text: str) -> str:
    """Escape ``text`` for HTML, keeping only CSL's rich-text markup, rewritten canonically."""
    parts: list[str] = []
    position = 0
    for tag in _MARKUP.finditer(text):
        parts.append(html.escape(text[position : tag.start()], quote=False))
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name == "span":
            # Small caps is kept as a class; "nocase" and other spans only protect case: drop.
            small_caps = bool(_SMALL_CAPS.search(attributes))
            if closing:
                parts.append("</span>")
            else:
                parts.append('<span class="small-caps">' if small_caps else "<span>")
        else:
            parts.append(f"<{closing}{name}>")
        position = tag.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)
