"""utils.preprocess: float conversion, min-max normalisation, grayscale, resize."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import rgb2gray

from utils.preprocess import minmax_normalize, resize, to_float, to_grayscale


@pytest.fixture
def rgb():
    return np.random.default_rng(0).integers(10, 240, (12, 16, 3), dtype=np.uint8)


def test_to_float_divides_by_dtype_maximum(rgb):
    out = to_float(rgb)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, rgb / 255.0, atol=1e-7)
    np.testing.assert_allclose(to_float(np.array([[0, 65535]], dtype=np.uint16)), [[0.0, 1.0]])


def test_to_float_rejects_out_of_range_floats_and_negative_ints():
    with pytest.raises(ValueError, match=r"already be in \[0, 1\].*minmax_normalize"):
        to_float(np.array([[0.0, 2.0]]))
    with pytest.raises(ValueError, match="negative"):
        to_float(np.array([[-1, 3]]))


def test_minmax_normalize_maps_min_to_0_and_max_to_1(rgb):
    out = minmax_normalize(rgb)
    assert out.dtype == np.float32
    assert out.min() == 0.0 and out.max() == 1.0
    x = rgb.astype(np.float64)
    np.testing.assert_allclose(out, (x - x.min()) / (x.max() - x.min()), atol=1e-6)


def test_minmax_normalize_constant_image_is_zeros():
    np.testing.assert_array_equal(minmax_normalize(np.full((3, 3), 7, np.uint8)), np.zeros((3, 3)))


def test_grayscale_matches_skimage_and_bt709_weights(rgb):
    out = to_grayscale(rgb)
    assert out.shape == rgb.shape[:2] and out.dtype == np.float32
    np.testing.assert_allclose(out, rgb2gray(rgb), atol=1e-6)
    by_hand = (rgb / 255.0) @ np.array([0.2125, 0.7154, 0.0721])
    np.testing.assert_allclose(out, by_hand, atol=1e-6)


def test_grayscale_of_2d_and_single_channel():
    g = np.array([[0, 255]], dtype=np.uint8)
    np.testing.assert_allclose(to_grayscale(g), [[0.0, 1.0]])
    np.testing.assert_allclose(to_grayscale(g[..., None]), [[0.0, 1.0]])


def test_resize_shape_dtype_and_constant_preserved(rgb):
    out = resize(rgb, (224, 224))
    assert out.shape == (224, 224, 3) and out.dtype == np.uint8
    flat = np.full((50, 80, 3), 123, dtype=np.uint8)
    np.testing.assert_array_equal(resize(flat, 20), np.full((20, 20, 3), 123, dtype=np.uint8))
    f = resize(rgb.astype(np.float32) / 255, (6, 8))
    assert f.dtype == np.float32 and f.shape == (6, 8, 3)
    assert resize(np.eye(8, dtype=bool), 4).dtype == bool


def test_resize_rejects_bad_sizes(rgb):
    with pytest.raises(TypeError, match=r"\(height, width\)"):
        resize(rgb, (1, 2, 3))
    with pytest.raises(ValueError, match="at least 1"):
        resize(rgb, (0, 10))
    with pytest.raises(TypeError, match="integer"):
        resize(rgb, (2.5, 10))


def test_helpers_reject_non_images():
    with pytest.raises(TypeError, match="numpy array"):
        to_float("cat.jpg")
    with pytest.raises(ValueError, match="looks like a batch"):
        to_grayscale(np.zeros((2, 4, 4, 3), np.uint8))


def test_photo_to_input_is_the_one_path_for_photos():
    from PIL import Image

    from utils.preprocess import photo_to_input, resize

    rng = np.random.default_rng(0)
    photo = rng.integers(0, 256, (300, 451, 3), dtype=np.uint8)
    out = photo_to_input(photo, (224, 224))
    assert out.shape == (224, 224, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, resize(photo, (224, 224)))
    # Pillow's bilinear filter, widened when shrinking (anti-aliasing): not a point sample
    np.testing.assert_array_equal(out, np.asarray(Image.fromarray(photo).resize((224, 224), Image.BILINEAR)))
    gray = photo[..., 0]
    np.testing.assert_array_equal(photo_to_input(gray, 64), np.repeat(resize(gray, 64)[..., None], 3, -1))
    unit = photo.astype(np.float32) / 255
    assert np.abs(photo_to_input(unit, 32).astype(int) - photo_to_input(photo, 32)).max() <= 1
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        photo_to_input(photo.astype(np.float32), 32)


def test_resize_keeps_dtype_and_range_for_every_kind_of_image():
    from utils.preprocess import resize

    rng = np.random.default_rng(1)
    for image in (rng.random((40, 30), dtype=np.float32), rng.random((40, 30, 3)),
                  rng.integers(0, 65536, (40, 30), dtype=np.uint16), rng.random((40, 30)) > 0.5,
                  rng.integers(0, 256, (40, 30, 1), dtype=np.uint8)):
        out = resize(image, (20, 15))
        assert out.dtype == image.dtype and out.shape == (20, 15) + image.shape[2:]
        if image.dtype != bool:
            assert image.min() - 1e-6 <= out.min() and out.max() <= image.max() + 1e-6


@pytest.mark.parametrize("call", [
    lambda p: p.photo_to_input(np.zeros((40, 30), np.uint8), 16),
    lambda p: p.resize(np.zeros((40, 30, 3), np.uint8), 16),
    lambda p: p.to_grayscale(np.zeros((40, 30, 3), np.uint8)),
])
def test_each_call_checks_its_image_once(call, monkeypatch):
    import utils.preprocess as p

    calls = []
    real = p.check_image
    monkeypatch.setattr(p, "check_image", lambda *a, **k: calls.append(1) or real(*a, **k))
    call(p)
    assert len(calls) == 1
