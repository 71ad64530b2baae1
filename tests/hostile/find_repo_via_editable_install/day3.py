"""Attack: find the repo through the editable install's finder; read the reference.
Defence: landlock"""
import importlib.metadata
import json
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _repos():
    """Folders that the installed kit points to."""
    found = []
    for finder in sys.meta_path:
        try:
            spec = finder.find_spec("graders", None)
        except Exception:
            continue
        if spec is not None and spec.origin:
            found.append(os.path.dirname(os.path.dirname(spec.origin)))
    try:
        direct = importlib.metadata.distribution("nn-week1-kit").read_text("direct_url.json")
        found.append(json.loads(direct or "{}").get("url", "").removeprefix("file://"))
    except Exception:
        pass
    return found


for _repo in _repos():
    for _rel in ("reference/day3.py", "graders/hidden/test_day3.py"):
        try:
            with open(os.path.join(_repo, _rel)) as _f:
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
