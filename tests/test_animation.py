"""utils.animation: self-contained HTML players with alt text."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from utils.animation import animate


def test_animate_embeds_every_frame_and_alt_text():
    fig = Figure(figsize=(2, 2))
    ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 0])
    seen = []

    def update(i):
        seen.append(i)
        line.set_ydata([0, i])

    html = animate(fig, update, 3, alt='a line "rising"', dpi=30).data
    assert 'alt="a line &quot;rising&quot;"' in html
    assert html.count("data:image/png;base64") >= 3
    assert set(seen) >= {0, 1, 2}
    assert fig.dpi == Figure(figsize=(2, 2)).dpi  # restored


def test_animate_refuses_missing_alt_and_huge_animations():
    fig = Figure()
    with pytest.raises(ValueError, match="alt must describe"):
        animate(fig, lambda i: None, 2, alt=" ")
    with pytest.raises(ValueError, match="at most 200"):
        animate(fig, lambda i: None, 500, alt="x")
