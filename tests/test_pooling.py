"""utils.pooling equals Keras's pooling layers; errors say what to pass."""

from __future__ import annotations

import numpy as np
import pytest

from utils.pooling import avg_pool2d, global_avg_pool, global_max_pool, max_pool2d

RNG = np.random.default_rng(7)


def test_max_pool_on_the_course_example():
    x = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 3]])
    np.testing.assert_array_equal(max_pool2d(x), [[6, 5], [3, 4]])
    np.testing.assert_allclose(avg_pool2d(x), [[3.5, 2.0], [1.5, 2.5]])


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1), (2, 1), (3, 2), ((2, 3), None),
                                             ((3, 2), (1, 2))])
def test_pooling_equals_keras(size, stride):
    import keras

    x = RNG.normal(size=(9, 11, 4)).astype(np.float32)
    for ours, layer in [(max_pool2d, keras.layers.MaxPooling2D),
                        (avg_pool2d, keras.layers.AveragePooling2D)]:
        ref = np.asarray(layer(pool_size=size, strides=stride)(x[None]))[0]
        got = ours(x, size, stride)
        assert got.shape == ref.shape
        assert np.abs(got - ref).max() < 1e-6


def test_global_pooling_equals_keras():
    import keras

    x = RNG.normal(size=(7, 7, 16)).astype(np.float32)
    ref = np.asarray(keras.layers.GlobalAveragePooling2D()(x[None]))[0]
    assert global_avg_pool(x).shape == (16,)
    assert np.abs(global_avg_pool(x) - ref).max() < 1e-6
    ref_max = np.asarray(keras.layers.GlobalMaxPooling2D()(x[None]))[0]
    np.testing.assert_allclose(global_max_pool(x), ref_max)


def test_pooling_errors():
    with pytest.raises(ValueError, match="4×4 pooling window is larger than the 3×3 input"):
        max_pool2d(np.ones((3, 3)), 4)
    with pytest.raises(ValueError, match="int or \\(rows, columns\\)"):
        max_pool2d(np.ones((3, 3)), (1, 2, 3))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        avg_pool2d(np.ones((4, 4)), 2, 0)
    with pytest.raises(ValueError, match="H×W×C"):
        global_avg_pool(np.ones((4, 4)))
