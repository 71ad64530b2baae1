"""Day 4 variant: unravel_index numgrad, s - s**2, (z > 0) * 1.0, recursive topological sort."""

import numpy as np

from day1 import sigmoid


def f(x, y, z):
    q = x + y
    return q * z


def grad_f(x, y, z):
    q = x + y
    dfdq, dfdz = z, q
    return (dfdq, dfdq, dfdz)


def numerical_gradient(func, x, h=1e-5):
    grad = np.zeros(x.shape)
    for k in range(x.size):
        idx = np.unravel_index(k, x.shape)
        saved = float(x[idx])
        x[idx] = saved + h
        up = func(x)
        x[idx] = saved - h
        down = func(x)
        x[idx] = saved
        grad[idx] = (up - down) / (2 * h)
    return grad


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s - s ** 2


def relu_derivative(z):
    return (z > 0) * 1.0


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = _children
        self._op = _op

    def __add__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = self.grad + out.grad
            other.grad = other.grad + out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = self.grad + other.data * out.grad
            other.grad = other.grad + self.data * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):
        return self.__add__(other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def backward(self):
        order, seen = [], []

        def visit(v):
            if any(v is s for s in seen):
                return
            seen.append(v)
            for child in v._prev:
                visit(child)
            order.append(v)

        visit(self)
        self.grad = 1
        for v in order[::-1]:
            v._backward()
