"""The reference for WeasyPrint's own cost: lay out an HTML file with a stylesheet, write a PDF.

Nothing of ours runs here: the HTML is our book HTML saved beforehand, with the options our PDF
writer gives WeasyPrint (PDF variant, page size, file identifier), the cycle-collector setting
it runs WeasyPrint with, the user-agent stylesheet it gives WeasyPrint and each page's drawing
compressed once drawn (see publish/pseudo_styles.py and publish/pagestreams.py), and WeasyPrint
imported as our build imports it (without ctypes' library search, see publish/libraries.py),
so the difference between this and our build is everything we add: reading the manuscript,
Markdown, templates, the other editions. With ``--as-shipped`` it leaves out the user-agent
sheet and the early compression: WeasyPrint as it comes.

    python bench/bare_weasyprint.py BOOK.html STYLESHEET.css OUT.pdf BASE_URL OPTIONS.json
        [--as-shipped]
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path


def main(
    html: str, stylesheet: str, out: str, base_url: str, options_file: str, *flags: str
) -> None:
    options = json.loads(Path(options_file).read_text())
    as_shipped = "--as-shipped" in flags
    if options.get("collect_every"):
        gc.set_threshold(options["collect_every"], *gc.get_threshold()[1:])
    import ctypes.util

    search, ctypes.util.find_library = ctypes.util.find_library, lambda name: None
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    ctypes.util.find_library = search
    fonts = FontConfiguration()  # where the stylesheet's @font-face rules register fonts
    stylesheets = [CSS(filename=stylesheet, font_config=fonts)]
    if options.get("extra_css"):
        stylesheets.append(CSS(string=options["extra_css"]))
    variant = options.get("pdf_variant")
    source = HTML(filename=html, base_url=base_url)
    user_agent = options.get("user_agent_css")
    if user_agent and not as_shipped:
        from weasyprint.css.counters import CounterStyle

        sheet = CSS(string=user_agent, counter_style=CounterStyle())
        source._ua_stylesheets = lambda forms=False: [sheet]
    document = source.render(stylesheets=stylesheets, font_config=fonts, pdf_variant=variant)
    if not as_shipped:
        try:
            from publish.editions.pdf.pagestreams import compress_as_drawn
        except ImportError:  # a checkout from before it
            pass
        else:
            compress_as_drawn(document)
    identifier = options.get("pdf_identifier")
    document.write_pdf(
        out, pdf_variant=variant, pdf_identifier=identifier.encode() if identifier else None
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
