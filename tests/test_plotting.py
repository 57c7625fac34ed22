"""utils.plotting: figures draw what they are given, on white, and reject bad input."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from utils import plotting


def test_use_course_style_sets_white_background_and_safe_colormap():
    with mpl.rc_context():
        plotting.use_course_style()
        assert to_rgba(mpl.rcParams["figure.facecolor"]) == (1, 1, 1, 1)
        assert mpl.rcParams["image.cmap"] == "viridis"


def test_show_image_uses_fixed_scale_for_uint8_gray():
    gray = np.full((4, 4), 10, dtype=np.uint8)
    ax = plotting.show_image(gray, title="dark")
    im = ax.get_images()[0]
    assert im.get_clim() == (0, 255)
    assert ax.get_title() == "dark"
    assert plotting.show_image(np.zeros((4, 4, 1), np.uint8)).get_images()[0].get_array().ndim == 2


def test_show_images_grid_and_title_count():
    imgs = [np.zeros((5, 5, 3), np.uint8)] * 5
    fig = plotting.show_images(imgs, [str(i) for i in range(5)], ncols=2)
    assert len(fig.axes) == 6  # 3 rows × 2, the last one switched off
    assert not fig.axes[-1].axison
    with pytest.raises(ValueError, match="one title each"):
        plotting.show_images(imgs, ["a"])
    with pytest.raises(ValueError, match="empty"):
        plotting.show_images([])


def test_show_patch_writes_every_value_with_contrasting_colour():
    patch = np.array([[0, 255], [128, 7]], dtype=np.uint8)
    ax = plotting.show_patch(patch)
    texts = {t.get_text(): t.get_color() for t in ax.texts}
    assert set(texts) == {"0", "255", "128", "7"}
    assert texts["0"] == "white" and texts["255"] == "black"
    floats = plotting.show_patch(np.array([[0.5, -1.25]]), cmap="cividis")
    assert [t.get_text() for t in floats.texts] == ["0.50", "-1.25"]


def test_show_patch_refuses_a_whole_image():
    with pytest.raises(ValueError, match="at most 20×20"):
        plotting.show_patch(np.zeros((100, 100), np.uint8))
    with pytest.raises(ValueError, match="H×W"):
        plotting.show_patch(np.zeros((4, 4, 3), np.uint8))


def test_show_channels_draws_each_channel_as_gray():
    img = np.zeros((4, 6, 3), np.uint8)
    img[..., 2] = 200
    fig = plotting.show_channels(img)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["RGB", "Red channel", "Green channel", "Blue channel"]
    blue = fig.axes[3].get_images()[0]
    assert blue.get_array().max() == 200 and blue.get_cmap().name == "gray"
    with pytest.raises(ValueError):
        plotting.show_channels(np.zeros((4, 6), np.uint8))


def test_draw_box_outlines_the_right_pixels():
    fig, ax = plt.subplots()
    box = plotting.draw_box(ax, 3, 5, 8, 4)
    assert box.get_xy() == (4.5, 2.5) and box.get_width() == 4 and box.get_height() == 8


def test_cell_texts_and_set_cell_texts():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((2, 3)))
    texts = plotting.cell_texts(ax, 2, 3, fontsize=6)
    assert len(texts) == 2 and len(texts[0]) == 3 and texts[1][2].get_position() == (2, 1)
    values = np.array([[1.5, -0.0, np.nan], [2, 3, 4]], dtype=float)
    light = np.array([[True, False, True], [True, True, True]])
    plotting.set_cell_texts(texts, values, light=light)
    assert [t.get_text() for t in texts[0]] == ["1.5", "0", ""]
    assert texts[0][1].get_color() == "white" and texts[0][0].get_color() == "black"


def test_smallest_text_px_counts_only_drawn_text():
    import matplotlib.pyplot as plt

    from utils.plotting import smallest_text_px

    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 3), dpi=100)
    a.imshow(np.zeros((3, 3)))
    a.set_axis_off()  # its tick labels are not drawn
    a.set_title("title", fontsize=14)
    b.imshow(np.zeros((3, 3)))
    b.set_xticks([])
    b.set_yticks([])
    b.text(0, 0, "small", fontsize=7.2)
    b.text(1, 1, "", fontsize=2)  # empty: not drawn
    assert smallest_text_px(fig) == pytest.approx(7.2 * 100 / 72)
    assert smallest_text_px(fig, dpi=200) == pytest.approx(7.2 * 200 / 72)
    empty, ax = plt.subplots()
    ax.set_axis_off()
    assert smallest_text_px(empty) is None
    with pytest.raises(TypeError, match="matplotlib Figure"):
        smallest_text_px(ax)
    plt.close("all")


def test_png_with_legibility_stores_the_text_size_in_the_png():
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from utils.plotting import TEXT_PX_KEY, png_with_legibility

    fig, ax = plt.subplots(figsize=(4, 3), dpi=80)
    ax.set_axis_off()
    ax.text(0.5, 0.5, "nine points", fontsize=9)
    png = Image.open(io.BytesIO(png_with_legibility(fig, bbox_inches="tight")))
    assert float(png.text[TEXT_PX_KEY]) == pytest.approx(9 * 80 / 72, abs=0.01)
    plt.close(fig)


def test_course_style_makes_notebook_figures_carry_their_text_size():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    from utils.plotting import _png_formatter, use_course_style

    shell = InteractiveShell.instance()
    use_course_style()
    use_course_style()  # twice: still one formatter, ours
    assert shell.display_formatter.formatters["image/png"].lookup_by_type(Figure) is _png_formatter
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([0, 1])
    data, _ = shell.display_formatter.format(fig)
    import base64
    import io

    from PIL import Image

    assert "p2p-text-px" in Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).text
