"""Day 1 variant: math.exp sign branches for numbers, np.exp(-|x|) for arrays, tuples."""

import math

import numpy as np


def _sigmoid_scalar(x):
    x = float(x)
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # math.exp underflows silently to 0.0
    return e / (1.0 + e)


def sigmoid(x):
    if isinstance(x, (int, float, np.number)):
        return _sigmoid_scalar(x)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return _sigmoid_scalar(x)
    old = np.seterr(under="ignore")
    try:
        e = np.exp(-np.abs(x))
        return np.where(x < 0, e, 1.0) / (1.0 + e)
    finally:
        np.seterr(**old)


def neuron(inputs, weights, bias):
    if len(inputs) != len(weights):
        raise ValueError("inputs and weights must have the same length")
    total = bias
    for x_i, w_i in zip(inputs, weights):
        total += w_i * x_i
    return sigmoid(float(total))


AND_WEIGHTS = (2.0, 2.0)
AND_BIAS = -3.0
OR_WEIGHTS = (6.0, 6.0)
OR_BIAS = -3.0
NAND_WEIGHTS = (-6.0, -6.0)
NAND_BIAS = 9.0


def xor(x1, x2):
    a = neuron((x1, x2), OR_WEIGHTS, OR_BIAS)
    b = neuron((x1, x2), NAND_WEIGHTS, NAND_BIAS)
    return neuron((a, b), AND_WEIGHTS, AND_BIAS)
