"""Loading photos from files and uploads, with errors a learner can act on.

Everything comes back as an ``H×W×3`` ``uint8`` array (or ``H×W`` for
``mode="L"``): the form the course starts from, whatever the file held.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import BinaryIO, Literal, Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["ImageLoadError", "load_image", "MAX_PIXELS", "MAX_BYTES"]

#: Largest image accepted by default: 40 megapixels (a high-end phone photo is ~12-50 MP).
MAX_PIXELS = 40_000_000
#: Largest file accepted by default: 50 MB.
MAX_BYTES = 50_000_000

ImageSource = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO]

_SUPPORTED = "JPEG, PNG, GIF, BMP, TIFF or WebP"


class ImageLoadError(ValueError):
    """A file or upload could not be turned into an image array.

    Examples
    --------
    >>> issubclass(ImageLoadError, ValueError)   # catch either
    True
    """


def _read_bytes(source: ImageSource, max_bytes: int) -> tuple[bytes, str]:
    """Return the raw bytes of ``source`` and a name to use in messages."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, label = bytes(source), "the uploaded data"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = f"'{path}'"
        if not path.exists():
            raise FileNotFoundError(f"No file at {label}. Check the path (relative to {Path.cwd()}).")
        if path.is_dir():
            raise ImageLoadError(f"{label} is a folder; pass the path of one image file in it.")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageLoadError(
                f"{label} is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB limit. "
                "Pass a smaller photo (resize or re-export it), or raise max_bytes."
            )
        data = path.read_bytes()
    elif hasattr(source, "read"):
        data, label = source.read(max_bytes + 1), "the file object"
    else:
        raise TypeError(
            f"Cannot load an image from a {type(source).__name__}; pass a file path, "
            "the bytes of a file, or an open binary file."
        )
    if len(data) > max_bytes:
        raise ImageLoadError(
            f"{label} is larger than the {max_bytes / 1e6:.0f} MB limit. "
            "Pass a smaller photo (resize or re-export it), or raise max_bytes."
        )
    if not data:
        raise ImageLoadError(f"{label} is empty (0 bytes); pass a {_SUPPORTED} file.")
    return data, label


def _corrupt(label: str, err: BaseException) -> ImageLoadError:
    return ImageLoadError(
        f"{label} is corrupt or truncated ({err}). "
        "Download or export the image again and pass the complete file."
    )


def _open(data: bytes, label: str, max_pixels: int) -> Image.Image:
    """Open and fully decode ``data`` with Pillow, translating its errors."""
    try:
        with warnings.catch_warnings():
            # Our own max_pixels check below replaces Pillow's bomb warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        start = data[:64]
        looks_text = all(32 <= b < 127 or b in b"\t\r\n" for b in start)
        what = "text, not an image" if looks_text else "not an image format Pillow can read"
        raise ImageLoadError(
            f"{label} is {what}. Pass a {_SUPPORTED} file "
            "(a file's extension does not make it an image)."
        ) from None
    except Image.DecompressionBombError as err:
        raise ImageLoadError(
            f"{label} is too large to decode safely ({err}). "
            "Pass a smaller image (e.g. at most 4000×4000 pixels)."
        ) from None
    except (OSError, SyntaxError, ValueError) as err:  # header itself cut short or damaged
        raise _corrupt(label, err) from None

    width, height = img.size
    if width * height > max_pixels:
        raise ImageLoadError(
            f"{label} is {width}×{height} = {width * height / 1e6:.0f} megapixels, more than the "
            f"{max_pixels / 1e6:.0f} MP limit (decoding it could exhaust memory). "
            "Pass a smaller image (resize it first), or raise max_pixels if you really mean it."
        )
    try:
        img.load()
    except (OSError, SyntaxError, ValueError) as err:  # pixel data cut short or damaged
        raise _corrupt(label, err) from None
    return img


def _to_mode(img: Image.Image, mode: str, label: str) -> Image.Image:
    """Convert any Pillow image mode to 8-bit ``RGB`` or ``L``."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit (or 32-bit integer) grayscale: scale the full range down to 0-255.
        arr = np.asarray(img, dtype=np.float64)
        peak = 65535.0 if img.mode.startswith("I;16") or arr.max() <= 65535 else float(arr.max())
        img = Image.fromarray(np.clip(np.round(arr / peak * 255), 0, 255).astype(np.uint8))
    elif img.mode == "F":
        raise ImageLoadError(
            f"{label} holds 32-bit floating-point pixels, which have no standard 0-255 scale. "
            "Export it as an 8- or 16-bit PNG or TIFF and pass that."
        )
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Flatten transparency onto white, as a browser shows it.
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    return img.convert(mode)


def load_image(
    source: ImageSource,
    *,
    mode: Literal["RGB", "L"] = "RGB",
    max_pixels: int = MAX_PIXELS,
    max_bytes: int = MAX_BYTES,
) -> np.ndarray:
    """Load a photo as a ``uint8`` array: ``H×W×3`` for ``mode="RGB"``, ``H×W`` for ``"L"``.

    ``source`` is a file path, the bytes of a file (e.g. from an upload
    widget), or an open binary file. The EXIF orientation is applied;
    transparency is flattened onto white; grayscale, palette, CMYK and
    16-bit images are converted. Raises ``FileNotFoundError`` for a missing
    path and :class:`ImageLoadError` for a file that is not an image, is
    corrupt or truncated, or is larger than ``max_pixels`` / ``max_bytes``.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("L", (4, 3), 128).save(buffer, format="png")
    >>> load_image(buffer.getvalue()).shape   # gray becomes RGB
    (3, 4, 3)
    """
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be 'RGB' (colour) or 'L' (grayscale), got {mode!r}.")
    data, label = _read_bytes(source, max_bytes)
    img = _open(data, label, max_pixels)
    img = ImageOps.exif_transpose(img)
    img = _to_mode(img, mode, label)
    return np.asarray(img, dtype=np.uint8).copy()
