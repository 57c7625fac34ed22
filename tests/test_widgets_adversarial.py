"""utils.widgets.adversarial: the FGSM explorer, driven through its slider and menu."""

from __future__ import annotations

import numpy as np
import pytest

from figure_view import bar_lengths, panel, shown


class Counting:
    """A linear three-class classifier on 2×2×1 images that counts how often it is called."""

    def __init__(self):
        import keras

        self.model = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
                                       keras.layers.Dense(3, activation="softmax")])
        weights = np.array([[2, -2, 0], [2, -2, 0], [2, -2, 0], [2, -2, 0.5]], np.float32)
        self.model.set_weights([weights, np.array([-4, 3.7, -1.2], np.float32)])  # flips at 0.48
        self.calls = 0

    def __call__(self, x, training=False):
        self.calls += 1
        return self.model(x, training=training)

    @property
    def layers(self):
        return self.model.layers


@pytest.fixture
def explorer():
    from utils.widgets import AdversarialExplorer

    model = Counting()
    return AdversarialExplorer(model, np.full((2, 2, 1), 0.52, np.float32), 0,
                               ["bright", "dark", "other"], max_levels=12), model


def test_slider_flips_the_label_without_calling_the_model_again(explorer):
    ex, model = explorer
    calls = model.calls
    assert panel(ex, "result").get_title() == "result: bright"
    ex.levels.value = 12
    assert panel(ex, "result").get_title() == "result: dark"
    assert model.calls == calls  # everything was classified in one batch up front
    np.testing.assert_allclose(shown(panel(ex, "result")), 0.52 - 12 / 255, atol=1e-6)
    assert bar_lengths(ex.figure.axes[-1]) == pytest.approx(list(ex.probabilities))
    assert "±12 levels" in panel(ex, "change").get_title()


def test_targeted_push_moves_towards_the_chosen_class(explorer):
    ex, _ = explorer
    assert ex.push.options == ("away", "towards dark", "towards other")
    p0 = ex.probabilities[2]
    with ex.batch():
        ex.push.value = "towards other"
        ex.levels.value = 6
    assert ex.probabilities[2] > p0


def test_colour_image_in_pixel_levels_is_shown_in_range():
    import keras

    from utils.widgets import AdversarialExplorer

    model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    image = np.random.default_rng(0).integers(0, 256, (4, 4, 3)).astype(np.float32)
    ex = AdversarialExplorer(model, image, 0, ["a", "b"], max_levels=3, value_range=(0, 255))
    ex.levels.value = 3
    picture = shown(panel(ex, "result"))
    assert picture.shape == (4, 4, 3) and picture.min() >= 0 and picture.max() <= 1


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"label": 3}, ValueError, r"class index 0\.\.2"),
    ({"max_levels": 0}, ValueError, "max_levels must be at least 1"),
    ({"image": np.zeros((2, 2))}, ValueError, "H×W×C"),
])
def test_explorer_says_what_was_wrong(kwargs, error, message):
    from utils.widgets import AdversarialExplorer

    args = {"model": Counting(), "image": np.full((2, 2, 1), 0.5, np.float32), "label": 0,
            "class_names": ["bright", "dark", "other"]} | kwargs
    with pytest.raises(error, match=message):
        AdversarialExplorer(**args)
