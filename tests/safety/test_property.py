"""Generated manuscripts through the reader and every writer: our error or a good build, never
another exception; every EPUB content document is XML; nothing outside the manuscript's folder is
opened, and no connection is attempted.

``PUBLISH_HYPOTHESIS_EXAMPLES`` sets how many manuscripts are tried (default 60)."""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import ClassVar

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from publish.build import FORMATS, build
from publish.errors import PublishError
from support import ROOT

EXAMPLES = int(os.environ.get("PUBLISH_HYPOTHESIS_EXAMPLES", "60"))

# Where the libraries may read: the interpreter and its packages, our code and styles, the
# system's configuration and fonts. Never the folder beside the manuscript's.
_ALLOWED_ROOTS = tuple(
    Path(p).resolve()
    for p in {
        sys.prefix,
        sys.base_prefix,
        *sysconfig.get_paths().values(),
        str(ROOT / "src"),
        str(ROOT / "styles"),
        "/usr",
        "/etc",
        "/dev",
        "/proc",
        "/sys",
    }
)


_TEMP = Path(tempfile.gettempdir()).resolve()


class _Audit:
    """Records files opened and connections tried while ``recording``; audit hooks cannot be
    removed, so one is installed for the session and switched on around each build."""

    recording = False
    opened: ClassVar[list[str]] = []
    network: ClassVar[list[str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        if not cls.recording:
            return
        if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            path = os.path.abspath(os.fsdecode(args[0]))
            flags = args[2] if isinstance(args[2], int) else 0
            if flags & os.O_CREAT and _TEMP in (Path(path), Path(path).parent):
                return  # an anonymous or new temporary file: nothing existing is read
            cls.opened.append(path)
        elif event.startswith("socket.") and event in ("socket.connect", "socket.getaddrinfo"):
            cls.network.append(f"{event} {args[1:2]}")

    @classmethod
    @contextmanager
    def watching(cls) -> Iterator[None]:
        cls.opened, cls.network, cls.recording = [], [], True
        try:
            yield
        finally:
            cls.recording = False


sys.addaudithook(_Audit.hook)

WORDS = [
    "kratom", "Yes", "no", "1.10", "é", "中文", "—", "&", "<", ">", "*", "**", "_", "`", "[", "]",
    "(", ")", "!", "#", "{", "}", "\\", "|", ":", "--", "&nbsp;", "&foo;", "&#0;", "&#x110000;",
    "&amp;", "<b and c>", "<x>", "</p>", "<br>", "<!-- a -- b -->", "[^1]", "[^x]", "{#summary}",
    "{: .note }", "<span id=\"here\">", "[link](#one)", "[js](javascript:alert(1))",
    "<a href=\"data:text/html,<script>x</script>\">d</a>", "<https://example.org>",
]  # fmt: skip
INLINE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join)
# Raw HTML the sanitiser cleans: the build goes on, with warnings.
CLEANED_BLOCKS = [
    "<script>alert(1)</script>",
    '<p onclick="x()" style="color:red">handler</p>',
    '<iframe src="page.html"></iframe>',
    '<object data="figures/ok.png">fallback</object>',
    "<form><input name=q><button>go</button></form>",
    "<!-- comment -- with dashes -->",
    '![ok](figures/ok.png "Caption")',
    '<img src="figures/ok.png" alt="raw">',
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "```python\n<script>code</script>\n```",
    "Term\n:   Definition",
    "*[HTML]: Hyper Text",
    "[^1]: A note.",
    "## Summary",
    "# Contents",
    "# Section One",
    "## Twice {#twice}\n\n## Again {#twice}",  # the later id is renamed, with a warning
    "<div>" * 20 + "deep" + "</div>" * 20,
    "a" * 3_000 + " a word longer than any line",
    "[TOC]",
    "> " * 20 + "- quoted list",
]
# What must stop the build with our error, naming the line.
REFUSED_BLOCKS = [
    "<div>\n\nunclosed",
    "![secret](../private/secret.png)",
    "![abs]({PRIVATE}/secret.png)",
    "![url](file://{PRIVATE}/secret.png)",
    "![link](figures/link.png)",
    "![svg](figures/evil.svg)",
    "![net](http://127.0.0.1:9/x.png)",
    "![none](figures/missing.png)",
    '<link rel="attachment" href="{PRIVATE}/secret.png">',
    '<p style="background:url({PRIVATE}/secret.png)">bg</p>',
    "<style>@import '{PRIVATE}/x.css';</style>",
    "> " * 40 + "deep",
    "[" * 40 + "x",
    "text \x00 with NUL",
    "![bomb](figures/bomb.svg)",
    "[TOC]\n\n" * 8,
    "HTML " * 300 + "\n\n*[HTML]: " + "x" * 900,
    "[@a]" * 50,
    "See [there](#nowhere).",
]
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)
BLOCK = st.one_of(
    INLINE,
    INLINE,
    INLINE.map(lambda text: "# " + text),
    st.tuples(st.integers(2, 6), INLINE).map(lambda pair: "#" * pair[0] + " " + pair[1]),
    INLINE.map(lambda text: "- " + text),
    INLINE.map(lambda text: "    - " + text),
    INLINE.map(lambda text: "> " + text),
    INLINE.map(lambda text: "1. " + text),
    st.sampled_from(CLEANED_BLOCKS),
    st.sampled_from(CLEANED_BLOCKS),
    TEXT,
    st.sampled_from(REFUSED_BLOCKS),
)
# Mostly with a first section, so that most manuscripts reach the writers.
HAS_SECTION = st.sampled_from([True, True, True, True, False])
BODY = st.tuples(HAS_SECTION, st.lists(BLOCK, max_size=10)).map(
    lambda pair: "\n\n".join((["# One"] if pair[0] else []) + pair[1])
)
GOOD_VALUE = st.one_of(
    st.just("Plain text"),
    INLINE.map(lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["Yes", "no", "1.10", "'quoted'", "|\n  A *block* <script>x</script>"]),
)
BAD_VALUE = st.sampled_from(
    [
        "null", "~", "[a, b]", "{a: 1}", "&a x", "*a", "a: b", "- x", "2026-02-30",
        "!!python/object/apply:os.system ['true']", "\"<img src='../private/secret.png'>\"",
    ]
)  # fmt: skip
VALUE = st.one_of(GOOD_VALUE, GOOD_VALUE, GOOD_VALUE, GOOD_VALUE, BAD_VALUE)
DATE = st.sampled_from(["2026-01-01", "2025-12-31", "2026-01-01T10:00:00Z", "2026-01-02", "soon"])
OPTIONAL = st.dictionaries(
    st.sampled_from(["subtitle", "author", "lang", "keywords", "rights", "reviewed", "colour"]),
    VALUE,
    max_size=3,
)


