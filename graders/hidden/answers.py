"""The grader's own solutions: where the public checks take their expected values from.

They live here, beside the hidden checks, so that the student kit never holds them: the kit
gets their values as data instead (`graders/expected.py`, written when the kit is built). Each
takes and returns plain NumPy values; the hidden checks use them directly.
"""
import numpy as np


def sigmoid(x):
    """Day 1: a stable sigmoid, elementwise (a 0-d array for a number)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softmax_rows(z):
    """Day 3: a stable softmax along the last axis."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def mean_cross_entropy(p, t):
    """Day 3: the mean over rows of -sum_c t log p (p has no zeros here)."""
    return float(np.mean(-np.sum(t * np.log(p), axis=-1)))


def shifted_cross_entropy(p, t, eps):
    """Day 3: the mean cross-entropy with log(p + eps), for 1-D (one row) or 2-D inputs."""
    return float(np.mean(-np.sum(np.atleast_2d(t) * np.log(np.atleast_2d(p) + eps), axis=-1)))


def stable_sigmoid(x):
    """Day 4: 1 / (1 + e^-x) without overflow."""
    return 0.5 * (1 + np.tanh(0.5 * x))


def sigmoid_derivative(x):
    """Day 4: s (1 - s) of the stable sigmoid."""
    s = stable_sigmoid(x)
    return s * (1 - s)


def numerical_gradient(f, x, h=1e-5):
    """Day 4: centered differences of f at every element of x (float64); x is left unchanged."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def softmax(z):
    """Day 6: a stable softmax of each row."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def probabilities(p, X):
    """Day 6: softmax(relu(X @ W1 + b1) @ W2 + b2) for the parameters p."""
    return softmax(np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"])


def network_loss(p, X, y):
    """Day 6: the mean over the batch of -sum_c y log(probs), by a stable log-softmax."""
    z = np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    z = z - z.max(axis=1, keepdims=True)
    return float(-np.mean(np.sum(y * (z - np.log(np.exp(z).sum(axis=1, keepdims=True))), 1)))


def loss_gradient(name, p, X, y):
    """Day 6: centered differences of the network's loss in the parameter `name`."""
    def loss(v):
        return network_loss(dict(p, **{name: v}), X, y)
    return numerical_gradient(loss, p[name])


def stale_w1_gradient(p, X, y, rate, dW2):
    """Day 6: dW1 as a backward computes it when it has already moved W2 by its step: the
    chain rule then carries the gradient back through the new W2 instead of the one that
    forward used."""
    Z1 = X @ p["W1"] + p["b1"]
    dZ2 = (probabilities(p, X) - y) / len(X)
    return X.T @ (dZ2 @ (p["W2"] - rate * dW2).T * (Z1 > 0))
