"""Where each front-matter text value lies in the file, for findings that name its lines."""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, ScalarNode

from publish.reading.frontmatter import _TextOnlyLoader


def front_regions(text: str) -> dict[str, tuple[int, list[str]]]:
    """Each front-matter text value as the lines the author typed, with its first file line.

    A ``|`` or ``>`` block is its content lines, unindented; a plain or quoted value is the
    source between its marks, quotes blanked, so every line number is the file's.
    """
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return {}
    yaml_lines = lines[1:closing]
    loader = _TextOnlyLoader("\n".join(yaml_lines))
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}  # split_front_matter has already reported it
    finally:
        loader.dispose()
    if not isinstance(root, MappingNode):
        return {}
    regions: dict[str, tuple[int, list[str]]] = {}
    for key, value in root.value:
        if not isinstance(key, ScalarNode) or not isinstance(value, ScalarNode):
            continue
        start, end = value.start_mark, value.end_mark
        if value.style in ("|", ">"):
            body = yaml_lines[start.line + 1 : end.line + (1 if end.column else 0)]
            indent = min((len(s) - len(s.lstrip(" ")) for s in body if s.strip()), default=0)
            regions[str(key.value)] = (start.line + 3, [s[indent:] for s in body])
        else:
            source = "\n".join(yaml_lines)[start.index : end.index]
            if value.style in ("'", '"'):
                source = " " + source[1:-1] + " "
            regions[str(key.value)] = (start.line + 2, source.split("\n"))
    return regions
