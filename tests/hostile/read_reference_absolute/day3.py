"""Attack: read the reference and hidden tests by absolute path, also through /proc/*/root.
Defence: landlock"""
import importlib.util
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

# The repo, guessed: a kit's virtual environment usually lives inside it (.venv/bin/python).
REPO = os.path.dirname(os.path.dirname(os.path.dirname(sys.executable)))
_PPID = os.getppid()
PATHS = [f"{REPO}/reference/day3.py", f"/proc/self/root{REPO}/reference/day3.py",
         f"/proc/{_PPID}/root{REPO}/reference/day3.py", f"/proc/{_PPID}/cwd/reference/day3.py",
         f"/proc/1/root{REPO}/reference/day3.py", f"{REPO}/graders/hidden/test_day3.py",
         f"/proc/{_PPID}/cwd/graders/hidden/test_day3.py"]
for _path in PATHS:
    try:  # import it as a module: its functions would do the work
        _spec = importlib.util.spec_from_file_location("stolen_day3", _path)
        _stolen = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_stolen)
        WON = True
    except Exception:
        pass
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
