"""From text to features: the word, its n-grams, the vocabulary and the vectors.

:func:`tokenize` is the one definition of a word; :class:`MultiHotVectorizer`
turns reviews (or Keras token ids) into sparse multi-hot, count or TF-IDF rows
over the most frequent words and n-grams; :class:`NBFeatureWeighter` scales
those columns by naive Bayes log-count ratios. Private modules: n-gram keys
(``_ngrams``), a search's reviews keyed once for all its folds
(``_shared_ngrams``), the vocabulary (``_vocabulary``), a stream's term
counts in bounded memory (``_term_stream``) and the vectorizer's
``partial_fit`` over them (``_vectorizer_stream``), its columns' terms
(``_terms``), and the checks of the documents given (``_documents``).
"""

from ._nb_weighting import NBFeatureWeighter
from ._tokenizer import tokenize
from ._vectorizer import MultiHotVectorizer

__all__ = ["MultiHotVectorizer", "NBFeatureWeighter", "tokenize"]
