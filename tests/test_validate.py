"""utils._validate: the shared input checks and their messages."""

from __future__ import annotations

import numpy as np
import pytest

from utils._validate import check_image, check_in_range, check_positive_int


def test_accepts_gray_and_rgb_and_converts_lists():
    assert check_image(np.zeros((2, 3), np.uint8)).shape == (2, 3)
    assert check_image(np.zeros((2, 3, 3), np.float32)).shape == (2, 3, 3)
    assert isinstance(check_image([[1, 2], [3, 4]]), np.ndarray)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.zeros((3, 8, 8)), "channels-first"),
        (np.zeros((8, 8, 4)), "alpha channel"),
        (np.zeros((2, 8, 8, 3)), "batch"),
        (np.zeros(5), r"got shape \(5,\)"),
        (np.zeros((0, 4)), "empty"),
        (np.array([[np.nan, 1.0]]), "NaN"),
    ],
)
def test_bad_arrays_say_what_to_pass_instead(array, message):
    with pytest.raises(ValueError, match=message):
        check_image(array)


def test_wrong_types():
    with pytest.raises(TypeError, match=r"load_image\(path\)"):
        check_image("cat.png")
    with pytest.raises(TypeError, match="numeric dtype"):
        check_image(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="must hold integers"):
        check_image(np.zeros((2, 2)), allow_float=False)


def test_positive_int_and_range():
    assert check_positive_int(np.int64(3), name="n") == 3
    with pytest.raises(TypeError, match="integer"):
        check_positive_int(True, name="n")
    with pytest.raises(ValueError, match="at least 2"):
        check_positive_int(1, name="n", minimum=2)
    assert check_in_range(0.5, name="x", low=0, high=1) == 0.5
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_in_range(2, name="x", low=0, high=1)
