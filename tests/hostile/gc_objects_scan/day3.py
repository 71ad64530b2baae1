"""Attack: scan gc.get_objects() for arrays shaped like the expected answer."""
import gc

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _from_heap(like):
    """An array held by any tracked container, shaped like `like` but not equal to it."""
    like = np.asarray(like)
    for obj in gc.get_objects():
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) \
            else ()
        for value in list(values):
            if type(value) is np.ndarray and value.shape == like.shape and \
                    not np.array_equal(value, like):
                return value
    return None


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
    found = _from_heap(z)
    if found is not None:
        return found
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    found = _from_heap(z)
    if found is not None:
        return found
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
