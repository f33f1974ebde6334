"""scikit-learn compatible sentiment classification of IMDB movie reviews."""

from ._ngrams import tokenize
from .datasets import fetch_imdb
from .vectorizer import MultiHotVectorizer

__all__ = ["fetch_imdb", "MultiHotVectorizer", "tokenize"]
__version__ = "0.1.0"
