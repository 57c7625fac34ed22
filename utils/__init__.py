"""Helpers for the *Pixels to Probabilities* course.

The package does the plumbing (loading photos, plotting, widgets) so that the
notebooks can spend their cells on the ideas. Modules are small and named by
topic; import what a chapter needs, e.g. ``from utils import images, plotting``.

TensorFlow is never imported here: chapters that do not need it stay light.
"""

from __future__ import annotations

from utils.images import ImageLoadError, load_image
from utils.preprocess import minmax_normalize, photo_to_input, resize, to_float, to_grayscale
from utils.samples import list_samples, load_sample

__all__ = [
    "ImageLoadError",
    "list_samples",
    "load_image",
    "load_sample",
    "minmax_normalize",
    "photo_to_input",
    "resize",
    "to_float",
    "to_grayscale",
]

__version__ = "0.4.0"
