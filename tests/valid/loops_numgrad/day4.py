"""Day 4 variant: numerical_gradient on copies via np.ndindex; Value with iterative DFS."""

import numpy as np

from day1 import sigmoid


def f(x, y, z):
    q = x + y
    return q * z


def grad_f(x, y, z):
    # f = x*z + y*z, so each partial derivative is read off directly.
    return (float(z), float(z), float(x + y))


def numerical_gradient(func, x, h=1e-5):
    grad = np.empty(x.shape, dtype=float)
    for idx in np.ndindex(*x.shape):
        x_plus = x.copy()
        x_minus = x.copy()
        x_plus[idx] += h
        x_minus[idx] -= h
        grad[idx] = (func(x_plus) - func(x_minus)) / (2.0 * h)
    return grad


def sigmoid_derivative(x):
    return sigmoid(x) * (1 - sigmoid(x))


def relu_derivative(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self._parents = tuple(_children)  # keeps order and duplicates, e.g. (a, a) for a * a

    def __repr__(self):
        return f"Value({self.data!r}, grad={self.grad!r})"

    @staticmethod
    def _wrap(other):
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other):
        other = Value._wrap(other)
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = Value._wrap(other)
        return Value(self.data * other.data, (self, other), "*")

    __radd__ = __add__
    __rmul__ = __mul__

    def _push_grad(self):
        if self._op == "+":
            for p in self._parents:
                p.grad += self.grad
        elif self._op == "*":
            a, b = self._parents
            a.grad += b.data * self.grad
            b.grad += a.data * self.grad

    def backward(self):
        # Post-order DFS with an explicit stack: a node is appended after all its inputs.
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            for p in node._parents:
                if id(p) not in visited:
                    stack.append((p, False))
        self.grad = 1.0
        for node in reversed(order):
            node._push_grad()
