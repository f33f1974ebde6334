import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from sklearn_imdb import load_model, named_pipeline, save_model

from ..conftest import assert_float32_close, synthetic_reviews

ROWS = synthetic_reviews(40, "train")
DOCS = [r[4] for r in ROWS]
LABELS = np.array([r[1] for r in ROWS])  # string labels: "neg" / "pos"


def fitted(name, **params):
    return named_pipeline(name, **params).fit(DOCS, LABELS)


@pytest.mark.parametrize(
    "name, params",
    [
        ("seed-net", {"clf__epochs": 3}),
        ("logreg", {}),
        ("bernoulli-nb", {}),
        ("multinomial-nb", {}),
        ("linear-svc", {}),
        ("tfidf-bigram-logreg", {}),
        ("nb-logreg", {}),
        ("nb-net", {"clf__epochs": 2}),
        ("nb-vote", {"clf__net__epochs": 2, "clf__net2__epochs": 2}),
    ],
)
def test_round_trip_predicts_identically(name, params, tmp_path):
    pipe = fitted(name, **params)
    path = save_model(pipe, tmp_path / "m.skimdb")
    loaded = load_model(path)
    assert loaded.predict(DOCS).tolist() == pipe.predict(DOCS).tolist()
    method = "predict_proba" if hasattr(pipe, "predict_proba") else "decision_function"
    np.testing.assert_array_equal(
        getattr(loaded, method)(DOCS), getattr(pipe, method)(DOCS)
    )
    with zipfile.ZipFile(path) as zf:
        assert not any(n.endswith((".pkl", ".pickle")) for n in zf.namelist())


@pytest.mark.slow
def test_round_trip_in_a_fresh_process(tmp_path):
    pipe = fitted(
        "seed-net", clf__epochs=3, vec__ngram_range=(1, 2), vec__output="tfidf"
    )
    save_model(pipe, tmp_path / "m.skimdb")
    np.save(tmp_path / "expected.npy", pipe.predict_proba(DOCS))
    (tmp_path / "docs.json").write_text(json.dumps(DOCS))
    script = (
        "import json, sys, numpy as np\n"
        "from sklearn_imdb import load_model\n"
        f"d = r'{tmp_path}'\n"
        "docs = json.load(open(d + '/docs.json'))\n"
        "p = load_model(d + '/m.skimdb').predict_proba(docs)\n"
        "assert np.array_equal(p, np.load(d + '/expected.npy')), 'differs'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, params",
    [
        ("seed-net", {"clf__epochs": 2, "clf__activation": "gelu"}),
        ("nb-net", {"clf__epochs": 2}),
        ("nb-vote", {"clf__net__epochs": 1, "clf__net2__epochs": 1}),
    ],
)
def test_a_loaded_model_predicts_explains_and_scores_without_tensorflow(
    name, params, tmp_path
):
    pipe = fitted(name, **params)
    save_model(pipe, tmp_path / "m.skimdb")
    (tmp_path / "docs.json").write_text(json.dumps(DOCS))
    (tmp_path / "labels.json").write_text(json.dumps(LABELS.tolist()))
    script = (
        "import json, sys, numpy as np\n"
        "from sklearn_imdb import explain, load_model\n"
        f"d = r'{tmp_path}'\n"
        "docs = json.load(open(d + '/docs.json'))\n"
        "labels = json.load(open(d + '/labels.json'))\n"
        "pipe = load_model(d + '/m.skimdb')\n"
        "np.save(d + '/proba.npy', pipe.predict_proba(docs))\n"
        "pipe.predict(docs[:1]); explain(pipe, docs[:2]); pipe.score(docs, labels)\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in\n"
        "          ('tensorflow', 'keras', 'scikeras')]\n"
        "assert not loaded, loaded[:5]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    # and what it computed is what Keras computes, to float32 rounding
    nets = [pipe[-1]] if hasattr(pipe[-1], "model_") else pipe[-1].estimators_
    want = nets[0].model_.predict(pipe[:-1].transform(DOCS), verbose=0)
    proba = np.load(tmp_path / "proba.npy")
    if name != "nb-vote":
        assert_float32_close(proba[:, 1:], want)
    else:  # a soft vote: the mean of its members' probabilities
        np.testing.assert_array_equal(proba, pipe.predict_proba(DOCS))


def _rewrite(path, member, change):
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.mark.parametrize(
    "member, change",
    [
        ("step0.terms.txt", lambda b: b.replace(b"great", b"grate")),
        ("manifest.json", lambda b: b.replace(b"LogisticRegression", b"os.system")),
        ("step1.coef_.npy", lambda b: b[:-8] + b"\x00" * 8),
    ],
)
def test_tampered_files_are_refused(tmp_path, member, change):
    path = save_model(fitted("logreg"), tmp_path / "m.skimdb")
    _rewrite(path, member, change)
    with pytest.raises(ValueError, match="not a valid sklearn-imdb model file"):
        load_model(path)


def test_damaged_and_foreign_files(tmp_path):
    path = save_model(fitted("logreg"), tmp_path / "m.skimdb")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a valid"):
        load_model(path)
    (tmp_path / "x.skimdb").write_text("hello")
    with pytest.raises(ValueError, match="not a valid"):
        load_model(tmp_path / "x.skimdb")
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "missing.skimdb")


