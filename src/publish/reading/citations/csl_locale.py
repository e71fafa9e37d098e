"""The CSL locale of the book's language, from those citeproc-py ships: its terms ("et al.",
"consultado", "y cols." where a style asks for them) and its date forms."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DEFAULT = "en-US"


@cache
def _shipped() -> tuple[frozenset[str], dict[str, str]]:
    folder = resources.files("citeproc") / "data" / "locales"
    names = frozenset(
        f.name.removeprefix("locales-").removesuffix(".xml")
        for f in folder.iterdir()
        if f.name.startswith("locales-") and f.name.endswith(".xml")
    )
    listed = json.loads((folder / "locales.json").read_text(encoding="utf-8"))
    return names, dict(listed.get("primary-dialects", {}))


def csl_locale(lang: str) -> str:
    """``es-CL`` → ``es-CL``; ``es-AR`` → ``es-ES`` (the language's primary dialect); a
    language citeproc-py has no locale for → ``en-US``."""
    names, primary = _shipped()
    language, _, rest = lang.partition("-")
    region = next((p for p in rest.split("-") if len(p) == 2), "")
    for candidate in (f"{language.lower()}-{region.upper()}", primary.get(language.lower(), "")):
        if candidate in names:
            return candidate
    return language.lower() if language.lower() in names else DEFAULT


_CSL = "{http://purl.org/net/xbiblio/csl}"


@cache
def term(locale: str, name: str, default: str) -> str:
    """The long form of the CSL term ``name`` ("and", "et-al") in ``locale``: "y", "u. a."."""
    from lxml import etree

    folder = resources.files("citeproc") / "data" / "locales"
    try:
        root = etree.fromstring((folder / f"locales-{locale}.xml").read_bytes())
    except (OSError, etree.XMLSyntaxError):
        return default
    for element in root.iter(f"{_CSL}term"):
        if element.get("name") == name and element.get("form") in (None, "long"):
            if element.text and element.text.strip():
                return element.text.strip()
            single = element.find(f"{_CSL}single")
            if single is not None and single.text:
                return single.text.strip()
    return default
