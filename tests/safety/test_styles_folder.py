"""A styles folder comes with a submission: its cover template runs in Jinja's sandbox with
plain data, and its stylesheets may name no file outside the folder, whatever CSS syntax hides
the address in."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from publish.build import build
from publish.errors import PublishError
from publish.styles import PROJECT_STYLES
from support.manuscripts import manuscript, snapshot

# Each of these ran a command or read a file of the build machine in a plain Jinja environment.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ title_lines|attr('__class__') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ title_lines.append('x') }}",
]


def styles_copy(folder: Path) -> Path:
    """The project's styles, copied where a submission's would be."""
    styles = folder / "styles"
    shutil.copytree(PROJECT_STYLES, styles)
    return styles


def epub_cover_of(tmp_path: Path, template: str) -> PublishError | None:
    styles = styles_copy(tmp_path)
    (styles / "cover.svg.j2").write_text(template, encoding="utf-8")
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    try:
        build(book, tmp_path / "dist", ["epub"], styles_dir=styles)
    except PublishError as exc:
        return exc
    return None


@pytest.mark.parametrize("template", ESCAPES)
def test_a_template_cannot_reach_python(tmp_path: Path, template: str) -> None:
    error = epub_cover_of(tmp_path, template)
    assert error is not None
    message = str(error)
    assert "cover.svg.j2:1: error: the cover template does what a template may not" in message
    assert "uid=" not in message
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").glob("*.epub"))


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{% include 'print.css' %}", "names another template ('print.css')"),
        ("{% include '/etc/passwd' %}", "names another template"),
        ("{% extends '../../cover.svg.j2' %}", "names another template"),
        ("{% import 'fonts.css' as f %}", "names another template"),
        ("{{ 'a' * 100000000 }}", "a repeated value over a million items"),
        ("{{ 2 ** 100000 }}", "an exponent over 64"),
        ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
         "loops over more than 1,000,000 numbers"),
        ("{% for a in range(9999) %}{{ 'x' * 9999 }}{% endfor %}", "more than 2,000,000"),
        ("{% if %}", "the cover template is not valid"),
        ("{{ 1 / 0 }}", "the cover template failed: division by zero"),
    ],
)  # fmt: skip
def test_a_template_reads_no_other_file_and_stays_small(
    tmp_path: Path, template: str, expected: str
) -> None:
    error = epub_cover_of(tmp_path, template)
    assert error is not None and expected in str(error)


@pytest.mark.parametrize(
    "svg_element",
    [
        '<image href="file:///etc/passwd" width="9" height="9"/>',
        '<image xmlns:x="http://www.w3.org/1999/xlink" x:href="/etc/hostname"/>',
        "<style>rect { fill: url(/etc/passwd#x) }</style>",
        "<script>alert(1)</script>",
    ],
)
def test_what_the_template_draws_is_a_self_contained_svg(tmp_path: Path, svg_element: str) -> None:
    template = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">{svg_element}</svg>'
    error = epub_cover_of(tmp_path, template)
    assert error is not None and "the cover the template draws is an SVG image" in str(error)


def test_a_template_linked_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    styles = styles_copy(tmp_path)
    secret = tmp_path / "secret.j2"
    secret.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (styles / "cover.svg.j2").unlink()
    (styles / "cover.svg.j2").symlink_to(secret)
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    with pytest.raises(PublishError, match="a link out of its styles folder"):
        build(book, tmp_path / "dist", ["epub"], styles_dir=styles)


def test_a_designers_template_still_draws_the_cover(tmp_path: Path) -> None:
    styles = styles_copy(tmp_path)
    template = (styles / "cover.svg.j2").read_text(encoding="utf-8")
    (styles / "cover.svg.j2").write_text(template.replace("#1f3a4d", "#7a1010"), "utf-8")
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    build(book, tmp_path / "dist", ["epub"], styles_dir=styles)
    with zipfile.ZipFile(tmp_path / "dist" / "book.epub") as archive:
        cover = archive.read("EPUB/cover.jpg")
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(cover)) as image:
        red, green, blue = image.convert("RGB").getpixel((20, 20))
    assert red > 100 and green < 40 and blue < 40


@pytest.mark.parametrize(
    "css",
    [
        "p { background: url(https://tracker.example/p.png) }",
        "p { background: u\\72l(https://tracker.example/p.png) }",
        '@import "https://tracker.example/x.css";',
        '@import url("//tracker.example/x.css");',
        'p { background: image-set("https://tracker.example/p.png" 1x) }',
        "p { background: url(../secret.png) }",
    ],
)
def test_the_epub_stylesheet_names_no_other_file(tmp_path: Path, css: str) -> None:
    styles = styles_copy(tmp_path)
    (styles / "epub.css").write_text("body { margin: 0 }\n" + css + "\n", encoding="utf-8")
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("as it was", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(PublishError) as caught:
        build(book, out, ["epub"], styles_dir=styles)
    assert "epub.css:2: error: the stylesheet names" in str(caught.value)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "css",
    [
        "p { background: u\\72l(https://tracker.example/p.png) }",
        'p { background: image-set("https://tracker.example/p.png" 1x) }',
        '@import "//tracker.example/x.css";',
        "p { background: url(/etc/passwd) }",
    ],
)
def test_the_html_stylesheet_names_only_files_in_the_folder(tmp_path: Path, css: str) -> None:
    styles = styles_copy(tmp_path)
    html_css = styles / "html.css"
    html_css.write_text(html_css.read_text("utf-8") + "\n" + css + "\n", encoding="utf-8")
    line = html_css.read_text("utf-8").count("\n")
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    with pytest.raises(PublishError) as caught:
        build(book, tmp_path / "dist", ["html"], styles_dir=styles)
    assert f"html.css:{line}: error:" in str(caught.value)
    assert "must be a file inside the styles folder" in str(caught.value)


def test_the_print_stylesheet_reads_nothing_outside(tmp_path: Path) -> None:
    styles = styles_copy(tmp_path)
    (tmp_path / "secret.png").write_bytes(b"not for the book")
    print_css = styles / "print.css"
    print_css.write_text(
        print_css.read_text("utf-8") + "\nbody { background: u\\72l(../secret.png) }\n", "utf-8"
    )
    book = manuscript(tmp_path / "book", "# One\n\nText.\n")
    with pytest.raises(PublishError, match="outside the manuscript's folder"):
        build(book, tmp_path / "dist", ["pdf"], styles_dir=styles)
