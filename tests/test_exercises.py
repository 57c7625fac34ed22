"""utils.exercises: verdicts for right, wrong and unanswered answers."""

from __future__ import annotations

import numpy as np
import pytest

from utils.exercises import check, fingerprint, hashed


@pytest.mark.parametrize("unanswered", [None, ..., (..., ...), [None, ...]])
def test_unanswered(unanswered, capsys):
    assert not check("Ex", unanswered, 1)
    assert not check("Ex", unanswered, hashed(fingerprint(1)))
    assert capsys.readouterr().out.count("not answered yet") == 2


def test_numbers_against_a_reference_never_show_it(capsys):
    assert check("Ex", 23.73, 23.73046875, rtol=1e-3)
    assert not check("Ex", 24, 23.73046875, rtol=1e-3)
    assert not check("Ex", "23.7", 23.7)
    out = capsys.readouterr().out
    assert "✅ Ex: correct!" in out and "24 is not the expected value" in out
    assert "expected a number" in out and "23.73046875" not in out


def test_arrays_report_the_first_difference_without_the_expected_value(capsys):
    want = np.arange(6).reshape(2, 3)
    assert check("Ex", want.copy(), want)
    got = want.copy()
    got[1, 2] = 99
    assert not check("Ex", got, want)
    assert not check("Ex", want[:1], want)
    assert not check("Ex", want.astype(np.int8), want)
    assert not check("Ex", [0, 1, 2], want)
    out = capsys.readouterr().out
    assert "1 of 6 values differ, the first at index (1, 2), where you have 99" in out
    assert "expected 5" not in out
    assert "expected an array of shape (2, 3)" in out and "expected dtype" in out
    assert "expected a numpy array, got a list" in out


def test_sequences_and_other_values(capsys):
    assert check("Ex", (1, 2.0), [1, 2])
    assert not check("Ex", (1, 3), (1, 2))
    assert not check("Ex", (1,), (1, 2))
    assert check("Ex", "red", "red") and not check("Ex", "blue", "red")
    out = capsys.readouterr().out
    assert "item 1 (3) is not right" in out and "a tuple of 2 items, got a tuple of 1 items" in out


@pytest.mark.parametrize("value, same, different", [
    (112, [112.0, np.int64(112), np.float32(112)], [111, 112.5, "112", True]),
    ((112, 112, 64), [[112, 112, 64], (112.0, 112, 64)], [(112, 64, 112), (112, 112)]),
    (False, [np.bool_(False)], [True, 0]),
    ("tabby", ["tabby"], ["Tabby"]),
    (np.arange(4, dtype=np.uint8), [np.arange(4, dtype=np.uint8)],
     [np.arange(4), np.arange(4, dtype=np.uint8)[::-1], np.arange(4, dtype=np.uint8)[None]]),
])
def test_fingerprint_identifies_a_value_and_nothing_else(value, same, different):
    digest = fingerprint(value)
    assert all(fingerprint(v) == digest for v in same)
    assert all(fingerprint(v) != digest for v in different)


def test_fingerprint_to_significant_digits():
    assert fingerprint(23.73046875, digits=4) == fingerprint(23.73, digits=4)
    assert fingerprint(23.73046875, digits=4) != fingerprint(23.74, digits=4)
    assert fingerprint(-0.4000000059604645, digits=6) == fingerprint(-0.4, digits=6)
    assert fingerprint(0.0, digits=3) == fingerprint(-0.0, digits=3)
    assert fingerprint(1.5) != fingerprint(1.5, digits=1)


def test_fingerprint_refuses_what_it_cannot_identify():
    with pytest.raises(TypeError, match="reference computation"):
        fingerprint(np.ones(3))
    with pytest.raises(TypeError, match="cannot fingerprint a dict"):
        fingerprint({"a": 1})


def test_hashed_checks_say_what_kind_of_value_is_expected(capsys):
    width = hashed(fingerprint(112))
    shape = hashed(fingerprint((112, 112, 64)))
    assert check("Ex", 112, width) and check("Ex", 112.0, width)
    assert not check("Ex", 111, width)
    assert not check("Ex", (112,), width)
    assert check("Ex", [112, 112, 64], shape)
    assert not check("Ex", (112, 112), shape)
    assert not check("Ex", np.ones(3), shape)
    loss = hashed(fingerprint(1.3862943611198906, digits=4), digits=4)
    assert check("Ex", 1.38629, loss) and not check("Ex", 1.39, loss)
    out = capsys.readouterr().out
    assert "111 is not the expected value" in out
    assert "expected a number, got a tuple of 1 items" in out
    assert "expected a tuple of 3 items, got a tuple of 2 items" in out
    assert "got a float64 array of shape (3,)" in out
    assert "(compared to 4 significant digits)" in out
    assert "112" not in out.replace("111", "").replace("(112,", "")


def test_hashed_accepts_shape_like_answers():
    class Shape:  # like a TensorShape: iterable, not a tuple
        def __iter__(self):
            return iter((7, 7, 1280))

    assert check("Ex", Shape(), hashed(fingerprint((7, 7, 1280))))


@pytest.mark.parametrize("bad", ["112", "number:xyz", "number:0123456789ABCDEF", "0123456789abcdef0"])
def test_hashed_refuses_what_is_not_a_fingerprint(bad):
    with pytest.raises(ValueError, match="utils.exercises.fingerprint"):
        hashed(bad)


def test_verdict_is_a_truth_value_that_displays_nothing(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    from utils.exercises import Verdict

    right, wrong = check("Ex", 2, 2), check("Ex", 3, 2)
    assert isinstance(right, Verdict) and right and not wrong
    assert right == True and wrong == False and right != wrong  # noqa: E712
    assert repr(wrong) == "Verdict(correct=False)"
    shell = InteractiveShell.instance()
    data, _ = shell.display_formatter.format(wrong)
    assert data == {}, "a check cell must not show a stray True/False under its verdict"


def test_a_reference_function_runs_only_once_answered(capsys):
    calls = []

    def reference():
        calls.append(1)
        return learners_function(3)

    learners_function = ...  # not defined yet: the reference must not be computed
    assert not check("Exercise 9", ..., reference)
    assert calls == [] and "not answered yet" in capsys.readouterr().out
    learners_function = lambda x: x * 2  # noqa: E731
    assert check("Exercise 9", 6, reference) and calls == [1]
    assert not check("Exercise 9", 5, reference)
    assert "6" not in capsys.readouterr().out.split("\n")[-2]
