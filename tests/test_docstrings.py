"""Every public function and class of the helper package documents itself with a runnable example.

The examples are numpydoc "Examples" sections; ``make test`` runs them as doctests
(``--doctest-modules`` over ``utils/``, see pyproject.toml).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import utils


def public_objects() -> list[tuple[str, object]]:
    """(module.name, object) for every function or class a module lists in ``__all__``."""
    found = []
    for info in pkgutil.walk_packages(utils.__path__, "utils."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if getattr(obj, "__module__", None) == info.name and (
                    inspect.isfunction(obj) or inspect.isclass(obj)):
                found.append((f"{info.name}.{name}", obj))
    return found


def test_the_package_has_public_functions():
    assert len(public_objects()) > 80


def test_every_public_function_has_a_docstring_example():
    missing = [name for name, obj in public_objects()
               if "Examples\n" not in inspect.getdoc(obj) or ">>>" not in inspect.getdoc(obj)]
    assert missing == [], f"add a numpydoc 'Examples' section with a >>> example to: {missing}"


def test_doctests_run_in_make_test(root):
    import tomllib

    options = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "utils" in options["testpaths"] and "--doctest-modules" in options["addopts"]
