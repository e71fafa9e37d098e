"""Python-Markdown's inline step without its two quadratic lookups.

For every element that had a tail, ``InlineProcessor.run`` found the element's place among its
siblings with ``list(parent).index(child)``, and took the next element to process from the front
of a list (``pop(0)``): a line of 4,000 code spans took seconds, and four times as many sixteen
times as long. This is the same walk, in the same order, keeping the index as it goes. The rest
(the patterns, the placeholders) is Python-Markdown's own, the patterns read from a list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import deque
from typing import Any

from markdown import util
from markdown.treeprocessors import InlineProcessor


class LinearInlineProcessor(InlineProcessor):
    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        # The walk takes each pattern by its index, once per pattern and text: from the
        # Registry (which checks its order on every lookup) that was a twentieth of reading a
        # book; from a list of the same patterns in the same order it is one C lookup.
        registry = self.inlinePatterns
        self.inlinePatterns = list(registry)  # type: ignore[assignment]
        try:
            return self._run(tree, ancestors)
        finally:
            self.inlinePatterns = registry

    def _run(self, tree: ET.Element, ancestors: list[str] | None) -> ET.Element:
        handle: Any = self._InlineProcessor__handleInline  # type: ignore[attr-defined]
        placeholders: Any = self._InlineProcessor__processPlaceholders  # type: ignore[attr-defined]
        build_ancestors: Any = self._InlineProcessor__build_ancestors  # type: ignore[attr-defined]
        self.stashed_nodes: dict[str, ET.Element | str] = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack: deque[tuple[ET.Element, list[str]]] = deque([(tree, tree_parents)])
        build_ancestors(tree, tree_parents)

        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            index = 0
            while index < len(current):
                child = current[index]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    made = placeholders(handle(text), child)
                    for item in made:
                        self.parent_map[item[0]] = child
                    stack.extend(made)
                    insert_queue.append((child, made))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    dummy = ET.Element("d")
                    child.tail = None
                    tail_result = placeholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    # The nodes go right after the child, and are visited next, as upstream.
                    current[index + 1 : index + 1] = [node for node, _ in tail_result]
                    for node, _ in tail_result:
                        self.parent_map[node] = current
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                index += 1
            for element, made in insert_queue:
                element[0:0] = [node for node, _ in made]
        return tree
