"""Figures on the built pages: legible on a phone (text ≥ 9 CSS px), nothing clipped.

Every figure a chapter's code draws carries its smallest text size (``data-p2p-text-px``, set
by book/_ext/p2p_live.py from the PNG's metadata). At 390 px (a phone) and 1280 px (a laptop)
its displayed text must be at least 9 CSS px, the page must not scroll sideways, and a figure
wider than the screen must sit in a box that scrolls, so all of it can be reached.
"""

from __future__ import annotations

import pytest

from test_site_pages import CHAPTERS, _open, site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.site]

MIN_TEXT_PX = 9.0

FIGURES_JS = """
const out = [];
for (const img of document.querySelectorAll('.cell_output img')) {
  if (img.closest('.p2p-live') && getComputedStyle(img).display === 'none') continue;  // live widget
  if (!img.complete || !img.naturalWidth) { out.push({src: img.src, broken: true}); continue; }
  let box = img.parentElement, scrolls = false;
  for (let e = img.parentElement; e && e !== document.body; e = e.parentElement) {
    const o = getComputedStyle(e).overflowX;
    if (o === 'auto' || o === 'scroll') { scrolls = true; box = e; break; }
  }
  const r = img.getBoundingClientRect(), b = box.getBoundingClientRect();
  out.push({src: img.getAttribute('src').slice(-20), alt: img.alt, textPx: img.dataset.p2pTextPx,
            natural: img.naturalWidth, shown: r.width, left: r.left - b.left + box.scrollLeft,
            boxScroll: box.scrollWidth, scrolls, fits: r.width <= b.width + 1});
}
return {figures: out, pageOverflow: document.documentElement.scrollWidth - innerWidth};
"""


def figure_problems(browser, url: str, width: int) -> tuple[list[str], float]:
    """What makes a figure on ``url`` illegible or unreachable at ``width``; the smallest text."""
    browser.set_window_size(width, 900)
    _open(browser, url)
    found = browser.execute_script(FIGURES_JS)
    problems, smallest = [], float("inf")
    if found["pageOverflow"] > 1:
        problems.append(f"the page scrolls sideways by {found['pageOverflow']} px")
    for f in found["figures"]:
        if f.get("broken"):
            problems.append(f"{f['src']}: image did not load")
            continue
        if not f["textPx"]:
            problems.append(f"{f['src']} ({f['alt'][:40]}): no text size (made without the "
                            "course style?)")
            continue
        shown = float(f["textPx"]) * f["shown"] / f["natural"]
        smallest = min(smallest, shown)
        if shown < MIN_TEXT_PX - 0.05:
            problems.append(f"{f['src']} ({f['alt'][:40]}): text {shown:.1f} px")
        if not f["fits"] and not f["scrolls"]:
            problems.append(f"{f['src']}: wider than its box and the box does not scroll (clipped)")
    return problems, smallest


@pytest.mark.parametrize("page", CHAPTERS)
@pytest.mark.parametrize("width", [390, 1280])
def test_figure_text_is_legible_and_nothing_is_clipped(browser, site, page, width):  # noqa: F811
    try:
        problems, smallest = figure_problems(browser, site + page + ".html", width)
    finally:
        browser.set_window_size(1280, 900)
    print(f"\n{page} at {width} px: smallest figure text {smallest:.1f} CSS px")
    assert problems == []
