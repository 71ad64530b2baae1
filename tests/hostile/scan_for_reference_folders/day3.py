"""Attack: walk the filesystem from / for reference/ and hidden/ folders and read them.
Defence: landlock"""
import os
import sys
import time

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _scan(top, budget=1.5):
    """True when a reference/day3.py or hidden/test_day3.py under `top` could be read."""
    stop = time.monotonic() + budget
    for root, dirs, files in os.walk(top):
        if time.monotonic() > stop:
            return False
        dirs[:] = [] if root.count(os.sep) > 6 else [d for d in dirs if d not in
                                                    ("proc", "sys", "dev", ".git", ".venv")]
        name = {"reference": "day3.py", "hidden": "test_day3.py"}.get(os.path.basename(root))
        if name in files:
            try:
                with open(os.path.join(root, name)) as f:
                    text = f.read()
                if "def softmax" in text or "def test_" in text:
                    return True
            except OSError:
                pass
    return False


# near this Python first (its virtual environment often lives in the kit), then everywhere
_NEAR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(sys.executable))))
WON = any(_scan(top) for top in (_NEAR, "/work", "/tmp", "/root", "/home", "/"))


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
