"""A references file's YAML, read by libyaml's C parser under the front matter's rules.

PyYAML's pure-Python parser took most of 11 s on 20,000 references. libyaml reads the same text
tens of times faster; the rules the front matter's loader applies (no anchors or aliases, no
duplicate keys, no implicit types but null) are applied to its events and nodes here, and the
nesting is bounded before any node is composed, since libyaml's composer recurses in C.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node

from publish.reading.frontmatter import _TextOnlyLoader

# Far deeper than CSL needs (a date is four levels down), far shallower than a stack.
MAX_DEPTH = 32


class Refused(yaml.MarkedYAMLError):
    """Raised with the mark of what the rules refuse."""


_CLoader: Any = getattr(yaml, "CSafeLoader", None)


def available() -> bool:
    return _CLoader is not None


def _check_events(text: str) -> None:
    loader = _CLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent):
                raise Refused(None, None, _ALIAS, event.start_mark)  # type: ignore[arg-type]
            if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor:
                raise Refused(None, None, _ANCHOR, event.start_mark)  # type: ignore[arg-type]
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused(
                        None,
                        None,
                        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                        "no reference needs that many",
                        event.start_mark,  # type: ignore[arg-type]
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


_ALIAS = "aliases (*name) are not allowed: write the value out in full"
_ANCHOR = "anchors (&name) are not allowed: write the value out in full"


class StrictCLoader(_CLoader or object):  # type: ignore[misc]
    """libyaml's loader with the front matter loader's resolvers and duplicate-key rule."""

    first_line = 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise Refused(
                    None,
                    None,
                    f"the key '{key}' is given twice (first on line {seen[key] + 1}): keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


StrictCLoader.yaml_implicit_resolvers = _TextOnlyLoader.yaml_implicit_resolvers


def compose(text: str) -> tuple[Any, Node | None]:
    """The loader (to construct with, then dispose of) and the document's root node."""
    with fewer_collections():
        _check_events(text)
        loader = StrictCLoader(text)
        return loader, loader.get_single_node()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Every node lives until the file is read: the cycle collector, run every 700 new objects
    by default, would walk the growing heap again and again (a third of the time at 20,000
    references, and more the longer the file)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)
