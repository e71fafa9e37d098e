"""The book's cover as a JPEG: the manuscript's own ``cover-image``, or one drawn from its title.

Stores and e-readers show the cover in shelves and listings; Kindle asks for a JPEG of about
1600x2560 px. A generated cover is an SVG template in ``styles/`` (so the designer owns its
look) rendered by CairoSVG, then encoded by Pillow with fixed settings so that the same
manuscript gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publish.editions.cover_template import TEMPLATE, cover_template_path, render_cover_template
from publish.errors import DiagnosticCollector, PublishError
from publish.model import Book, Metadata
from publish.safety.image_metadata import ORIENTATION_TAG, for_edition
from publish.safety.images import svg_text_problem

__all__ = ["TEMPLATE", "Cover", "cover_svg", "generate_cover", "make_cover"]
WIDTH, HEIGHT = 1600, 2560
# What Kindle Direct Publishing and the other stores recommend for an e-book cover.
RECOMMENDED = (1600, 2560)
JPEG_QUALITY = 90
# Room for text between the cover's frame, and the share of the em a glyph takes on average in
# DejaVu (bold serif is the widest face we use): enough to keep estimated lines inside the frame.
_TEXT_WIDTH = WIDTH - 2 * 170
_EM_SHARE = {"title": 0.64, "subtitle": 0.56, "author": 0.58}
_LEADING = 1.2


@dataclass(frozen=True)
class Cover:
    """The cover image as it goes into the book."""

    jpeg: bytes
    width: int
    height: int


def make_cover(book: Book, styles_dir: Path, report: DiagnosticCollector) -> Cover:
    """The manuscript's cover when it names one, else a cover generated from the title page."""
    name = book.metadata.cover_image
    if name is None:
        return generate_cover(book.metadata, styles_dir)
    cover = _given_cover(book.base_dir / name, keep=book.metadata.keep_image_metadata)
    if cover.width < RECOMMENDED[0] or cover.height < RECOMMENDED[1]:
        report.warning(
            book.source,
            None,
            f"the cover image '{name}' is {cover.width}x{cover.height} px; stores ask for at "
            f"least {RECOMMENDED[0]}x{RECOMMENDED[1]} px and may show it blurred",
        )
    return cover


def _given_cover(path: Path, *, keep: bool) -> Cover:
    """A JPEG is used as it is (without its metadata, unless ``keep``: ``image_metadata``); a
    PNG becomes a JPEG, the only cover format Kindle takes, turned upright as its EXIF says,
    since it is encoded anew anyway."""
    from PIL import Image, ImageOps

    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG":
            # Shown turned as its Orientation says (kept, see image_metadata): 5 to 8 stand it
            # on its side.
            turned = image.getexif().get(ORIENTATION_TAG) in (5, 6, 7, 8)
            width, height = (image.height, image.width) if turned else image.size
            return Cover(for_edition(data, path, keep=keep), width, height)
        upright = ImageOps.exif_transpose(image)
        return Cover(_jpeg(upright, image.info.get("icc_profile")), upright.width, upright.height)


def generate_cover(metadata: Metadata, styles_dir: Path) -> Cover:
    return _rendered_cover(cover_svg(metadata, styles_dir))


@lru_cache(maxsize=2)
def _rendered_cover(svg: str) -> Cover:
    """Kept between builds in one process (a preview): the same SVG gives the same JPEG, and
    rendering it is most of the time an EPUB takes."""
    from PIL import Image

    from publish.editions.libraries import import_binding

    cairosvg = import_binding("cairosvg")
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=WIDTH)
    with Image.open(io.BytesIO(png)) as image:
        return Cover(_jpeg(image, None), image.width, image.height)


def cover_svg(metadata: Metadata, styles_dir: Path) -> str:
    """The cover template filled with the title, subtitle and authors, wrapped to fit."""
    title_size, title_lines = _fit(metadata.title, "title", (150, 130, 112, 96, 84, 72), 760)
    subtitle_size, subtitle_lines = _fit(metadata.subtitle or "", "subtitle", (80, 70, 60), 300)
    author_size, author_lines = _fit(", ".join(metadata.authors), "author", (68, 60, 52), 400)
    svg = render_cover_template(
        styles_dir,
        {
            "width": WIDTH,
            "height": HEIGHT,
            "title_lines": title_lines,
            "title_size": title_size,
            "subtitle_lines": subtitle_lines,
            "subtitle_size": subtitle_size,
            "author_lines": author_lines,
            "author_size": author_size,
            "publisher": metadata.publisher or "",
        },
    )
    # What the template drew is drawn by CairoSVG, which would follow links to other files.
    problem = svg_text_problem(svg)
    if problem:
        raise PublishError.at(
            cover_template_path(styles_dir), None, f"the cover the template draws {problem}"
        )
    return svg


def _fit(text: str, role: str, sizes: tuple[int, ...], max_height: int) -> tuple[int, list[str]]:
    """The largest size at which ``text`` wraps into lines that fit the frame and ``max_height``.

    At the smallest size the text is wrapped regardless and the excess lines are cut with an
    ellipsis: a cover names the book; the full title is on the title page and in the metadata.
    """
    lines: list[str] = []
    for size in sizes:
        per_line = max(1, int(_TEXT_WIDTH / (size * _EM_SHARE[role])))
        lines = textwrap.wrap(text, per_line, break_on_hyphens=False)
        fits = len(lines) * size * _LEADING <= max_height
        if fits and all(len(line) <= per_line for line in lines):
            return size, lines
    most = max(1, int(max_height / (sizes[-1] * _LEADING)))
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1].rstrip(".,;:") + "…"]
    return sizes[-1], [line[:per_line] for line in lines]


def _jpeg(image: object, icc_profile: bytes | None) -> bytes:
    """Baseline JPEG, fixed settings, no embedded metadata but the colour profile it was drawn
    in: the same pixels, the same bytes."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    rgb = image.convert("RGBA")
    flat = Image.new("RGB", rgb.size, (255, 255, 255))
    flat.paste(rgb, mask=rgb.getchannel("A"))
    out = io.BytesIO()
    # The profile of the colours the JPEG holds: an RGB one (bytes 16-19 of an ICC profile
    # name its colour space); a grey image's profile would be wrong once it is RGB.
    rgb_profile = icc_profile is not None and icc_profile[16:20] == b"RGB "
    profile = {"icc_profile": icc_profile} if rgb_profile else {}
    flat.save(
        out,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=False,
        dpi=(300, 300),
        **profile,
    )
    return out.getvalue()
