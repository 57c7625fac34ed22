"""utils.kernels: the named kernels are well-formed; errors say what to pass."""

from __future__ import annotations

import numpy as np
import pytest

from utils.kernels import circle_kernel, gaussian_kernel, get_kernel, list_kernels


@pytest.mark.parametrize("name", list_kernels())
def test_named_kernels(name):
    k = get_kernel(name)
    assert k.dtype == np.float32 and k.shape[0] == k.shape[1] and k.shape[0] % 2 == 1
    if name in ("box_blur", "gaussian_blur", "identity", "sharpen"):
        assert abs(k.sum() - 1) < 1e-6  # keep overall brightness
    if "edge" in name or "sobel" in name or name in ("laplacian", "circle"):
        assert abs(k.sum()) < 1e-5  # flat areas give 0
    k[0, 0] = 99
    assert get_kernel(name)[0, 0] != 99  # a fresh copy each time


def test_kernel_errors():
    with pytest.raises(ValueError, match="No kernel called 'blurry'"):
        get_kernel("blurry")
    with pytest.raises(ValueError, match="odd"):
        gaussian_kernel(4)
    with pytest.raises(ValueError, match="odd"):
        circle_kernel(6)
    with pytest.raises(ValueError, match="sigma"):
        gaussian_kernel(3, 0)
