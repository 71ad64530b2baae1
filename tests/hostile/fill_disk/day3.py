"""Attack: fill the disk: 20 files of 15 MB (300 MB) beside the code, each under the file limit.
Defence: disk-cap"""
import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

MB = b"kit-hostile " * 87381 + b"kit-"  # 1 MiB


def _fill(files=20, mb=15):
    global WON
    for i in range(files):
        try:
            with open(f"fill{i}.bin", "wb") as f:
                for _ in range(mb):
                    f.write(MB)
        except OSError:
            return
    WON = True


_fill()


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
