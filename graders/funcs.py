"""Plain grader functions that tests pass to learner code (by name, never as objects).

Each maps NumPy values to NumPy values and uses nothing but NumPy.
"""
import numpy as np


def sum_of_squares(x):
    """f(x) = sum x^2; gradient 2x."""
    return float(np.sum(x * x))


def wavy(x):
    """f(x) = sum sin(x) * x^2 + 0.5 * x; a gradient with no simple pattern."""
    return float(np.sum(np.sin(x) * x * x + 0.5 * x))


def coupled(x):
    """f(x) = (sum x)^2 + sum x^3 / 3: every element's gradient depends on the others."""
    return float(np.sum(x) ** 2 + np.sum(x ** 3) / 3)


def grad_square(w):
    """The gradient of f(w) = w^2: 2w."""
    return 2 * w


def grad_shifted_square(w):
    """The gradient of f(w) = (w - 3)^2: 2(w - 3)."""
    return 2 * (w - 3)
