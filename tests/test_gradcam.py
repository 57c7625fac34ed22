"""utils.gradcam: Grad-CAM heatmaps, overlays and occlusion tests."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def toy_net():
    """features: identity 1×1 conv (the image itself); head: GAP -> Dense(+1 / -1)."""
    import keras

    features = keras.Sequential([keras.Input((16, 16, 1)),
                                 keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones")])
    head = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.GlobalAveragePooling2D(),
                             keras.layers.Dense(2, activation="softmax")])
    head.layers[-1].set_weights([np.array([[4.0, -4.0]], np.float32), np.zeros(2, np.float32)])
    return features, head


def test_grad_cam_finds_the_bright_square(toy_net):
    from utils.gradcam import grad_cam

    image = np.zeros((16, 16, 1), np.float32)
    image[10:13, 3:6] = 1.0  # the evidence for class 0
    heatmap, cls = grad_cam(*toy_net, image)
    assert cls == 0 and heatmap.shape == (16, 16)
    assert heatmap.max() == 1.0
    assert np.unravel_index(heatmap.argmax(), heatmap.shape)[0] in range(10, 13)
    assert heatmap[10:13, 3:6].min() == 1.0 and heatmap[:8].max() == 0.0  # only the square
    other, cls1 = grad_cam(*toy_net, image, class_index=1)
    assert cls1 == 1 and other.max() == 0.0  # nothing speaks for class 1
    with pytest.raises(ValueError, match="class_index must be in"):
        grad_cam(*toy_net, image, class_index=5)


def test_grad_cam_uses_the_score_before_softmax_so_confident_maps_do_not_fade(toy_net):
    """A very confident prediction: the probability's gradient vanishes (float32), the logit's does not."""
    import keras
    import tensorflow as tf

    from utils._models import class_scores
    from utils.gradcam import grad_cam

    features, head = toy_net
    image = np.zeros((16, 16, 1), np.float32)
    image[2:14, 2:14] = 60.0  # evidence so strong that softmax saturates at exactly 1.0
    maps = features(tf.constant(image[None]))
    with tf.GradientTape() as tape:
        tape.watch(maps)
        probability = head(maps)[0, 0]
    assert float(probability) == 1.0 and not np.any(tape.gradient(probability, maps).numpy())
    logits = keras.ops.convert_to_numpy(class_scores(head, maps))
    np.testing.assert_allclose(logits[0], [4 * image.mean(), -4 * image.mean()], rtol=1e-5)
    heatmap, cls = grad_cam(features, head, image)
    assert cls == 0 and heatmap.max() == 1.0  # still shows where the evidence is
    assert heatmap[2:14, 2:14].min() == 1.0 and heatmap[0].max() == 0.0
    nested = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Identity(), head])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(class_scores(nested, maps)), logits, rtol=1e-6)


def test_overlay_heatmap_blends_and_resizes():
    from utils.gradcam import overlay_heatmap

    photo = np.full((40, 60, 3), 100, np.uint8)
    heat = np.zeros((4, 6), np.float32)
    heat[0, 0] = 1.0
    out = overlay_heatmap(photo, heat, alpha=0.5)
    assert out.shape == (40, 60, 3) and out.dtype == np.uint8
    assert out[0, 0].sum() > out[-1, -1].sum()  # hot corner is brighter
    with pytest.raises(ValueError, match="alpha"):
        overlay_heatmap(photo, heat, alpha=2)


def test_occlude_fills_one_cell_of_the_grid():
    from utils.gradcam import occlude

    image = np.arange(7 * 7 * 3, dtype=np.uint8).reshape(7, 7, 3)
    out = occlude(image, (1, 2), 3, fill=255)     # bands of rows 2..3, columns 4..6
    changed = np.argwhere((out != image).any(axis=-1))
    assert changed.min(axis=0).tolist() == [2, 4] and changed.max(axis=0).tolist() == [3, 6]
    assert (out[2:4, 4:7] == 255).all() and out is not image and image[2, 4, 0] != 255
    np.testing.assert_array_equal(occlude(np.zeros((224, 224)), (6, 6), 7)[192:, 192:], 128)


@pytest.mark.parametrize(("cell", "grid", "error", "message"), [
    ((7, 0), 7, ValueError, "outside the 7×7 grid"),
    ((0, 0), 300, ValueError, "finer than"),
    ((0.5, 0), 7, TypeError, "integers"),
    ((0, 0), 0, ValueError, "grid rows"),
])
def test_occlude_says_what_to_pass(cell, grid, error, message):
    from utils.gradcam import occlude

    with pytest.raises(error, match=message):
        occlude(np.zeros((224, 224, 3), np.uint8), cell, grid)


def test_occlusion_drop_measures_the_evidence_in_a_cell():
    from utils.gradcam import occlusion_drop

    def left_is_bright(batch):
        """Probability of class 1 = mean brightness of the left half (a toy classifier)."""
        p = batch[:, :, : batch.shape[2] // 2].mean(axis=(1, 2, 3)) / 255
        return np.stack([1 - p, p], axis=1)

    image = np.zeros((8, 8, 3))
    image[:, :4] = 255
    assert occlusion_drop(left_is_bright, image, (0, 0), 2, 1, fill=0) == pytest.approx(0.5)
    assert occlusion_drop(left_is_bright, image, (0, 1), 2, 1, fill=0) == 0
    with pytest.raises(ValueError, match="class_index"):
        occlusion_drop(left_is_bright, image, (0, 0), 2, 2)


def test_heat_share_counts_the_heat_inside_a_box():
    from utils.gradcam import heat_share

    heat = np.zeros((7, 7), np.float32)
    heat[6, :] = 1.0
    assert heat_share(heat, (192, 0, 224, 224), (224, 224, 3)) == 1.0
    assert heat_share(heat, (0, 0, 192, 224), (224, 224, 3)) == 0.0
    assert heat_share(heat, (192, 0, 224, 112), (224, 224)) == pytest.approx(0.5, abs=0.04)
    assert heat_share(np.ones((7, 7)), (0, 0, 112, 224), (224, 224)) == pytest.approx(0.5)
    assert heat_share(np.zeros((7, 7)), (0, 0, 10, 10), (224, 224)) == 0.0


def test_heat_share_cells_are_the_cells_occlude_covers():
    """Sizes that do not divide evenly: a hot cell's heat lies exactly where occlude fills it."""
    from utils.gradcam import heat_share, occlude

    for shape, grid in [((10, 10), 3), ((13, 7), 4), ((224, 224), 7)]:
        for cell in [(0, 0), (1, 2), (grid - 1, grid - 1)]:
            heat = np.zeros((grid, grid))
            heat[cell] = 1.0
            filled = np.argwhere(occlude(np.zeros(shape, np.uint8), cell, grid, fill=1))
            (top, left), (bottom, right) = filled.min(axis=0), filled.max(axis=0) + 1
            assert filled.shape[0] == (bottom - top) * (right - left)
            assert heat_share(heat, (int(top), int(left), int(bottom), int(right)), shape) == 1.0


@pytest.mark.parametrize(
    ("heat", "box", "shape", "message"),
    [
        (np.ones((7, 7)), (0, 0, 300, 10), (224, 224, 3), r"bottom <= 224"),
        (np.ones((7, 7)), (10, 0, 5, 10), (224, 224, 3), "top < bottom"),
        (np.ones((7, 7)), (0, 0, 10), (224, 224, 3), r"\(top, left, bottom, right\)"),
        (np.ones((7, 7)), (0, 0, 10, 10), (224,), "rows and columns"),
        (-np.ones((7, 7)), (0, 0, 10, 10), (224, 224), "negative"),
        (np.ones((7, 7, 2)), (0, 0, 10, 10), (224, 224), "heatmap must be H×W"),
    ],
)
def test_heat_share_says_what_was_wrong(heat, box, shape, message):
    from utils.gradcam import heat_share

    with pytest.raises(ValueError, match=message):
        heat_share(heat, box, shape)
