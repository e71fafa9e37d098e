"""Pieces for EPUBs a test crafts by hand (not built by publish): the container document."""

from __future__ import annotations

# META-INF/container.xml pointing at the package document ``{opf}``.
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
