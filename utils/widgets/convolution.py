"""Convolution widgets (Chapter 2): kernel editor, convolution stepper, stride/padding explorer."""

from __future__ import annotations

import time

import ipywidgets as w
import numpy as np
from IPython.display import HTML

from utils._validate import check_finite, check_image
from utils.animation import animate
from utils.conv import conv2d, output_size
from utils.kernels import KERNELS, get_kernel
from utils.plotting import HIGHLIGHT, cell_texts, draw_box, set_cell_texts
from utils.preprocess import minmax_normalize, to_grayscale
from utils.samples import list_samples
from utils.widgets._base import FigureWidget, gray_sample

__all__ = ["KernelEditor", "ConvolutionStepper", "StridePaddingExplorer"]

#: The 3×3 presets of the kernel editor.
PRESETS = [name for name, k in KERNELS.items() if np.shape(k) == (3, 3)]


class KernelEditor(FigureWidget):
    """Edit a 3×3 kernel with sliders and see the feature map change at once.

    A preset menu fills the sliders; an image menu picks a bundled photo
    (or pass your own grayscale ``image``); "normalise output" stretches the
    feature map to [0, 1] instead of clipping it, as a photo editor would.
    ``kernel`` and ``output`` hold the current arrays; ``compute_ms`` the
    time the last update spent computing (convolution and scaling).

    Examples
    --------
    >>> editor = KernelEditor(size=64)
    >>> editor.preset.value = "sobel_x"
    >>> editor.kernel[0]
    array([ 1.,  0., -1.], dtype=float32)
    >>> editor.output.shape
    (64, 64)
    """

    def __init__(self, image: np.ndarray | None = None, *, size: int = 256,
                 preset: str = "vertical_edge") -> None:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {PRESETS}, got {preset!r}.")
        self._size = size
        options = list_samples()
        self._custom = None
        if image is not None:
            self._custom = to_grayscale(check_image(image))
            options = ["your image", *options]
        self.image_choice = w.Dropdown(options=options, value=options[0] if image is not None
                                       else "cat", description="image")
        self.preset = w.Dropdown(options=PRESETS, value=preset, description="preset")
        self.normalise = w.Checkbox(value=True, description="normalise output")
        start = get_kernel(preset)
        self.sliders = [
            w.FloatSlider(value=float(start[i, j]), min=-5, max=5, step=0.05,
                          readout_format=".2f", description=f"[{i},{j}]",
                          layout=w.Layout(width="230px"), style={"description_width": "36px"})
            for i in range(3) for j in range(3)
        ]
        grid = w.GridBox(self.sliders, layout=w.Layout(grid_template_columns="repeat(3, 240px)"))
        self.compute_ms = 0.0
        super().__init__([w.HBox([self.preset, self.image_choice, self.normalise]), grid],
                         figsize=(10, 4.6))
        self._observe(*self.sliders, self.normalise, self.image_choice)
        self.preset.observe(self._on_preset, names="value")

    @property
    def image(self) -> np.ndarray:
        """The grayscale input, ``float32`` in [0, 1]."""
        if self.image_choice.value == "your image":
            return self._custom
        return gray_sample(self.image_choice.value, (self._size, self._size))

    @property
    def kernel(self) -> np.ndarray:
        """The 3×3 kernel the sliders hold."""
        return np.array([s.value for s in self.sliders], dtype=np.float32).reshape(3, 3)

    def set_kernel(self, kernel: np.ndarray) -> None:
        """Put a 3×3 kernel into the sliders (one update)."""
        kernel = np.asarray(kernel, dtype=np.float32)
        if kernel.shape != (3, 3):
            raise ValueError(f"The editor holds a 3×3 kernel, got shape {kernel.shape}.")
        with self.batch():
            for s, v in zip(self.sliders, kernel.ravel()):
                s.value = float(v)

    def _on_preset(self, change: dict) -> None:
        self.set_kernel(get_kernel(change["new"]))

    def _draw(self) -> None:
        self._ax_in, self._ax_out = self.figure.subplots(1, 2)
        blank = np.zeros((2, 2), np.float32)
        self._im_in = self._ax_in.imshow(blank, cmap="gray", vmin=0, vmax=1)
        self._im_out = self._ax_out.imshow(blank, cmap="gray", vmin=0, vmax=1)
        for ax in (self._ax_in, self._ax_out):
            ax.set_axis_off()
        self._ax_in.set_title("input")

    def compute(self) -> np.ndarray:
        """Convolve and scale for display; sets ``output`` and ``compute_ms``."""
        start = time.perf_counter()
        self.output = conv2d(self.image, self.kernel, padding="same")
        if self.normalise.value:
            self.shown = minmax_normalize(self.output)
        else:
            self.shown = np.clip(self.output, 0, 1)
        self.compute_ms = (time.perf_counter() - start) * 1000
        return self.shown

    def _refresh(self) -> None:
        shown = self.compute()
        self._im_in.set_data(self.image)
        self._im_in.set_extent((-0.5, self.image.shape[1] - 0.5, self.image.shape[0] - 0.5, -0.5))
        self._im_out.set_data(shown)
        self._im_out.set_extent(self._im_in.get_extent())
        how = "stretched to [0, 1]" if self.normalise.value else "clipped to [0, 1]"
        self._ax_out.set_title(f"feature map, {how}\nvalues from {self.output.min():.2f} "
                               f"to {self.output.max():.2f}", fontsize=10)

    def _live(self) -> tuple[str, dict, str]:
        from utils.widgets.live import encode_uint8

        pixels = np.round(np.clip(self.image, 0, 1) * 255).astype(np.uint8)
        config = {"width": int(pixels.shape[1]), "height": int(pixels.shape[0]),
                  "pixels": encode_uint8(pixels), "preset": self.preset.value,
                  "kernel": np.asarray(self.kernel, dtype=float).round(4).tolist()}
        alt = (f"Kernel editor: the {self.preset.value} kernel "
               f"{np.asarray(self.kernel).round(2).tolist()} applied to a grayscale photo, "
               "shown beside its feature map.")
        return "kernel-editor", config, alt


