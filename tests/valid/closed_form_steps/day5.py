"""Valid alternative: sgd_steps in closed form W - k * lr * dW, slicing views, while-loop gradient_descent."""

import numpy as np


def sgd_step(W, dW, learning_rate):
    """One step, as a new array."""
    W_new = np.copy(W)
    W_new -= learning_rate * dW
    return W_new


def sgd_steps(W, dW, learning_rate=0.1, steps=10):
    """With a fixed gradient, step k is W - k * learning_rate * dW."""
    return [W - k * learning_rate * dW for k in range(steps + 1)]


def gradient_descent(grad_fn, w0, learning_rate, steps):
    """Iterates of w <- w - learning_rate * grad_fn(w), built with a while loop."""
    iterates = [w0]
    while len(iterates) <= steps:
        w = iterates[-1]
        iterates.append(w - learning_rate * grad_fn(w))
    return iterates


def minibatches(X, y, batch_size, shuffle=True, rng=None):
    """Shuffle a copy of the data once, then yield consecutive slices."""
    if shuffle:
        perm = np.random.permutation(len(X)) if rng is None else rng.permutation(len(X))
        X, y = X[perm], y[perm]
    start = 0
    while start < len(X):
        yield X[start:start + batch_size], y[start:start + batch_size]
        start += batch_size
