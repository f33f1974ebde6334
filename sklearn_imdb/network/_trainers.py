"""Compiled copies of small networks kept between fits, so that Keras traces each once.

Keras traces a model's training step into a TensorFlow graph the first time
the model is fitted: about 1.2 s for the notebook's network, more than its
four epochs take once traced (``benchmarks/profile_fit.py``). A grid search
fits the same network once per fold, and a new estimator builds a new model
each time. Keras' own ``clone_model`` and ``set_weights`` do not carry traced
functions over, so a trainer is kept here: a compiled model of the same
layers and compile settings that has already been traced.

A fit copies the estimator's model's state into a free trainer (weights, the
dropout layers' seed states and the optimizer's variables), trains the
trainer and copies its state back, each copy one graph call. Every
number is computed by Keras' own training step from the same state, so the
results are those of training the model itself to float32 rounding
(``tests/network/test_trainers.py``; bit for bit where both graphs get the
same kernels); only the loop around the steps is ours
(``_epoch_function``). The estimator's model never enters the cache, so a
user holding ``clf.model_`` never sees it change.
"""

import collections
import contextlib
import functools
import json
import threading

from ..utils._keras import import_keras

__all__ = ["TracedCopies", "clear", "network_key", "trainer"]

#: trainers kept per process; a grid search fits one network at a time
MAX_TRAINERS = 4
#: larger networks train for long enough that tracing hardly counts
MAX_PARAMS = 4_000_000

_lock = threading.Lock()
_free = collections.OrderedDict()  # key -> list of free trainers, oldest first


def network_key(model):
    """What a trainer must share with ``model``: its layers and compile settings.

    Parameters
    ----------
    model : keras.Model
        A compiled model.

    Returns
    -------
    key : str or None
        The layers' and compile settings' configurations, without the seeds
        (the seeds' effect is in the copied state); None when ``model`` is
        not to be cached (too large, run eagerly, not serialisable).
    """
    try:
        if model.count_params() > MAX_PARAMS or not model.compiled:
            return None
        compile_config = model.get_compile_config()
        if compile_config.get("run_eagerly"):
            return None
        compile_config["optimizer"]["config"].pop("name", None)
        config = [model.get_config(), compile_config]
        return json.dumps(_without_seeds(config), sort_keys=True)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


@contextlib.contextmanager
def trainer(model, key, *, steps_per_epoch=1):
    """A traced model holding ``model``'s state, to train; returned to the cache after.

    Parameters
    ----------
    model : keras.Model
        The estimator's model.
    key : str or None
        ``network_key(model)``; None yields ``model`` itself.
    steps_per_epoch : int, default=1
        Batches in an epoch of the fit: the trainer runs an epoch a call
        from Python.

    Yields
    ------
    trainer : keras.Model
        The model to fit.
    """
    if key is None:
        yield model
        return
    with _lock:
        cached = _free.get(key)
        found = cached.pop() if cached else None
        if cached == []:  # no empty lists: the oldest key always has a trainer
            del _free[key]
    found = found or _compiled_copy(model)
    if found.steps_per_execution != steps_per_epoch:
        # Keras' validation function has the steps a call traced in: anew
        found.steps_per_execution, found.test_function = steps_per_epoch, None
    _copy_state(model, found)
    try:
        yield found
        _copy_state(found, model)  # the block ended without an error
    finally:
        with _lock:
            _free.setdefault(key, []).append(found)
            _free.move_to_end(key)
            while sum(map(len, _free.values())) > MAX_TRAINERS:
                oldest = next(iter(_free))
                _free[oldest].pop(0)
                if not _free[oldest]:
                    del _free[oldest]


def clear():
    """Drop every cached trainer."""
    with _lock:
        _free.clear()


