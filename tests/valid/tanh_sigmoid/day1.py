"""Day 1 variant: sigmoid as (1 + tanh(x/2)) / 2, generator-sum neuron, xor as OR and not AND."""

import numpy as np


def sigmoid(x):
    out = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))
    return out[()] if out.ndim == 0 else out  # a NumPy float64 for a number


def neuron(inputs, weights, bias):
    return sigmoid(sum(w * x for w, x in zip(weights, inputs)) + bias)


AND_WEIGHTS = (10, 10)
AND_BIAS = -15
OR_WEIGHTS = (10, 10)
OR_BIAS = -5
NAND_WEIGHTS = (-10, -10)
NAND_BIAS = 15


def xor(x1, x2):
    # XOR = OR and not AND: a hidden OR and AND neuron, then an output neuron of its own.
    either = neuron((x1, x2), OR_WEIGHTS, OR_BIAS)
    both = neuron((x1, x2), AND_WEIGHTS, AND_BIAS)
    return neuron((either, both), (10, -10), -5)
