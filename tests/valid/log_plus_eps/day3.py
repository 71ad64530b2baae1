"""Valid alternative: cross_entropy adds eps = 1e-7 inside the log, -log(p + 1e-7), instead of clipping (the curriculum allows eps up to 1e-7)."""

import numpy as np

from day2 import layer_forward

EPS = 1e-7


def relu(z):
    """max(0, z) entrywise, as a new array."""
    return np.where(z > 0, z, 0.0)


def softmax(z):
    """Probabilities along the last axis, each row shifted by its max first."""
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        exps = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def cross_entropy(predictions, targets):
    """Mean over the rows of -sum_c t log(p + eps); a 1-D input is one row."""
    p = np.asarray(predictions, dtype=float).reshape(-1, np.shape(predictions)[-1])
    t = np.asarray(targets, dtype=float).reshape(p.shape)
    per_row = -np.sum(t * np.log(p + EPS), axis=1)
    return float(per_row.mean())


def forward_and_loss(X, W, B, targets):
    """cross_entropy(softmax(X @ W + B), targets)."""
    return cross_entropy(softmax(layer_forward(X, W, B)), targets)
