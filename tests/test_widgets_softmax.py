"""utils.widgets.softmax: the softmax explorer."""

from __future__ import annotations

import numpy as np
import pytest

from figure_view import bar_lengths, titles
from utils.widgets import SoftmaxExplorer


def test_softmax_explorer_bars_follow_sliders():
    from utils.activations import softmax

    ex = SoftmaxExplorer(["a", "b", "c"], logits=[1.0, 2.0, 0.0])
    np.testing.assert_allclose(ex.probabilities, softmax(np.array([1.0, 2.0, 0.0])))
    assert [round(b, 6) for b in bar_lengths(ex.figure.axes[0])] == [round(p, 6) for p in ex.probabilities]
    ex.logits[0].value = 4.0
    assert ex.probabilities.argmax() == 0 and "prediction: a" in titles(ex)[0]
    ex.temperature.value = 10.0
    assert ex.probabilities.max() < 0.45  # hot: nearly uniform
    assert abs(ex.probabilities.sum() - 1) < 1e-12
    with pytest.raises(ValueError, match="between 2 and 10"):
        SoftmaxExplorer(["only"])
    with pytest.raises(ValueError, match="3 logits for 2 classes"):
        SoftmaxExplorer(["a", "b"], logits=[1, 2, 3])
