"""The book's execution cache, filled from test runs (see the repository's conftest.py).

myst-nb (``execute_notebooks: cache``) keeps executed notebooks in a ``jupyter-cache``
database, ``_build/.jupyter_cache``, keyed on a hash of the code cells (their source and
metadata). A chapter that nbval has just run without a failure is stored there with
nbval's outputs, so that ``make book`` does not run it a second time.
"""

from __future__ import annotations

import copy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK_CACHE = ROOT / "_build" / ".jupyter_cache"


def store_executed(path: Path, nb, outputs: dict[int, list], seconds: float,
                   cache_dir: Path = BOOK_CACHE) -> bool:
    """Put ``nb`` with nbval's ``outputs`` (code cell number -> outputs) into the book's cache."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    executed = copy.deepcopy(nb)
    code = [c for c in executed.cells if c.cell_type == "code"]
    if sorted(outputs) != list(range(len(code))):
        return False  # not every cell ran (e.g. -k or -x): nothing to reuse
    for number, cell in enumerate(code, start=1):
        cell.outputs = [nbformat.from_dict(dict(o)) for o in outputs[number - 1]]
        cell.execution_count = number
        for out in cell.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = number
    cache = get_cache(str(cache_dir))
    cache.cache_notebook_bundle(CacheBundleIn(executed, str(path), data={"execution_seconds": seconds}),
                                check_validity=False, overwrite=True)
    return True
