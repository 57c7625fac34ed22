"""Configs for the live widgets of book/_static/p2p-widgets.js, made from the Python helpers.

The demo page ``book/_static/p2p-widgets-demo.html`` holds one ``div.p2p-live`` per
widget, each with ``<script type="application/json" class="p2p-config"
id="config-NAME">``. :func:`render_demo` returns that page with the configs
replaced, so a test can load it with real data (a 256×256 photo, say).
``python tests/browser/demo_page.py`` rewrites the committed page's small configs.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "book" / "_static"
DEMO = STATIC / "p2p-widgets-demo.html"
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))


def to_json(config: dict) -> str:
    """JSON safe inside ``<script>``: ``</`` is written ``<\\/``."""
    return json.dumps(config, separators=(",", ":")).replace("</", "<\\/")


def gray_uint8(size: tuple[int, int]) -> np.ndarray:
    """The cat photo (CC0) as grayscale ``uint8``: what the kernel editor's ``pixels`` hold."""
    from utils.widgets._base import gray_sample

    return np.round(gray_sample("cat", size) * 255).astype(np.uint8)


def kernel_editor_config(image: np.ndarray, preset: str = "vertical_edge") -> dict:
    image = np.asarray(image, dtype=np.uint8)
    return {"width": int(image.shape[1]), "height": int(image.shape[0]),
            "pixels": base64.b64encode(image.tobytes()).decode("ascii"), "preset": preset}


def line_image() -> np.ndarray:
    """The stepper's default input (as in utils.widgets.convolution): a bright vertical line."""
    image = np.zeros((8, 8), dtype=np.int64)
    image[:, 3] = 9
    image[:, 4] = 5
    return image


def rgb_patch() -> tuple[np.ndarray, np.ndarray]:
    """A 5×5×3 patch and a 3×3×3 kernel of small ints, as the classic animated demos use."""
    rng = np.random.default_rng(7)
    return rng.integers(0, 3, (5, 5, 3)), rng.integers(-1, 2, (3, 3, 3))


def stepper_config(image: np.ndarray, kernels: dict | None = None, kernel: str | None = None,
                   **extra: object) -> dict:
    config: dict = {"image": np.asarray(image).tolist()}
    if kernels is not None:
        config["kernels"] = {k: np.asarray(v).tolist() for k, v in kernels.items()}
    if kernel is not None:
        config["kernel"] = kernel
    config.update(extra)
    return config


def feature_map(size: tuple[int, int]) -> np.ndarray:
    """ReLU of the cat's Sobel-x response: the pooling explorer's default input (float32)."""
    from utils.activations import relu
    from utils.widgets._base import cat_edges

    return relu(cat_edges(size)).astype(np.float32)


def pooling_config(values: np.ndarray, **extra: object) -> dict:
    values = np.asarray(values, dtype="<f4")
    return {"h": int(values.shape[0]), "w": int(values.shape[1]),
            "values": base64.b64encode(values.tobytes()).decode("ascii"), **extra}


def softmax_config(classes=("cat", "dog", "bird", "fish"), logits=(2.0, 1.0, 0.1, -1.0)) -> dict:
    return {"classes": list(classes), "logits": list(logits), "temperature": 1.0}


def demo_configs(photo: int = 96, pool: tuple[int, int] = (32, 48)) -> dict[str, dict]:
    """One config per widget id in the demo page."""
    patch, kernel3 = rgb_patch()
    return {
        "kernel-editor": kernel_editor_config(gray_uint8((photo, photo))),
        "conv-stepper": stepper_config(line_image(), kernel="vertical_edge"),
        "conv-stepper-rgb": stepper_config(patch, {"random 3×3×3": kernel3}, padding=1, stride=2),
        "pooling-explorer": pooling_config(feature_map(pool)),
        "softmax-explorer": softmax_config(),
    }


def render_demo(configs: dict[str, dict], *, drop_script: bool = False,
                html: str | None = None) -> str:
    """The demo page with ``configs`` (id -> config) put in; ``drop_script`` removes the JS."""
    html = DEMO.read_text(encoding="utf-8") if html is None else html
    for name, config in configs.items():
        pattern = re.compile(r'(<script type="application/json" class="p2p-config" id="config-'
                             + re.escape(name) + r'">).*?(</script>)', re.S)
        html, n = pattern.subn(lambda m: m.group(1) + to_json(config) + m.group(2), html)
        if n != 1:
            raise ValueError(f"the demo page has {n} configs with id config-{name}")
    if drop_script:
        html, n = re.subn(r'<script src="p2p-widgets\.js"></script>', "", html)
        assert n == 1, "the demo page must load p2p-widgets.js once"
    return html


if __name__ == "__main__":
    DEMO.write_text(render_demo(demo_configs()), encoding="utf-8")
    print(f"wrote {DEMO.relative_to(ROOT)} ({DEMO.stat().st_size:,} bytes)")
