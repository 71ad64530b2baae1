"""Attack: an error message holding lone surrogates, which cannot be written as UTF-8.
Defence: escaping"""
import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)


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
    raise ValueError("a high surrogate \ud800, a low one \udcff, and a pair split \udbff")


def softmax(z):
    print("printed: \ud800\udfff \udc80")
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy \ud800")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
