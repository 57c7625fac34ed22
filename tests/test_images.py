"""utils.images: loading photos from paths, bytes and files, with clear errors."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from utils.images import ImageLoadError, load_image


def _png_bytes(array: np.ndarray, mode: str | None = None, **save) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, format="png", **save) if mode else \
        Image.fromarray(array).save(buf, format="png", **save)
    return buf.getvalue()


def _jpeg_bytes(shape=(64, 96, 3)) -> bytes:
    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8)).save(buf, format="jpeg")
    return buf.getvalue()


def _huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width×height, built row by row (a few hundred KB on disk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


# --- the three failures the course promises clear errors for -----------------------------

def test_truncated_jpeg_gives_one_clear_error(tmp_path):
    path = tmp_path / "photo.jpg"
    data = _jpeg_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageLoadError, match=r"corrupt or truncated.*Download or export"):
        load_image(path)


def test_text_file_named_png_gives_one_clear_error(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("These are my lecture notes, not a picture.\n")
    with pytest.raises(ImageLoadError, match=r"is text, not an image.*extension does not make"):
        load_image(path)


def test_20000_by_20000_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(_huge_png(20_000, 20_000))
    assert path.stat().st_size < 5_000_000  # small file, enormous image: a decompression bomb
    with pytest.raises(ImageLoadError, match=r"too large|megapixels"):
        load_image(path)


def test_image_over_our_pixel_limit_names_size_and_fix():
    data = _huge_png(5000, 5000)  # 25 MP: under Pillow's own limit, over the one we pass
    with pytest.raises(ImageLoadError, match=r"5000×5000 = 25 megapixels.*max_pixels"):
        load_image(data, max_pixels=10_000_000)


# --- what is handled ---------------------------------------------------------------------

def test_rgb_png_round_trips_exactly(tmp_path):
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = tmp_path / "a.png"
    path.write_bytes(_png_bytes(arr))
    out = load_image(path)
    assert out.dtype == np.uint8 and out.shape == (20, 30, 3)
    np.testing.assert_array_equal(out, arr)


@pytest.mark.parametrize("source_type", ["path", "str", "bytes", "memoryview", "file"])
def test_every_source_type_loads(tmp_path, source_type):
    data = _jpeg_bytes((10, 12, 3))
    path = tmp_path / "x.jpg"
    path.write_bytes(data)
    source = {"path": path, "str": str(path), "bytes": data, "memoryview": memoryview(data),
              "file": io.BytesIO(data)}[source_type]
    assert load_image(source).shape == (10, 12, 3)


def test_grayscale_becomes_three_equal_channels():
    gray = np.arange(0, 200, dtype=np.uint8).reshape(10, 20)
    out = load_image(_png_bytes(gray))
    assert out.shape == (10, 20, 3)
    for c in range(3):
        np.testing.assert_array_equal(out[..., c], gray)


def test_mode_l_returns_two_dimensional_array():
    rgb = np.zeros((4, 5, 3), dtype=np.uint8)
    rgb[..., 1] = 255
    out = load_image(_png_bytes(rgb), mode="L")
    assert out.shape == (4, 5) and out.dtype == np.uint8
    assert out[0, 0] == 150  # Pillow's ITU-R 601 luma of pure green: 0.587 * 255


def test_rgba_is_flattened_onto_white():
    rgba = np.zeros((2, 2, 4), dtype=np.uint8)
    rgba[0, 0] = [255, 0, 0, 255]  # opaque red stays red
    rgba[1, 1] = [0, 0, 0, 0]  # fully transparent becomes white
    out = load_image(_png_bytes(rgba))
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[0, 0], [255, 0, 0])
    np.testing.assert_array_equal(out[1, 1], [255, 255, 255])


def test_16_bit_grayscale_is_scaled_to_8_bit():
    arr16 = np.array([[0, 257 * 100, 65535]], dtype=np.uint16)
    buf = io.BytesIO()
    Image.fromarray(arr16).save(buf, format="png")
    out = load_image(buf.getvalue(), mode="L")
    np.testing.assert_array_equal(out, [[0, 100, 255]])


def test_palette_and_cmyk_images_convert_to_rgb():
    rgb = np.full((3, 3, 3), [10, 200, 30], dtype=np.uint8)
    pal = io.BytesIO()
    Image.fromarray(rgb).convert("P").save(pal, format="png")
    assert load_image(pal.getvalue()).shape == (3, 3, 3)
    cmyk = io.BytesIO()
    Image.fromarray(rgb).convert("CMYK").save(cmyk, format="jpeg")
    assert load_image(cmyk.getvalue()).shape == (3, 3, 3)


def test_exif_orientation_is_applied():
    arr = np.zeros((10, 20, 3), dtype=np.uint8)  # 10 rows, 20 columns
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    buf = io.BytesIO()
    img.save(buf, format="jpeg", exif=exif)
    assert load_image(buf.getvalue()).shape == (20, 10, 3)


# --- what is rejected, and how -----------------------------------------------------------

def test_float_tiff_is_rejected_with_what_to_pass_instead():
    buf = io.BytesIO()
    Image.fromarray(np.ones((4, 4), dtype=np.float32)).save(buf, format="tiff")
    with pytest.raises(ImageLoadError, match=r"floating-point.*8- or 16-bit"):
        load_image(buf.getvalue())


def test_missing_file_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No file at .*nothere\.jpg"):
        load_image(tmp_path / "nothere.jpg")


def test_folder_is_rejected(tmp_path):
    with pytest.raises(ImageLoadError, match="is a folder"):
        load_image(tmp_path)


def test_empty_upload_is_rejected():
    with pytest.raises(ImageLoadError, match=r"empty \(0 bytes\)"):
        load_image(b"")


def test_file_over_byte_limit_is_rejected_before_reading(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(b"\xff" * 2000)
    with pytest.raises(ImageLoadError, match=r"MB limit.*max_bytes"):
        load_image(path, max_bytes=1000)
    with pytest.raises(ImageLoadError, match=r"MB limit"):
        load_image(b"\xff" * 2000, max_bytes=1000)


def test_random_binary_is_not_an_image():
    with pytest.raises(ImageLoadError, match="not an image format"):
        load_image(bytes(range(256)) * 4)


def test_unsupported_source_type_and_mode():
    with pytest.raises(TypeError, match="file path, the bytes"):
        load_image(12345)
    with pytest.raises(ValueError, match="'RGB'.*'L'"):
        load_image(_jpeg_bytes(), mode="CMYK")


def test_jpeg_cut_inside_its_header_is_a_clear_error():
    with pytest.raises(ImageLoadError, match="corrupt or truncated"):
        load_image(_jpeg_bytes()[:300])
