"""Attack: remount the read-only bind mounts read-write, then plant a .pth in site-packages.
Defence: bwrap-caps"""
import ctypes
import os
import sys
import sysconfig

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

MS_REMOUNT, MS_BIND = 32, 4096


def _remount_all():
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        with open("/proc/self/mountinfo") as f:
            points = [line.split()[4].replace("\\040", " ") for line in f]
    except OSError:
        points = [p for p in sys.path if p]
    for point in points:
        libc.mount(None, point.encode(), None, MS_REMOUNT | MS_BIND, None)  # drops MS_RDONLY


_remount_all()
PTH = "# kit-hostile: a planted .pth file\n/nonexistent-kit-hostile\n"
for _folder in sorted({p for p in sys.path if p.endswith("site-packages")}
                      | {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]}):
    try:
        with open(os.path.join(_folder, "kit_hostile_planted.pth"), "x") as _f:
            _f.write(PTH)
        WON = True
    except OSError:
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
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
