import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from sklearn_imdb import MultiHotVectorizer, tokenize

from ..conftest import vectorize_sequences

DOCS = [
    "A great, great film.<br /><br />Great cast!",
    "A dull film; I didn't like it.",
    "Great fun",
    "",
]
LABELS = [1, 0, 1, 0]


def test_multi_hot_values_and_vocabulary_order():
    vec = MultiHotVectorizer(num_words=4)
    X = vec.fit_transform(DOCS)
    assert sp.isspmatrix_csr(X) and X.dtype == np.float32 and X.shape == (4, 4)
    # by frequency: great (4), a (2), film (2), then one of the words seen
    # once, ties broken by the terms' fixed keys ("didnt" has the smallest)
    assert vec.get_feature_names_out().tolist() == ["great", "a", "film", "didnt"]
    np.testing.assert_array_equal(
        X.toarray(), [[1, 1, 1, 0], [0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0]]
    )
    assert vec.vocabulary_ == {"great": 0, "a": 1, "film": 2, "didnt": 3}


def test_fits_are_deterministic_and_independent_of_threads():
    docs = [f"word{i % 7} word{i % 11} tie{i}" for i in range(3000)]
    a = MultiHotVectorizer(num_words=30, n_jobs=1).fit(docs)
    b = MultiHotVectorizer(num_words=30, n_jobs=3).fit(docs[::-1])
    assert a.vocabulary_ == b.vocabulary_
    assert (a.transform(docs) != b.transform(docs)).nnz == 0


def test_count_and_tfidf_outputs():
    counts = MultiHotVectorizer(output="count").fit_transform(DOCS)
    vec = MultiHotVectorizer(output="count").fit(DOCS)
    assert counts[0, vec.vocabulary_["great"]] == 3
    tfidf_vec = MultiHotVectorizer(output="tfidf", dtype=np.float64)
    tfidf = tfidf_vec.fit_transform(DOCS)
    norms = np.sqrt(tfidf.multiply(tfidf).sum(axis=1)).A.ravel()
    np.testing.assert_allclose(norms, [1, 1, 1, 0])
    # same weighting as scikit-learn's TfidfVectorizer on the same tokens
    from sklearn.feature_extraction.text import TfidfVectorizer

    ref = TfidfVectorizer(analyzer=tokenize).fit(DOCS)
    cols = [ref.vocabulary_[t] for t in tfidf_vec.get_feature_names_out()]
    np.testing.assert_allclose(tfidf.toarray(), ref.transform(DOCS).toarray()[:, cols])


def test_ngrams_match_python_reference():
    docs = ["the film was not good", "not good at all. the film!", "good"]
    vec = MultiHotVectorizer(ngram_range=(1, 2), num_words=None, output="count")
    X = vec.fit_transform(docs).toarray()
    for row, doc in zip(X, docs):
        words = tokenize(doc)
        grams = words + [" ".join(p) for p in zip(words, words[1:])]
        expected = {g: grams.count(g) for g in grams}
        got = {vec.get_feature_names_out()[j]: row[j] for j in np.flatnonzero(row)}
        assert got == expected
    bigrams_only = MultiHotVectorizer(ngram_range=(2, 2), num_words=None).fit(docs)
    assert all(" " in name for name in bigrams_only.get_feature_names_out())


def test_token_ids_match_the_notebook():
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(0, 60, size=rng.integers(0, 30))) for _ in range(50)]
    vec = MultiHotVectorizer(num_words=40)
    X = vec.fit_transform(seqs)
    np.testing.assert_array_equal(X.toarray(), vectorize_sequences(seqs, 40))
    assert vec.input_type_ == "ids" and X.shape == (50, 40)
    # Keras returns an object array of lists
    keras_style = np.empty(len(seqs), dtype=object)
    keras_style[:] = seqs
    np.testing.assert_array_equal(vec.transform(keras_style).toarray(), X.toarray())
    assert vec.inverse_transform(X[:1])[0].tolist() == sorted(
        {j for j in seqs[0] if j < 40}
    )
    all_ids = MultiHotVectorizer(num_words=None).fit(seqs)
    assert all_ids.n_features_out_ == max(max(s) for s in seqs if s) + 1


