"""Attack: leave 1200 nested folders in the worker's folder, so that a recursive cleanup fails.
Defence: cleanup, disk-cap"""
# (disk-cap: the watch on the folder stops the worker when it sees 64 levels; on a busy machine
# it may see them before the 1200 are made, and a shallower tree is removed even recursively)
import os

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

_top = os.getcwd()
try:
    for _ in range(1200):
        os.mkdir("d")
        os.chdir("d")
except OSError:
    pass
os.chdir(_top)


def _relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _cross_entropy(p, t):
    p, t = np.atleast_2d(p), np.atleast_2d(t)
    return float(np.mean(-np.sum(t * np.log(np.clip(p, 1e-12, 1.0)), axis=1)))


def relu(z):
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