def _line_image() -> np.ndarray:
    image = np.zeros((8, 8), dtype=np.int64)
    image[:, 3] = 9  # a bright vertical line
    image[:, 4] = 5
    return image


class ConvolutionStepper(FigureWidget):
    """Step a kernel across a small image, one output cell at a time.

    A play button and a ``position`` slider move the receptive field; a
    ``kernel_choice`` menu picks one of the course's named kernels (of the
    kernel's size) or the kernel you passed. The figure shows the window, the
    kernel, their element-wise products and their sum, and the output map
    filling in cell by cell.

    An RGB ``image`` (``H×W×3``) shows the k×k×3 convolution of a colour
    image: one row per channel (window, kernel slice, products), and each
    output cell is the sum over all three channels. A ``k×k`` kernel is then
    used on every channel; pass a ``k×k×3`` kernel for one slice per channel.
    Without a kernel (the book's pages) :meth:`to_html` gives the same as an
    animation.

    Examples
    --------
    >>> stepper = ConvolutionStepper()
    >>> stepper.position.value = 9
    >>> stepper.cell, float(stepper.products.sum()) == float(stepper.full_output[stepper.cell])
    ((1, 3), True)
    """

    CHANNELS = ("red", "green", "blue")

    def __init__(self, image: np.ndarray | None = None, kernel: np.ndarray | str | None = None,
                 *, interval_ms: int = 700) -> None:
        image = _line_image() if image is None else check_image(image, ndims=(2, 3), channels=(3,))
        if max(image.shape[:2]) > 12:
            raise ValueError(f"The stepper writes every number: pass an image of at most 12×12 "
                             f"(e.g. a crop, image[:8, :8]), got {image.shape[0]}×{image.shape[1]}.")
        self.image = image
        self.rgb = image.ndim == 3
        self._custom, name = None, "vertical_edge"
        if isinstance(kernel, str):
            get_kernel(kernel)  # raises for an unknown name, listing the names
            name = kernel
        elif kernel is not None:
            self._custom = self._check_kernel(np.asarray(kernel, dtype=float))
            name = _named(self._custom)
        k = self._custom.shape[0] if self._custom is not None else get_kernel(name).shape[0]
        options = [n for n, v in KERNELS.items() if np.shape(v) == (k, k)]
        if name is None:
            name = "this kernel"
            options.append(name)
        self.k = k
        self.kernel_choice = w.Dropdown(options=options, value=name, description="kernel")
        self.full_output = conv2d(self.image, self.kernel)
        n = self.full_output.size
        self.position = w.IntSlider(value=0, min=0, max=n - 1, description="step")
        self.play = w.Play(value=0, min=0, max=n - 1, interval=interval_ms, description="play")
        w.jslink((self.play, "value"), (self.position, "value"))
        super().__init__([w.HBox([self.kernel_choice, self.play, self.position])],
                         figsize=(13, 7.6) if self.rgb else (13, 4.3))
        # room for the two-line titles that tight_layout does not see on the square panels
        self.figure.subplots_adjust(top=0.9 if self.rgb else 0.8)
        self.update()
        self._observe(self.position, self.kernel_choice)

    def _check_kernel(self, kernel: np.ndarray) -> np.ndarray:
        shape = kernel.shape
        wanted = "k×k or k×k×3" if self.rgb else "k×k"
        if (kernel.ndim not in ((2, 3) if self.rgb else (2,)) or shape[0] != shape[1]
                or (kernel.ndim == 3 and shape[2] != 3)):
            raise ValueError(f"kernel must be a square {wanted} array for this image, got shape {shape}.")
        if shape[0] > 5:
            raise ValueError(f"The stepper writes every number: pass a kernel of at most 5×5, "
                             f"got {shape[0]}×{shape[1]}.")
        if shape[0] > min(self.image.shape[:2]):
            raise ValueError(f"A {shape[0]}×{shape[0]} kernel does not fit a "
                             f"{self.image.shape[0]}×{self.image.shape[1]} image; pass a smaller kernel.")
        return check_finite(kernel, name="kernel", what="weights")

    @property
    def kernel(self) -> np.ndarray:
        """The kernel in use: ``k×k``, or ``k×k×3`` on an RGB image."""
        choice = self.kernel_choice.value if hasattr(self, "kernel_choice") else None
        base = self._custom if choice in (None, "this kernel") and self._custom is not None \
            else get_kernel(choice or "vertical_edge").astype(float)
        if self.rgb and base.ndim == 2:
            base = np.repeat(base[..., None], 3, axis=2)
        return base

    @property
    def cell(self) -> tuple[int, int]:
        """(row, column) of the output cell being computed."""
        return divmod(self.position.value, self.full_output.shape[1])

    @property
    def window(self) -> np.ndarray:
        """The part of the image under the kernel (its receptive field)."""
        r, c = self.cell
        return self.image[r:r + self.k, c:c + self.k]

    @property
    def products(self) -> np.ndarray:
        """Window × kernel, element by element (``k×k×3`` on an RGB image)."""
        return self.window * self.kernel

    @property
    def output_so_far(self) -> np.ndarray:
        """The output map with the cells not yet computed set to NaN."""
        out = self.full_output.astype(float).copy()
        out.ravel()[self.position.value + 1:] = np.nan
        return out

    def _draw(self) -> None:
        rows = 3 if self.rgb else 1
        grid = self.figure.add_gridspec(rows, 4, width_ratios=[1.4, 0.8, 0.8, 1.2])
        h, w_ = self.image.shape[:2]
        k = self.k
        oh, ow = self.full_output.shape
        self._in_boxes, self._k_ims, self._k_texts, self._prod_ims, self._prod_texts = [], [], [], [], []
        self._prod_axes = []
        for ch in range(rows):
            plane = self.image[..., ch] if self.rgb else self.image
            ax_in, ax_k, ax_p = (self.figure.add_subplot(grid[ch, i]) for i in range(3))
            ax_in.imshow(plane, cmap="gray", vmin=self.image.min(), vmax=self.image.max())
            self._in_boxes.append(draw_box(ax_in, 0, 0, k, k, color=HIGHLIGHT, linewidth=3))
            light = plane > (self.image.min() + self.image.max()) / 2
            set_cell_texts(cell_texts(ax_in, h, w_, fontsize=8), plane, light=light)
            prefix = f"{self.CHANNELS[ch]}: " if self.rgb else ""
            ax_in.set_title(f"{prefix}input (window in orange)" if ch == 0 or not self.rgb
                            else f"{prefix}input")
            self._k_ims.append(ax_k.imshow(np.zeros((k, k)), cmap="PuOr", vmin=-1, vmax=1))
            self._k_texts.append(cell_texts(ax_k, k, k, fontsize=10))
            ax_k.set_title(f"{prefix}kernel")
            self._prod_ims.append(ax_p.imshow(np.zeros((k, k)), cmap="PuOr", vmin=-1, vmax=1))
            self._prod_texts.append(cell_texts(ax_p, k, k, fontsize=10))
            ax_p.set_title(f"{prefix}window × kernel\nsum = 0")  # two lines, for tight_layout
            self._prod_axes.append(ax_p)
            for ax in (ax_in, ax_k, ax_p):
                ax.set_xticks([])
                ax.set_yticks([])
        ax_out = self.figure.add_subplot(grid[:, 3])
        self._out_im = ax_out.imshow(np.full((oh, ow), np.nan), cmap="PuOr", vmin=-1, vmax=1)
        self._out_texts = cell_texts(ax_out, oh, ow, fontsize=8)
        self._out_box = draw_box(ax_out, 0, 0, 1, 1, color=HIGHLIGHT, linewidth=3)
        ax_out.set_xticks([])
        ax_out.set_yticks([])
        ax_out.set_title("output\ncell")  # two lines, for tight_layout
        self._out_ax = ax_out
        self._shown_kernel = None

    def _show_kernel(self) -> None:
        """Redraw the kernel panels and the colour limits after a change of kernel."""
        kernel = self.kernel
        self.full_output = conv2d(self.image, kernel)
        klim = np.abs(kernel).max() or 1
        self._plim = klim * (np.abs(self.image).max() or 1)
        self._lim = np.abs(self.full_output).max() or 1
        for ch, (im, texts) in enumerate(zip(self._k_ims, self._k_texts)):
            plane = kernel[..., ch] if self.rgb else kernel
            im.set_data(plane)
            im.set_clim(-klim, klim)
            set_cell_texts(texts, plane, fmt="{:.3g}", light=np.abs(plane) < klim / 2)
            self._prod_ims[ch].set_clim(-self._plim, self._plim)
        self._out_im.set_clim(-self._lim, self._lim)
        self._shown_kernel = self.kernel_choice.value

    def _refresh(self) -> None:
        if self._shown_kernel != self.kernel_choice.value:
            self._show_kernel()
        r, c = self.cell
        for box in self._in_boxes:
            box.set_xy((c - 0.5, r - 0.5))
        self._out_box.set_xy((c - 0.5, r - 0.5))
        products = self.products
        sums = []
        for ch, (im, texts) in enumerate(zip(self._prod_ims, self._prod_texts)):
            plane = products[..., ch] if self.rgb else products
            im.set_data(plane)
            set_cell_texts(texts, plane, fmt="{:.3g}", light=np.abs(plane) < self._plim / 2)
            sums.append(plane.sum())
            prefix = f"{self.CHANNELS[ch]}: " if self.rgb else ""
            self._prod_axes[ch].set_title(f"{prefix}window × kernel\nsum = {sums[-1]:.4g}")
        total = float(np.sum(sums))
        so_far = self.output_so_far
        self._out_im.set_data(so_far)
        set_cell_texts(self._out_texts, so_far, fmt="{:.3g}",
                       light=~(np.abs(so_far) >= self._lim / 2))
        added = " + ".join(f"({s:.4g})" if s < 0 else f"{s:.4g}" for s in sums) + " = " \
            if self.rgb else ""
        self._out_ax.set_title(f"output {self.full_output.shape[0]}×{self.full_output.shape[1]}:"
                               f"\ncell ({r}, {c}) = {added}{total:.4g}")

    def to_html(self, alt: str, *, interval: int = 600, dpi: float = 60) -> HTML:
        """The whole walk as a JavaScript animation, for pages without a kernel."""
        def frame(i: int) -> None:
            self.position.value = i  # triggers _refresh through the observer's update
        start = self.position.value
        try:
            return animate(self.figure, frame, self.full_output.size, alt=alt,
                           interval=interval, dpi=dpi)
        finally:
            self.position.value = start

    def _live(self) -> tuple[str, dict, str]:
        choice = self.kernel_choice.value
        config = {"image": np.asarray(self.image).tolist(), "position": self.position.value,
                  "kernel": choice}
        if choice == "this kernel":  # otherwise the page offers all the course's named kernels
            config["kernels"] = {"this kernel": self.kernel.tolist()}
        r, c = self.cell
        h, w_ = self.image.shape[:2]
        size = f"{self.k}×{self.k}×3" if self.rgb else f"{self.k}×{self.k}"
        image = f"{h}×{w_} colour (RGB) image" if self.rgb else f"{h}×{w_} input"
        alt = (f"Convolution stepper at step {self.position.value}: a {size} {choice} kernel "
               f"over a {image}, window at row {r}, column {c}, whose products sum to "
               f"{self.products.sum():g}.")
        return "conv-stepper", config, alt


