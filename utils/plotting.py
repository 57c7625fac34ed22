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
    "smallest_text_px",
    "png_with_legibility",
    "TEXT_PX_KEY",
]

#: PNG text chunk that carries a figure's smallest text size, in the PNG's pixels. The book's
#: build (book/_ext/p2p_live.py) reads it to keep that text at least 9 CSS px on a phone.
TEXT_PX_KEY = "p2p-text-px"

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
    """Apply the course's matplotlib style: white backgrounds, colour-blind-safe colours.

    In IPython it also makes the figures a notebook shows carry their smallest
    text size (:func:`png_with_legibility`), so that the book can keep every
    figure legible on a phone.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():        # restores the previous style afterwards
    ...     use_course_style()
    ...     print(mpl.rcParams["image.cmap"])
    viridis
    """
    mpl.rcParams.update(COURSE_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return
    shell = get_ipython()
    if shell is not None:
        # matplotlib-inline registers its own PNG formatter when its module is first imported
        # (lazily, at the first figure), which would replace ours: import it first.
        if "inline" in plt.get_backend():
            import matplotlib_inline.backend_inline  # noqa: F401
        shell.display_formatter.formatters["image/png"].for_type(Figure, _png_formatter)


def _png_formatter(fig: Figure) -> tuple[str, dict] | str:
    """IPython's PNG formatter for figures, as matplotlib-inline's, plus the text size."""
    import base64

    data = png_with_legibility(fig, dpi=fig.dpi, bbox_inches="tight")
    return base64.b64encode(data).decode("ascii")


def _drawn_texts(fig: Figure) -> list:
    """Every text of ``fig`` that is drawn: titles, labels, tick labels of shown axes, annotations."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # tick labels get their strings
    hidden = set()
    for ax in fig.axes:
        if not ax.axison or not ax.get_visible():
            hidden.update(id(t) for axis in (ax.xaxis, ax.yaxis) for t in axis.findobj(Text))
            if not ax.get_visible():
                hidden.update(id(t) for t in ax.findobj(Text))
    return [t for t in fig.findobj(Text)
            if id(t) not in hidden and t.get_visible() and t.get_text().strip()
            and t.get_alpha() != 0]


def smallest_text_px(fig: Figure, dpi: float | None = None) -> float | None:
    """The smallest text drawn in ``fig``, in pixels of a PNG saved at ``dpi`` (default: the
    figure's); ``None`` if the figure has no text.

    A text of ``s`` points is ``s × dpi / 72`` pixels; the book shows a figure scaled to
    the page, so on a phone what counts is this size relative to the PNG's width.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    >>> _ = ax.set_title("title", fontsize=12)
    >>> ax.set_axis_off()
    >>> round(smallest_text_px(fig), 1)
    16.7
    >>> plt.close(fig)
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}.")
    sizes = [t.get_fontsize() for t in _drawn_texts(fig)]
    return min(sizes) * (dpi or fig.dpi) / 72 if sizes else None


def png_with_legibility(fig: Figure, *, dpi: float | None = None, **savefig: object) -> bytes:
    """``fig`` as PNG bytes whose metadata holds its smallest text size (:data:`TEXT_PX_KEY`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> png_with_legibility(fig)[:4]
    b'\x89PNG'
    >>> plt.close(fig)
    """
    import io

    dpi = dpi or fig.dpi
    px = smallest_text_px(fig, dpi)
    metadata = {TEXT_PX_KEY: f"{px:.2f}"} if px else {}
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata=metadata, **savefig)
    return buf.getvalue()


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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = show_image(np.eye(4), title="identity")
    >>> ax.get_title()
    'identity'
    >>> plt.close("all")
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
    """Draw images in a grid, ``ncols`` per row, each ``size`` inches wide.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = show_images([np.eye(4), np.ones((4, 4))], ["eye", "ones"], ncols=2)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = show_patch(np.array([[0, 255], [128, 64]], np.uint8))
    >>> sorted(t.get_text() for t in ax.texts)
    ['0', '128', '255', '64']
    >>> plt.close("all")
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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = show_channels(np.zeros((4, 4, 3), np.uint8))
    >>> [ax.get_title() for ax in fig.axes][:3]
    ['RGB', 'Red channel', 'Green channel']
    >>> plt.close(fig)
    """
    image = check_image(image, ndims=(3,), channels=(3,))
    panels = [image] + [image[..., i] for i in range(3)]
    return show_images(panels, ["RGB", "Red channel", "Green channel", "Blue channel"],
                       ncols=4, size=size)


def draw_box(
    ax: Axes, row: int, col: int, height: int, width: int, *, color: str = HIGHLIGHT,
    linewidth: float = 2.0,
) -> Rectangle:
    """Outline the pixels ``[row:row+height, col:col+width]`` on an image axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.imshow(np.zeros((8, 8)))
    >>> draw_box(ax, 2, 3, 3, 3).get_xy()
    (2.5, 1.5)
    >>> plt.close(fig)
    """
    box = Rectangle((col - 0.5, row - 0.5), width, height, fill=False,
                    edgecolor=color, linewidth=linewidth)
    ax.add_patch(box)
    return box


def cell_texts(ax: Axes, rows: int, cols: int, *, fontsize: float = 8) -> list[list]:
    """Put an empty, centred text on every cell of a ``rows×cols`` image axes.

    Fill them with :func:`set_cell_texts`; widgets create them once and
    only change their strings and colours.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> texts = cell_texts(ax, 2, 3)
    >>> len(texts), len(texts[0])
    (2, 3)
    >>> plt.close(fig)
    """
    return [[ax.text(c, r, "", ha="center", va="center", fontsize=fontsize)
             for c in range(cols)] for r in range(rows)]


def set_cell_texts(
    texts: list[list], values: np.ndarray, *, fmt: str = "{:g}", light: np.ndarray | None = None
) -> None:
    """Write ``values`` into the texts from :func:`cell_texts` (NaN leaves a cell blank).

    ``light`` marks the cells drawn light, whose text is black; others get white.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> texts = cell_texts(ax, 1, 2)
    >>> set_cell_texts(texts, np.array([[1.5, 2.0]]))
    >>> [t.get_text() for t in texts[0]]
    ['1.5', '2']
    >>> plt.close(fig)
    """
    for (i, j), v in np.ndenumerate(values):
        blank = isinstance(v, (float, np.floating)) and np.isnan(v)
        if isinstance(v, (float, np.floating)):
            v = v + 0.0  # writes -0.0 as 0
        texts[i][j].set_text("" if blank else fmt.format(v))
        texts[i][j].set_color("black" if light is None or light[i, j] else "white")
