"""A vocabulary learned from a stream in bounded memory (partial_fit)."""

from collections import Counter

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_imdb import MultiHotVectorizer, tokenize
from sklearn_imdb.text._ngrams import NGrams
from sklearn_imdb.text._term_stream import TermCounts

from ..conftest import make_reviews


def _zipf_docs(n, seed):
    """Documents of words drawn from a Zipf law: a long tail of rare words."""
    rng = np.random.default_rng(seed)
    words = np.minimum(rng.zipf(1.3, size=(n, 30)), 5000)
    return [" ".join(f"w{w}" for w in row) for row in words]


def _stream(vec, docs, size):
    for start in range(0, len(docs), size):
        vec.partial_fit(docs[start : start + size])
    return vec


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3)])
@pytest.mark.parametrize("output", ["multi_hot", "count"])
def test_an_exact_stream_gives_fits_vocabulary(ngram_range, output):
    docs, _ = make_reviews(300, seed=2)
    params = dict(ngram_range=ngram_range, output=output, num_words=500)
    fitted = MultiHotVectorizer(**params).fit(docs)
    streamed = _stream(MultiHotVectorizer(**params), docs, 37)
    assert streamed.term_count_error_ == 0
    np.testing.assert_array_equal(
        streamed.get_feature_names_out(), fitted.get_feature_names_out()
    )
    assert (streamed.transform(docs) != fitted.transform(docs)).nnz == 0


def test_transform_works_after_each_chunk_with_the_vocabulary_so_far():
    docs = ["good film", "bad film", "good good plot"]
    vec = MultiHotVectorizer(num_words=2).partial_fit(docs[:1])
    assert set(vec.get_feature_names_out()) == {"good", "film"}
    vec.partial_fit(docs[1:])
    # film 2, good 3: the top two of all three documents
    assert list(vec.get_feature_names_out()) == ["good", "film"]
    assert vec.transform(["plot"]).nnz == 0


def test_bounded_counts_keep_misra_gries_guarantee():
    docs = _zipf_docs(600, seed=0)
    true = Counter(w for d in docs for w in tokenize(d))
    capacity = 200  # of ~2,000 distinct words: the summary must cut
    vec = MultiHotVectorizer(num_words=50, max_candidates=capacity)
    for start in range(0, len(docs), 50):
        vec.partial_fit(docs[start : start + 50])
        assert vec._stream.keys.size <= capacity  # memory bounded every chunk
    stream = vec._stream
    error = vec.term_count_error_
    assert 0 < error <= sum(true.values()) / (capacity + 1)
    estimated = dict(zip(stream.names, stream.counts))
    for term, count in estimated.items():
        assert count <= true[term] <= count + error, term
    assert {t for t, c in true.items() if c > error} <= set(estimated)
    # the kept vocabulary: the true top 50 but for ties within the error
    top = set(vec.get_feature_names_out())
    cutoff = sorted(true.values(), reverse=True)[49]
    assert {t for t, c in true.items() if c > cutoff + error} <= top
    assert all(true[t] >= cutoff - error for t in top)


def test_a_stream_refuses_a_chunk_of_another_kind_and_clones_afresh():
    vec = MultiHotVectorizer(num_words=10).partial_fit(["some words"])
    with pytest.raises(TypeError, match="not a string"):
        vec.partial_fit([[1, 2]])
    fresh = clone(vec).partial_fit(["other words"])
    assert "some" not in fresh.vocabulary_


def test_token_ids_stream_as_their_own_columns():
    vec = MultiHotVectorizer(num_words=5).partial_fit([[1, 2], [7]])
    assert vec.transform([[1, 4, 9]]).toarray().tolist() == [[0, 1, 0, 0, 1]]


def _grams(keys, check_keys, names):
    """NGrams of one-word documents, each its own word (for TermCounts alone)."""
    grams = NGrams.__new__(NGrams)
    grams.keys = np.asarray(keys, dtype=np.uint64)
    grams.check_keys = np.asarray(check_keys, dtype=np.uint64)
    grams.names = lambda index: [names[i] for i in np.asarray(index)]
    return grams


@pytest.mark.parametrize("second_chunk", [False, True])
def test_a_key_collision_between_terms_is_an_error(second_chunk):
    counts = TermCounts(capacity=10)
    if second_chunk:
        counts.add(_grams([5, 6], [50, 60], ["alpha", "beta"]))
        clash = _grams([5], [51], ["gamma"])  # key 5 again, another check key
    else:
        clash = _grams([5, 5], [50, 51], ["alpha", "gamma"])
    with pytest.raises(ValueError, match="Hash collision.*gamma.*alpha"):
        counts.add(clash)
