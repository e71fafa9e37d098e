"""Where the stylesheets are: a light module, so the command line can tell the PDF worker before
it imports the libraries that read the manuscript."""

from __future__ import annotations

from pathlib import Path

# The default styles and fonts. The design card keeps them in the repository's top-level styles/;
# an installed package carries a copy as publish/default_styles/ (setup.py's build step), and a
# checkout (the editable install `make` uses) reads the folder itself, so an edit shows at once.
_PACKAGED = Path(__file__).resolve().parent / "default_styles"
_CHECKOUT = Path(__file__).resolve().parents[2] / "styles"
PROJECT_STYLES = _PACKAGED if (_PACKAGED / "print.css").is_file() else _CHECKOUT


def default_styles_dir(manuscript: Path) -> Path:
    """``styles/`` beside the manuscript's folder, else in the working folder, else ours."""
    for candidate in (manuscript.resolve().parent.parent / "styles", Path.cwd() / "styles"):
        if (candidate / "print.css").is_file() and (candidate / "epub.css").is_file():
            return candidate
    return PROJECT_STYLES
