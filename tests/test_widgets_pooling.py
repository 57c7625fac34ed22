"""utils.widgets.pooling: the pooling explorer."""

from __future__ import annotations

import numpy as np

from figure_view import titles
from utils.pooling import avg_pool2d, max_pool2d
from utils.widgets import PoolingExplorer


def test_pooling_explorer_modes_and_sizes():
    fmap = np.random.default_rng(3).random((12, 18)).astype(np.float32)
    ex = PoolingExplorer(fmap)
    np.testing.assert_array_equal(ex.output, max_pool2d(fmap, 2, 2))
    with ex.batch():
        ex.size.value, ex.stride.value, ex.mode.value = 3, 1, "average"
    np.testing.assert_allclose(ex.output, avg_pool2d(fmap, 3, 1), atol=1e-6)
    assert "10×16" in titles(ex)[1]
