"""Day 3: Activation and loss functions.

Goal: add non-linearity, and define "error" so that the network can measure
its own performance.

Concepts:
    - ReLU (rectified linear unit): f(z) = max(0, z), the standard activation
      for hidden layers.
    - Softmax: turns raw scores (logits) into probabilities that sum to 1;
      used on the output layer.
    - Cross-entropy loss: the standard cost function for classification.

Tasks:
    Task 3.1 relu               max(0, z) elementwise
    Task 3.2 softmax            logits -> probabilities, numerically stable
    Task 3.3 cross_entropy      the mean loss over a batch
    Task 3.4 forward_and_loss   Day 2 layer -> softmax -> loss on dummy data

Reading:
    Understanding Softmax and Cross-Entropy (or a similar explanatory post):
    https://deepnotes.io/softmax-crossentropy

Grade it: make grade DAY=3
"""

import numpy as np

from day2 import layer_forward


def relu(z):
    """Return the rectified linear unit max(0, z), elementwise, as a new array.

    The input is not modified.

    Shapes:
        z: (N, H) pre-activations (any shape works)
        returns a: (N, H) float array, a = max(0, z)
    """
    # TODO(3.1): keep the positive entries, zero the rest, and return a new array
    raise NotImplementedError("TODO(3.1): relu")


def softmax(z):
    """Turn logits into probabilities along the last axis.

    Stable: subtracting each row's max before exponentiating changes nothing
    mathematically but keeps e^z from overflowing. The input is not modified.

    Shapes:
        z: (N, C) logits, one row per sample; a 1-D (C,) input is one row
        returns p: shaped like z, entries in [0, 1], each row sums to 1
    """
    # TODO(3.2): shift each row so its max is 0 (it cancels out), exponentiate, normalize each row
    raise NotImplementedError("TODO(3.2): softmax")


def cross_entropy(predictions, targets):
    """Return the mean over the batch of -sum_c targets * log(predictions), a float.

    Predictions are clipped to [1e-12, 1] first, so a zero probability on the
    true class gives a large finite loss instead of inf.

    Shapes:
        predictions: (N, C) probabilities, each row sums to 1; (C,) is a batch of one
        targets: (N, C) one-hot labels; (C,) is a batch of one
        returns loss: float
    """
    # TODO(3.3): treat 1-D as one row, clip before the log, sum over classes, average over rows
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    """Run one layer, softmax and cross-entropy: the loss of a linear classifier.

    Shapes:
        X: (N, D) inputs
        W: (D, C) weights
        B: (1, C) biases
        targets: (N, C) one-hot labels
        returns loss: float
    """
    # TODO(3.4): chain your Day 2 layer, softmax and cross_entropy
    raise NotImplementedError("TODO(3.4): forward_and_loss")
