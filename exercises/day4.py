"""Day 4: The chain rule.

Goal: derive the gradient, which tells exactly how to adjust each weight to
reduce the error.

Concepts:
    - The gradient: the vector of partial derivatives; it points in the
      direction of steepest ascent.
    - The chain rule: dL/dw is the product of the local derivatives along the
      path from w to L, multiplied layer by layer working backward.
    - Computational graphs: each operation is a node; backpropagation walks
      the graph from the output back to the inputs.
    - Gradient checking: a numerical gradient (centered differences) tells
      you whether an analytic gradient is right.

Tasks:
    Task 4.1 f                    f(x, y, z) = (x + y) * z
    Task 4.2 grad_f               df/dx, df/dy, df/dz by the chain rule
    Task 4.3 numerical_gradient   centered differences, to check gradients
    Task 4.4 sigmoid_derivative   the local derivative of the sigmoid
    Task 4.5 relu_derivative      the local derivative of ReLU
    Task 4.6 Value                stretch: a tiny autograd engine (micrograd)

Reading:
    Calculus on Computational Graphs: Backpropagation (Colah's blog):
    https://colah.github.io/posts/2015-08-Backprop/
    Video: Andrej Karpathy, "The spelled-out intro to neural networks and
    backpropagation: building micrograd" (first 45 minutes):
    https://www.youtube.com/watch?v=VMj-3S1tku0

Grade it: make grade DAY=4
"""

import numpy as np

from day1 import sigmoid


def f(x, y, z):
    """Return f(x, y, z) = (x + y) * z, the worked example of the chain rule.

    Shapes:
        x, y, z: floats
        returns: float
    """
    # TODO(4.1): compute the intermediate node q = x + y first, then multiply by z
    raise NotImplementedError("TODO(4.1): f")


def grad_f(x, y, z):
    """Return the gradient (df/dx, df/dy, df/dz) of f(x, y, z) = (x + y) * z.

    Computed with the chain rule through the intermediate node q = x + y,
    for any inputs; work the example x=-2, y=5, z=-4 on paper first.

    Shapes:
        x, y, z: floats
        returns: tuple of three floats (df/dx, df/dy, df/dz)
    """
    # TODO(4.2): go backward from f = q * z: df/dq and df/dz are local; dq/dx = dq/dy = 1
    raise NotImplementedError("TODO(4.2): grad_f")


def numerical_gradient(func, x, h=1e-5):
    """Estimate the gradient of func at x by centered differences.

    For every element i: (func(x + h e_i) - func(x - h e_i)) / (2h). x is
    changed in place while probing and holds its original values on return.

    Shapes:
        func: callable, float array shaped like x -> float
        x: float array of any shape, e.g. (D, H)
        h: float, the step
        returns grad: float array shaped like x
    """
    # TODO(4.3): for each element: nudge it by +h and by -h, evaluate func, put it back
    raise NotImplementedError("TODO(4.3): numerical_gradient")


def sigmoid_derivative(x):
    """Return the derivative of the sigmoid, sigmoid(x) * (1 - sigmoid(x)), elementwise.

    Shapes:
        x: a number, or an (N, H) array (any shape)
        returns: a float for a number; a float array shaped like x otherwise
    """
    # TODO(4.4): reuse sigmoid from Day 1; the derivative is written with its output
    raise NotImplementedError("TODO(4.4): sigmoid_derivative")


def relu_derivative(z):
    """Return the derivative of ReLU: 1.0 where z > 0, else 0.0 (0.0 at exactly 0).

    Shapes:
        z: (N, H) pre-activations (any shape works)
        returns: (N, H) float array of 0.0 and 1.0
    """
    # TODO(4.5): the slope is 1.0 where z > 0 and 0.0 everywhere else, also at z == 0
    raise NotImplementedError("TODO(4.5): relu_derivative")


class Value:
    """A scalar that remembers how it was computed, so it can backpropagate (micrograd).

    Supports + and * between Values and with plain numbers on either side.
    Calling .backward() on a result sets .grad of every Value it depends on to
    d(result)/d(that Value); gradients accumulate when a Value is used twice.

    Attributes:
        data: the number held
        grad: float, d(output)/d(self) after backward(); starts at 0.0
        _backward: function that pushes self.grad to the children's .grad
        _prev: set of the Values this one was computed from
        _op: the operation that produced it ("+", "*" or "")
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        """Return the Value self + other; other is a Value or a plain number."""
        # TODO(4.6): wrap plain numbers in Value; the result's _backward adds out.grad to both
        raise NotImplementedError("TODO(4.6): Value.__add__")

    def __mul__(self, other):
        """Return the Value self * other; other is a Value or a plain number."""
        # TODO(4.6): like __add__, but each input's local derivative is the other's data
        raise NotImplementedError("TODO(4.6): Value.__mul__")

    def __radd__(self, other):
        """Return other + self, for a plain number on the left."""
        # TODO(4.6): number + Value lands here; addition is commutative
        raise NotImplementedError("TODO(4.6): Value.__radd__")

    def __rmul__(self, other):
        """Return other * self, for a plain number on the left."""
        # TODO(4.6): number * Value lands here; multiplication is commutative
        raise NotImplementedError("TODO(4.6): Value.__rmul__")

    def backward(self):
        """Backpropagate from this Value: set .grad of every Value it depends on."""
        # TODO(4.6): sort the graph topologically, seed self.grad = 1, call _backward in reverse
        raise NotImplementedError("TODO(4.6): Value.backward")