def test_inverse_transform_decodes_words():
    vec = MultiHotVectorizer().fit(DOCS)
    words = vec.inverse_transform(vec.transform(["Great film, great cast"]))
    assert sorted(words[0]) == ["cast", "film", "great"]
    with pytest.raises(ValueError, match="columns"):
        vec.inverse_transform(np.ones((1, 3)))


def test_unknown_words_and_empty_documents_at_transform():
    vec = MultiHotVectorizer().fit(DOCS)
    X = vec.transform(["", "zzz qqq", "🎬 فيلم رائع", "nul\x00char great"])
    assert X.shape == (4, vec.n_features_out_)
    assert X[:3].nnz == 0 and X[3, vec.vocabulary_["great"]] == 1


def test_unicode_text():
    docs = [
        "Un film très émouvant",
        "فيلم رائع جدا",
        "映画 素晴らしい 🎬🎬",
        "ÉMOUVANT हिन्दी फ़िल्म",
    ]
    vec = MultiHotVectorizer(num_words=None).fit(docs)
    # letters and combining marks of any script make words; emoji separate
    assert {"très", "émouvant", "رائع", "素晴らしい", "हिन्दी", "फ़िल्म"} <= set(
        vec.vocabulary_
    )
    assert not any("🎬" in term for term in vec.vocabulary_)
    assert vec.transform(["ÉMOUVANT"])[0, vec.vocabulary_["émouvant"]] == 1


def test_typographic_punctuation_separates_words():
    # reviews pasted from the web: dashes, ellipses, guillemets, curly quotes
    # and apostrophes, no-break spaces
    typographic = "The end\u2014really\u2026 don\u2019t \u00abgreat\u00bb a\xa0b"
    plain = 'The end - really... don\'t "great" a b'
    assert (
        tokenize(typographic)
        == tokenize(plain)
        == ["the", "end", "really", "dont", "great", "a", "b"]
    )
    vec = MultiHotVectorizer(num_words=None).fit([plain])
    np.testing.assert_array_equal(
        vec.transform([typographic]).toarray(), vec.transform([plain]).toarray()
    )
    for apostrophe in "'\u2019\u2018\u00b4\u02bc":
        assert tokenize(f"didn{apostrophe}t") == ["didnt"]


def test_long_document():
    doc = " ".join(f"w{i % 5000}" for i in range(200_000))  # ~1 MB
    vec = MultiHotVectorizer(num_words=None).fit([doc, "w1"])
    assert vec.transform([doc]).nnz == 5000


def test_matches_count_vectorizer_on_the_same_tokens():
    docs = [
        " ".join(np.random.default_rng(i).choice(list("abcdefgh"), 30))
        for i in range(200)
    ]
    ours = MultiHotVectorizer(num_words=None, output="count").fit(docs)
    ref = CountVectorizer(analyzer=tokenize).fit(docs)
    cols = [ref.vocabulary_[t] for t in ours.get_feature_names_out()]
    np.testing.assert_array_equal(
        ours.transform(docs).toarray(), ref.transform(docs).toarray()[:, cols]
    )


# -- scikit-learn API ---------------------------------------------------------


def test_clone_pickle_and_set_params():
    vec = MultiHotVectorizer(num_words=3, ngram_range=(1, 2))
    assert clone(vec).get_params() == vec.get_params()
    vec.fit(DOCS)
    restored = pickle.loads(pickle.dumps(vec))
    assert (restored.transform(DOCS) != vec.transform(DOCS)).nnz == 0
    vec.set_params(num_words=2).fit(DOCS)
    assert vec.n_features_out_ == 2


@pytest.mark.parametrize(
    "check",
    [
        check_get_params_invariance,
        check_set_params,
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
    ],
)
def test_sklearn_api_checks(check):
    check("MultiHotVectorizer", MultiHotVectorizer())


