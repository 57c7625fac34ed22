"""Sphinx extension: the course's live widgets, and no widget JavaScript that draws nothing.

A chapter page that holds a live widget (``div.p2p-live``, written by
``utils.widgets.live``) gets ``p2p-widgets.js`` and ``p2p-widgets.css``; other pages
get neither. The ipywidgets state that myst-nb stores in every executed page is
dropped: the book shows widgets as live HTML or as PNG snapshots, never through
the ipywidgets embed manager (whose scripts ``_config.yml`` turns off). Figures are
stored as palette PNGs, a third of the size of matplotlib's RGBA ones.

Figures stay legible on a phone: a figure made in a notebook carries its smallest text
size (``utils.plotting.TEXT_PX_KEY``); its ``<img>`` gets ``data-p2p-text-px`` (that size
in the stored PNG's pixels) and a ``min-width`` at which that text is ``MIN_TEXT_PX`` CSS
pixels. On a narrow screen the figure keeps that width and its output scrolls sideways
instead of shrinking the text below legibility.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: sphinx-togglebutton's label on every hidden cell's toggle, whatever the toggle says.
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'
#: The widest a figure is shown in the book's content column (CSS px); wider ones are shrunk.
DISPLAY_WIDTH = 740
#: The smallest text a figure may show, in CSS px.
MIN_TEXT_PX = 9.0
_IMG = re.compile(r'<img\b([^>]*?)\ssrc="((?:\.\./)*_images/([^"/]+\.png))"([^>]*?)(/?)>')


def _page_resources(app: Any, pagename: str, templatename: str, context: dict,
                    doctree: Any) -> None:
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [s for s in scripts
                      if getattr(s, "attributes", {}).get("type") != WIDGET_STATE]
    body = context.get("body", "")
    if TOGGLE_LABEL in body:
        # The toggle's visible text ("Solution") is its name; sphinx-togglebutton's generic label
        # would hide it from screen readers (axe: label-content-name-mismatch).
        context["body"] = body = body.replace(TOGGLE_LABEL, "<summary>")
    if 'class="p2p-live"' in body:
        app.add_js_file("p2p-widgets.js", defer="defer")
        app.add_css_file("p2p-widgets.css")


def _compress_images(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from utils.widgets.live import smallest_png

    images, saved = sorted(Path(app.outdir, "_images").glob("*.png")), 0
    text_px: dict[str, tuple[float, int]] = {}
    for path in images:
        before = path.read_bytes()
        px, width = _text_px(before)
        after = smallest_png(before, max_width=DISPLAY_WIDTH)
        if after is not before:
            path.write_bytes(after)
            saved += len(before) - len(after)
        if px is not None:
            stored = _width(after)
            text_px[path.name] = (px * stored / width, stored)
    pages = _mark_figures(Path(app.outdir), text_px)
    print(f"p2p_live: {len(images)} figures, {saved / 1e6:.1f} MB saved by palette PNGs; "
          f"{len(text_px)} with their text size, on {pages} pages")


def _text_px(png: bytes) -> tuple[float | None, int]:
    """(smallest text size in px from the PNG's metadata, or None; the PNG's width)."""
    import io

    from PIL import Image

    from utils.plotting import TEXT_PX_KEY

    with Image.open(io.BytesIO(png)) as im:
        value = getattr(im, "text", {}).get(TEXT_PX_KEY)
        return (float(value) if value else None), im.width


def _width(png: bytes) -> int:
    return _text_px(png)[1]


def min_width(text_px: float, width: int) -> int:
    """The CSS width at which a ``width``-pixel figure shows ``text_px`` text at MIN_TEXT_PX."""
    return math.ceil(MIN_TEXT_PX * width / text_px)


def mark_figures(html: str, text_px: dict[str, tuple[float, int]]) -> str:
    """Give every figure ``<img>`` of ``html`` its text size and legible minimum width."""
    def mark(m: re.Match) -> str:
        before, src, name, after, close = m.groups()
        if name not in text_px or "data-p2p-text-px" in before + after:
            return m.group(0)
        px, width = text_px[name]
        return (f'<img{before} src="{src}"{after} data-p2p-text-px="{px:.2f}" '
                f'style="min-width: {min_width(px, width)}px"{" " + close if close else ""}>')
    return _IMG.sub(mark, html)


def _mark_figures(outdir: Path, text_px: dict[str, tuple[float, int]]) -> int:
    changed = 0
    for page in outdir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        marked = mark_figures(html, text_px)
        if marked != html:
            page.write_text(marked, encoding="utf-8")
            changed += 1
    return changed


def setup(app: Any) -> dict:
    # After myst-nb's own per-page handler (priority 500), so its state script can be dropped.
    app.connect("html-page-context", _page_resources, priority=900)
    app.connect("build-finished", _compress_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
