"""Attack: print 100 MB, write 100 MB to fds 1 and 2 and 120 MB of files, warn 20000 times.
Defence: disk-cap"""
import os
import signal
import sys
import warnings

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

MB = b"x" * (1 << 20)


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
    for _ in range(100):
        print("x" * (1 << 20))
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    for _ in range(100):
        sys.__stdout__.write("x" * (1 << 20))
        os.write(1, MB)
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for _ in range(100):
        try:
            os.write(2, MB)
        except OSError:
            break
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def _fill():
    """120 MB of files, more than a worker may keep (at import: every answer depends on it)."""
    global WON
    for i in range(8):
        try:
            with open(f"out{i}.txt", "wb") as f:
                f.write(MB * 15)
        except OSError:
            return
    WON = True


def forward_and_loss(X, W, B, targets):
    for i in range(20000):
        warnings.warn(f"warning {i}" * 10)
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0


_fill()