def _named(kernel: np.ndarray) -> str | None:
    """The course's name for ``kernel`` (a k×k array), or ``None`` if it has none."""
    from utils.widgets.live import kernel_name

    return kernel_name(kernel) if kernel.ndim == 2 else None


class StridePaddingExplorer(FigureWidget):
    """Sliders for kernel size, stride and padding; the output size by formula and by conv2d.

    The left panel shows the padded input (the padding's zeros in a darker
    shade than the input) with the first two windows; the right panel shows
    the output grid. ``formula_size`` and ``conv_shape`` hold the two answers
    (``None`` when the kernel does not fit). The panels are drawn once and
    only changed on each update.

    Examples
    --------
    >>> explorer = StridePaddingExplorer(n=7)
    >>> explorer.stride.value = 2
    >>> explorer.formula_size, explorer.conv_shape
    (3, (3, 3))
    """

    #: Shades of the input, its padding and the output cells (on a 0–1 gray scale).
    INPUT_SHADE, PADDING_SHADE, OUTPUT_SHADE = 0.9, 0.55, 0.75

    def __init__(self, n: int = 7) -> None:
        self.n = n
        style = {"description_width": "80px"}
        self.kernel_size = w.IntSlider(value=3, min=1, max=7, description="kernel size",
                                       style=style)
        self.stride = w.IntSlider(value=1, min=1, max=4, description="stride", style=style)
        self.padding = w.IntSlider(value=0, min=0, max=3, description="padding", style=style)
        super().__init__([w.HBox([self.kernel_size, self.stride, self.padding])],
                         figsize=(10, 4.8))
        self._observe(self.kernel_size, self.stride, self.padding)

    def _draw(self) -> None:
        self._ax_in, self._ax_out = self.figure.subplots(1, 2)
        for ax in (self._ax_in, self._ax_out):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.tick_params(which="minor", length=0)
        self._im_in = self._ax_in.imshow(np.zeros((1, 1)), cmap="gray", vmin=0, vmax=1)
        self._im_out = self._ax_out.imshow(np.zeros((1, 1)), cmap="gray", vmin=0, vmax=1)
        self._first = draw_box(self._ax_in, 0, 0, 1, 1, color=HIGHLIGHT, linewidth=3)
        self._second = draw_box(self._ax_in, 0, 0, 1, 1, color="#0072B2", linewidth=2)
        self._no_fit = self._ax_out.text(0.5, 0.5, "", ha="center", va="center",
                                         transform=self._ax_out.transAxes)
        self._ax_in.set_title("input")
        self._ax_out.set_title("output size\nby formula and by conv2d")  # room for two lines

    def compute(self) -> None:
        """Set ``formula_size`` and ``conv_shape`` for the current sliders."""
        k, s, p = self.kernel_size.value, self.stride.value, self.padding.value
        try:
            self.formula_size = output_size(self.n, k, s, p)
            self.conv_shape = conv2d(np.ones((self.n, self.n)), np.ones((k, k)), stride=s,
                                     padding=p).shape
        except ValueError:
            self.formula_size = self.conv_shape = None

    @staticmethod
    def _grid(ax, image, cells: int, extent: int) -> None:
        """Show ``cells×cells`` values with white cell borders in a square of ``extent`` cells."""
        image.set_extent((-0.5, cells - 0.5, cells - 0.5, -0.5))
        ax.set_xlim(-0.5, extent - 0.5)
        ax.set_ylim(extent - 0.5, -0.5)
        ax.set_xticks(np.arange(-0.5, cells, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, cells, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)

    def _refresh(self) -> None:
        self.compute()
        n, k, s, p = self.n, self.kernel_size.value, self.stride.value, self.padding.value
        size = n + 2 * p
        grid = np.full((size, size), self.PADDING_SHADE)
        grid[p:p + n, p:p + n] = self.INPUT_SHADE
        self._im_in.set_data(grid)
        self._grid(self._ax_in, self._im_in, size, size)
        self._ax_in.set_title(f"input {n}×{n} + padding {p} (darker) = {size}×{size}")
        out = self.formula_size
        fits = out is not None
        self._im_out.set_visible(fits)
        self._first.set_visible(fits)
        self._second.set_visible(fits and out > 1)
        if not fits:
            self._ax_out.grid(False, which="minor")
            self._no_fit.set_text(f"a {k}×{k} kernel does not fit\nin {size}×{size}")
            self._ax_out.set_title("no output")
            return
        self._no_fit.set_text("")
        for box, left in ((self._first, -0.5), (self._second, s - 0.5)):
            box.set_bounds(left, -0.5, k, k)
        self._im_out.set_data(np.full((out, out), self.OUTPUT_SHADE))
        self._grid(self._ax_out, self._im_out, out, max(out, size))
        self._ax_out.set_title(f"⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = {out}\n"
                               f"conv2d gives {self.conv_shape[0]}×{self.conv_shape[1]}")