def test_tags_declare_text_input():
    tags = MultiHotVectorizer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_pipeline_grid_search_and_cross_val():
    docs = [f"good great fine {i}" for i in range(20)] + [
        f"bad awful poor {i}" for i in range(20)
    ]
    y = [1] * 20 + [0] * 20
    pipe = Pipeline([("vec", MultiHotVectorizer()), ("clf", LogisticRegression())])
    assert cross_val_score(pipe, docs, y, cv=4).mean() == 1.0
    grid = GridSearchCV(
        pipe,
        {"vec__num_words": [2, 50], "vec__output": ["multi_hot", "tfidf"]},
        cv=2,
        n_jobs=2,
    ).fit(docs, y)
    assert grid.best_score_ == 1.0
    assert grid.predict(["a good film"]).tolist() == [1]


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "docs, error, match",
    [
        ("a bare string", ValueError, "string object received"),
        (["fine", None], TypeError, "Document 1 is None"),
        (["fine", "ok", float("nan")], TypeError, "Document 2 is NaN"),
        (["fine", 3], TypeError, "Document 1 is a int"),
        ([], ValueError, "empty corpus"),
        (["", "...", "!!"], ValueError, "Empty vocabulary"),
        ([[1, 2], [3, -1]], ValueError, "Document 1 has a negative token id"),
        ([[1, 2], [0.5]], TypeError, "Document 1 is not a sequence of integer"),
        ([[1, 2], "text"], TypeError, "Document 1 is a str"),
        (np.zeros((2, 3)), ValueError, "1-D iterable"),
        (42, ValueError, "1-D iterable"),
    ],
)
def test_bad_documents(docs, error, match):
    with pytest.raises(error, match=match):
        MultiHotVectorizer().fit(docs)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"num_words": 0}, "num_words"),
        ({"num_words": 2.5}, "num_words"),
        ({"output": "binary"}, "output"),
        ({"ngram_range": (2, 1)}, "ngram_range"),
        ({"ngram_range": (0, 1)}, "ngram_range"),
        ({"ngram_range": [1, 2, 3]}, "ngram_range"),
        ({"ngram_range": "12"}, "ngram_range"),
        ({"output": "tfidf", "dtype": np.int32}, "floating-point dtype"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises((InvalidParameterError, ValueError), match=match):
        MultiHotVectorizer(**params).fit(DOCS)


def test_ngrams_on_token_ids_are_refused():
    with pytest.raises(ValueError, match="text input only"):
        MultiHotVectorizer(ngram_range=(1, 2)).fit([[1, 2, 3]])


def test_transform_before_fit():
    with pytest.raises(NotFittedError):
        MultiHotVectorizer().transform(DOCS)


def test_transform_with_other_input_kind():
    vec = MultiHotVectorizer().fit(DOCS)
    with pytest.raises(TypeError, match="Document 0 is a list"):
        vec.transform([[1, 2]])


# -- properties ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=8))
def test_arbitrary_unicode_never_crashes(docs):
    vec = MultiHotVectorizer(num_words=50, ngram_range=(1, 2))
    if not any(tokenize(d) for d in docs):
        with pytest.raises(ValueError, match="Empty vocabulary"):
            vec.fit(docs)
        return
    X = vec.fit_transform(docs)
    for row, doc in zip(X, docs):
        words = tokenize(doc)
        distinct = set(words) | {" ".join(p) for p in zip(words, words[1:])}
        assert row.nnz <= len(distinct)
        assert set(vec.inverse_transform(row)[0]) <= distinct
    # every term of the vocabulary is a real word or bigram of the corpus
    corpus = set()
    for doc in docs:
        words = tokenize(doc)
        corpus |= set(words) | {" ".join(p) for p in zip(words, words[1:])}
    assert set(vec.vocabulary_) <= corpus


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet="ab cÉéİ1_'\u2019\u2018\u00b4\u02bc<br />.\u2014\u2026"
            "\u00ab\u00bb\u201c\xa0\u0939\u093f\u094d\U0001f600\ud800\x00",
            max_size=40,
        ),
        min_size=2,
        max_size=6,
    )
)
def test_vectorised_tokens_equal_python_tokens(docs):
    vec = MultiHotVectorizer(num_words=None, output="count")
    if not any(tokenize(d) for d in docs):
        return
    X = vec.fit_transform(docs).toarray()
    names = vec.get_feature_names_out()
    for row, doc in zip(X, docs):
        words = tokenize(doc)
        assert {names[j]: row[j] for j in np.flatnonzero(row)} == {
            w: words.count(w) for w in words
        }


def test_ngram_range_as_a_list_as_json_grids_give_it():
    as_list = MultiHotVectorizer(num_words=None, ngram_range=[1, 2]).fit(DOCS)
    as_tuple = MultiHotVectorizer(num_words=None, ngram_range=(1, 2)).fit(DOCS)
    assert as_list.vocabulary_ == as_tuple.vocabulary_
    assert "great film" in as_list.vocabulary_


