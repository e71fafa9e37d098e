"""Where the stylesheets are: a light module, so the command line can tell the PDF worker before
it imports the libraries that read the manuscript."""

from __future__ import annotations

from pathlib import Path

PROJECT_STYLES = Path(__file__).resolve().parents[2] / "styles"


def default_styles_dir(manuscript: Path) -> Path:
    """``styles/`` beside the manuscript's folder, else in the working folder, else ours."""
    for candidate in (manuscript.resolve().parent.parent / "styles", Path.cwd() / "styles"):
        if (candidate / "print.css").is_file() and (candidate / "epub.css").is_file():
            return candidate
    return PROJECT_STYLES
