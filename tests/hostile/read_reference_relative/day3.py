"""Attack: read the reference and hidden tests by relative paths, walking up from here and Python.
Defence: landlock"""
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

RELATIVE = ["../../reference/day3.py", "../reference/day3.py", "reference/day3.py",
            "../../../reference/day3.py", "../../graders/hidden/test_day3.py",
            "../../../graders/hidden/test_day3.py"]


def _walking_up(start):
    """Every ancestor of `start` joined with the places a kit keeps its secrets."""
    found, here = [], os.path.abspath(start)
    while True:
        for rel in ("reference/day3.py", "main/reference/day3.py", "work/main/reference/day3.py",
                    "graders/hidden/test_day3.py", "main/graders/hidden/test_day3.py"):
            found.append(os.path.join(here, rel))
        if here == os.path.dirname(here):
            return found
        here = os.path.dirname(here)


for _path in RELATIVE + _walking_up(os.path.dirname(__file__)) + _walking_up(os.getcwd()) + \
        _walking_up(os.path.dirname(sys.executable)):
    try:
        with open(_path) as _f:
            _text = _f.read()
        WON = WON or "def softmax" in _text or "def test_" in _text
    except OSError:
        pass


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
