"""utils.widgets.features: the feature-map explorer."""

from __future__ import annotations

import numpy as np
import pytest

from figure_view import panel, shown
from utils.widgets import FeatureMapExplorer


def test_feature_map_explorer_switches_layers_and_channels():

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
