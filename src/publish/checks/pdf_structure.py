"""The PDF's structure as assistive technology and archives need it, read back with pypdf.

Tagged (a structure tree, so screen readers get headings and reading order), every font embedded
(so it prints and reads the same everywhere), an outline (bookmarks to navigate), and the document
information a library catalogue reads (title, language, author, subject).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from publish.model import Metadata


def structure_problems(pdf: Path, metadata: Metadata) -> list[str]:
    """Everything wrong with the PDF's structure, in words an editor can act on; [] if none."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    root: Any = reader.trailer["/Root"]
    problems = []
    mark_info = root.get("/MarkInfo")
    if "/StructTreeRoot" not in root or not (mark_info and mark_info.get("/Marked")):
        problems.append("not tagged: no structure tree (/StructTreeRoot, /MarkInfo /Marked)")
    missing = sorted(not_embedded(reader))
    if missing:
        problems.append(f"fonts not embedded: {', '.join(missing)}")
    if not reader.outline:
        problems.append("no outline (bookmarks)")
    info: Any = reader.metadata or {}
    if str(info.get("/Title", "")).strip() != metadata.title:
        problems.append(f"document title is '{info.get('/Title', '')}', not '{metadata.title}'")
    if str(root.get("/Lang", "")) != metadata.lang:
        problems.append(f"document language is '{root.get('/Lang', '')}', not '{metadata.lang}'")
    if metadata.authors and str(info.get("/Author", "")) != ", ".join(metadata.authors):
        problems.append(f"author is '{info.get('/Author', '')}'")
    if not str(info.get("/Subject", "")).strip():
        problems.append("no subject (the summary)")
    return problems


def not_embedded(reader: Any) -> set[str]:
    """Names of fonts used on any page whose program is not inside the file."""
    names = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), set()):
            if font.get("/Subtype") == "/Type3":
                continue  # drawn with PDF operators: always inside the file
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    return names


def _fonts(resources: Any, seen: set[int]) -> Iterator[Any]:
    """Fonts in a resource dictionary and in the forms (XObjects) it draws, once each."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _fonts(xobject.get("/Resources"), seen)
