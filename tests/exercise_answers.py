"""The plain answers of the chapters' exercises, for the tests (never shown on the pages).

Each entry: the answer (``None`` where the check compares with a reference computation
or a behaviour, so there is no single value), the significant ``digits`` its fingerprint
uses, and ``shown``, the ways the answer could be written on a page, which must not appear
in a check cell or before the reader opens the solution.
"""

from __future__ import annotations

import re

ANSWERS: dict[tuple[str, str], dict] = {
    ("01_pixels", "Exercise 1"): {"value": 23.73046875, "digits": 4, "shown": ["23.73", "23.7305"]},
    ("01_pixels", "Exercise 2"): {"value": None, "shown": ["255 - cat", "255-cat"]},
    ("01_pixels", "Exercise 3"): {"value": None, "shown": ["cat[:, ::-1]", "cat[:,::-1]"]},
    ("02_convolution", "Exercise 1"): {"value": 112, "shown": ["112"]},
    ("02_convolution", "Exercise 2"): {"value": None, "shown": ["vertical_line.T"]},
    ("02_convolution", "Exercise 3"): {"value": 448, "shown": ["448"]},
    ("02_convolution", "Exercise 4"): {"value": None, "shown": ["np.pad(image, padding)"]},
    ("03_relu", "Exercise 1"): {"value": None, "shown": ["scores * (scores > 0)"]},
    ("03_relu", "Exercise 2"): {"value": 0.8180857354028086, "digits": 3, "shown": ["0.818", "0.8181", "82%"]},
    ("03_relu", "Exercise 3"): {"value": -0.4, "digits": 6, "shown": ["-0.4", "−0.4"]},
    ("04_pooling", "Exercise 1"): {"value": (112, 112, 64), "shown": ["(112, 112, 64)", "112×112×64", "112"]},
    ("04_pooling", "Exercise 2"): {"value": None, "shown": ["[[14 17]", "[[14, 17]"]},
    ("04_pooling", "Exercise 3"): {"value": 0, "shown": ["0"]},
    ("05_dense_softmax_learning", "Exercise 1"): {"value": 401_536, "shown": ["401536", "401,536", "401_536"]},
    ("05_dense_softmax_learning", "Exercise 2"): {"value": None, "shown": ["0.8438", "0.844"]},
    ("05_dense_softmax_learning", "Exercise 3"): {"value": 1.3862943611198906, "digits": 4, "shown": ["1.386", "1.3863"]},
    ("05_dense_softmax_learning", "Exercise 4"): {"value": None, "shown": ["(p - t) / len(p)"]},
    ("06_training_a_cnn", "Exercise 1"): {"value": None, "shown": []},  # trained by the learner
    ("07_pretrained_features", "Exercise 1"): {"value": (5, 5, 1280), "shown": ["(5, 5, 1280)", "5×5×1280"]},
    ("07_pretrained_features", "Exercise 2"): {"value": 432, "shown": ["432"]},
    ("07_pretrained_features", "Exercise 3"): {"value": 281, "shown": ["281"]},
    ("07_pretrained_features", "Exercise 4"): {"value": None, "shown": ["(59, 59)"]},
    ("08_transfer_learning", "Exercise 1"): {"value": 6405, "shown": ["6405", "6,405"]},
    ("08_transfer_learning", "Exercise 2"): {"value": None, "shown": []},  # depends on the training run
    ("08_transfer_learning", "Exercise 3"): {"value": False, "shown": ["False"]},
    ("08_transfer_learning", "Exercise 4"): {"value": 405440, "shown": ["405440", "405,440"]},
    ("08_transfer_learning", "Exercise 5"): {"value": None, "shown": []},  # depends on the training run
    ("09_when_cnns_fail", "Exercise 1"): {"value": None, "shown": []},  # depends on the training run
    ("09_when_cnns_fail", "Exercise 2"): {"value": None, "shown": []},  # depends on the learner's marker
    ("09_when_cnns_fail", "Exercise 3"): {"value": None, "shown": ["np.quantile(distance_val, 0.95)"]},
}


def shows(text: str, rendering: str) -> bool:
    """Whether ``rendering`` stands in ``text`` as a value (not inside a longer number or name).

    Fingerprints (``hashed("number:1b61...")``) are not values: strip them first with
    :data:`HASHED`.
    """
    return re.search(rf"(?<![\w.]){re.escape(rendering)}(?![\w]|\.\d)", text) is not None


#: A fingerprint in a check cell, with its optional ``digits``.
HASHED = re.compile(r'hashed\("([^"]+)"(?:,\s*digits=(\d+))?\)')
