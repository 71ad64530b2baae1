"""Valid alternative: minibatches via np.array_split of an index array; iterative updates with copies."""

import numpy as np


def sgd_step(W, dW, learning_rate):
    """New array W - learning_rate * dW."""
    return np.subtract(W, np.multiply(learning_rate, dW))


def sgd_steps(W, dW, learning_rate=0.1, steps=10):
    """W before any step, then after each of `steps` steps."""
    W = np.array(W, dtype=np.float64, copy=True)
    history = [W.copy()]
    for _ in range(steps):
        W -= learning_rate * dW
        history.append(W.copy())
    return history


def gradient_descent(grad_fn, w0, learning_rate, steps):
    """Iterates of w <- w - learning_rate * grad_fn(w), floats for a scalar w0."""
    scalar = np.ndim(w0) == 0
    w = np.array(w0, dtype=np.float64)
    iterates = [float(w) if scalar else w.copy()]
    for _ in range(steps):
        w = w - learning_rate * np.asarray(grad_fn(float(w) if scalar else w.copy()))
        iterates.append(float(w) if scalar else w.copy())
    return iterates


def minibatches(X, y, batch_size, shuffle=True, rng=None):
    """Aligned batches of batch_size rows (the last may be smaller)."""
    n = X.shape[0]
    if shuffle:
        indices = (rng if rng is not None else np.random).permutation(n)
    else:
        indices = np.arange(n)
    for rows in np.array_split(indices, np.arange(batch_size, n, batch_size)):
        yield X[rows], y[rows]


if __name__ == "__main__":
    for lr in (0.1, 100):
        print(lr, gradient_descent(lambda w: 2 * w, 1.0, lr, 10)[-1])
