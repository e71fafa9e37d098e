"""Authors in the forms manuscripts written for other tools give them.

- pandoc: ``author: Name`` or a list of names, or of objects ``- name: …`` with
  ``affiliation``, ``orcid``, ``email``, ``corresponding`` (Quarto's ``affiliations`` too, and a
  ``name`` given as ``{given: …, family: …}``);
- pandoc-scholar: ``- Jane Doe: {institute: [fs], orcid: …}`` with a top-level ``institute``
  list mapping each short name to the institution;
- JOSS: ``authors:`` whose ``affiliation: "1, 2"`` refers to the ``index`` of an entry of the
  top-level ``affiliations`` list (Quarto's ``id``/``ref`` work the same way).

Front matter values are text (see ``frontmatter``): ``corresponding: true`` arrives as "true".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from publish.model import Author

_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)
_YES = frozenset({"true", "yes", "y", "on", "1"})
# The top-level keys that name affiliations other keys refer to.
AFFILIATION_TABLES = ("institute", "affiliations")

Problem = Callable[[str, str, bool], None]  # (front-matter key, message, whether an error)


def read_authors(values: dict[str, Any], problem: Problem) -> tuple[Author, ...]:
    """The authors under ``author`` (or JOSS's ``authors``); each problem is passed to
    ``problem`` with the key it belongs to."""
    key = "author" if values.get("author") is not None else "authors"
    value = values.get(key)
    if value is None:
        return ()
    table = _affiliation_table(values)
    items = value if isinstance(value, list) else [value]
    authors: list[Author] = []
    for item in items:
        author = _author(item, table, lambda message, error=True: problem(key, message, error))
        if author is not None:
            authors.append(author)
    return tuple(authors)


def _author(item: Any, table: dict[str, str], problem: Callable[..., None]) -> Author | None:
    if isinstance(item, str):
        return Author(item.strip()) if item.strip() else None
    if not isinstance(item, dict):
        problem(f"an author must be a name or a mapping with 'name', not a {_kind(item)}")
        return None
    if "name" not in item and len(item) == 1:
        # pandoc-scholar: the name is the only key, the details its value.
        ((name, details),) = item.items()
        item = {"name": name, **(details if isinstance(details, dict) else {})}
    name = _name(item.get("name"))
    if not name:
        problem("an author given as a mapping needs a 'name' (text, or 'given' and 'family')")
        return None
    affiliations: list[str] = []
    for key in ("affiliation", "affiliations", "institute"):
        affiliations += _affiliations(item.get(key), table)
    orcid = _orcid(item.get("orcid"), name, problem)
    email = item.get("email")
    corresponding = any(
        isinstance(item.get(key), str) and item[key].strip().lower() in _YES
        for key in ("corresponding", "correspondence")
    )
    return Author(
        name=name,
        affiliations=tuple(dict.fromkeys(affiliations)),
        orcid=orcid,
        email=email.strip() if isinstance(email, str) and email.strip() else None,
        corresponding=corresponding,
    )


def _name(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        if isinstance(value.get("literal"), str):
            return str(value["literal"]).strip()
        parts = [value.get(k) for k in ("given", "dropping-particle", "non-dropping-particle")]
        parts.append(value.get("family"))
        return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return ""


def _affiliation_table(values: dict[str, Any]) -> dict[str, str]:
    """Short names and indexes (``fs``, ``1``) → the institution's name."""
    table: dict[str, str] = {}
    for key in AFFILIATION_TABLES:
        entries = values.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            name = _institution(entry)
            for ref_key in ("index", "id"):
                ref = entry.get(ref_key)
                if isinstance(ref, str) and name:
                    table[ref.strip()] = name
            if "name" not in entry and len(entry) == 1:  # pandoc-scholar: - fs: Name
                ((short, details),) = entry.items()
                named = details if isinstance(details, str) else _institution(details)
                if named:
                    table[str(short)] = named
    return table


def _institution(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return str(value["name"]).strip()
    return ""


def _affiliations(value: Any, table: dict[str, str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        refs = [part.strip() for part in value.split(",")]
        if table and all(ref in table for ref in refs):  # JOSS: "1, 2"
            return [table[ref] for ref in refs]
        return [table.get(value.strip(), value.strip())] if value.strip() else []
    if isinstance(value, list):
        return [name for item in value for name in _affiliations(item, table)]
    if isinstance(value, dict):
        ref = value.get("ref")
        if isinstance(ref, str) and ref.strip() in table:  # Quarto: - ref: id
            return [table[ref.strip()]]
        name = _institution(value)
        return [name] if name else []
    return []


def _orcid(value: Any, name: str, problem: Callable[..., None]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = _ORCID.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not orcid_checksum_ok(match.group(1)):
        # A warning: templates carry placeholder iDs (0000-0000-0000-0000), and a wrong iD
        # printed would send readers to someone else; it is left out.
        problem(
            f"the ORCID iD of {name} is not a valid iD and is left out: write it as "
            "0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097 (the last character "
            "is a check digit)",
            False,
        )
        return None
    return match.group(1).upper()


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2, as ORCID computes its last character."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1].upper() == ("X" if check == 10 else str(check))


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else type(value).__name__
