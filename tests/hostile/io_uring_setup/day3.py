"""Attack: io_uring_setup: a ring whose requests (connect, openat, ...) no seccomp filter sees.
Defence: seccomp"""
import ctypes
import os

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

IO_URING_SETUP = 425  # the same number on every architecture


def _setup():
    global WON
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    params = ctypes.create_string_buffer(120)  # struct io_uring_params, all zero
    ring = libc.syscall(IO_URING_SETUP, 4, params)
    if ring >= 0:
        os.close(ring)
        WON = True


_setup()


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
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
