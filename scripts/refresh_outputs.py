"""Re-run notebooks and keep only the outputs that nbval checks.

    python scripts/refresh_outputs.py notebooks/01_pixels.ipynb [...]
    python scripts/refresh_outputs.py --strip-only NOTEBOOK [...]   (the pre-commit hook)

Each notebook runs top to bottom in a fresh kernel (from its own folder).
Afterwards every code cell loses its outputs and execution count, except
cells tagged ``nbval-check-output``, which keep the outputs nbval will
compare against (and their execution count: nbval skips cells without one).
``--strip-only`` does the stripping without running anything. Run it after changing a checked cell, then review the diff.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"


def is_checked(cell: nbformat.NotebookNode) -> bool:
    """Whether nbval compares this cell's output (it carries the ``nbval-check-output`` tag)."""
    return CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop outputs and execution counts, except outputs of checked cells."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if is_checked(cell):
            cell.metadata["keep_output"] = True
        else:
            cell.outputs = []
            cell.execution_count = None
    return nb


def refresh(path: Path, timeout: int = 300) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(strip(nb), path)
    print(f"refreshed {path}")


def main(argv: list[str]) -> int:
    strip_only = "--strip-only" in argv
    paths = [Path(a) for a in argv if a != "--strip-only"]
    if not paths:
        print(__doc__)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    for path in paths:
        if strip_only:
            nbformat.write(strip(nbformat.read(path, as_version=4)), path)
        else:
            refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
