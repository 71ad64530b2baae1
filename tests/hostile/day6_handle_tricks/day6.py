"""Attack: a network whose attributes lie (subclasses, a fake __class__, writes that vanish).
Defence: exact-types"""
import numpy as np


class Liar(np.ndarray):
    """Every NumPy function on it answers True; equal to everything."""

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __eq__(self, other):
        return True

    __hash__ = None


class Impostor:
    """Claims to be an ndarray through __class__."""

    def __init__(self, shape):
        self.shape, self.dtype = shape, np.dtype(float)

    @property
    def __class__(self):
        return np.ndarray

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape)


class NeuralNetwork:
    def __init__(self, input_size, hidden_size, output_size):
        sizes = {"W1": (input_size, hidden_size), "b1": (1, hidden_size),
                 "W2": (hidden_size, output_size), "b2": (1, output_size)}
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "W1", np.zeros(sizes["W1"]).view(Liar))
        object.__setattr__(self, "b1", Impostor(sizes["b1"]))

    def __setattr__(self, name, value):
        pass  # the grader's writes vanish

    def __getattr__(self, name):
        if name in ("W2", "b2"):
            return np.ones(self.sizes[name]).view(Liar)
        return lambda *args, **kwargs: self

    def forward(self, X):
        n, c = np.shape(X)[0], self.sizes["W2"][1]
        X[...] = 0.0  # wrong in every way, also to the input
        return np.full((n, c), 1.0 / c).view(Liar)

    def backward(self, X, y, learning_rate):
        y[...] = 0.0
        return self
