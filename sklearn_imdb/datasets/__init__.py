"""Where reviews come from: IMDB's archive, the user's own files, and their splits.

:func:`fetch_imdb` loads the IMDB dataset (read from its archive without
extracting, cached as one ``.npz``); :func:`load_reviews` reads a labelled
CSV/TSV/JSONL/Parquet file or folder, :func:`iter_reviews` streams one a
chunk at a time and :func:`read_texts` streams the texts of an unlabelled
one; :func:`load_splits` gives train and test splits of either, and
:func:`load_labelled` a labelled file's texts and labels.
"""

from ._imdb import ARCHIVE, ARCHIVE_ENV, TARGET_NAMES, describe, fetch_imdb
from ._splits import load_labelled, load_splits
from ._user_data import load_reviews
from ._user_streams import iter_reviews, read_texts

__all__ = [
    "ARCHIVE",
    "ARCHIVE_ENV",
    "TARGET_NAMES",
    "describe",
    "fetch_imdb",
    "iter_reviews",
    "load_labelled",
    "load_reviews",
    "load_splits",
    "read_texts",
]
