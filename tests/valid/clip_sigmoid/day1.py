"""Day 1 variant: clips x to [-500, 500] before the plain formula (so sigmoid(-1000) is ~7e-218)."""

import numpy as np


def sigmoid(x):
    z = np.clip(np.asarray(x, dtype=float), -500.0, 500.0)
    s = 1.0 / (1.0 + np.exp(-z))
    if np.ndim(x) == 0:
        return float(s)
    return s


def neuron(inputs, weights, bias):
    z = np.asarray(inputs, dtype=float) @ np.asarray(weights, dtype=float) + bias
    return sigmoid(z)


AND_WEIGHTS = np.array([1, 1])
AND_BIAS = -1.5
OR_WEIGHTS = np.array([1, 1])
OR_BIAS = -0.5
NAND_WEIGHTS = -100 * AND_WEIGHTS
NAND_BIAS = 150


def xor(x1, x2):
    h = [neuron([x1, x2], 100 * OR_WEIGHTS, 100 * OR_BIAS),
         neuron([x1, x2], NAND_WEIGHTS, NAND_BIAS)]
    return neuron(h, AND_WEIGHTS, AND_BIAS)
