"""Checking learners' answers to exercises, with feedback that says what differs.

``check(name, answer, expected)`` prints a one-line verdict and returns
``True``/``False``; it never raises on a wrong answer, so "Run all" keeps
going. An unanswered exercise (``answer`` left as ``...`` or ``None``) is
reported as such. Solution cells write ``assert check(...)`` so that
running the notebook proves every solution right.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Verdict", "check", "check_array"]


class Verdict:
    """Whether an answer is right: true or false like a ``bool``, but shows nothing in Jupyter.

    The check has already printed its verdict; a bare ``True``/``False`` under it
    would only repeat it (and, on the book's pages, show up as a stray ``False``).
    """

    __slots__ = ("correct",)

    def __init__(self, correct: bool) -> None:
        self.correct = bool(correct)

    def __bool__(self) -> bool:
        return self.correct

    def __eq__(self, other: object) -> bool:
        return bool(self) == other if isinstance(other, (bool, Verdict)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.correct)

    def __repr__(self) -> str:
        return f"Verdict(correct={self.correct})"

    def _ipython_display_(self) -> None:
        """Display nothing: the verdict line is already printed."""


def _report(name: str, why: str | None) -> Verdict:
    """Print the verdict for ``name`` (``why`` is what differs, ``None`` if right)."""
    if why is None:
        print(f"✅ {name}: correct!")
        return Verdict(True)
    print(f"❌ {name}: not quite — {why}.")
    return Verdict(False)


def _unanswered(name: str) -> Verdict:
    print(f"⏳ {name}: not answered yet — replace the ... and run the cell again.")
    return Verdict(False)


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
) -> Verdict:
    """Compare ``answer`` to ``expected``, print a verdict and return whether it is right.

    Arrays are compared by shape, integer dtype and values (within
    ``rtol``/``atol`` for floats); numbers within the same tolerances;
    tuples and lists item by item; anything else with ``==``.
    """
    if answer is None or answer is Ellipsis:
        return _unanswered(name)
    return _report(name, _differs(answer, expected, rtol, atol))


def check_array(
    name: str,
    answer: object,
    *,
    shape: tuple[int, ...],
    dtype: str | np.dtype | None = None,
    values: dict[tuple[int, ...], object] | None = None,
    atol: float = 1e-6,
) -> Verdict:
    """Check an array answer by its shape, dtype and a few known entries; print a verdict.

    ``values`` maps an index to the value expected there, e.g.
    ``{(110, 175): [196, 206, 205]}``, so the check does not give away the
    whole answer.
    """
    if answer is None or answer is Ellipsis:
        return _unanswered(name)
    if not isinstance(answer, np.ndarray):
        return _report(name, f"expected a numpy array, got a {type(answer).__name__}")
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
    return _report(name, why)