def _compiled_copy(model):
    # not keras.models.clone_model: its copy takes dense input
    keras = import_keras()
    copy = keras.Model.from_config(model.get_config())
    copy.compile_from_config(model.get_compile_config())
    # Keras' TensorFlow trainer creates the metrics' and the loss trackers'
    # variables while tracing the first step, and tf.function then traces it
    # a second time without them; built beforehand, the step is traced once
    # (0.3 s less a trainer). Their builds need the outputs' shape alone:
    # Keras' _symbolic_build would also run the model symbolically
    outputs = keras.KerasTensor(model.outputs[0].shape, "float32")
    for compiled in (copy._compile_metrics, copy._compile_loss):
        if compiled is not None and not compiled.built:
            compiled.build(outputs, outputs)
    copy.train_function = _epoch_function(copy)
    return copy


def _epoch_function(model):
    """Keras' train function, with the steps a call a graph input, not a constant.

    Keras traces ``steps_per_execution`` into its train function, so a fold
    of 33 batches an epoch and the refit's 49 each traced the network anew
    (~1 s); its loop also checks for the data's end before each step
    (optionals and conditionals, ~0.3 s of the trace), which a call that is
    an epoch never meets. Here one trace serves every number of steps, and
    the step itself is Keras' ``train_step``, so the numbers are the same.
    """
    import tensorflow as tf

    def epoch(iterator, steps):
        def step(done):
            logs = model.train_step(iterator.get_next())
            with tf.control_dependencies(tf.nest.flatten(logs)):
                return done + 1

        tf.while_loop(lambda done: done < steps, step, [0], parallel_iterations=1)
        return model.get_metrics_result()  # what the last step returned

    epoch = tf.function(epoch, autograph=False)
    return lambda iterator: epoch(iterator, tf.constant(model.steps_per_execution))


def _copy_state(source, target):
    for each in (source, target):
        each.optimizer.build(each.trainable_variables)  # once: built stays
    variables = [
        [v.value for v in (*model.variables, *model.optimizer.variables)]
        for model in (source, target)
    ]
    if len(variables[0]) != len(variables[1]):
        raise ValueError("The trainer's variables are not the model's.")
    _assign_all()(*variables)


@functools.cache
def _assign_all():
    """One graph call assigning every variable, traced per number of variables.

    Assigning a network's 20 to 40 variables one by one from Python took
    18-20 ms a copy, two copies a fit; one call takes 1-2 ms (ad hoc). The
    variables are inputs, so other models of the same shapes reuse a trace,
    and ``reduce_retracing`` lets other shapes reuse it too.
    """
    import tensorflow as tf

    def assign_all(sources, targets):
        for src, dst in zip(sources, targets, strict=True):
            dst.assign(src)

    return tf.function(assign_all, autograph=False, reduce_retracing=True)


def _without_seeds(config):
    if isinstance(config, dict):
        return {k: _without_seeds(v) for k, v in config.items() if k != "seed"}
    if isinstance(config, list):
        return [_without_seeds(v) for v in config]
    return config


class TracedCopies:
    """The estimator's side: fitting through a trainer.

    A mixin for a scikeras wrapper whose ``model_`` is a network built by
    ``network.build_network``; callbacks of the user's, which see every
    batch and would hold on to the trainer, keep the work on ``model_``.
    """

    @contextlib.contextmanager
    def _training_copy(self, steps_per_epoch):
        # scikeras fits self.model_: the trainer stands in for it meanwhile
        key = self._trainer_key()
        with trainer(self.model_, key, steps_per_epoch=steps_per_epoch) as model:
            own, self.model_ = self.model_, model
            try:
                yield
            finally:
                self.model_ = own

    def _trainer_key(self):
        # the user's steps per call, or strategy, keep Keras' own train function
        params = self.get_params()
        names = ("callbacks", "fit__callbacks", "compile__steps_per_execution")
        if any(params.get(name) is not None for name in names):
            return None
        import tensorflow as tf

        if tf.distribute.has_strategy():
            return None
        return network_key(self.model_)
