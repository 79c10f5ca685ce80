"""The libraries labs run on, imported on demand (about 1.5 s and 100 MB; never at start-up)."""

from __future__ import annotations

import importlib
import time

# Named one by one so PyInstaller's analysis sees and bundles each of them.
LAB_MODULES = (
    "numpy",
    "pandas",
    "sklearn.linear_model",
    "sklearn.tree",
    "sklearn.ensemble",
    "sklearn.cluster",
    "sklearn.model_selection",
    "sklearn.metrics",
    "sklearn.inspection",
    "sklearn.feature_extraction.text",
    "jinja2.sandbox",
    "openpyxl",
)


def import_lab_stack() -> dict[str, str]:
    """Import every lab library; returns {module: version} and raises ImportError if one is missing."""
    import jinja2  # noqa: F401  (static imports for the bundler; the loop does the real work)
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import sklearn  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.ensemble  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.inspection  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.metrics  # noqa: F401
    import sklearn.model_selection  # noqa: F401
    import sklearn.tree  # noqa: F401
    import jinja2.sandbox  # noqa: F401
    import openpyxl  # noqa: F401

    versions = {}
    for name in LAB_MODULES:
        module = importlib.import_module(name)
        top = importlib.import_module(name.split(".")[0])
        versions[name.split(".")[0]] = getattr(top, "__version__", "?")
        del module
    return versions


def timed_import() -> tuple[dict[str, str], float]:
    start = time.perf_counter()
    versions = import_lab_stack()
    return versions, time.perf_counter() - start
