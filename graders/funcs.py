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


def replay_training(real, model, X, y, *args, weights, printed, losses, **kwargs):
    """Stands in for the learner's train while main() runs: a call with the defaults on a
    network of the gate's size gets the gate's run of that same train (its weights, printed
    lines and losses) instead of training a second time; any other call runs `real`."""
    defaults = not args and set(kwargs) <= {"epochs", "print_every"} and \
        kwargs.get("epochs", 1000) == 1000 and kwargs.get("print_every", 100) == 100
    same_size = all(np.shape(getattr(model, name, None)) == np.shape(w)
                    for name, w in weights.items())
    if not (defaults and same_size):
        return real(model, X, y, *args, **kwargs)
    for name, w in weights.items():
        setattr(model, name, np.array(w, dtype=float))
    print(printed, end="")
    return list(losses)
