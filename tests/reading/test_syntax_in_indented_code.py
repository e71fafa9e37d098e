"""An indented code block shows pandoc's and TeX's syntax as typed: it is an example of that
syntax, not a use of it. Only the block parser knows an indented line is code (in a list or a
definition, four spaces more than its text), so the steps that read the text before it must
give back what they changed there, and say nothing about it."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from support.manuscripts import body_html, manuscript, warnings

BODY = r"""# Examples

Text with \emph{real emphasis}, \url{https://example.org/a} and a note.^[A real
note.]

    \emph{word} and $x^2$ and \unknowncommand{bar}
    \newpage
    Here is a note.^[Its text, on
    two lines.]

- A list item.

      \textbf{in list code} $y$ \othercommand

Term

:   Definition.

        \textit{in definition code} \thirdcommand
"""


def _codes(html: str) -> list[str]:
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    return [code.text_content() for code in tree.iter("code")]


def test_tex_and_notes_in_indented_code_stay_as_typed(tmp_path: Path) -> None:
    book, said = warnings(manuscript(tmp_path, BODY))
    html = body_html(book)
    codes = _codes(html)
    assert codes[0] == (
        "\\emph{word} and $x^2$ and \\unknowncommand{bar}\n\\newpage\n"
        "Here is a note.^[Its text, on\ntwo lines.]\n"
    )
    assert codes[1] == "\\textbf{in list code} $y$ \\othercommand\n"
    assert codes[2] == "\\textit{in definition code} \\thirdcommand\n"
    assert not [w for w in said if "command" in w]  # the examples are not prose
    assert "never called" not in " ".join(said)


def test_tex_and_notes_in_prose_still_get_their_meaning(tmp_path: Path) -> None:
    book, said = warnings(manuscript(tmp_path, BODY + "\nA \\madeupcommand here.\n"))
    tree = lxml.html.fromstring(f"<div>{body_html(book)}</div>")
    first = tree.find(".//p")
    assert first is not None
    assert first.findtext("em") == "real emphasis"
    assert first.find("a[@href='https://example.org/a']") is not None
    assert book.sections[0].notes and "A real note." in book.sections[0].notes[0].html
    (message,) = [w for w in said if "printed as typed" in w]
    assert "\\madeupcommand" in message
    assert "book.md:27:3:" in message  # 6 lines of front matter, then the body's 21st line
