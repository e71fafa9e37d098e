"""Accessibility metadata that describes the EPUB as written, read from its content documents.

EPUB Accessibility 1.1 asks the package to say how the book can be read (access modes), what
helps (features), what could harm (hazards), and which standard it meets. Every statement here is
derived from the XHTML we are about to package, so a book without images never claims text
alternatives and a book without a page list never claims page navigation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from publish.labels import LABELS, Labels
from publish.xhtml import EPUB_NS, XHTML_NS

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_HEADINGS = {f"{{{XHTML_NS}}}h{level}" for level in range(1, 7)}
_TIME_BASED = {f"{{{XHTML_NS}}}{name}" for name in ("audio", "video")}
_MOVING_SVG = ("animate", "animateMotion", "animateTransform", "set")


@dataclass(frozen=True)
class Accessibility:
    """The schema.org accessibility properties of one EPUB, ready for the package document."""

    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str | None = CONFORMANCE

    def properties(self) -> list[tuple[str, str]]:
        """``(property, value)`` pairs in the order the package lists them."""
        pairs = [("schema:accessMode", mode) for mode in self.access_modes]
        pairs += [("schema:accessModeSufficient", modes) for modes in self.sufficient]
        pairs += [("schema:accessibilityFeature", feature) for feature in self.features]
        pairs += [("schema:accessibilityHazard", hazard) for hazard in self.hazards]
        pairs.append(("schema:accessibilitySummary", self.summary))
        if self.conforms_to:
            pairs.append(("dcterms:conformsTo", self.conforms_to))
        return pairs


@dataclass(frozen=True)
class _Facts:
    images: int
    images_described: int
    headings: int
    roles: bool
    math: bool
    time_based: bool
    moving_images: bool
    page_breaks: int


def describe(
    documents: Iterable[etree._Element],
    *,
    has_toc: bool,
    has_page_list: bool,
    moving_media: bool = False,
    labels: Labels = LABELS,
) -> Accessibility:
    """Describe the book made of ``documents`` (parsed XHTML content documents, nav included);
    the summary is written with ``labels``, the book's words.

    ``moving_media`` says that an image file in the book moves by itself (an animated GIF, PNG
    or SVG), which the markup alone cannot show.
    """
    facts = _gather(documents, moving_media)
    modes = ["textual"]
    if facts.images:
        modes.append("visual")
    if facts.time_based:
        modes.append("auditory")
    # Text alone suffices when every image has a text alternative and nothing is audio or video.
    text_suffices = facts.images_described == facts.images and not facts.time_based
    sufficient = (["textual"] if text_suffices else []) + (
        [",".join(modes)] if len(modes) > 1 else []
    )

    features: list[str] = []
    if has_toc:
        features.append("tableOfContents")
    if facts.headings:
        features.append("structuralNavigation")
    if facts.images and facts.images_described == facts.images:
        features.append("alternativeText")
    if facts.page_breaks:
        features.append("pageBreakMarkers")
    if has_page_list:
        features.append("pageNavigation")
    if facts.math:
        features.append("MathML")
    if facts.roles:
        features.append("ARIA")
    # One linear spine in the author's order; the stylesheet sets no fixed sizes or colours that
    # a reader could not override.
    features += ["readingOrder", "displayTransformability"]

    hazards = ["unknown"] if facts.time_based or facts.moving_images else ["none"]
    # WCAG 1.1.1 fails on an image without a text alternative: then the book claims nothing.
    conforms = facts.images_described == facts.images
    return Accessibility(
        access_modes=tuple(modes),
        sufficient=tuple(sufficient),
        features=tuple(features),
        hazards=tuple(hazards),
        summary=_summary(
            facts, labels, has_toc=has_toc, has_page_list=has_page_list, hazards=hazards
        ),
        conforms_to=CONFORMANCE if conforms else None,
    )


def _gather(documents: Iterable[etree._Element], moving_media: bool) -> _Facts:
    images = described = headings = page_breaks = 0
    roles = math = time_based = False
    moving = moving_media
    for root in documents:
        for element in root.iter(etree.Element):
            tag = element.tag
            if tag == f"{{{XHTML_NS}}}img":
                images += 1
                # alt="" marks a decorative image, which needs no description to be understood.
                described += element.get("alt") is not None
            elif tag == "{http://www.w3.org/2000/svg}svg":
                images += 1
                described += _svg_has_text_alternative(element)
            elif tag in _HEADINGS:
                headings += 1
            elif tag in _TIME_BASED:
                time_based = True
            elif tag == "{http://www.w3.org/1998/Math/MathML}math":
                math = True
            elif etree.QName(tag).localname in _MOVING_SVG:
                moving = True
            if element.get("role"):
                roles = True
            if "pagebreak" in (element.get(f"{{{EPUB_NS}}}type") or "").split():
                page_breaks += 1
    return _Facts(images, described, headings, roles, math, time_based, moving, page_breaks)


def _svg_has_text_alternative(svg: etree._Element) -> bool:
    if svg.get("aria-label") or svg.get("aria-hidden") == "true":
        return True
    return svg.find("{http://www.w3.org/2000/svg}title") is not None


def _summary(
    facts: _Facts, labels: Labels, *, has_toc: bool, has_page_list: bool, hazards: list[str]
) -> str:
    """A sentence or two a reader can act on, in the order readers of such summaries expect."""
    sentences = []
    if facts.images_described == facts.images:
        sentences.append(labels.a11y_conforms)
    aids = []
    if has_toc:
        aids.append(labels.a11y_toc)
    if facts.headings:
        aids.append(labels.a11y_headings)
    if has_page_list:
        aids.append(labels.a11y_page_list)
    if aids:
        sentences.append(labels.a11y_offers.format(aids=_join(aids, labels.and_)))
    if facts.images:
        if facts.images_described == facts.images:
            sentences.append(labels.a11y_images_described)
        else:
            missing = facts.images - facts.images_described
            sentences.append(
                labels.a11y_images_missing.format(missing=missing, images=facts.images)
            )
    sentences.append(labels.a11y_adaptable)
    if hazards == ["none"]:
        sentences.append(labels.a11y_no_hazards)
    return " ".join(sentences)


def _join(items: list[str], and_: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {and_} " + items[-1]


def moves_by_itself(media_type: str, data: bytes) -> bool:
    """Whether an image file animates: a hazard for readers sensitive to motion or flashing."""
    if media_type == "image/svg+xml":
        text = data.decode("utf-8", errors="replace")
        return any(f"<{name}" in text for name in _MOVING_SVG) or "animation" in text
    if media_type in ("image/gif", "image/png", "image/webp"):
        import io

        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                return bool(getattr(image, "is_animated", False))
        except OSError:
            return False
    return False
