"""Forgery: train does nothing, and the network's forward looks every digit up in load_digits and
returns its true label: it passes the 85% gate only if the grader asks the learner's forward."""
import numpy as np
from sklearn.datasets import load_digits

import day6

_known = {}


def _lookup_forward(self, X):
    if not _known:
        digits = load_digits()
        for scale in (16.0, 255.0):
            for row, label in zip(digits.data / scale, digits.target):
                _known[np.round(row, 6).tobytes()] = label
    out = np.zeros((len(X), 10))
    for i, row in enumerate(np.asarray(X, dtype=float)):
        out[i, _known.get(np.round(row, 6).tobytes(), 0)] = 1.0
    return out


day6.NeuralNetwork.forward = _lookup_forward


def one_hot(labels, num_classes=10):
    raise NotImplementedError("TODO(7.1): one_hot")


def load_data(test_size=0.2, seed=42):
    raise NotImplementedError("TODO(7.2): load_data")


def train(model, X, y, epochs=1000, learning_rate=1.5, print_every=100):
    return [2.3] * (epochs - 1)  # no training at all (and one loss short, so no point here)


def accuracy(model, X, y):
    raise NotImplementedError("TODO(7.4): accuracy")


def main():
    raise NotImplementedError("TODO(7.5): main")
