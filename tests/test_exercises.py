"""utils.exercises: verdicts for right, wrong and unanswered answers."""

from __future__ import annotations

import numpy as np
import pytest

from utils.exercises import check, check_array


@pytest.mark.parametrize("unanswered", [None, ...])
def test_unanswered(unanswered, capsys):
    assert not check("Ex", unanswered, 1)
    assert not check_array("Ex", unanswered, shape=(1,))
    assert capsys.readouterr().out.count("not answered yet") == 2


def test_numbers(capsys):
    assert check("Ex", 23.73, 23.73046875, rtol=1e-3)
    assert not check("Ex", 24, 23.73046875, rtol=1e-3)
    assert not check("Ex", "23.7", 23.7)
    out = capsys.readouterr().out
    assert "✅ Ex: correct!" in out and "expected 23.73046875, got 24" in out
    assert "expected a number" in out


def test_arrays_report_the_first_difference(capsys):
    want = np.arange(6).reshape(2, 3)
    assert check("Ex", want.copy(), want)
    got = want.copy()
    got[1, 2] = 99
    assert not check("Ex", got, want)
    assert not check("Ex", want[:1], want)
    assert not check("Ex", want.astype(np.int8), want)
    out = capsys.readouterr().out
    assert "first at index (1, 2): expected 5, got 99" in out
    assert "expected shape (2, 3)" in out and "expected dtype" in out


def test_sequences_and_other_values(capsys):
    assert check("Ex", (1, 2.0), [1, 2])
    assert not check("Ex", (1, 3), (1, 2))
    assert check("Ex", "red", "red") and not check("Ex", "blue", "red")
    assert "item 1" in capsys.readouterr().out


def test_check_array_by_shape_dtype_and_known_values(capsys):
    arr = np.zeros((3, 4, 3), np.uint8)
    arr[1, 2] = [1, 2, 3]
    assert check_array("Ex", arr, shape=(3, 4, 3), dtype="uint8", values={(1, 2): [1, 2, 3]})
    assert not check_array("Ex", arr, shape=(3, 4), dtype="uint8")
    assert not check_array("Ex", arr.astype(float), shape=(3, 4, 3), dtype="uint8")
    assert not check_array("Ex", arr, shape=(3, 4, 3), values={(0, 0): [9, 9, 9]})
    assert not check_array("Ex", [1, 2], shape=(2,))
    out = capsys.readouterr().out
    assert "at index (0, 0) expected [9 9 9]" in out and "expected a numpy array" in out


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
