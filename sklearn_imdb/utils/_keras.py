"""Import TensorFlow and Keras lazily and quietly, with this process's thread limits.

TensorFlow's start is owned here: the thread limits that ``parallel`` puts in
the environment are applied as it starts. TensorFlow prints start-up messages
(oneDNN, CUDA probing) straight to the process's standard error before its
logging is configured; they are not the user's business. :func:`import_keras`
silences that file descriptor while TensorFlow loads and sets
``TF_CPP_MIN_LOG_LEVEL`` unless the user did.
"""

import contextlib
import os
import sys

__all__ = ["apply_tensorflow_threads", "import_keras"]


@contextlib.contextmanager
def _quiet_stderr_fd():
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (e.g. some notebooks)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """Import Keras on the TensorFlow backend without start-up noise.

    Returns
    -------
    keras : module
        The ``keras`` package.
    """
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _quiet_stderr_fd():
        import keras
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    apply_tensorflow_threads(tf)
    return keras


def apply_tensorflow_threads(tf):
    """Honour TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS explicitly.

    Parallel searches set them so that each worker process uses its share
    of the cores; applying them through ``tf.config`` makes them visible and
    independent of how a TensorFlow build reads its environment.
    """
    for name, setter in (
        (
            "TF_NUM_INTRAOP_THREADS",
            tf.config.threading.set_intra_op_parallelism_threads,
        ),
        (
            "TF_NUM_INTEROP_THREADS",
            tf.config.threading.set_inter_op_parallelism_threads,
        ),
    ):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            try:
                setter(int(value))
            except RuntimeError:  # TensorFlow already started its thread pools
                pass
