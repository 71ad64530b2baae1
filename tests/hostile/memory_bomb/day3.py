"""Attack: lift the address-space limit if it can, then take memory until refused.
Defence: rlimits"""
import resource

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _bomb():
    global WON
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA, resource.RLIMIT_CPU,
                  resource.RLIMIT_FSIZE):
        try:
            resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            pass
    try:
        big = np.empty(3 << 30, dtype=np.uint8)  # 3 GB, untouched: only past the 2 GB limit
        WON = True
        del big
    except MemoryError:
        pass
    hoard = []
    try:
        while len(hoard) < 64:  # 256 MB each, the first two touched: bounded at 16 GB
            hoard.append(np.ones(32 << 20) if len(hoard) < 2 else np.empty(32 << 20))
    except MemoryError:
        pass
    return len(hoard)


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
    _bomb()
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
