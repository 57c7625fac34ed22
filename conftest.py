"""Root pytest configuration, shared by the unit tests and nbval's notebook runs.

Set before any kernel starts, so nbval's kernels inherit it: TensorFlow's
C++ log lines would otherwise make notebook outputs unstable.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")
