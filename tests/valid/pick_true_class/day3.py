"""Day 3 variant: relu as z * (z > 0); loss from the true class's probability; eps=1e-15."""

import numpy as np

from day2 import layer_forward  # noqa: F401  (kept: the stub's import line)


def relu(z):
    return z * (z > 0)


def softmax(z):
    exps = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def cross_entropy(predictions, targets):
    p = np.asarray(predictions, dtype=float).reshape(-1, np.shape(predictions)[-1])
    t = np.asarray(targets).reshape(p.shape)
    true_class = np.argmax(t, axis=1)
    picked = p[np.arange(len(p)), true_class]
    return np.mean(-np.log(np.clip(picked, 1e-15, 1 - 1e-15)))


def forward_and_loss(X, W, B, targets):
    return cross_entropy(softmax(X.dot(W) + B), targets)
