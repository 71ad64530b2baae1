"""Day 1: The perceptron.

Goal: understand the mathematical model of a single neuron and why we need
non-linearity.

Concepts:
    - The neuron equation: y = f(sum_i w_i x_i + b).
    - Weights (w): the strength of each connection.
    - Bias (b): the activation threshold; it shifts the decision line.
    - Activation (f): the decision function, here the sigmoid 1 / (1 + e^-x).
    - The XOR problem: one neuron draws one straight line, so a single layer
      cannot separate XOR; a second layer can.

Tasks:
    Task 1.1 sigmoid    the activation function, stable for any finite x
    Task 1.2 neuron     weighted sum plus bias, then sigmoid
    Task 1.3 AND gate   AND_WEIGHTS, AND_BIAS: weights found by hand
    Task 1.4 XOR        stretch: OR_WEIGHTS/OR_BIAS, NAND_WEIGHTS/NAND_BIAS, xor

Reading:
    Neural Networks and Deep Learning, Ch 1 (read up to "Sigmoid neurons"):
    http://neuralnetworksanddeeplearning.com/chap1.html

Grade it: make grade DAY=1
"""

import numpy as np


def sigmoid(x):
    """Return the logistic sigmoid 1 / (1 + e^-x), without overflow for any finite x.

    sigmoid(-1000) == 0.0 and sigmoid(1000) == 1.0, with no warning.

    Shapes:
        x: a Python or NumPy number, or a list/array of any shape
        returns s: a float for a number; a float64 array shaped like x otherwise
    """
    x = np.asarray(x, dtype=np.float64)
    # e = exp(-|x|) lies in (0, 1], so it never overflows; for |x| > ~745 it
    # underflows to 0.0, which is the exact limit, so that is not an error here.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(s) if s.ndim == 0 else s


def neuron(inputs, weights, bias):
    """Return the output of one neuron: sigmoid(sum_i w_i x_i + b), as a float.

    Shapes:
        inputs: (D,) list, tuple or array
        weights: (D,) list, tuple or array
        bias: float
        returns y: float in [0, 1]
    """
    return sigmoid(np.dot(inputs, weights) + bias)


# Task 1.3: an AND gate made of one neuron, weights found by hand.
# neuron(x, AND_WEIGHTS, AND_BIAS) > 0.5 exactly when x == (1, 1), for x in {0, 1}^2.
AND_WEIGHTS = [20.0, 20.0]
AND_BIAS = -30.0  # w.x + b is 10 for (1, 1) and <= -10 otherwise: outputs ~1 or ~0

# Task 1.4 (stretch): OR and NAND gates the same way, the building blocks of xor.
OR_WEIGHTS = [20.0, 20.0]
OR_BIAS = -10.0
NAND_WEIGHTS = [-20.0, -20.0]
NAND_BIAS = 30.0


def xor(x1, x2):
    """Return XOR of two bits computed by a two-layer network of neurons.

    Hidden layer: an OR neuron and a NAND neuron on (x1, x2).
    Output layer: an AND neuron on the two hidden outputs.

    Shapes:
        x1, x2: numbers, 0 or 1
        returns y: float, > 0.5 exactly when x1 != x2
    """
    h_or = neuron([x1, x2], OR_WEIGHTS, OR_BIAS)
    h_nand = neuron([x1, x2], NAND_WEIGHTS, NAND_BIAS)
    return neuron([h_or, h_nand], AND_WEIGHTS, AND_BIAS)
