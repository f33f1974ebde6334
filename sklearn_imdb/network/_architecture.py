"""The Keras network, built from plain parameters: for fitting and for loading.

:class:`~sklearn_imdb.DenseNetworkClassifier` builds its model here, and so
does :func:`~sklearn_imdb.load_model`, from a model file's JSON description
and weight arrays; nothing is ever passed to Keras' deserializer.

The layer that reads the sparse rows multiplies them with TensorFlow's
``sparse_dense_matmul``: Keras' own ``Dense`` takes the ``embedding_lookup_sparse``
route for a ``SparseTensor``, whose forward and backward pass on a 512-review
batch cost 9.0 ms here against 1.6 ms, the bulk of a fit. TensorFlow's CPU
kernel for that product switches to a slower path from 32 columns of the
dense operand on (``kNumVectorize`` in its ``sparse_tensor_dense_matmul_op.cc``),
so wider kernels are multiplied in slices of 16 columns: 2.4 ms against
18.1 ms in one product for 32 units, 4.7 against 28.0 for 64, the same
numbers to float32 rounding (all measured by ``benchmarks/profile_fit.py``).
"""

import functools

from ..utils._keras import import_keras

__all__ = ["ARCHITECTURE", "build_network", "weight_shapes"]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "linear")
OPTIMIZERS = ("rmsprop", "adam", "adamw", "sgd", "adagrad", "nadam")
LOSSES = ("binary_crossentropy", "mse", "mean_squared_error")
#: the classifier's parameters that decide the network's layers
ARCHITECTURE = ("hidden_layers", "units", "activation", "dropout", "loss")


def weight_shapes(n_features, n_classes, *, hidden_layers, units):
    """The shapes of the network's weights, in ``model.get_weights()`` order.

    Parameters
    ----------
    n_features : int
        Input size.
    n_classes : int
        Number of classes (2 gives one sigmoid output).
    hidden_layers : int
        Number of hidden Dense layers.
    units : int
        Units of each hidden layer.

    Returns
    -------
    shapes : list of tuple
        Kernel and bias shapes, layer by layer.
    """
    sizes = (
        [n_features] + [units] * hidden_layers + [1 if n_classes <= 2 else n_classes]
    )
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        shapes += [(fan_in, fan_out), (fan_out,)]
    return shapes


def build_network(
    n_features,
    n_classes,
    *,
    hidden_layers,
    units,
    activation,
    dropout,
    loss,
    sparse,
    seed,
    compile_kwargs=None,
):
    """Dense layers on (sparse) bag-of-words input; a sigmoid or softmax output.

    Parameters
    ----------
    n_features : int
        Input size.
    n_classes : int
        Number of classes: 2 gives one sigmoid unit, more a softmax layer.
    hidden_layers, units, activation, dropout : int, int, str, float
        The hidden layers (see :class:`~sklearn_imdb.DenseNetworkClassifier`).
    loss : str
        ``"mse"`` or cross-entropy (binary or categorical, from ``n_classes``).
    sparse : bool
        Whether the input is a sparse tensor.
    seed : int
        Seed of the initial weights and the dropout layers.
    compile_kwargs : dict or None, default=None
        Passed to ``model.compile`` (optimizer, metrics, ...); None leaves the
        model uncompiled.

    Returns
    -------
    model : keras.Model
        The network.
    """
    keras = import_keras()
    inputs = keras.Input(shape=(n_features,), sparse=sparse, name="features")
    x = inputs
    for i in range(hidden_layers):
        x = (_sparse_dense_class() if i == 0 else keras.layers.Dense)(
            units,
            activation=activation,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i),
            name=f"hidden_{i + 1}",
        )(x)
        if dropout:
            x = keras.layers.Dropout(dropout, seed=seed + 100 + i)(x)
    binary = n_classes <= 2
    outputs = (_sparse_dense_class() if hidden_layers == 0 else keras.layers.Dense)(
        1 if binary else n_classes,
        activation="sigmoid" if binary else "softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 99),
        name="output",
    )(x)
    model = keras.Model(inputs, outputs, name="dense_network")
    if compile_kwargs is not None:
        compile_kwargs = dict(compile_kwargs)
        compile_kwargs["loss"] = (
            "mse"
            if loss in ("mse", "mean_squared_error")
            else ("binary_crossentropy" if binary else "categorical_crossentropy")
        )
        compile_kwargs["metrics"] = compile_kwargs.get("metrics") or ["accuracy"]
        model.compile(**compile_kwargs)
    return model


@functools.cache
def _sparse_dense_class():
    """``keras.layers.Dense`` multiplying a ``tf.SparseTensor`` input directly.

    Defined on first use, so that importing this module does not import
    TensorFlow; registered, so that Keras can copy and pickle the model.
    """
    keras = import_keras()
    import tensorflow as tf

    @keras.saving.register_keras_serializable(package="sklearn_imdb")
    class SparseInputDense(keras.layers.Dense):
        def call(self, inputs, training=None):
            if not isinstance(inputs, tf.SparseTensor):
                return super().call(inputs, training=training)
            outputs = _sparse_matmul(tf, inputs, self.kernel)
            if self.use_bias:
                outputs = outputs + self.bias
            return self.activation(outputs)

    return SparseInputDense


#: columns of the kernel multiplied at once (TensorFlow's fast path: < 32)
KERNEL_SLICE = 16


def _sparse_matmul(tf, sparse, kernel):
    """``sparse @ kernel``, in slices of ``KERNEL_SLICE`` columns (see above)."""
    units = kernel.shape[-1]
    if units < 2 * KERNEL_SLICE:
        return tf.sparse.sparse_dense_matmul(sparse, kernel)
    sizes = [KERNEL_SLICE] * (units // KERNEL_SLICE)
    if units % KERNEL_SLICE:
        sizes.append(units % KERNEL_SLICE)
    parts = tf.split(kernel, sizes, axis=1)
    return tf.concat([tf.sparse.sparse_dense_matmul(sparse, p) for p in parts], axis=1)
