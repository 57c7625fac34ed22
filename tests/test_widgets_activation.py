"""utils.widgets.activation: the ReLU explorer."""

from __future__ import annotations

from figure_view import shown

import base64
import io
import numpy as np
import pytest
from PIL import Image
from utils.widgets import PixelInspector, render_png
from utils.conv import conv2d
from utils.kernels import get_kernel
from utils.pooling import avg_pool2d, max_pool2d
from utils.preprocess import minmax_normalize
from utils.widgets import (
    ConvolutionStepper,
    KernelEditor,
    PoolingExplorer,
    ReluExplorer,
    StridePaddingExplorer,
)
import ipywidgets
from IPython.core.formatters import DisplayFormatter
from utils.widgets import (
    FeatureMapExplorer,
    PhotoClassifier,
    SoftmaxExplorer,
    widget_view,
)


def test_relu_explorer_bias_zeroes_negatives():
    resp = np.linspace(-1, 1, 100, dtype=np.float32).reshape(10, 10)
    ex = ReluExplorer(resp)
    assert ex.fraction_zero == 0.5
    ex.bias.value = -0.5
    np.testing.assert_allclose(ex.post, np.maximum(resp - 0.5, 0), atol=1e-6)
    assert ex.fraction_zero == pytest.approx(0.75, abs=0.01)
    np.testing.assert_allclose(shown(ex.figure.axes[1]), ex.post)   # the right panel: after ReLU
