"""book/_ext/p2p_live.py: what the Sphinx extension does to the built pages."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import p2p_live  # noqa: E402


def _png(width: int, text_px: float | None) -> bytes:
    info = PngInfo()
    if text_px:
        info.add_text("p2p-text-px", str(text_px))
    buf = io.BytesIO()
    Image.fromarray(np.zeros((10, width, 3), np.uint8)).save(buf, format="png", pnginfo=info)
    return buf.getvalue()


def test_min_width_keeps_the_smallest_text_at_9_css_px():
    assert p2p_live.min_width(10.0, 740) == 666  # 740 × 9 / 10
    assert p2p_live.min_width(18.0, 740) == 370


def test_figures_get_their_text_size_and_min_width():
    html = ('<p><img alt="a cat" src="../_images/abc.png" /></p>'
            '<img alt="other" src="../_images/other.png">')
    marked = p2p_live.mark_figures(html, {"abc.png": (5.0, 740)})
    assert 'data-p2p-text-px="5.00" style="min-width: 1332px"' in marked
    assert '<img alt="other" src="../_images/other.png">' in marked  # no metadata: unchanged
    assert p2p_live.mark_figures(marked, {"abc.png": (5.0, 740)}) == marked  # idempotent


def test_text_size_is_read_from_the_png():
    assert p2p_live._text_px(_png(300, 12.5)) == (12.5, 300)
    assert p2p_live._text_px(_png(200, None)) == (None, 200)


def test_toggle_label_is_the_toggles_own_text():
    class App:
        def add_js_file(self, *a, **k):
            pass

        def add_css_file(self, *a, **k):
            pass

    context = {"body": f'<details>{p2p_live.TOGGLE_LABEL}<p>Solution</p></summary></details>',
               "script_files": []}
    p2p_live._page_resources(App(), "page", "page.html", context, None)
    assert "aria-label" not in context["body"] and "<summary><p>Solution" in context["body"]


@pytest.mark.parametrize("name", ["p2p-widgets.js", "p2p-widgets.css", "p2p-book.css"])
def test_static_files_exist(name):
    assert (Path(__file__).resolve().parents[1] / "book" / "_static" / name).is_file()