def test_unsupported_or_unfitted(tmp_path):
    from sklearn.ensemble import RandomForestClassifier, VotingClassifier
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from sklearn_imdb import MultiHotVectorizer

    with pytest.raises(NotFittedError):
        save_model(named_pipeline("logreg"), tmp_path / "a.skimdb")
    forest = Pipeline(
        [("vec", MultiHotVectorizer()), ("clf", RandomForestClassifier(n_estimators=2))]
    ).fit(DOCS, LABELS)
    with pytest.raises(TypeError, match="cannot store a RandomForestClassifier"):
        save_model(forest, tmp_path / "b.skimdb")
    dropped = Pipeline(
        [
            ("vec", MultiHotVectorizer()),
            (
                "clf",
                VotingClassifier([("a", LogisticRegression()), ("b", "drop")]),
            ),
        ]
    ).fit(DOCS, LABELS)
    with pytest.raises(TypeError, match="vote with dropped members"):
        save_model(dropped, tmp_path / "d.skimdb")
    assert not list(tmp_path.iterdir())  # nothing half-written
    with pytest.raises(TypeError, match="expects a fitted Pipeline"):
        save_model(object(), tmp_path / "c.skimdb")


# -- crafted files: valid checksums, hostile content ------------------------------


def _craft(path, member, change):
    """Rewrite ``member`` and recompute the checksums, as an attacker would."""
    import hashlib

    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[member] = change(members[member])
    members.pop("checksums.json")
    digests = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
    members["checksums.json"] = json.dumps(digests).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _manifest_change(edit):
    def change(data):
        manifest = json.loads(data)
        edit(manifest["steps"][1])
        return json.dumps(manifest).encode()

    return change


def _npy_bytes(array, allow_pickle=False):
    import io

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def network_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "net.skimdb"
    save_model(fitted("seed-net", clf__epochs=2), path)
    return path


@pytest.mark.parametrize(
    "member, change, match",
    [
        (
            "manifest.json",
            _manifest_change(lambda s: s["params"].update(units="16")),
            "units",
        ),
        (
            "manifest.json",
            _manifest_change(lambda s: s["params"].update(units=10**9)),
            "do not match its architecture",
        ),
        (
            "manifest.json",
            _manifest_change(lambda s: s["params"].update(build_fn="os.system")),
            "unknown network parameter",
        ),
        (
            "manifest.json",
            _manifest_change(lambda s: s.update(kind="LambdaLayer")),
            "unknown step kind",
        ),
        (
            "manifest.json",
            _manifest_change(lambda s: s.update(n_features="10000")),
            "input size",
        ),
        (
            "step1.weight0.npy",
            lambda b: _npy_bytes(np.zeros((3, 3), np.float32)),
            "do not match its architecture",
        ),
        (
            "step1.weight1.npy",
            lambda b: _npy_bytes(np.zeros(16, np.float64)),
            "do not match its architecture",
        ),
        (
            "step1.classes.npy",
            lambda b: _npy_bytes(np.array([object(), 1], dtype=object), True),
            "pickle",
        ),
    ],
    ids=[
        "string units",
        "huge units",
        "unknown parameter",
        "unknown step",
        "string size",
        "weight shape",
        "weight dtype",
        "object npy",
    ],
)
def test_crafted_network_files_are_refused(
    network_file, tmp_path, member, change, match
):
    path = tmp_path / "crafted.skimdb"
    path.write_bytes(network_file.read_bytes())
    _craft(path, member, change)
    with pytest.raises(ValueError, match=match):
        load_model(path)


