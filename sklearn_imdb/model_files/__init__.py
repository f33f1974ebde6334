"""Model files: fitted pipelines saved as JSON and arrays, never pickles.

:func:`save_model` writes a fitted pipeline, :func:`load_model` reads one
back, checking every member against an allow-list and a schema before
anything is built. Private modules: the file's members, checksums and JSON
(``_format``) and how each kind of step is written and rebuilt (``_steps``).
"""

from ._save_load import load_model, save_model

__all__ = ["load_model", "save_model"]
