"""Save and load fitted pipelines without pickle.

A model file is a zip archive holding ``manifest.json`` (the steps and their
parameters), the vectorizer's vocabulary as JSON, and every fitted array as
``.npy`` (read with ``allow_pickle=False``): linear models' coefficients and
the network's weights. The network is rebuilt in code by
:func:`sklearn_imdb.build_network` from its stored parameters, which
are validated (and the weights' shapes checked) before anything is built:
nothing in a file reaches Keras' deserializer or pickle. Member names, sizes
and the nesting of JSON are bounded. A damaged or crafted file raises
``ValueError``.

Every member has a SHA-256 checksum in ``checksums.json``: that catches
damage, not a crafted file (whoever crafts a member recomputes its checksum).
``save_model(..., key=...)`` adds ``signature``, an HMAC-SHA256 of the
checksums under a secret key, and ``load_model(..., key=...)`` refuses a file
whose signature does not verify: only a holder of the key can make a file
that loads.

Parameters are stored as JSON with one rule for what JSON lacks: a tuple is
``{"__tuple__": [...]}`` and a dict whose keys are not all strings is
``{"__items__": [[key, value], ...]}``, so ``get_params()`` round-trips;
a parameter JSON cannot hold (a callback object, a ``RandomState``) makes
:func:`save_model` raise ``TypeError`` naming it.

Pickle and joblib keep working on every estimator of this package, but only
load pickles you trust: unpickling runs arbitrary code.
"""

import json
import zipfile
from pathlib import Path

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ..utils._files import atomic_write
from ._format import decode, encode, loads, read_members, write_members
from ._steps import dump_step, load_step

__all__ = ["save_model", "load_model"]

FORMAT = "sklearn-imdb-model"
VERSION = 2


def save_model(pipeline, path, *, key=None, metadata=None):
    """Save a fitted pipeline to ``path`` in a pickle-free format.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted pipeline whose steps are a :class:`MultiHotVectorizer`,
        optional :class:`NBFeatureWeighter`, and a
        :class:`DenseNetworkClassifier`, a linear model (LogisticRegression,
        LinearSVC, SGDClassifier, Multinomial, Bernoulli or Complement NB) or a
        :class:`~sklearn.ensemble.VotingClassifier` of these.
    path : str or path-like
        The file to write (conventionally ``*.skimdb``). Written atomically.
    key : bytes, str or None, default=None
        A secret key: the file is signed (HMAC-SHA256) so that
        :func:`load_model` with the same key can tell it was made by a key
        holder.
    metadata : dict or None, default=None
        What to tell about the model (its name, its training data, its
        scores): JSON values, returned by ``load_model(...,
        return_metadata=True)`` and shown by ``sklearn-imdb serve``.

    Returns
    -------
    path : Path
        Where the model was written.
    """
    if not isinstance(pipeline, Pipeline):
        raise TypeError(
            f"save_model expects a fitted Pipeline, got {type(pipeline).__name__}."
        )
    check_is_fitted(pipeline)
    members, steps = {}, []
    for i, (name, step) in enumerate(pipeline.steps):
        steps.append({"name": name, **dump_step(step, f"step{i}", members)})
    manifest = {"format": FORMAT, "version": VERSION, "steps": steps}
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise TypeError(f"metadata must be a dict, got {type(metadata).__name__}")
        manifest["metadata"] = encode(metadata)
    members["manifest.json"] = json.dumps(manifest, indent=1).encode()
    path = Path(path)
    with atomic_write(path) as f:
        write_members(f, members, key)
    return path


def load_model(path, *, key=None, return_metadata=False):
    """Load a pipeline written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like
        The model file.
    key : bytes, str or None, default=None
        The key the file was signed with: a file whose signature does not
        verify, or that is not signed, is refused.
    return_metadata : bool, default=False
        Also return the metadata given to :func:`save_model`.

    Returns
    -------
    pipeline : Pipeline
        The fitted pipeline, predicting exactly as the saved one. A network
        step is a :class:`~sklearn_imdb.network.DenseNetworkPredictor`: it
        predicts with NumPy, without starting TensorFlow.
    metadata : dict
        Only with ``return_metadata``: the saved metadata ({} if none).

    Raises
    ------
    ValueError
        If the file is not a model file, or is damaged or tampered with.
    """
    path = Path(path)
    try:
        members = read_members(path, key)
        manifest = loads(members["manifest.json"])
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ValueError("not a sklearn-imdb model file of a known version")
        steps = [
            (spec["name"], load_step(spec, f"step{i}", members))
            for i, spec in enumerate(manifest["steps"])
        ]
        metadata = decode(manifest.get("metadata", {}))
        if not isinstance(metadata, dict):
            raise ValueError("its metadata is not a JSON object")
    except FileNotFoundError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        TypeError,
        ValueError,
        OSError,
        AttributeError,
    ) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise ValueError(
            f"{path} is not a valid sklearn-imdb model file ({reason})."
        ) from exc
    pipeline = Pipeline(steps)
    return (pipeline, metadata) if return_metadata else pipeline
