"""Forgery: relu writes into its input, then the learner side's report of the call is patched so
that the grader would read "no input changed" (it earns the check only if the grader believes
the worker)."""
import sys

import numpy as np

from day2 import layer_forward


def _quiet_reports():
    for module in list(sys.modules.values()):
        runner = getattr(module, "Runner", None)
        if runner is not None and hasattr(runner, "handle"):
            real = runner.handle

            def handle(self, *args, _real=real):
                record = _real(self, *args)
                record["mutated"] = []
                return record

            runner.handle = handle


_quiet_reports()


def relu(z):
    return np.maximum(z, 0.0, out=z)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(predictions, targets):
    p = np.atleast_2d(np.clip(predictions, 1e-12, 1.0))
    return float(np.mean(-np.sum(np.atleast_2d(targets) * np.log(p), axis=1)))


def forward_and_loss(X, W, B, targets):
    return cross_entropy(softmax(layer_forward(X, W, B)), targets)
