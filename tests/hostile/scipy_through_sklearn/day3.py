"""Attack: import sklearn.datasets (allowed), then use SciPy and scikit-learn with no import:
sys.modules, the data functions' globals, the garbage collector.
Defence: sklearn-standin, landlock"""
import gc
import sys
import types

import numpy as np
import sklearn.datasets
from sklearn.model_selection import train_test_split

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)


def _special():
    """scipy.special, however it can be reached without an import statement."""
    found = sys.modules.get("scipy.special")
    if found is not None:
        return found
    for fn in (sklearn.datasets.load_digits, train_test_split):
        for value in getattr(fn, "__globals__", {}).values():
            if isinstance(value, types.ModuleType) and value.__name__.startswith("scipy"):
                return sys.modules.get("scipy.special", value)
    for obj in gc.get_objects():
        if isinstance(obj, types.ModuleType) and obj.__name__ == "scipy.special":
            return obj
    return None


SPECIAL = _special()
WON = SPECIAL is not None and any(m.startswith("sklearn.") and m not in (
    "sklearn.datasets", "sklearn.model_selection") for m in sys.modules)


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
    if SPECIAL is not None:
        return SPECIAL.softmax(np.asarray(z, dtype=float), axis=-1)
    return np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
