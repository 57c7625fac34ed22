"""Checking learners' answers to exercises without ever showing the expected answer.

``check(name, answer, expected)`` prints a one-line verdict and returns a
:class:`Verdict`; it never raises on a wrong answer, so "Run all" keeps going.
An unanswered exercise (``answer`` left as ``...`` or ``None``, or a tuple
of them) is reported as such. ``expected`` is either a *reference computation* (the course's helper
or a Keras layer computing the same thing, e.g. ``relu(scores)``) or a
*fingerprint* made with :func:`fingerprint` and wrapped in :func:`hashed`, so
that the check cell on the page never contains the answer itself. The
feedback says what kind of value was expected and what differs (type, shape,
which item) but never prints the expected value.

Solution cells write ``assert check(...)`` so that running the notebook
proves every solution right.
"""

from __future__ import annotations

import hashlib
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["Hashed", "Verdict", "check", "fingerprint", "hashed"]

_SALT = "pixels-to-probabilities/exercises"


class Verdict:
    """Whether an answer is right: true or false like a ``bool``, but shows nothing in Jupyter.

    The check has already printed its verdict; a bare ``True``/``False`` under it
    would only repeat it (and, on the book's pages, show up as a stray ``False``).

    Examples
    --------
    >>> v = check("Exercise 1", 6, 2 * 3)
    ✅ Exercise 1: correct!
    >>> bool(v)
    True
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


@dataclass(frozen=True)
class Hashed:
    """An expected answer known only by its fingerprint (see :func:`fingerprint`).

    Examples
    --------
    >>> hashed(fingerprint(42)).kind
    'number'
    """

    value: str
    digits: int | None = None

    @property
    def kind(self) -> str:
        """What kind of value the answer is, e.g. ``"number"`` or ``"tuple-3"``."""
        return self.value.rsplit(":", 1)[0]


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _kind(value: object) -> str:
    """The fingerprint's kind: what the answer is, without its value."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (tuple, list)):
        return f"tuple-{len(value)}"
    if isinstance(value, np.ndarray):
        return f"array-{'x'.join(map(str, value.shape)) or 'scalar'}-{value.dtype}"
    return type(value).__name__


def _canonical(value: object, digits: int | None) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if _is_number(value):
        x = float(value)
        if digits is not None:
            return format(x + 0.0, f".{digits}g")
        if isinstance(value, (numbers.Integral, np.integer)):
            return str(int(value))
        return str(int(x)) if x.is_integer() else repr(x)
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(_canonical(v, digits) for v in value) + ")"
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biu":
            raise TypeError(
                f"fingerprints of {value.dtype} arrays would depend on rounding; compare with a "
                "reference computation instead (pass the helper's result as `expected`).")
        return value.astype(value.dtype.newbyteorder("<")).tobytes().hex()
    raise TypeError(f"cannot fingerprint a {type(value).__name__}: pass a number, bool, str, "
                    "tuple or list of those, or an integer numpy array.")


def fingerprint(value: object, *, digits: int | None = None) -> str:
    """A short digest of ``value`` that identifies it without revealing it.

    Numbers are compared exactly (``3`` and ``3.0`` agree) or, with ``digits``,
    to that many significant digits; tuples and lists item by item (a list
    equals the tuple with the same items); integer and boolean arrays by
    shape, dtype and every value. Returns ``"<kind>:<16 hex digits>"``.

    Examples
    --------
    >>> fingerprint(42)
    'number:f46e68f9d659dbea'
    >>> fingerprint(0.3333, digits=2) == fingerprint(1 / 3, digits=2)
    True
    """
    kind = _kind(value)
    text = f"{_SALT}|{kind}|{_canonical(value, digits)}"
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def hashed(value: str, *, digits: int | None = None) -> Hashed:
    """The expected answer of an exercise, by its :func:`fingerprint` (same ``digits``).

    Examples
    --------
    >>> check("Exercise 1", 42, hashed(fingerprint(42)))
    ✅ Exercise 1: correct!
    Verdict(correct=True)
    """
    kind, sep, digest = value.rpartition(":")
    if not sep or len(digest) != 16 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"expected a fingerprint like 'number:0123456789abcdef' from "
                         f"utils.exercises.fingerprint(answer), got {value!r}.")
    return Hashed(value, digits)


def _report(name: str, why: str | None) -> Verdict:
    """Print the verdict for ``name`` (``why`` is what differs, ``None`` if right)."""
    if why is None:
        print(f"✅ {name}: correct!")
        return Verdict(True)
    print(f"❌ {name}: not quite — {why}.")
    return Verdict(False)


def _is_blank(answer: object) -> bool:
    """``...`` or ``None``, or a tuple or list of only those (``a, b = ..., ...``)."""
    if answer is None or answer is Ellipsis:
        return True
    return (isinstance(answer, (tuple, list)) and len(answer) > 0
            and all(_is_blank(item) for item in answer))


