"""Sphinx extension: the course's live widgets, and no widget JavaScript that draws nothing.

A chapter page that holds a live widget (``div.p2p-live``, written by
``utils.widgets.live``) gets ``p2p-widgets.js`` and ``p2p-widgets.css``; other pages
get neither. The ipywidgets state that myst-nb stores in every executed page is
dropped: the book shows widgets as live HTML or as PNG snapshots, never through
the ipywidgets embed manager (whose scripts ``_config.yml`` turns off). Figures are
stored as palette PNGs, a third of the size of matplotlib's RGBA ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: sphinx-togglebutton's label on every hidden cell's toggle, whatever the toggle says.
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'
#: The widest a figure is shown in the book's content column (CSS px); wider ones are shrunk.
DISPLAY_WIDTH = 740


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
    for path in images:
        before = path.read_bytes()
        after = smallest_png(before, max_width=DISPLAY_WIDTH)
        if after is not before:
            path.write_bytes(after)
            saved += len(before) - len(after)
    print(f"p2p_live: {len(images)} figures, {saved / 1e6:.1f} MB saved by palette PNGs")


def setup(app: Any) -> dict:
    # After myst-nb's own per-page handler (priority 500), so its state script can be dropped.
    app.connect("html-page-context", _page_resources, priority=900)
    app.connect("build-finished", _compress_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