@st.composite
def manuscripts(draw: st.DrawFn) -> str:
    keys = {"title": draw(VALUE), "date": draw(DATE), "disclaimer": draw(VALUE)}
    keys["summary"] = draw(VALUE)
    keys.update(draw(OPTIONAL))
    order = draw(st.permutations(sorted(keys)))
    front = "".join(f"{key}: {keys[key]}\n" for key in order)
    return f"---\n{front}---\n\n{draw(BODY)}\n"


def _folder(base: Path) -> tuple[Path, Path]:
    """The manuscript's folder with a good image, a symlink out and a hostile SVG; a secret."""
    book, private = base / "book", base / "private"
    (book / "figures").mkdir(parents=True)
    private.mkdir()
    Image.new("RGB", (3, 2), "red").save(book / "figures" / "ok.png")
    Image.new("RGB", (2, 2), "blue").save(private / "secret.png")
    (private / "x.css").write_text("p { color: red }")
    (book / "figures" / "link.png").symlink_to(private / "secret.png")
    uses = "".join(f'<g id="g{n}">' + f'<use href="#g{n - 1}"/>' * 10 + "</g>" for n in range(1, 9))
    (book / "figures" / "bomb.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><rect id="g0"/>{uses}<use href="#g8"/></svg>'
    )
    (book / "figures" / "evil.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="file://{private}/secret.png"/></svg>'
    )
    return book, private


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    parts = path.relative_to(_TEMP).parts if path.is_relative_to(_TEMP) else ()
    if parts and parts[0].startswith("weasyprint-"):
        return True  # WeasyPrint's own cache of fonts and images for the document it lays out
    return any(path == root or path.is_relative_to(root) for root in roots)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=manuscripts())
