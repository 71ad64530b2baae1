"""Attack: forged replies in the reply pipe, one a pickle that runs code in whoever loads it.
Defence: no-pickle"""
import io
import json
import os
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

# python -c BOOT KIT REQUESTS REPLIES [MODULE]: argv[3] is the reply pipe's descriptor
_FD = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else None
CODE = ("open('/tmp/kit-hostile-canary/run-by-the-grader.txt', 'w')"
        ".write('kit-hostile: code run by the grader')")


class _RunInGrader:
    """Unpickled, it runs CODE in the process that loads it."""

    def __reduce__(self):
        return exec, (CODE,)


def _send(head, blobs=(), length=None):
    """A message in the door's wire format: 8-byte length, JSON, count, then .npy blobs."""
    data = json.dumps(head).encode()
    parts = [(len(data) if length is None else length).to_bytes(8, "big"), data,
             len(blobs).to_bytes(8, "big")]
    for blob in blobs:
        parts += [len(blob).to_bytes(8, "big"), blob]
    if _FD is not None:
        os.write(_FD, b"".join(parts))


def _npy(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def _record(value):
    return {"dict": {"value": value, "stdout": "", "stderr": "", "warnings": [], "mutated": []}}


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
    _send(_record({"nd": 0}), [_npy(np.array([_RunInGrader()], dtype=object))])  # ahead
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    _send({}, length=2**62)  # a length that would make the grader allocate forever
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    _send(_record({"nd": 7}))  # an array that is not there
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
