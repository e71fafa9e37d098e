"""The book's authors in the EPUB: ``dc:creator`` entries and their refinements, and the names
joined as the cover's alt text reads them."""

from __future__ import annotations

from typing import Any

from publish.model import Author


def add_creator(package: Any, author: Author, uid: str) -> None:
    """``dc:creator`` refined, as EPUB 3 allows, with its role (MARC relator ``aut``) and, in
    the reserved schema.org vocabulary, the author's affiliations and ORCID iD."""
    package.add_author(author.name, role="aut", uid=uid)
    for affiliation in author.affiliations:
        package.add_metadata(
            None, "meta", affiliation, {"refines": f"#{uid}", "property": "schema:affiliation"}
        )
    if author.orcid_url:
        package.add_metadata(
            None, "meta", author.orcid_url, {"refines": f"#{uid}", "property": "schema:identifier"}
        )


def join_names(names: tuple[str, ...], and_: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {and_} " + names[-1]
