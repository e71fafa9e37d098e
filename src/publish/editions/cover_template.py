"""The cover template, run as untrusted code: a styles folder comes with the manuscript.

A designer's ``styles/cover.svg.j2`` is a Jinja template, and a plain Jinja environment lets a
template reach Python (``''.__class__.__mro__``…) and so run commands on the build machine. So
the template runs in Jinja's immutable sandbox, is given plain data only (numbers, strings and
lists of strings), may not include, import or extend another file, and may not build values
large enough to exhaust the machine. What it renders must be a self-contained SVG image, checked
as the manuscript's own SVG images are, before CairoSVG draws it.
"""

from __future__ import annotations

import operator
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from publish.errors import PublishError
from publish.styles import PROJECT_STYLES

TEMPLATE = "cover.svg.j2"
# Far above what a cover needs (ours is 3 KB of template and renders 4 KB of SVG).
MAX_TEMPLATE_BYTES = 200_000
MAX_SVG_CHARS = 2_000_000
# A string or list built by ``*`` or a number by ``**`` beyond this is refused (10 ** 10 ** 10).
_MAX_PRODUCT = 1_000_000
_MAX_EXPONENT = 64

PlainValue = int | float | str | list[str]


class _CoverSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with ``*`` and ``**`` bounded as well."""

    intercepted_binops = frozenset(("*", "**"))

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > _MAX_EXPONENT:
                raise SecurityError(f"an exponent over {_MAX_EXPONENT} is not allowed")
            return operator.pow(left, right)
        for value, times in ((left, right), (right, left)):
            repeats = isinstance(value, str | list | tuple) and isinstance(times, int)
            if repeats and len(value) * times > _MAX_PRODUCT:
                raise SecurityError("a repeated value over a million items is not allowed")
        return operator.mul(left, right)


def cover_template_path(styles_dir: Path) -> Path:
    """The styles folder's own template when it has one, else the project's."""
    own = styles_dir / TEMPLATE
    return own if own.exists() or own.is_symlink() else PROJECT_STYLES / TEMPLATE


def render_cover_template(styles_dir: Path, values: Mapping[str, PlainValue]) -> str:
    """The cover SVG from the template in ``styles_dir`` (or ours), run in the sandbox."""
    path = cover_template_path(styles_dir)
    source = _template_source(path)
    environment = _CoverSandbox(
        loader=_only_this(path, source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["range"] = _counted_range()
    plain = {name: _plain(name, value) for name, value in values.items()}
    try:
        svg = _bounded_render(environment.get_template(TEMPLATE), plain)
    except jinja2.TemplateSyntaxError as exc:
        raise PublishError.at(
            path, exc.lineno, f"the cover template is not valid: {exc.message}"
        ) from None
    except SecurityError as exc:
        raise PublishError.at(
            path,
            _template_line(path, sys.exc_info()[2]),
            f"the cover template does what a template may not ({exc}): a cover template "
            "places the given title, subtitle, author and publisher, nothing more",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise PublishError.at(
            path,
            _template_line(path, sys.exc_info()[2]),
            f"the cover template names another template ('{exc.name}'): it must be one file",
        ) from None
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        raise PublishError.at(
            path,
            _template_line(path, sys.exc_info()[2]),
            f"the cover template failed: {exc}",
        ) from None
    return svg


def _bounded_render(template: jinja2.Template, values: Mapping[str, PlainValue]) -> str:
    pieces: list[str] = []
    size = 0
    for piece in template.generate(values):
        size += len(piece)
        if size > MAX_SVG_CHARS:
            raise SecurityError(f"it writes more than {MAX_SVG_CHARS:,} characters of SVG")
        pieces.append(piece)
    return "".join(pieces)


def _counted_range() -> Callable[..., range]:
    """``range`` with one budget for the whole template: nested loops cannot multiply it."""
    budget = [_MAX_PRODUCT]

    def bounded(*arguments: int) -> range:
        numbers = range(*arguments)
        budget[0] -= len(numbers)
        if budget[0] < 0:
            raise SecurityError(f"loops over more than {_MAX_PRODUCT:,} numbers in all")
        return numbers

    return bounded


def _template_source(path: Path) -> str:
    """The template's text; only a regular file inside its own styles folder is read."""
    try:
        real = path.resolve(strict=True)
        status = real.stat()
    except (OSError, RuntimeError):
        raise PublishError.at(path, None, "the cover template cannot be read") from None
    if not real.is_relative_to(path.parent.resolve()):
        raise PublishError.at(
            path, None, "the cover template is a link out of its styles folder and is refused"
        )
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_TEMPLATE_BYTES:
        raise PublishError.at(
            path, None, f"the cover template must be a file under {MAX_TEMPLATE_BYTES:,} bytes"
        )
    try:
        return real.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise PublishError.at(path, None, "the cover template is not UTF-8 text") from None


def _only_this(path: Path, source: str) -> jinja2.BaseLoader:
    """A loader of the one template: ``include``, ``import`` and ``extends`` find nothing."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        return (source, str(path), lambda: True) if name == TEMPLATE else None

    return jinja2.FunctionLoader(load)


def _plain(name: str, value: PlainValue) -> PlainValue:
    """Copies of the given values as built-in types: nothing for a template to climb through."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | list):
        raise TypeError(f"the cover template is given plain data only, not {name}={value!r}")
    if isinstance(value, list):
        return [str(item) for item in value]
    return type(value)(value) if not isinstance(value, str) else str(value)


def _template_line(path: Path, trace: TracebackType | None) -> int | None:
    """The template line Jinja's traceback points at, when it points at one."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == str(path):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
