"""utils.widgets.features: the feature-map explorer."""

from __future__ import annotations

from figure_view import panel, shown

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


def test_feature_map_explorer_switches_layers_and_channels():
    from utils.widgets import FeatureMapExplorer

    rng = np.random.default_rng(0)
    maps = {"early": rng.random((8, 8, 4)), "deep": rng.random((2, 2, 16))}
    ex = FeatureMapExplorer(np.zeros((16, 16, 3), np.uint8), maps)
    ex.channel.value = 3
    np.testing.assert_array_equal(ex.current, maps["early"][..., 3])
    ex.layer.value = "deep"
    assert ex.channel.max == 15
    ex.channel.value = 12
    np.testing.assert_array_equal(shown(panel(ex, "deep")), maps["deep"][..., 12])
    assert "channel 12 of 16" in panel(ex, "deep").get_title()
    with pytest.raises(ValueError, match="maps is empty"):
        FeatureMapExplorer(np.zeros((4, 4, 3), np.uint8), {})
