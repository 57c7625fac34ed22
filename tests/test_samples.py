"""utils.samples: bundled photos, no download."""

from __future__ import annotations

import numpy as np
import pytest

from utils.samples import SAMPLES, list_samples, load_sample


@pytest.mark.parametrize("name", list_samples())
def test_every_sample_is_rgb_uint8_with_credit(name):
    image = load_sample(name)
    assert image.ndim == 3 and image.shape[-1] == 3 and image.dtype == np.uint8
    assert image.flags.c_contiguous
    assert SAMPLES[name].licence and SAMPLES[name].source


def test_cat_is_chelsea_and_copies_are_independent():
    cat = load_sample("cat")
    assert cat.shape == (300, 451, 3)
    cat[:] = 0
    assert load_sample("cat").max() == 231


def test_unknown_sample_lists_the_choices():
    with pytest.raises(ValueError, match=r"No sample called 'dog'.*cat"):
        load_sample("dog")
