"""Checking learners' answers to exercises, with feedback that says what differs.

``check(name, answer, expected)`` prints a one-line verdict and returns
``True``/``False``; it never raises on a wrong answer, so "Run all" keeps
going. An unanswered exercise (``answer`` left as ``...`` or ``None``) is
reported as such. Solution cells write ``assert check(...)`` so that
running the notebook proves every solution right.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check", "check_array"]


def _differs(answer: object, expected: object, rtol: float, atol: float) -> str | None:
    """Return why ``answer`` is not ``expected``, or ``None`` if they match."""
    if isinstance(expected, np.ndarray) or isinstance(answer, np.ndarray):
        got, want = np.asarray(answer), np.asarray(expected)
        if got.shape != want.shape:
            return f"expected shape {want.shape}, got shape {got.shape}"
        if want.dtype.kind in "ui" and got.dtype != want.dtype:
            return f"expected dtype {want.dtype}, got {got.dtype}"
        if got.dtype.kind not in "uifb":
            return f"expected numbers, got dtype {got.dtype}"
        close = np.isclose(got, want, rtol=rtol, atol=atol)
        if not close.all():
            where = tuple(int(i) for i in np.argwhere(~close)[0])
            return (f"{int((~close).sum())} of {close.size} values differ, "
                    f"first at index {where}: expected {want[where]}, got {got[where]}")
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            return f"expected {expected!r}, got {answer!r}"
        for i, (a, e) in enumerate(zip(answer, expected)):
            why = _differs(a, e, rtol, atol)
            if why:
                return f"item {i}: {why}"
        return None
    if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        if not isinstance(answer, (int, float, np.number)) or isinstance(answer, bool):
            return f"expected a number, got {answer!r}"
        return None if np.isclose(answer, expected, rtol=rtol, atol=atol) else (
            f"expected {expected}, got {answer}")
    return None if answer == expected else f"expected {expected!r}, got {answer!r}"


def check(
    name: str, answer: object, expected: object, *, rtol: float = 1e-6, atol: float = 1e-8
) -> bool:
    """Compare ``answer`` to ``expected``, print a verdict and return whether it is right.

    Arrays are compared by shape, integer dtype and values (within
    ``rtol``/``atol`` for floats); numbers within the same tolerances;
    tuples and lists item by item; anything else with ``==``.
    """
    if answer is None or answer is Ellipsis:
        print(f"⏳ {name}: not answered yet — replace the ... and run the cell again.")
        return False
    why = _differs(answer, expected, rtol, atol)
    if why is None:
        print(f"✅ {name}: correct!")
        return True
    print(f"❌ {name}: not quite — {why}.")
    return False


def check_array(
    name: str,
    answer: object,
    *,
    shape: tuple[int, ...],
    dtype: str | np.dtype | None = None,
    values: dict[tuple[int, ...], object] | None = None,
    atol: float = 1e-6,
) -> bool:
    """Check an array answer by its shape, dtype and a few known entries; print a verdict.

    ``values`` maps an index to the value expected there, e.g.
    ``{(110, 175): [196, 206, 205]}``, so the check does not give away the
    whole answer.
    """
    if answer is None or answer is Ellipsis:
        print(f"⏳ {name}: not answered yet — replace the ... and run the cell again.")
        return False
    if not isinstance(answer, np.ndarray):
        print(f"❌ {name}: not quite — expected a numpy array, got a {type(answer).__name__}.")
        return False
    why = None
    if answer.shape != tuple(shape):
        why = f"expected shape {tuple(shape)}, got {answer.shape}"
    elif dtype is not None and answer.dtype != np.dtype(dtype):
        why = f"expected dtype {np.dtype(dtype)}, got {answer.dtype}"
    else:
        for index, want in (values or {}).items():
            got = answer[index]
            if not np.allclose(got, want, atol=atol):
                why = f"at index {index} expected {np.asarray(want)}, got {got}"
                break
    if why is None:
        print(f"✅ {name}: correct!")
        return True
    print(f"❌ {name}: not quite — {why}.")
    return False
