"""Where a PDF draws its images, read from the page content as a viewer computes it."""

from __future__ import annotations

from pathlib import Path

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    points = [(x, y) for x in (x0, x1) for y in (y0, y1)]
    xs = [m[0] * x + m[2] * y + m[4] for x, y in points]
    ys = [m[1] * x + m[3] * y + m[5] for x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def drawn_images(pdf: Path) -> list[tuple[int, Box]]:
    """(page index, bounding box in points) of every image XObject drawn, however deep in
    form XObjects (SVG images are forms holding drawings; their forms count as images)."""
    import pikepdf

    found: list[tuple[int, Box]] = []
    with pikepdf.open(pdf) as document:
        for index, page in enumerate(document.pages):
            _walk(page, page.obj, _IDENTITY, index, found, depth=0, top=True)
    return found


def _walk(holder, obj, ctm: Matrix, page: int, found, depth: int, top: bool) -> None:  # type: ignore[no-untyped-def]
    import pikepdf

    resources = obj.get("/Resources", {})
    xobjects = resources.get("/XObject", {}) if resources else {}
    stack: list[Matrix] = []
    current = ctm
    for operands, operator in pikepdf.parse_content_stream(holder if top else obj):
        op = str(operator)
        if op == "q":
            stack.append(current)
        elif op == "Q":
            current = stack.pop() if stack else ctm
        elif op == "cm":
            current = _times(tuple(float(v) for v in operands), current)  # type: ignore[arg-type]
        elif op == "Do":
            xobject = xobjects.get(str(operands[0]))
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                found.append((page, _box(current, 0, 0, 1, 1)))
            elif xobject.get("/Subtype") == "/Form" and depth < 8:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                inner = _times(matrix, current)  # type: ignore[arg-type]
                if _is_svg_image(xobject):
                    bbox = [float(v) for v in xobject.BBox]
                    found.append((page, _box(inner, *bbox)))
                else:
                    _walk(None, xobject, inner, page, found, depth + 1, top=False)


def _is_svg_image(xobject) -> bool:  # type: ignore[no-untyped-def]
    """A form that draws no image of its own: an SVG drawing, which is an image to readers."""
    resources = xobject.get("/Resources", {})
    inner = resources.get("/XObject", {}) if resources else {}
    return not any(x.get("/Subtype") == "/Image" for x in inner.values()) and not inner


def text_block(pdf: Path, page: int) -> Box:
    """The page's text block, from print.css's margins (11% 14% 13% 14% of the page's width)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        x0, y0, x1, y1 = (float(v) for v in document.pages[page].MediaBox)
    width = x1 - x0
    return x0 + 0.14 * width, y0 + 0.13 * width, x1 - 0.14 * width, y1 - 0.11 * width


def painted_box(pdf: Path, page: int, colour: tuple[int, int, int], out: Path) -> Box | None:
    """Where the page shows ``colour``, in points from its lower left corner, as rendered at
    72 dpi by pdftoppm (one pixel is one point): for drawings, which are not image objects."""
    import subprocess

    from PIL import Image, ImageChops

    prefix = out / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), "-singlefile",
         str(pdf), str(prefix)],
        check=True,
    )  # fmt: skip
    image = Image.open(f"{prefix}.png").convert("RGB")
    mask = Image.new("L", image.size, 255)
    for band, wanted in zip(image.split(), colour, strict=True):
        near = band.point(lambda value, wanted=wanted: 255 if abs(value - wanted) < 12 else 0)
        mask = ImageChops.multiply(mask, near)
    found = mask.getbbox()
    if found is None:
        return None
    left, upper, right, lower = found
    return float(left), float(image.height - lower), float(right), float(image.height - upper)
