"""utils.widgets.activation: the ReLU explorer."""

from __future__ import annotations

import numpy as np
import pytest

from figure_view import shown
from utils.widgets import ReluExplorer


def test_relu_explorer_bias_zeroes_negatives():
    resp = np.linspace(-1, 1, 100, dtype=np.float32).reshape(10, 10)
    ex = ReluExplorer(resp)
    assert ex.fraction_zero == 0.5
    ex.bias.value = -0.5
    np.testing.assert_allclose(ex.post, np.maximum(resp - 0.5, 0), atol=1e-6)
    assert ex.fraction_zero == pytest.approx(0.75, abs=0.01)
    np.testing.assert_allclose(shown(ex.figure.axes[1]), ex.post)   # the right panel: after ReLU
