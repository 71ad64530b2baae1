"""Attack: import scipy past the import checks (exec, forged globals, _gcd_import) and use it.
Defence: import-guard, landlock"""
import builtins
import importlib

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

def _via_exec():
    scope = {}
    exec("import scipy.special as special", scope)
    return scope["special"]


def _via_forged_globals():
    return builtins.__dict__["__import__"]("scipy.special", {"__file__": np.__file__}, None, ["x"])


def _via_bootstrap():
    return importlib._bootstrap._gcd_import("scipy.special")


SPECIAL = None
for _attempt in (_via_exec, _via_forged_globals, _via_bootstrap):
    try:
        SPECIAL = _attempt()
        break
    except Exception:
        pass


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
    if SPECIAL is not None:
        return SPECIAL.softmax(np.asarray(z, dtype=float), axis=-1)
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