# -- keys -----------------------------------------------------------------------

# pairs that shared one column under the old unmixed polynomial keys
OLD_COLLISIONS = [
    ("employee approach", "employer approace"),
    ("aaaaaaamaaaaaaae", "aaaaaaaaaaaaaaaa"),
    ("failing to recognize", "failings to recognise"),
]


@pytest.mark.parametrize("a, b", OLD_COLLISIONS)
def test_distinct_terms_get_distinct_columns(a, b):
    n = max(len(a.split()), len(b.split()))
    vec = MultiHotVectorizer(num_words=None, ngram_range=(1, n)).fit([a, b])
    assert a in vec.vocabulary_ and b in vec.vocabulary_
    X = vec.transform([a, b]).toarray()
    assert X[0, vec.vocabulary_[a]] == 1 and X[0, vec.vocabulary_[b]] == 0
    assert X[1, vec.vocabulary_[b]] == 1 and X[1, vec.vocabulary_[a]] == 0


def _long_words_collide_under(weak_seeds, monkeypatch):
    """Make every word longer than 8 bytes share one key under weak_seeds."""
    from sklearn_imdb.text import _ngrams

    real = _ngrams._word_keys

    def word_keys(text, size, starts, ends, seed):
        keys = real(text, size, starts, ends, seed)
        if int(seed) in weak_seeds:
            keys[(ends - starts) > 8] = 12345
        return keys

    monkeypatch.setattr(_ngrams, "_word_keys", word_keys)


def test_a_key_collision_is_detected_and_kept_apart(monkeypatch):
    from sklearn_imdb.text._ngrams import HASH_SEEDS

    _long_words_collide_under({HASH_SEEDS[0]}, monkeypatch)
    docs = ["aaaaaaaabbbbbbbb good", "bbbbbbbbaaaaaaaa bad"]
    vec = MultiHotVectorizer(num_words=None).fit(docs)
    assert vec.hash_seed_ == HASH_SEEDS[1]
    assert {"aaaaaaaabbbbbbbb", "bbbbbbbbaaaaaaaa"} <= set(vec.vocabulary_)
    np.testing.assert_array_equal(vec.transform(docs).toarray().sum(axis=0), np.ones(4))


def test_a_key_collision_under_every_seed_is_an_error(monkeypatch):
    from sklearn_imdb.text._ngrams import HASH_SEEDS

    _long_words_collide_under(set(HASH_SEEDS), monkeypatch)
    with pytest.raises(
        ValueError,
        match="aaaaaaaabbbbbbbb.*bbbbbbbbaaaaaaaa|bbbbbbbbaaaaaaaa.*aaaaaaaabbbbbbbb",
    ):
        MultiHotVectorizer(num_words=None).fit(
            ["aaaaaaaabbbbbbbb good", "bbbbbbbbaaaaaaaa bad"]
        )


def _subsets(docs, seed):
    rng = np.random.default_rng(seed)
    rows = rng.permutation(len(docs))
    return [sorted(rows[:40]), rows[40:70]]  # in order, then shuffled


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3)])
@pytest.mark.parametrize("output", ["multi_hot", "count", "tfidf"])
def test_shared_ngrams_give_what_each_fold_would_compute(reviews, ngram_range, output):
    from sklearn_imdb.text._shared_ngrams import sharing_ngrams

    docs = list(reviews[0]) + ["Ça, c’était “génial” — 映画は最高", ""]
    train, test = ([docs[i] for i in rows] for rows in _subsets(docs, 0))
    params = {"ngram_range": ngram_range, "output": output, "num_words": 300}
    alone = MultiHotVectorizer(**params)
    expected = alone.fit_transform(train), alone.transform(test)
    with sharing_ngrams(docs):
        shared = MultiHotVectorizer(**params)
        got = shared.fit_transform(train), shared.transform(test)
        copies = [doc.encode().decode() for doc in test]  # other objects: keyed anew
        np.testing.assert_array_equal(
            shared.transform(copies).toarray(), got[1].toarray()
        )
    assert shared.vocabulary_ == alone.vocabulary_
    assert (
        shared.get_feature_names_out().tolist()
        == alone.get_feature_names_out().tolist()
    )
    for left, right in zip(got, expected, strict=True):
        assert (left != right).nnz == 0 and left.dtype == right.dtype


