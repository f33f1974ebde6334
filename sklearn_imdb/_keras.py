"""Import TensorFlow and Keras lazily and quietly.

TensorFlow prints start-up messages (oneDNN, CUDA probing) straight to the
process's standard error before its logging is configured; they are not the
user's business. :func:`import_keras` silences that file descriptor while
TensorFlow loads and sets ``TF_CPP_MIN_LOG_LEVEL`` unless the user did.
"""

import contextlib
import os
import sys

__all__ = ["import_keras"]


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
    from .parallel import apply_tensorflow_threads

    apply_tensorflow_threads(tf)
    return keras
