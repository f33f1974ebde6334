"""The network's forward pass in NumPy from its weights: Keras' numbers, without it.

A fitted network is a few Dense layers; predicting with it is a sparse
product, bias additions and activations, which NumPy and SciPy compute in
float32 as Keras does (to float32 rounding: the sums run in another order,
``tests/network/test_predictor.py``). Both the Keras classifier's
predictions (``_predictions``) and :class:`DenseNetworkPredictor`'s run here.
"""

import numpy as np
import scipy.sparse as sp
from scipy import special

__all__ = ["ACTIVATION_FUNCTIONS", "forward"]

# TensorFlow's constants for selu (tf.nn.selu)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


#: each hidden activation as Keras' TensorFlow backend computes it, on float32
ACTIVATION_FUNCTIONS = {
    "relu": lambda x: np.maximum(x, 0, out=x),
    "tanh": np.tanh,
    "sigmoid": special.expit,
    "elu": _elu,
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * _elu(x)),
    "gelu": lambda x: 0.5 * x * (1 + special.erf(x * np.float32(np.sqrt(0.5)))),
    "swish": lambda x: x * special.expit(x),
    "linear": lambda x: x,
}


def _softmax(x):
    x = np.exp(x - x.max(axis=1, keepdims=True))
    return x / x.sum(axis=1, keepdims=True)


def forward(X, kernels, biases, activation):
    """The network's outputs for the rows of ``X``, in float32.

    Parameters
    ----------
    X : ndarray or scipy sparse matrix of shape (n_samples, n_features)
        Features.
    kernels, biases : list of ndarray
        Each Dense layer's kernel (fan-in, fan-out) and bias, first to last.
    activation : str
        The hidden layers' activation (a key of :data:`ACTIVATION_FUNCTIONS`);
        the last layer's is the sigmoid for one output, the softmax for more.

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs)
        What the Keras model returns for ``X`` with dropout off.
    """
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float32)
    else:
        X = np.asarray(X, dtype=np.float32)
    hidden = ACTIVATION_FUNCTIONS[activation]
    x = X
    for i, (kernel, bias) in enumerate(zip(kernels, biases)):
        x = x @ kernel
        x += bias
        if i < len(kernels) - 1:
            x = hidden(x)
    return special.expit(x) if x.shape[1] == 1 else _softmax(x)
