"""Attack: fork 200 sleeping children, half of them detached orphans (double fork + setsid).
Defence: pidns, reaper"""
import ctypes
import os
import time

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _mark():
    try:
        ctypes.CDLL(None).prctl(15, b"kithostile", 0, 0, 0)  # PR_SET_NAME: the harness's marker
    except (OSError, AttributeError):
        pass


def _spawn(count=200):
    made = 0
    for i in range(count):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                _mark()
                if i % 2:
                    os.setsid()
                    if os.fork():
                        os._exit(0)
                    _mark()
                os.closerange(3, 256)
                time.sleep(60)
            finally:
                os._exit(0)
        made += 1
        if i % 2:
            os.waitpid(pid, 0)
    return made


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
    _spawn()
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
