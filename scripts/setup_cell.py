"""The first code cell of every chapter, generated from one place.

    python scripts/setup_cell.py            print the cell
    python scripts/setup_cell.py --write    put it into every notebook (after a version bump)

The cell installs the course package (and nothing that is already there) when it is
missing, pinned to the release tag ``v<version>`` of ``pyproject.toml`` so that a
notebook and its helpers stay in step; the repository URL comes from ``_config.yml``.
It looks for the *distribution* ``pixels-to-probabilities``, not for a module
called ``utils``: a learner's own ``utils.py`` must not stop the install.
``tests/test_notebooks_clean.py`` checks that every notebook carries this exact cell.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "pixels-to-probabilities"
MARKER = "# Setup: makes this notebook run on Colab, Binder or your own machine."


def repository_url() -> str:
    """The repository URL of ``_config.yml`` (the one place it is set)."""
    text = (ROOT / "_config.yml").read_text()
    found = re.search(r"^repository:\s*\n\s+url:\s*(\S+)", text, flags=re.MULTILINE)
    if not found:
        raise ValueError("_config.yml has no repository.url")
    return found.group(1)


def release_tag() -> str:
    """The git tag of this release: ``v`` + the version in ``pyproject.toml``."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return "v" + tomllib.load(f)["project"]["version"]


def install_spec() -> str:
    """What the setup cell hands to pip: the course package at this release's tag."""
    return f"{DISTRIBUTION} @ git+{repository_url()}@{release_tag()}"


def setup_cell() -> str:
    """The source of the first code cell."""
    return "\n".join([
        MARKER,
        "# If the course's helper package is missing (as on Colab), install it, pinned to the",
        "# release these notebooks belong to. Packages already installed (Colab's TensorFlow,",
        "# Keras, ipywidgets, ...) are kept as they are, so no restart is needed.",
        "import importlib.metadata",
        "",
        "try:",
        f'    importlib.metadata.version("{DISTRIBUTION}")',
        "except importlib.metadata.PackageNotFoundError:",
        f'    %pip install --quiet "{install_spec()}"',
    ])


def write(paths: list[Path]) -> int:
    """Replace the setup cell of each notebook; returns how many changed."""
    import nbformat

    changed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        cell = next((c for c in nb.cells if c.cell_type == "code"), None)
        if cell is None or not cell.source.startswith(MARKER):
            raise ValueError(f"{path}: the first code cell is not the setup cell ({MARKER!r})")
        tags = cell.metadata.get("tags", [])
        if cell.source != setup_cell() or "remove-cell" not in tags:
            cell.source = setup_cell()
            cell.metadata["tags"] = sorted({*tags, "remove-cell"})  # plumbing: not on the page
            nbformat.write(nb, path)
            changed += 1
    return changed


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        n = write(sorted((ROOT / "notebooks").glob("*.ipynb")))
        print(f"setup cell updated in {n} notebook(s)")
    elif not argv:
        print(setup_cell())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
