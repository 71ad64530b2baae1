"""Day 1 variant: sigmoid by boolean masks per sign; np.array gate weights, int biases."""

import numpy as np


def sigmoid(x):
    x = np.array(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    neg = ~pos
    with np.errstate(under="ignore"):
        out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
        ex = np.exp(x[neg])
        out[neg] = ex / (ex + 1.0)
    if out.shape == ():
        return out.item()
    return out


def neuron(inputs, weights, bias):
    z = np.sum(np.multiply(np.asarray(inputs, dtype=float), np.asarray(weights, dtype=float)))
    return float(sigmoid(z + bias))


AND_WEIGHTS = np.array([10.0, 10.0])
AND_BIAS = -15
OR_WEIGHTS = np.array([10.0, 10.0])
OR_BIAS = -5
NAND_WEIGHTS = np.array([-10.0, -10.0])
NAND_BIAS = 15


def xor(x1, x2):
    x = (x1, x2)
    hidden = [neuron(x, w, b) for w, b in ((OR_WEIGHTS, OR_BIAS), (NAND_WEIGHTS, NAND_BIAS))]
    return neuron(hidden, AND_WEIGHTS, AND_BIAS)