def test_any_manuscript_builds_or_fails_with_our_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary).resolve()
        book, private = _folder(base)
        path = book / "book.md"
        path.write_text(text.replace("{PRIVATE}", str(private)), encoding="utf-8")
        dist = base / "dist"
        with _Audit.watching():
            try:
                written = build(path, dist, FORMATS)
                event("built every edition")
            except PublishError as exc:
                written = []
                event("refused: " + " | ".join(sorted({d.message[:30] for d in exc.diagnostics})))
        allowed = (book, dist, *_ALLOWED_ROOTS)
        outside = [p for p in _Audit.opened if not _inside(Path(p).resolve(), allowed)]
        assert outside == []
        assert not [p for p in _Audit.opened if Path(p).resolve().is_relative_to(private)]
        assert _Audit.network == []
        assert not list(dist.glob("**/.*.part"))
        for edition in written:
            _assert_no_machine_paths(edition.path, base)
            if edition.format == "epub":
                _assert_content_documents_are_xml(edition.path)
            if edition.format == "pdf":
                assert edition.path.read_bytes().startswith(b"%PDF-")


def _assert_content_documents_are_xml(epub: Path) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(epub) as archive:
        names = [n for n in archive.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))]
        assert names
        for name in names:
            etree.fromstring(archive.read(name), parser)


def _assert_no_machine_paths(path: Path, base: Path) -> None:
    """No ``file:`` URL and no path of the building machine in an edition (or its members)."""
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as archive:
            contents = [archive.read(name) for name in archive.namelist()]
    elif path.suffix == ".pdf":
        import pikepdf

        with pikepdf.open(path) as pdf:
            contents = [repr(pdf.trailer).encode(), *(repr(p.obj).encode() for p in pdf.pages)]
    else:
        contents = [path.read_bytes()]
    for data in contents:
        assert b"file:" not in data
        assert str(base).encode() not in data


# Lines that once cost the square of their length in a pattern, the lint or Markdown's own
# processing; any mix of them must cost about as much as it is long.
HOSTILE_UNITS = [
    "\t", " ", ".", "@", "[@", "[", "1 ", "1.5, ", "12,", "<!-- -->", "<!--", "`", "``a", "*a",
    "5%", "e.g. ", "](", "{#", "cures ", "not ", "a-", "<a ", "http://", "&#1", "one in ",
    "(", '"', "'", "]{", "# ", "| ", "<a\t", "{", "~", "^", "\uff11",
]  # fmt: skip
UNIT_MIX = st.lists(st.sampled_from(HOSTILE_UNITS), min_size=1, max_size=3).map("".join)


def _cost(folder: Path, line: str) -> float:
    """CPU seconds (not wall time: the machine is shared) to read and lint a manuscript holding
    ``line``; the cheaper of two tries."""
    from publish.lint.rules import lint
    from publish.reading.manuscript import read_manuscript

    path = folder / "book.md"
    front = "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: Not advice.\nsummary: S.\n---\n"
    path.write_text(front + "# One\n\nx " + line + " y\n", encoding="utf-8")
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        with suppress(PublishError):
            read_manuscript(path)
        lint(path)
        best = min(best, time.process_time() - started)
    return best


@settings(max_examples=max(EXAMPLES // 4, 5), deadline=None)
@given(unit=UNIT_MIX)
def test_hostile_lines_cost_what_they_are_long(unit: str) -> None:
    """Measured as growth, not as a time: four times the line may cost at most about four
    times as much (9 allows for noise and fixed costs; a quadratic step gives 16)."""
    repeats = max(2_000 // len(unit), 1)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        small = _cost(folder, unit * repeats)
        large = _cost(folder, unit * repeats * 4)
    event(f"unit {unit!r}")
    assert large <= max(9 * small, 0.5), f"{unit!r}: {small:.3f} s, then {large:.3f} s"
