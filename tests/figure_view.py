"""Reading a widget's figure the way a learner reads it: titles, pictures, numbers, bars, boxes.

Widget tests drive a widget through its public controls (sliders, menus, upload) and check
what it shows through these helpers, which look only at the public ``widget.figure``, never
at a widget's private attributes.
"""

from __future__ import annotations

import numpy as np


def titles(widget) -> list[str]:
    """Every panel's title, in drawing order."""
    return [ax.get_title() for ax in widget.figure.axes]


def panel(widget, title: str):
    """The one panel whose title starts with ``title``."""
    hits = [ax for ax in widget.figure.axes if ax.get_title().startswith(title)]
    assert len(hits) == 1, f"{len(hits)} panels titled {title!r}…: {titles(widget)}"
    return hits[0]


def shown(ax) -> np.ndarray:
    """The picture a panel shows (its last image), as an array."""
    return np.asarray(ax.images[-1].get_array())


def cell_numbers(ax) -> dict[tuple[int, int], str]:
    """The numbers written on a panel's cells: ``{(row, col): text}`` for non-empty texts."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
            for t in ax.texts if t.get_text() and t.get_visible()}


def bar_lengths(ax) -> list[float]:
    """The lengths of a bar chart's bars (heights, or widths for horizontal bars)."""
    bars = ax.containers[0]
    horizontal = getattr(bars, "orientation", "vertical") == "horizontal"
    return [b.get_width() if horizontal else b.get_height() for b in bars]


def outlines(ax) -> list[tuple[float, float]]:
    """The top-left corners of the visible outlined (unfilled) boxes drawn on a panel."""
    return [tuple(p.get_xy()) for p in ax.patches if not p.get_fill() and p.get_visible()]
