"""Day 4 variant: += / -= nudges on a flat view, sigmoid' from e^-|x|, heaviside, Kahn sort."""

import numpy as np

from day1 import sigmoid  # noqa: F401  (kept: the stub's import line)


def f(x, y, z):
    return x * z + y * z


def grad_f(x, y, z):
    return z * 1.0, z * 1.0, (x + y) * 1.0


def numerical_gradient(func, x, h=1e-5):
    flat = x.reshape(-1)  # a view of x (x is contiguous), so nudges show up in x
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        flat[i] += h
        f_plus = func(x)
        flat[i] -= 2 * h
        f_minus = func(x)
        flat[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)


def sigmoid_derivative(x):
    e = np.exp(-np.abs(x))  # never overflows; the derivative is symmetric in x
    return e / (1.0 + e) ** 2


def relu_derivative(z):
    return np.heaviside(z, 0.0)


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._children = list(_children)
        self._op = _op
        self._local = []  # d(self)/d(child) for each child, in order

    def __repr__(self):
        return f"Value({self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")
        out._local = [1.0, 1.0]
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")
        out._local = [other.data, self.data]
        return out

    def __radd__(self, other):
        return Value(other) + self

    def __rmul__(self, other):
        return Value(other) * self

    def backward(self):
        # Kahn's algorithm from the output: a node is processed once all its users are done.
        nodes, stack = {id(self): self}, [self]
        while stack:
            for c in stack.pop()._children:
                if id(c) not in nodes:
                    nodes[id(c)] = c
                    stack.append(c)
        users = {k: 0 for k in nodes}
        for n in nodes.values():
            for c in n._children:
                users[id(c)] += 1
        self.grad = 1.0
        ready = [self]
        while ready:
            n = ready.pop()
            for c, local in zip(n._children, n._local):
                c.grad += local * n.grad
                users[id(c)] -= 1
                if users[id(c)] == 0:
                    ready.append(c)
