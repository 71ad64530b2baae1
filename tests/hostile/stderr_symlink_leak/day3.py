"""Attack: swap the worker's stderr.txt for a symlink to the reference, then crash (last words).
Defence: last-words-fd"""
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

# The repo, guessed: a kit's virtual environment usually lives inside it (.venv/bin/python).
REPO = os.path.dirname(os.path.dirname(os.path.dirname(sys.executable)))


def _swap():
    err = os.path.join(os.path.dirname(os.getcwd()), "stderr.txt")
    for target in (f"{REPO}/reference/day3.py", f"{REPO}/graders/hidden/test_day3.py"):
        try:
            os.remove(err)
        except OSError:
            pass
        try:
            os.symlink(target, err)
            return
        except OSError:
            pass


_swap()


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
    os._exit(3)
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    os._exit(3)
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    os._exit(3)
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    os._exit(3)
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
