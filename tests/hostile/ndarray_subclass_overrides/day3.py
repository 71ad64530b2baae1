"""Attack: ndarray subclasses whose __array_function__/__array_ufunc__ make allclose True.
Defence: exact-types"""

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

class Liar(np.ndarray):
    """Every NumPy function and ufunc on it answers True."""

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.ones(np.shape(inputs[0]), dtype=bool).view(Liar)

    def __eq__(self, other):
        return True

    __hash__ = None


class Float(np.float64):
    def __eq__(self, other):
        return True

    __hash__ = np.float64.__hash__


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
    return np.zeros_like(np.asarray(z, dtype=float)).view(Liar)
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return np.matrix(_softmax(z)) if np.ndim(z) == 2 else np.ma.masked_array(_softmax(z))
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    return Float(0.0)
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return Float(_cross_entropy(_softmax(np.asarray(X) @ W + B), targets))
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