def _unanswered(name: str) -> Verdict:
    print(f"⏳ {name}: not answered yet — replace the ... and run the cell again.")
    return Verdict(False)


_KIND_WORDS = {"number": "a number", "bool": "True or False", "text": "a string"}


def _describe(kind: str) -> str:
    if kind in _KIND_WORDS:
        return _KIND_WORDS[kind]
    if kind.startswith("tuple-"):
        return f"a tuple of {kind[6:]} items"
    if kind.startswith("array-"):
        shape, dtype = kind[6:].rsplit("-", 1)
        dims = () if shape == "scalar" else tuple(int(d) for d in shape.split("x"))
        return f"a {dtype} array of shape {dims}"
    return f"a {kind}"


def _differs_from_hash(answer: object, expected: Hashed) -> str | None:
    if expected.kind.startswith("tuple-") and hasattr(answer, "__iter__") \
            and not isinstance(answer, (str, list, tuple, np.ndarray)):
        answer = tuple(answer)  # e.g. a TensorShape
    try:
        got = fingerprint(answer, digits=expected.digits)
    except TypeError:
        got = _kind(answer) + ":"
    if got == expected.value:
        return None
    if got.rsplit(":", 1)[0] != expected.kind:
        return f"expected {_describe(expected.kind)}, got {_describe(_kind(answer))}"
    precision = f" (compared to {expected.digits} significant digits)" if expected.digits else ""
    return f"{answer!r} is not the expected value{precision}" if _is_number(answer) \
        else "that is not the expected value"


def _differs(answer: object, expected: object, rtol: float, atol: float) -> str | None:
    """Return why ``answer`` is not ``expected`` (without showing ``expected``), or ``None``."""
    if isinstance(expected, np.ndarray) or isinstance(answer, np.ndarray):
        if not isinstance(answer, np.ndarray):
            return f"expected a numpy array, got a {type(answer).__name__}"
        got, want = answer, np.asarray(expected)
        if got.shape != want.shape:
            return f"expected an array of shape {want.shape}, got shape {got.shape}"
        if want.dtype.kind in "ui" and got.dtype != want.dtype:
            return f"expected dtype {want.dtype}, got {got.dtype}"
        if got.dtype.kind not in "uifb":
            return f"expected numbers, got dtype {got.dtype}"
        close = np.isclose(got, want, rtol=rtol, atol=atol)
        if not close.all():
            where = tuple(int(i) for i in np.argwhere(~close)[0])
            return (f"{int((~close).sum())} of {close.size} values differ, the first at index "
                    f"{where}, where you have {got[where]}")
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            return f"expected {_describe(_kind(expected))}, got {_describe(_kind(answer))}"
        for i, (a, e) in enumerate(zip(answer, expected)):
            if _differs(a, e, rtol, atol):
                return f"item {i} ({a!r}) is not right"
        return None
    if _is_number(expected):
        if not _is_number(answer):
            return f"expected a number, got {answer!r}"
        return None if np.isclose(answer, expected, rtol=rtol, atol=atol) else (
            f"{answer!r} is not the expected value")
    return None if answer == expected else f"{answer!r} is not the expected value"


def check(
    name: str, answer: object, expected: object, *, rtol: float = 1e-6, atol: float = 1e-8
) -> Verdict:
    """Compare ``answer`` to ``expected``, print a verdict and return whether it is right.

    ``expected`` is a reference computation or a :func:`hashed` fingerprint; a
    function without arguments is called only once there is an answer (so the
    reference can use what the learner defined, e.g. their own function).
    Against a reference, arrays are compared by shape, integer dtype and values
    (within ``rtol``/``atol`` for floats), numbers within the same tolerances,
    tuples and lists item by item, anything else with ``==``. The message
    never shows the expected value.

    Examples
    --------
    >>> check("Exercise 1", 7, 3 + 4)
    ✅ Exercise 1: correct!
    Verdict(correct=True)
    >>> check("Exercise 2", (2, 3), (3, 2))
    ❌ Exercise 2: not quite — item 0 (2) is not right.
    Verdict(correct=False)
    >>> check("Exercise 3", ..., 7)
    ⏳ Exercise 3: not answered yet — replace the ... and run the cell again.
    Verdict(correct=False)
    >>> check("Exercise 4", 8, lambda: 2 ** 3)   # computed only once answered
    ✅ Exercise 4: correct!
    Verdict(correct=True)
    """
    if _is_blank(answer):
        return _unanswered(name)
    if callable(expected) and not isinstance(expected, Hashed):
        expected = expected()
    if isinstance(expected, Hashed):
        return _report(name, _differs_from_hash(answer, expected))
    return _report(name, _differs(answer, expected, rtol, atol))
