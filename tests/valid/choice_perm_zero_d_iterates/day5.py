"""Valid alternative: 0-d array iterates for a float w0, permutation by rng.choice/np.random.shuffle, a generator expression of batches."""

import numpy as np


def sgd_step(W, dW, learning_rate):
    """A new array W - learning_rate * dW, built with np.subtract."""
    return np.subtract(W, learning_rate * np.asarray(dW))


def sgd_steps(W, dW, learning_rate=0.1, steps=10):
    """Every W seen, each a fresh array."""
    history = [np.array(W, dtype=np.float64)]
    for step in range(1, steps + 1):
        history.append(sgd_step(history[step - 1], dW, learning_rate))
    return history


def gradient_descent(grad_fn, w0, learning_rate, steps):
    """Iterates as float64 arrays (0-d when w0 is a number)."""
    w = np.array(w0, dtype=np.float64)
    iterates = [w]
    for _ in range(steps):
        w = w - learning_rate * np.asarray(grad_fn(w))
        iterates.append(w)
    return iterates


def minibatches(X, y, batch_size, shuffle=True, rng=None):
    """Row indices drawn without replacement, then consecutive chunks."""
    n = len(X)
    if not shuffle:
        idx = np.arange(n)
    elif rng is not None:
        idx = rng.choice(n, size=n, replace=False)
    else:
        idx = np.arange(n)
        np.random.shuffle(idx)
    return ((X[idx[i:i + batch_size]], y[idx[i:i + batch_size]])
            for i in range(0, n, batch_size))
