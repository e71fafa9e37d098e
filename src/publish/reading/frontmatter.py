"""Split YAML front matter from the Markdown body and load it strictly.

Strict means: every scalar stays the text the author typed (``title: Yes`` is "Yes",
``version: 1.10`` is "1.10"; dates are parsed later, by us, with a message that names the
line); duplicate keys, anchors, aliases and language-specific tags are refused; and every line
number we report is counted in the manuscript file, not in the YAML block.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from publish.errors import PublishError
from publish.reading.characters import not_text_in_values

FENCE = "---"
_ATX_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+(.*)")
_SPACED_BRACE = re.compile(r"(?<=[ \t])\{")
CLOSERS = ("---", "...")


@dataclass(frozen=True)
class FrontMatter:
    """The loaded mapping, the line each key sits on, and where the body starts in the file."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_first_line: int


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that front matter does not accept (anchors, aliases, duplicate keys)."""


class _TextOnlyLoader(yaml.SafeLoader):
    """A SafeLoader that resolves no implicit types except null, and refuses aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            raise _Refused(
                None,
                None,
                "aliases (*name) are not allowed in front matter: write the value out in full",
                event.start_mark,  # type: ignore[arg-type]
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _Refused(
                None,
                None,
                "anchors (&name) are not allowed in front matter: write the value out in full",
                event.start_mark,  # type: ignore[arg-type]
            )
        return Composer.compose_node(self, parent, index)

    first_line = 1  # the file line of the YAML block's first line, for messages

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _Refused(
                    None,
                    None,
                    f"the key '{key}' is given twice (first on line {seen[key] + self.first_line})"
                    ": keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


# Keep only the null resolver: booleans, numbers and timestamps stay as typed.
_TextOnlyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str, path: Path) -> FrontMatter:
    """Separate the ``---`` block from the body; line numbers stay those of the file."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        message, block = missing_front_matter(lines)
        raise PublishError.at(path, 1, message, block=block)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            yaml_text = "\n".join(lines[1:index])
            values, key_lines = _load(yaml_text, path, first_line=2)
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(values, key_lines, body, body_first_line=index + 2)
    raise PublishError.at(
        path, 1, "the front matter opened on line 1 is never closed: add a line '---' after it"
    )


def _heading_text(rest: str) -> str:
    """An ATX heading's text without its closing hashes and its ``{attributes}``: what the
    pattern ``(.*?)(?:[ \\t]+\\{[^}]*\\})?[ \\t#]*$`` kept, without its backtracking (the lazy
    text tried every end, and looked past each through the run of spaces after it)."""
    text = rest.rstrip(" \t#")
    if text.endswith("}"):
        opened = text.rfind("}", 0, len(text) - 1) + 1  # the attributes hold no '}'
        brace = _SPACED_BRACE.search(text, opened)
        if brace is not None:
            return text[: brace.start()].rstrip(" \t")
    return text


def missing_front_matter(lines: list[str]) -> tuple[str, tuple[str, ...]]:
    """One message for a manuscript with no front matter: what is required, and a block to
    paste at the top (its title taken from the first heading when there is one)."""
    heading = next((_heading_text(m.group(1)) for m in map(_ATX_HEADING.match, lines) if m), None)
    title = (heading or "The title").replace('"', "'")
    block = (
        FENCE,
        f'title: "{title}"',
        f"date: {dt.date.today().isoformat()}",
        "summary: |",
        "  What the reader learns here, in a few sentences.",
        "disclaimer: |",
        "  This text is not medical advice: talk to a clinician before changing any",
        "  treatment. In a crisis, call or text 988 in the US, or your local emergency number.",
        FENCE,
    )
    return (
        "the manuscript has no front matter; a health text needs a title, a date, a summary "
        "(or abstract) and a medical disclaimer. Paste this at the very top and edit it:",
        block,
    )


def _load(yaml_text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    def file_line(mark: Any) -> int:
        return int(mark.line) + first_line

    loader = _TextOnlyLoader(yaml_text)
    loader.first_line = first_line
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, {}
        if not isinstance(root, MappingNode):
            raise PublishError.at(
                path, file_line(root.start_mark), "front matter must be a mapping of 'key: value'"
            )
        values = loader.construct_document(root)
    except ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "cannot be read"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag ")[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = (
                f"the tag '{tag}' is not allowed: front matter holds only text, lists and "
                "mappings; remove the tag"
            )
        column = int(mark.column) + 1 if mark else None
        line = file_line(mark) if mark else first_line
        raise PublishError.at(path, line, problem, column=column) from None
    except _Refused as exc:
        mark = exc.problem_mark
        line = file_line(mark) if mark else first_line
        column = int(mark.column) + 1 if mark else None
        raise PublishError.at(path, line, str(exc.problem), column=column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = file_line(mark) if mark else first_line
        message = str(exc.problem or exc.context or "invalid YAML")
        column = int(mark.column) + 1 if mark else None
        raise PublishError.at(
            path,
            line,
            f"front matter is not valid YAML: {message}; {_hint(message)}",
            column=column,
        ) from None
    except yaml.YAMLError as exc:
        raise PublishError.at(path, first_line, f"front matter is not valid YAML: {exc}") from None
    except RecursionError:
        raise PublishError.at(
            path, first_line, "front matter nests lists or mappings too deep to read"
        ) from None
    finally:
        loader.dispose()
    key_lines = {
        str(key.value): int(key.start_mark.line) + first_line
        for key, _ in root.value
        if isinstance(key, ScalarNode)
    }
    not_text_in_values(values, key_lines, path)
    return values, key_lines


def _hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    return "put text containing ': ', ' #' or starting with '[', '{', '&', '*', '!', '|' in quotes"
