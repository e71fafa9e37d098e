"""Is the front matter's ``cover-image`` one the editions can use? Checked by the reader, with
the line of its key, before any writer runs; ``editions/cover`` then only opens it."""

from __future__ import annotations

from pathlib import Path

from publish.safety.fetch import RefusedResource, resolve_inside
from publish.safety.images import image_problem
from publish.safety.resources import unusable_name

# A JPEG is used as it is and a PNG converted to one (editions/cover); nothing else is taken.
ACCEPTED_FORMATS = ("JPEG", "PNG")


def cover_problem(base_dir: Path, name: str) -> str | None:
    """Why ``name`` cannot be the cover, or ``None`` when it is a JPEG or PNG in ``base_dir``."""
    from PIL import Image, UnidentifiedImageError

    try:
        path = resolve_inside((base_dir / name).resolve().as_uri(), [base_dir])
        if not path.is_file():
            return f"'cover-image' names '{name}', which does not exist"
    except RefusedResource:
        return f"'cover-image' must be a file inside the manuscript's folder, not '{name}'"
    except (OSError, ValueError, RuntimeError) as exc:  # NUL bytes, over-long names, loops
        return f"'cover-image' {unusable_name(name, exc)}"
    problem = image_problem(path)  # damaged, mislabelled, or a decompression bomb
    if problem:
        return f"'cover-image' '{name}' {problem}"
    try:
        with Image.open(path) as image:
            kind = image.format
    except (UnidentifiedImageError, OSError):
        return f"'cover-image' '{name}' is not an image that can be read"
    if kind not in ACCEPTED_FORMATS:
        return f"'cover-image' must be a JPEG or PNG image; '{name}' is {kind}"
    return None
