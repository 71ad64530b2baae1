"""Attack: right values in wrong types: complex and object arrays, complex Value grads.
Defence: exact-types"""
import numpy as np


def f(x, y, z):
    return complex((x + y) * z)


def grad_f(x, y, z):
    return np.complex128(z), np.complex128(z), np.complex128(x + y)


def numerical_gradient(func, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.shape, dtype=object)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (func(up) - func(down)) / (2 * h)
    return grad


def sigmoid_derivative(x):
    s = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))
    return (s * (1 - s)).astype(complex)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(complex)  # (booleans are numbers: a dtype check's business)


class Value:
    """A micrograd Value whose data and gradients are complex numbers."""

    def __init__(self, data, _children=(), _op=""):
        self.data = complex(data)
        self.grad = 0j
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1 + 0j
        for v in reversed(order):
            v._backward()
