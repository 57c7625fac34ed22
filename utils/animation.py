"""Kernel-free animations for the static book: matplotlib's JavaScript player.

A widget needs a running kernel; a web page does not have one. ``animate``
turns a figure and a per-frame update function into self-contained HTML
(frames embedded as PNG, with play/step controls) that works on any page.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from utils._validate import check_positive_int

__all__ = ["animate"]


def animate(
    fig: Figure,
    update: Callable[[int], object],
    frames: int,
    *,
    alt: str,
    interval: int = 500,
    dpi: float | None = None,
) -> HTML:
    """Render ``frames`` frames (``update(i)`` draws frame ``i``) to an HTML player.

    ``alt`` describes the animation for screen readers and is set on the
    player's image. ``interval`` is milliseconds per frame.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> line, = ax.plot([0, 1], [0, 0])
    >>> player = animate(fig, lambda i: line.set_ydata([0, i]), frames=3, alt="a line rising")
    >>> type(player).__name__, "a line rising" in player.data
    ('HTML', True)
    >>> plt.close(fig)
    """
    frames = check_positive_int(frames, name="frames")
    if frames > 200:
        raise ValueError(f"{frames} frames would make a very large page; pass at most 200.")
    if not alt or not alt.strip():
        raise ValueError("alt must describe the animation for readers who cannot see it.")
    old_dpi = fig.dpi
    if dpi is not None:
        fig.set_dpi(dpi)
    try:
        anim = FuncAnimation(fig, lambda i: update(int(i)), frames=frames, interval=interval,
                             repeat=False)
        player = anim.to_jshtml(default_mode="once")
    finally:
        fig.set_dpi(old_dpi)
    return HTML(player.replace("<img id=", f'<img alt="{html.escape(alt)}" id=', 1))