def test_loading_never_reaches_the_keras_deserializer(network_file, monkeypatch):
    import keras

    def refuse(*args, **kwargs):
        raise AssertionError("Keras' deserializer was called")

    for module, name in [
        (keras.saving, "load_model"),
        (keras.saving, "deserialize_keras_object"),
        (keras.models, "model_from_json"),
        (keras.models, "load_model"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    loaded = load_model(network_file)
    original = fitted("seed-net", clf__epochs=2)
    np.testing.assert_array_equal(
        loaded.predict_proba(DOCS), original.predict_proba(DOCS)
    )


def test_parameters_that_json_cannot_hold_are_named(tmp_path):
    import keras

    pipe = fitted("seed-net", clf__epochs=1, clf__callbacks=[keras.callbacks.History()])
    with pytest.raises(TypeError, match="parameter callbacks="):
        save_model(pipe, tmp_path / "m.skimdb")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "name, content",
    [
        ("../evil.json", b"{}"),
        ("/etc/evil", b"{}"),
        ("step0/../../x", b"{}"),
        ("manifest.json", b"[" * 100_000 + b"]" * 100_000),
    ],
    ids=["dotdot", "absolute", "nested", "deep json"],
)
def test_crafted_members_are_refused(network_file, tmp_path, name, content):
    path = tmp_path / "crafted.skimdb"
    path.write_bytes(network_file.read_bytes())
    if name == "manifest.json":
        _craft(path, name, lambda b: content)
    else:
        import hashlib

        with zipfile.ZipFile(path) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        members[name] = content
        digests = json.loads(members.pop("checksums.json"))
        digests[name] = hashlib.sha256(content).hexdigest()
        members["checksums.json"] = json.dumps(digests).encode()
        with zipfile.ZipFile(path, "w") as zf:
            for member, data in members.items():
                zf.writestr(member, data)
    with pytest.raises(ValueError, match="not a valid sklearn-imdb model file"):
        load_model(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crafted.skimdb"]


def test_a_member_larger_than_declared_is_refused_in_bounded_memory(tmp_path):
    import tracemalloc

    path = tmp_path / "bomb.skimdb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b"\x00" * (64 << 20))  # 64 MB of zeros
    data = bytearray(path.read_bytes())
    # declare 100 bytes in the local header and the central directory
    data[22:26] = (100).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    tracemalloc.start()
    with pytest.raises(ValueError, match="not a valid sklearn-imdb model file"):
        load_model(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20  # far below the 64 MB the member would inflate to


def test_signed_files_verify_and_tampered_ones_do_not(tmp_path):
    pipe = fitted("logreg")
    path = save_model(pipe, tmp_path / "signed.skimdb", key=b"secret")
    loaded = load_model(path, key=b"secret")
    np.testing.assert_array_equal(loaded.predict_proba(DOCS), pipe.predict_proba(DOCS))
    assert load_model(path).predict(DOCS).tolist() == pipe.predict(DOCS).tolist()
    with pytest.raises(ValueError, match="signature does not verify"):
        load_model(path, key="another key")
    # a crafted member with recomputed checksums: the signature no longer holds
    _craft(path, "step1.coef_.npy", lambda b: _npy_bytes(np.zeros((1, 10000))))
    with pytest.raises(ValueError, match="signature does not verify"):
        load_model(path, key=b"secret")
    unsigned = save_model(pipe, tmp_path / "unsigned.skimdb")
    with pytest.raises(ValueError, match="not signed"):
        load_model(unsigned, key=b"secret")


def test_get_params_round_trip_with_tuples_and_int_keys(tmp_path):
    y = (LABELS == "pos").astype(int)
    pipe = named_pipeline(
        "tfidf-bigram-logreg", clf__class_weight={0: 1.0, 1: 2.5}
    ).fit(DOCS, y)
    assert isinstance(pipe[0].ngram_range, tuple)
    loaded = load_model(save_model(pipe, tmp_path / "m.skimdb"))
    for (name, step), (_, back) in zip(pipe.steps, loaded.steps):
        assert back.get_params(deep=False) == step.get_params(deep=False), name
    assert loaded[-1].class_weight == {0: 1.0, 1: 2.5}
    assert type(loaded[0].ngram_range) is tuple


@pytest.fixture(scope="module")
def vote_file(tmp_path_factory):
    from sklearn.ensemble import VotingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import Pipeline

    from sklearn_imdb import MultiHotVectorizer

    vote = VotingClassifier(
        [("logreg", LogisticRegression()), ("nb", MultinomialNB())],
        voting="soft",
        weights=[2, 1],
    )
    pipe = Pipeline([("vec", MultiHotVectorizer()), ("clf", vote)])
    path = tmp_path_factory.mktemp("model") / "vote.skimdb"
    save_model(pipe.fit(DOCS, LABELS), path)
    loaded = load_model(path)
    assert loaded.predict(DOCS).tolist() == pipe.predict(DOCS).tolist()
    np.testing.assert_array_equal(loaded.predict_proba(DOCS), pipe.predict_proba(DOCS))
    assert loaded.named_steps["clf"].weights == [2, 1]
    return path


def _nest_a_vote(step):
    step["estimators"][1] = {**json.loads(json.dumps(step)), "name": "inner"}


@pytest.mark.parametrize(
    "edit, match",
    [
        (_nest_a_vote, "unknown step kind 'VotingClassifier'"),
        (lambda s: s["params"]["weights"].append(1), "a weight for each"),
        (lambda s: s["params"].update(voting="eval"), "voting"),
        (lambda s: s["params"].update(estimators=[]), "a vote's parameters"),
        (lambda s: s["estimators"][1].update(name="weights"), "conflict"),
        (lambda s: s["estimators"].clear(), "needs members"),
    ],
    ids=["nested", "weights", "voting", "extra parameter", "name", "no members"],
)
def test_crafted_votes_are_refused(vote_file, tmp_path, edit, match):
    path = tmp_path / "crafted.skimdb"
    path.write_bytes(vote_file.read_bytes())
    _craft(path, "manifest.json", _manifest_change(edit))
    with pytest.raises(ValueError, match=match):
        load_model(path)


def test_a_large_vocabulary_read_as_a_view_names_its_terms_and_pickles(tmp_path):
    # past 1 MB a member is stored as it is and read into a buffer shared by
    # the arrays (a memoryview, not bytes): the terms must still split, and
    # the loaded pipeline pickle (joblib, Dask)

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from sklearn_imdb import MultiHotVectorizer, explain

    words = [f"word{i:06d}x" for i in range(120_000)]  # 1.4 MB of terms
    docs = [" ".join(words[i::4]) for i in range(4)]
    pipe = make_pipeline(MultiHotVectorizer(num_words=None), LogisticRegression())
    pipe.fit(docs, [0, 1, 0, 1])
    path = save_model(pipe, tmp_path / "large.skimdb")
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("step0.terms.txt").compress_type == zipfile.ZIP_STORED
    loaded = load_model(path)
    names = loaded[0].get_feature_names_out()
    np.testing.assert_array_equal(names, pipe[0].get_feature_names_out())
    assert loaded[0].vocabulary_["word000005x"] == pipe[0].vocabulary_["word000005x"]
    assert (
        explain(loaded, [docs[1]], top=3)[0].terms["term"].str.startswith("word").all()
    )
