"""Every file a manuscript's HTML points at must lie inside the manuscript's folder.

Checked in the reader, on the HTML as Python-Markdown wrote it and before any writer runs, so the
same rule holds for the PDF and the EPUB and the error names the manuscript line. Refused:
network addresses, ``file:`` and ``data:`` addresses, absolute paths, ``../`` paths and symbolic
links that lead outside, in image sources, stylesheet and attachment links, embedded objects and
CSS (``@import``, ``url()``). Links a reader follows (``<a href>``) are not fetched and stay free,
except ``rel=attachment``, which WeasyPrint would embed in the PDF. Images must exist and be
images (see ``images``). WeasyPrint's URL fetcher (``fetch``) enforces the folder again as a
second line of defence.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from publish.errors import DiagnosticCollector
from publish.locate import SourceLocator
from publish.reading.limits import parse_fragment
from publish.safety.images import image_problem

_CSS_REFERENCE = re.compile(
    r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:\"([^\"]*)\"|'([^']*)')",
    re.IGNORECASE,
)
# Attributes whose value a renderer loads, whatever the element.
_LOADED = ("src", "poster", "background", "data", "xlink:href")
_LOADED_HREF = frozenset({"link", "image", "use", "feimage"})


@dataclass(frozen=True)
class Reference:
    """An address in the manuscript's HTML that a renderer would load."""

    url: str
    tag: str
    is_image: bool


def checked_images(
    markup: str,
    base_dir: Path,
    path: Path,
    locator: SourceLocator,
    report: DiagnosticCollector,
) -> tuple[Path, ...]:
    """Report every refused or broken reference in ``markup``; return the images it uses."""
    images: list[Path] = []
    if "<" not in markup:
        return ()
    root = parse_fragment(markup)
    for reference in references(root):
        line = locator.line(reference.url) if reference.url else None
        problem, target = resolve(reference, base_dir)
        if problem is None and target is not None and reference.is_image:
            problem = _image_file_problem(reference.url, target)
            if problem is None and target not in images:
                images.append(target)
        if problem:
            report.error(path, line, problem, rule="resource")
    return tuple(images)


def references(root: lxml.html.HtmlElement) -> list[Reference]:
    found: list[Reference] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        for attribute in _LOADED:
            value = element.get(attribute)
            if value is not None and (attribute != "data" or tag == "object"):
                found.append(Reference(value.strip(), tag, tag == "img" and attribute == "src"))
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                found.append(Reference(candidate.split()[0], tag, False))
        rel = (element.get("rel") or "").lower().split()
        if element.get("href") is not None and (tag in _LOADED_HREF or "attachment" in rel):
            found.append(Reference(element.get("href", "").strip(), tag, False))
        css = element.get("style") or ""
        if tag == "style":
            css += "\n" + (element.text or "")
        for match in _CSS_REFERENCE.finditer(css):
            url = next(group for group in match.groups() if group is not None)
            found.append(Reference(url.strip(), "style", False))
    return found


def resolve(reference: Reference, base_dir: Path) -> tuple[str | None, Path | None]:
    """(why it is refused, None) or (None, the file inside ``base_dir`` it names)."""
    url = reference.url
    if not url:
        return ("an image needs an address (src)", None) if reference.is_image else (None, None)
    if url.startswith("#"):
        return None, None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return (
            f"'{_short(url)}' is a file: address, which is refused: copy the file into the "
            "manuscript's folder and use a relative path such as figures/chart.png",
            None,
        )
    if scheme == "data":
        return (
            f"'{_short(url)}' embeds data in an address, which is refused: save it as a file in "
            "the manuscript's folder and refer to it by a relative path",
            None,
        )
    if scheme or parts.netloc:
        return (
            f"'{_short(url)}' is a network address: a build fetches nothing from the network; "
            "download the file into the manuscript's folder and use a relative path",
            None,
        )
    relative = unquote(parts.path)
    if relative.startswith("/"):
        return (
            f"'{_short(url)}' is an absolute path, which is refused: use a path relative to "
            "the manuscript's folder",
            None,
        )
    folder = base_dir.resolve()
    try:
        target = (folder / relative).resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        return unusable_name(url, exc), None
    if not target.is_relative_to(folder):
        link = _symlink_on_the_way(folder, relative)
        how = f" (the symbolic link '{link}' leads there)" if link else ""
        return (
            f"'{_short(url)}' is outside the manuscript's folder{how}: "
            "copy the file into the folder and refer to it from there",
            None,
        )
    return None, target


def unusable_name(url: str, exc: Exception) -> str:
    """Why ``url`` names no file the system can open: a NUL byte, a name longer than the file
    system takes, or symbolic links that lead to each other."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        why = "its symbolic links lead round in a loop"
    elif isinstance(exc, ValueError):
        why = "it holds a NUL character"
    elif getattr(exc, "errno", None) == errno.ENAMETOOLONG:
        why = "the name is longer than the file system allows"
    else:
        why = f"it cannot be opened ({getattr(exc, 'strerror', None) or exc})"
    return f"'{_short(url)}' names no usable file: {why}"


def _image_file_problem(url: str, target: Path) -> str | None:
    try:
        return _file_problem(url, target)
    except (OSError, ValueError, RuntimeError) as exc:
        return f"the image {unusable_name(url, exc)}"


def _file_problem(url: str, target: Path) -> str | None:
    if not target.exists():
        return f"the image '{url}' does not exist: no file {target}"
    if not target.is_file():
        return f"the image '{url}' is not a regular file (a folder, a device or a pipe)"
    problem = image_problem(target)
    return f"the image '{url}' {problem}" if problem else None


def _symlink_on_the_way(folder: Path, relative: str) -> str | None:
    current = folder
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            return current.relative_to(folder).as_posix()
    return None


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."
