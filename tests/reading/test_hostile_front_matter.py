"""Broken front matter: one clear error (or all of them at once) naming the file line."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.reading.dates import ACCEPTED as ACCEPTED_DATES
from support.manuscripts import errors, manuscript, warnings

BODY = "# One\n\nText.\n"
QUOTES = "put text containing ': ', ' #' or starting with '[', '{', '&', '*', '!', '|' in quotes"
ONLY_TEXT = "front matter holds only text, lists and mappings; remove the tag"
REQUIRED = "'date', 'disclaimer', 'summary' (or 'abstract')"

CASES = [
    (
        "no closing fence",
        "---\ntitle: T\ndate: 2026-01-01\n\n# One\n\nText.\n",
        [
            "book.md:1: error: the front matter opened on line 1 is never closed: "
            "add a line '---' after it"
        ],
    ),
    (
        "YAML syntax error, line counted in the file",
        "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: [unclosed\nsummary: S\n---\n" + BODY,
        [
            "book.md:5:8: error: front matter is not valid YAML: expected ',' or ']', but got "
            f"':'; {QUOTES}"
        ],
    ),
    (
        "colon in unquoted text",
        "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: D\nsummary: Kratom: a review\n---\n" + BODY,
        [
            "book.md:5:16: error: front matter is not valid YAML: mapping values are not allowed "
            f"here; {QUOTES}"
        ],
    ),
    (
        "tab indentation",
        "---\ntitle: T\n\tdate: 2026-01-01\n---\n" + BODY,
        [
            "book.md:3:1: error: front matter is not valid YAML: found character '\\t' that cannot "
            "start any token; indent with spaces, not tabs"
        ],
    ),
    (
        "python tag",
        "---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\ndate: 2026-01-01\n"
        "disclaimer: D\nsummary: S\n---\n" + BODY,
        [
            "book.md:2:8: error: the tag '!!python/object/apply:os.system' is not allowed: "
            + ONLY_TEXT
        ],
    ),
    (
        "local tag",
        "---\ntitle: !secret T\ndate: 2026-01-01\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        [f"book.md:2:8: error: the tag '!secret' is not allowed: {ONLY_TEXT}"],
    ),
    (
        "duplicate key",
        "---\ntitle: T\ndate: 2026-01-01\ntitle: U\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        ["book.md:4:1: error: the key 'title' is given twice (first on line 2): keep one"],
    ),
    (
        "impossible dates, both reported",
        "---\ntitle: T\ndate: 2026-02-30\ndisclaimer: D\nsummary: S\nreviewed: 2026-13-01\n---\n"
        + BODY,
        [
            "book.md:3: error: 'date': '2026-02-30' is not a real date (day is out of range for "
            "month)",
            "book.md:6: error: 'reviewed': '2026-13-01' is not a real date (month must be in "
            "1..12)",
        ],
    ),
    (
        "a numeric date whose order no lang settles",
        "---\ntitle: T\ndate: 1/2/2026\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        [
            "book.md:3: error: 'date': '1/2/2026': is it day 1 of month 2, or month 1, day 2? "
            "Write it as 2026-MM-DD, or give the manuscript's 'lang' (en-US reads the month "
            "first, en-GB and most others the day)"
        ],
    ),
    (
        "a date in no form people write",
        "---\ntitle: T\ndate: Q2 of 2026\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        [
            "book.md:3: error: 'date': 'Q2 of 2026' is not a date this reader understands; "
            f"write it as one of {ACCEPTED_DATES}"
        ],
    ),
    (
        "anchor",
        "---\ntitle: &t T\ndate: 2026-01-01\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        [
            "book.md:2:8: error: anchors (&name) are not allowed in front matter: "
            "write the value out in full"
        ],
    ),
    (
        "alias",
        "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: D\nsummary: S\nkeywords: [a, *b]\n---\n"
        + BODY,
        [
            "book.md:6:15: error: aliases (*name) are not allowed in front matter: "
            "write the value out in full"
        ],
    ),
    (
        "billion laughs stops at the first anchor",
        "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: D\nsummary: S\n"
        'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: [*b,*b]\n---\n' + BODY,
        [
            "book.md:6:4: error: anchors (&name) are not allowed in front matter: "
            "write the value out in full"
        ],
    ),
    (
        "a likely typo of a key is an error; the key it was meant for is then missing",
        "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: D\nsumary: S\nversion: 1.10\n---\n" + BODY,
        [
            "book.md:5: error: unknown front matter key 'sumary'; did you mean 'summary'?",
            "book.md:1: error: front matter is missing required key(s): 'summary' (or "
            "'abstract'); add each as 'key: value'",
        ],
    ),
    # The lone heading at the top of BODY titles the document, so 'title' is not missing.
    (
        "several missing keys reported at once",
        "---\nlang: en-GB\n---\n" + BODY,
        [
            f"book.md:1: error: front matter is missing required key(s): {REQUIRED} (a health "
            "text does not build without its disclaimer); add each as 'key: value'"
        ],
    ),
    (
        "empty front matter, no heading to take the title from",
        "---\n---\nText.\n",
        [
            f"book.md:1: error: front matter is missing required key(s): 'title', {REQUIRED} (a "
            "health text does not build without its disclaimer); add each as 'key: value'"
        ],
    ),
    (
        "front matter that is not a mapping",
        "---\njust a sentence\n---\n" + BODY,
        ["book.md:2: error: front matter must be a mapping of 'key: value'"],
    ),
    (
        "a list where text is expected",
        "---\ntitle: [a, b]\ndate: 2026-01-01\ndisclaimer: D\nsummary: S\n---\n" + BODY,
        ["book.md:2: error: 'title' must be text, not a list"],
    ),
]


def test_no_front_matter_is_one_error_with_a_block_to_paste(tmp_path: Path) -> None:
    (error,) = errors(manuscript(tmp_path, "# One\n\nText.\n", front=""))
    first, *block = error.split("\n")
    assert first == (
        "book.md:1: error: the manuscript has no front matter; a health text needs a title, a "
        "date, a summary (or abstract) and a medical disclaimer. Paste this at the very top and "
        "edit it:"
    )
    pasted = manuscript(tmp_path / "pasted", "# One\n\nText.\n", front="\n".join(block) + "\n")
    book, found = warnings(pasted)
    assert book.metadata.title == "One"
    assert "988" in book.disclaimer_html
    assert found == []


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_front_matter_error(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert errors(manuscript(tmp_path, text, front="")) == expected


def test_values_yaml_would_retype_stay_text(tmp_path: Path) -> None:
    front = (
        "---\ntitle: Yes\nsubtitle: off\ndate: 2026-01-01\nlang: no\nidentifier: 1.10\n"
        "rights: 2026\npublisher: 0x1F\nkeywords: [true, 3.0, null-free]\n"
        "disclaimer: D\nsummary: S\n---\n"
    )
    book, found = warnings(manuscript(tmp_path, BODY, front=front))
    m = book.metadata
    assert found == []
    assert (m.title, m.subtitle, m.lang, m.identifier, m.rights, m.publisher) == (
        "Yes", "off", "no", "1.10", "2026", "0x1F",
    )  # fmt: skip
    assert m.keywords == ("true", "3.0", "null-free")


def test_datetime_is_read_as_its_date(tmp_path: Path) -> None:
    front = "---\ntitle: T\ndate: 2026-01-01T10:00:00Z\ndisclaimer: D\nsummary: S\n---\n"
    book, _ = warnings(manuscript(tmp_path, BODY, front=front))
    assert book.metadata.date.isoformat() == "2026-01-01"
