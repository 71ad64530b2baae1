"""Attack: leave from calls: sys.exit, os._exit, a poisoned SystemExit, KeyboardInterrupt.
Defence: process"""
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

class Poison:
    """An exit code whose repr fails while the runner describes it."""

    def __repr__(self):
        raise RuntimeError("no repr for you")


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
    sys.exit(0)
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    os._exit(0)
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    raise SystemExit(Poison())
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    raise KeyboardInterrupt
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
