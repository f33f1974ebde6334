"""Sphinx configuration of the sklearn-imdb documentation."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the gallery trains on a sample: quick to build, the same code as make demo
os.environ.setdefault("SKLEARN_IMDB_EXAMPLE_LIMIT", "2000")
# relative to examples/, where the gallery runs its scripts: the page prints
# the folder, and a machine's absolute path is nothing to show a reader
os.environ.setdefault("SKLEARN_IMDB_DEMO_OUT", "../docs/_build/demo")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import sklearn_imdb  # noqa: E402

project = "sklearn-imdb"
copyright = "2026, the sklearn-imdb developers"
version = release = sklearn_imdb.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
# scikit-learn's generated metadata-request setters are documented there
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    "exclude-members": ",".join(
        f"set_{method}_request"
        for method in (
            "fit",
            "partial_fit",
            "predict",
            "predict_proba",
            "score",
            "transform",
            "inverse_transform",
        )
    ),
}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# every public docstring passes numpydoc's validation (make docs is -W),
# but for these checks: See Also, Examples and an extended summary are not
# required on every method
numpydoc_validation_checks = {"all", "SA01", "EX01", "ES01", "GL08", "RT02"}
# methods scikeras defines and we inherit unchanged
numpydoc_validation_exclude = {
    r"\.initialize$",
    r"\.scorer$",
    r"\.score$",
    r"\.__init__$",
}
intersphinx_mapping = {}

html_theme = "pydata_sphinx_theme"
html_title = "sklearn-imdb"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
templates_path = ["_templates"]
# "On this page" lists a class's methods as from_arrays(), not with the class
toc_object_entries_show_parents = "hide"
html_static_path = ["_static"]
html_css_files = ["sklearn-imdb.css"]
exclude_patterns = ["_build"]

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "reset_modules": ("matplotlib",),
    "show_memory": False,
    "plot_gallery": "True",
    # no sg_execution_times.rst: its times changed a tracked file every build
    "write_computation_times": False,
}