def test_shared_ngrams_keep_collision_checks(monkeypatch):
    from sklearn_imdb.text._ngrams import HASH_SEEDS
    from sklearn_imdb.text._shared_ngrams import sharing_ngrams

    _long_words_collide_under({HASH_SEEDS[0]}, monkeypatch)
    docs = ["aaaaaaaabbbbbbbb good", "bbbbbbbbaaaaaaaa bad", "good bad"]
    with sharing_ngrams(docs):
        vec = MultiHotVectorizer(num_words=None).fit(docs[:2])
    assert vec.hash_seed_ == HASH_SEEDS[1]
    assert {"aaaaaaaabbbbbbbb", "bbbbbbbbaaaaaaaa"} <= set(vec.vocabulary_)


def test_shared_ngrams_are_computed_once_and_dropped_after(reviews, monkeypatch):
    from sklearn_imdb.text import _shared_ngrams

    docs = list(reviews[0])
    keyed = []
    real = _shared_ngrams.hash_ngrams
    monkeypatch.setattr(
        _shared_ngrams,
        "hash_ngrams",
        lambda d, *a, **k: keyed.append(len(d)) or real(d, *a, **k),
    )
    with _shared_ngrams.sharing_ngrams(docs):
        for rows in _subsets(docs, 1) + _subsets(docs, 2):
            vec = MultiHotVectorizer(num_words=100).fit([docs[i] for i in rows])
            vec.transform(docs)
    assert sum(keyed) == len(docs)  # the whole corpus, once (in chunks)
    assert not _shared_ngrams._corpora
    del keyed[:]
    MultiHotVectorizer(num_words=100).fit(docs[:10])
    assert keyed == [5, 5]  # outside: each chunk keyed as usual


def test_hashing_puts_each_term_in_its_keys_column():
    from sklearn_imdb.text._ngrams import HASH_SEEDS, hash_ngrams

    docs = ["A great film, a great cast.", "Dull.", ""]
    vec = MultiHotVectorizer(vocabulary="hashing", num_words=64, output="count")
    X = vec.fit_transform(docs)
    grams = hash_ngrams(docs, (1, 1), seed=HASH_SEEDS[0])
    want = np.zeros((3, 64))
    np.add.at(want, (grams.docs, (grams.keys % np.uint64(64)).astype(int)), 1)
    np.testing.assert_array_equal(X.toarray(), want)
    assert X.shape == (3, 64) and vec.get_feature_names_out()[5] == "hash_5"


def test_hashing_learns_nothing_so_a_stream_needs_no_first_pass():
    docs = [f"word{i} film great" for i in range(50)]
    other = ["nothing alike here"] * 5
    a = MultiHotVectorizer(vocabulary="hashing", num_words=2**12, ngram_range=(1, 2))
    b = clone(a).fit(other)
    streamed = clone(a)
    for start in range(0, 50, 20):
        streamed.partial_fit(docs[start : start + 20])
    for fitted in (b, streamed):
        assert (fitted.transform(docs) != a.fit(docs).transform(docs)).nnz == 0


@pytest.mark.parametrize(
    "params, call, match",
    [
        ({"vocabulary": "hashing"}, "fit_ids", "takes text"),
        ({"vocabulary": "hashing", "num_words": None}, "fit", "needs num_words"),
        ({"vocabulary": "hashing", "output": "tfidf"}, "partial_fit", "tfidf"),
        ({"output": "tfidf"}, "partial_fit", "tfidf"),
        ({"num_words": None}, "partial_fit_ids", "needs num_words"),
        ({}, "fit_then_partial_fit", "learned by fit"),
    ],
)
def test_hashing_and_streams_refuse_what_they_cannot_do(params, call, match):
    vec = MultiHotVectorizer(**params)
    with pytest.raises(ValueError, match=match):
        if call == "fit_ids":
            vec.fit([[1, 2, 3]])
        elif call == "partial_fit_ids":
            vec.partial_fit([[1, 2, 3]])
        elif call == "fit_then_partial_fit":
            vec.fit(["a text"]).partial_fit(["more text"])
        else:
            getattr(vec, call)(["a text"])
