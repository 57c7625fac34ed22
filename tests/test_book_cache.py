"""scripts.book_cache: a chapter nbval ran is reused by the book only while its code is unchanged."""

from __future__ import annotations

import nbformat
import pytest

from scripts.book_cache import store_executed


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 1. A chapter")]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_stored_outputs_are_what_the_book_gets_and_only_for_the_same_code(tmp_path):
    jupyter_cache = pytest.importorskip("jupyter_cache")
    nb = _notebook("x = 1", "print(x)")
    outputs = {0: [], 1: [nbformat.v4.new_output("stream", name="stdout", text="1\n")]}
    assert store_executed(tmp_path / "ch.ipynb", nb, outputs, 1.5, cache_dir=tmp_path / "cache")
    cache = jupyter_cache.get_cache(str(tmp_path / "cache"))
    record = cache.match_cache_notebook(_notebook("x = 1", "print(x)"))   # as myst-nb reads it
    assert record.data["execution_seconds"] == 1.5
    _, merged = cache.merge_match_into_notebook(_notebook("x = 1", "print(x)"))
    assert merged.cells[2].outputs[0]["text"] == "1\n" and merged.cells[2].execution_count == 2
    with pytest.raises(KeyError):   # the code changed since the test run: the book runs it again
        cache.match_cache_notebook(_notebook("x = 2", "print(x)"))


def test_a_partial_run_is_not_stored(tmp_path):
    pytest.importorskip("jupyter_cache")
    nb = _notebook("x = 1", "print(x)")
    assert not store_executed(tmp_path / "ch.ipynb", nb, {0: []}, 1.0, cache_dir=tmp_path / "cache")
