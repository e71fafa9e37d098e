"""What site generators and note apps add to Markdown is reported when it prints as text
(templates, shortcodes, kramdown and MyST labels, wiki links); GitHub's alerts become callouts."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from publish.lint import leftovers
from publish.lint.rules import lint
from support.manuscripts import FRONT, body_html, manuscript, warnings

BODY = """(first-section)=
# {{ page.title }}

{% include header.html %}

{:.lead}
A paragraph after a kramdown list of attributes.

{{< figure src="a.png" >}} and {{% note %}}.

See [[Another Page]] and ![[picture.png]].

> [!UNKNOWN]
> Not one of the five.

Plain text with {braces}, a (parenthesis)= inside a line and [[x] unbalanced.

As Figure \\@ref(fig:growth) shows.
"""


def test_site_generator_syntax_is_reported_at_its_line(tmp_path: Path) -> None:
    path = manuscript(tmp_path, BODY)
    first = FRONT.count("\n") + 1
    found = [
        (d.line - first if d.line else None, d.message.split("`")[1])
        for d in lint(path)
        if d.rule == leftovers.RULE
    ]
    assert found == [
        (0, "(first-section)="),
        # Changed on purpose: a '#' line right under a paragraph line is that paragraph's text,
        # as in pandoc (blank_before_header), and the net says so too.
        (1, "# "),
        (1, "{{"),
        (3, "{% "),
        (5, "{:."),
        (8, "{{%"),  # the lint lists one line's findings by their message
        (8, "{{<"),
        (10, "![[picture.png]]"),
        (10, "[[Another Page]]"),
        (12, "[!UNKNOWN]"),
        (17, "@ref(fig:growth)"),
    ]


def test_github_alerts_are_callouts(tmp_path: Path) -> None:
    body = (
        "# One\n\n> [!WARNING]\n> Seek help **now**.\n\n"
        "> [!tip]\n> Lowercase works.\n\n> A quote.\n"
    )
    book, said = warnings(manuscript(tmp_path, body))
    root = lxml.html.fromstring(f"<div>{body_html(book)}</div>")
    boxes = [(a.get("class"), a.get("role"), a.text_content().strip()) for a in root.iter("aside")]
    assert boxes == [
        ("callout callout-warning", "note", "Seek help now."),
        ("callout callout-tip", "note", "Lowercase works."),
    ]
    assert [q.text_content().strip() for q in root.iter("blockquote")] == ["A quote."]
    assert not [d for d in lint(manuscript(tmp_path, body)) if d.rule == leftovers.RULE]
    assert not said


def test_a_blank_line_ends_a_quote_as_in_pandoc(tmp_path: Path) -> None:
    body = "# One\n\n> First quote.\n\n> Second quote.\n\n> Third,\n>\n> in two paragraphs.\n"
    book, _ = warnings(manuscript(tmp_path, body))
    root = lxml.html.fromstring(f"<div>{body_html(book)}</div>")
    quotes = [[p.text_content() for p in q.iter("p")] for q in root.iter("blockquote")]
    assert quotes == [["First quote."], ["Second quote."], ["Third,", "in two paragraphs."]]


def test_mkdocs_and_docusaurus_admonitions_are_callouts_with_their_titles(tmp_path: Path) -> None:
    body = (
        '# One\n\n!!! note "Be careful"\n    MkDocs body.\n\n!!! danger\n    No title.\n\n'
        ":::tip My title\nA tip.\n:::\n\n:::danger[Take care]\nA danger.\n:::\n\n"
        "::: warning\nA pandoc div.\n:::\n\n::: Other ::::\nNot a callout.\n:::\n"
    )
    book, said = warnings(manuscript(tmp_path, body))
    root = lxml.html.fromstring(f"<div>{body_html(book)}</div>")
    boxes = [
        (
            a.get("class").split()[1],
            a.findtext("p[@class='callout-title']"),
            a.findtext("p[last()]"),
        )
        for a in root.iter("aside")
    ]
    assert boxes == [
        ("callout-note", "Be careful", "MkDocs body."),
        ("callout-caution", "Danger", "No title."),
        ("callout-tip", "My title", "A tip."),
        ("callout-caution", "Take care", "A danger."),
        ("callout-warning", None, "A pandoc div."),
    ]
    assert [d.get("class") for d in root.iter("div") if d.get("class")] == ["Other"]
    assert not [d for d in lint(manuscript(tmp_path, body)) if d.rule == leftovers.RULE]
    assert not said
