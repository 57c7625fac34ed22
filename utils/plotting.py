"""Figures for the course: image grids, pixel patches with their numbers, channels.

Every function draws with a white figure background (readable in a dark
theme) and colour-blind-safe colormaps (grayscale for intensities,
viridis/cividis for signed or abstract values). Functions return the
matplotlib ``Figure`` or ``Axes`` they drew on, so a notebook can add to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from utils._validate import check_image, check_positive_int

__all__ = [
    "COURSE_STYLE",
    "HIGHLIGHT",
    "use_course_style",
    "show_image",
    "show_images",
    "show_patch",
    "show_channels",
    "draw_box",
    "cell_texts",
    "set_cell_texts",
]

#: Outline colour for boxes drawn on photos (orange from the Okabe-Ito palette).
HIGHLIGHT = "#E69F00"

#: matplotlib settings applied by :func:`use_course_style`.
COURSE_STYLE: dict[str, object] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 80,
    "image.cmap": "viridis",
    "image.interpolation": "nearest",
    "axes.prop_cycle": mpl.cycler(
        color=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
    ),
    "font.size": 11,
}


def use_course_style() -> None:
    """Apply the course's matplotlib style: white backgrounds, colour-blind-safe colours."""
    mpl.rcParams.update(COURSE_STYLE)


def _imshow_kwargs(image: np.ndarray, cmap: str | None) -> dict[str, object]:
    if image.ndim == 2:
        if image.dtype == np.uint8:
            return {"cmap": cmap or "gray", "vmin": 0, "vmax": 255}
        if image.dtype.kind == "f" and image.min() >= 0 and image.max() <= 1:
            return {"cmap": cmap or "gray", "vmin": 0.0, "vmax": 1.0}
        return {"cmap": cmap or "gray"}
    return {}


def show_image(
    image: np.ndarray, ax: Axes | None = None, *, title: str | None = None, cmap: str | None = None
) -> Axes:
    """Draw one image without axes ticks; 2-D images use ``cmap`` (gray by default).

    A ``uint8`` grayscale image is shown on the fixed 0–255 scale, so dark
    stays dark (matplotlib would otherwise stretch it to its own range).
    """
    image = check_image(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4 * image.shape[0] / image.shape[1]))
    ax.imshow(image, **_imshow_kwargs(image, cmap))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def show_images(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 4,
    size: float = 3.0,
    cmap: str | None = None,
) -> Figure:
    """Draw images in a grid, ``ncols`` per row, each ``size`` inches wide."""
    if len(images) == 0:
        raise ValueError("images is empty; pass a list of at least one image.")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"Got {len(images)} images but {len(titles)} titles; pass one title each.")
    ncols = min(check_positive_int(ncols, name="ncols"), len(images))
    nrows = -(-len(images) // ncols)
    first = np.asarray(images[0])
    aspect = first.shape[0] / first.shape[1] if first.ndim >= 2 else 1.0
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * aspect * nrows + 0.4 * nrows), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        if i < len(images):
            show_image(images[i], ax, title=titles[i] if titles else None, cmap=cmap)
        else:
            ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_patch(
    patch: np.ndarray,
    ax: Axes | None = None,
    *,
    cmap: str = "gray",
    vmin: float | None = None,
    vmax: float | None = None,
    fmt: str | None = None,
    title: str | None = None,
    fontsize: float | None = None,
) -> Axes:
    """Draw a small 2-D array as coloured cells with each value written on its cell.

    Text is black on light cells and white on dark ones. ``fmt`` defaults to
    integers for integer arrays and two decimals for floats. A ``uint8``
    patch is coloured on the fixed 0–255 scale.
    """
    patch = check_image(patch, name="patch", ndims=(2,))
    if patch.size > 400:
        raise ValueError(
            f"patch has {patch.size} cells, too many to write numbers on; "
            "pass at most 20×20 (e.g. image[r:r+8, c:c+8])."
        )
    if fmt is None:
        fmt = "{:d}" if patch.dtype.kind in "uib" else "{:.2f}"
    if patch.dtype == np.uint8:
        vmin = 0 if vmin is None else vmin
        vmax = 255 if vmax is None else vmax
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * patch.shape[1] + 0.5, 0.5 * patch.shape[0] + 0.5))
    im = ax.imshow(patch, cmap=cmap, vmin=vmin, vmax=vmax)
    rgb = im.get_cmap()(im.norm(patch))[..., :3]
    light = rgb @ np.array([0.299, 0.587, 0.114]) > 0.5  # perceived brightness of each cell
    size = fontsize or max(6.0, 12.0 - 0.5 * max(patch.shape))
    values = patch.astype(int) if patch.dtype.kind in "uib" else patch.astype(float)
    set_cell_texts(cell_texts(ax, *patch.shape, fontsize=size), values, fmt=fmt, light=light)
    ax.set_xticks(range(patch.shape[1]))
    ax.set_yticks(range(patch.shape[0]))
    ax.tick_params(length=0, labelsize=8)
    if title:
        ax.set_title(title)
    return ax


def show_channels(image: np.ndarray, *, size: float = 3.0) -> Figure:
    """Draw an RGB image beside its red, green and blue channels (each in grayscale).

    Bright in a channel's panel means a lot of that colour at that pixel.
    """
    image = check_image(image, ndims=(3,), channels=(3,))
    panels = [image] + [image[..., i] for i in range(3)]
    return show_images(panels, ["RGB", "Red channel", "Green channel", "Blue channel"],
                       ncols=4, size=size)


def draw_box(
    ax: Axes, row: int, col: int, height: int, width: int, *, color: str = HIGHLIGHT,
    linewidth: float = 2.0,
) -> Rectangle:
    """Outline the pixels ``[row:row+height, col:col+width]`` on an image axes."""
    box = Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                    edgecolor=color, linewidth=linewidth)
    ax.add_patch(box)
    return box


def cell_texts(ax: Axes, rows: int, cols: int, *, fontsize: float = 8) -> list[list]:
    """Put an empty, centred text on every cell of a ``rows×cols`` image axes.

    Fill them with :func:`set_cell_texts`; widgets create them once and
    only change their strings and colours.
    """
    return [[ax.text(c, r, "", ha="center", va="center", fontsize=fontsize)
             for c in range(cols)] for r in range(rows)]


def set_cell_texts(
    texts: list[list], values: np.ndarray, *, fmt: str = "{:g}", light: np.ndarray | None = None
) -> None:
    """Write ``values`` into the texts from :func:`cell_texts` (NaN leaves a cell blank).

    ``light`` marks the cells drawn light, whose text is black; others get white.
    """
    for (i, j), v in np.ndenumerate(values):
        blank = isinstance(v, (float, np.floating)) and np.isnan(v)
        if isinstance(v, (float, np.floating)):
            v = v + 0.0  # writes -0.0 as 0
        texts[i][j].set_text("" if blank else fmt.format(v))
        texts[i][j].set_color("black" if light is None or light[i, j] else "white")
