"""The checks every piece of manuscript HTML passes between Python-Markdown and the tree.

One place, so the body and the front-matter texts (disclaimer, summary) get the same treatment:
an unclosed raw HTML block is an error, references leaving the folder are errors, and what the
sanitiser removes is a warning.
"""

from __future__ import annotations

from pathlib import Path

import markdown

from publish.errors import DiagnosticCollector, PublishError
from publish.locate import SourceLocator
from publish.reading import nesting
from publish.safety.resources import checked_images
from publish.safety.sanitise import sanitise, unclosed_raw_block


class HtmlGuard:
    """Cleans converted HTML for one manuscript and remembers the images it uses."""

    def __init__(self, path: Path, report: DiagnosticCollector) -> None:
        self.path = path
        self.report = report
        self.images: list[Path] = []

    def clean(self, converter: markdown.Markdown, html: str, locator: SourceLocator) -> str:
        unclosed = unclosed_raw_block(converter)
        if unclosed is not None:
            self.report.error(
                self.path,
                locator.first_line_of(unclosed.opening),
                f"the HTML block {unclosed.opening} is never closed, so everything after it "
                f"would be read as raw HTML instead of Markdown: close it with </{unclosed.tag}>",
                rule="raw-html",
            )
        for image in checked_images(html, self.path.parent, self.path, locator, self.report):
            if image not in self.images:
                self.images.append(image)
        clean = sanitise(html, self.path, locator, self.report)
        if nesting.tree_too_deep(clean):
            # lxml would silently drop what lies deeper than 255 elements, and the writers
            # recurse through the tree: refuse rather than lose text or crash.
            raise PublishError.at(
                self.path,
                None,
                f"the text nests lists, quotes and HTML elements more than "
                f"{nesting.MAX_TREE_DEPTH} levels deep: flatten the structure",
            )
        return clean
