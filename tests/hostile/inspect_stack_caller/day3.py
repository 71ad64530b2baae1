"""Attack: inspect.stack() for the caller's 'expected' locals and the caller's source code."""
import inspect

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

NAMES = ("expected", "want", "exact", "answer", "reference", "truth")


def _from_stack(like):
    """A value named like an answer, or an array shaped like `like`, in any calling frame."""
    like = np.asarray(like)
    for info in inspect.stack()[2:]:
        try:
            inspect.getsource(info.frame)
        except (OSError, TypeError):
            pass
        for name, value in info.frame.f_locals.items():
            if name in NAMES or (type(value) is np.ndarray and value.shape == like.shape and
                                 not np.array_equal(value, like)):
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
    found = _from_stack(z)
    if found is not None:
        return found
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    found = _from_stack(z)
    if found is not None:
        return found
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
