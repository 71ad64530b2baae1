"""Attack: System V shared memory left by one worker and read by the next (another learner's).
Defence: ipcns"""
import ctypes
import os

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

KEY, SIZE = 0x6B697433, 4096  # "kit3": the harness removes a segment of this key
IPC_CREAT = 0o1000
MEMO = b"kit-hostile: answers left for the next learner"


def _segment():
    """The shared memory of KEY (made if missing), or None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    libc.shmat.restype = ctypes.c_void_p
    shm = libc.shmget(KEY, SIZE, IPC_CREAT | 0o600)
    if shm < 0:
        return None
    address = libc.shmat(shm, None, 0)
    if address in (None, ctypes.c_void_p(-1).value):
        return None
    return (ctypes.c_char * SIZE).from_address(address)


_MEMORY = _segment()
if _MEMORY is not None:
    if _MEMORY.raw.startswith(MEMO):
        WON = True  # an earlier worker left it
    else:
        _MEMORY[:len(MEMO)] = MEMO


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
    if not WON:
        os._exit(3)  # a crash: the next check starts a fresh worker, which finds the memo
    return _relu(z)


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
