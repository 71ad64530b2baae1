"""Numeric helpers and checks shared by every grader test.

Each `expect_*` returns the checked value or raises a `Failure` whose message says what was
called, what came back and what was expected.
"""
import functools
import importlib.util
import numbers
from pathlib import Path

import numpy as np

from graders.door import Member
from graders.failures import Failure, told

TINY = 1e-12


def fmt(x):
    """Numbers printed compactly; long arrays summarized."""
    if type(x) is np.ndarray:
        return np.array2string(x, precision=4, threshold=12, edgeitems=2, suppress_small=True)
    if isinstance(x, float):
        return f"{x:.6g}"
    return repr(x)


def describe(v):
    """What came back, in words: kind, shape, a few numbers."""
    if isinstance(v, Member):
        return f"a {v.type_name} object"
    if type(v) is np.ndarray:
        return f"an array of shape {v.shape} (dtype {v.dtype}): {fmt(v)}"
    if isinstance(v, bool):
        return f"the bool {v}"
    if isinstance(v, (int, float)):
        return f"the number {fmt(v)}"
    if v is None:
        return "None (did you forget `return`?)"
    if isinstance(v, (list, tuple)):
        return f"a {type(v).__name__} of {len(v)} items"
    return f"a {type(v).__name__}"


def expect_array(v, shape, call, floats=False):
    """Exactly an np.ndarray of `shape`, numeric, all finite. Value checks take any numeric
    dtype (they compare values); the one check about a function's dtype sets `floats`."""
    if type(v) is not np.ndarray:
        raise told(f"{call} returned {describe(v)}; expected a NumPy array of shape {shape}.")
    if v.dtype.kind not in ("f" if floats else "biuf"):
        raise told(f"{call} returned an array of dtype {v.dtype}; expected "
                      + ("floats (dtype float64)." if floats else "numbers."))
    if v.shape != tuple(shape):
        raise told(f"{call} returned an array of shape {v.shape}; expected shape "
                      f"{tuple(shape)}.")
    if not np.all(np.isfinite(v)):
        raise told(f"{call} returned values that are not finite (nan or inf): {fmt(v)}.")
    return v


def expect_floats(v, call):
    """An np.ndarray of floats, whatever its shape and values (the one check about dtype)."""
    if type(v) is not np.ndarray:
        raise told(f"{call} returned {describe(v)}; expected a NumPy array of floats.")
    if v.dtype.kind != "f":
        raise told(f"{call} returned an array of dtype {v.dtype}; expected floats "
                      "(dtype float64).")
    return v


def expect_number(v, call):
    """A real number (int or float, not bool), finite; returned as a float."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise told(f"{call} returned {describe(v)}; expected a single number (a float).")
    if not np.isfinite(v):
        raise told(f"{call} returned {v}; expected a finite number.")
    return float(v)


def expect_close(actual, expected, call, rtol=1e-7, atol=1e-10):
    """Values match the grader's own to a tight tolerance. Hidden, it says how many entries
    differ, never what they should be."""
    ok = np.isclose(actual, expected, rtol=rtol, atol=atol)
    if not np.all(ok):
        size = np.size(ok)
        which = (f"{size - int(np.sum(ok))} of {size} entries differ from the right values"
                 if size > 1 else "it is not the right value")
        raise Failure(f"{call} returned {fmt(actual)}; expected {fmt(expected)}.",
                      hidden=f"{call} returned {fmt(actual)}: {which}.")
    return actual


def rel_error(a, *, numeric):
    """max|a - n| / max(|a| + |n|, tiny), n the numeric gradient: the gradient-check error.
    `numeric` is named at every call: of two bits this is their XOR, and the student kit holds
    no function that a learner can paste as a task's (tests/test_package.py)."""
    a, n = np.asarray(a, float), np.asarray(numeric, float)
    return float(np.max(np.abs(a - n)) / max(np.max(np.abs(a) + np.abs(n)), TINY))


def expect_gradient(analytic, numeric, name, call, tol=1e-6):
    """Relative error of a gradient against centered differences is within tol."""
    err = rel_error(analytic, numeric=numeric)
    if not err <= tol:
        raise Failure(f"{call}: the gradient of {name} is off: relative error {err:.2e} "
                      f"(allowed {tol:.0e}). Got {fmt(np.asarray(analytic))}, centered "
                      f"differences give {fmt(np.asarray(numeric))}.",
                      hidden=f"{call}: the gradient of {name} is off: relative error "
                             f"{err:.2e} (allowed {tol:.0e}).")
    return err


def expect_unmodified(learner, names):
    """The last call changed none of its array arguments (positions or keywords)."""
    if learner.last.mutated:
        which = ", ".join(str(names[k]) if isinstance(k, int) and k < len(names) else str(k)
                          for k in learner.last.mutated)
        raise told(f"{learner.last.text} changed its input {which} in place; it must "
                      "leave its inputs as they were (work on a new array).", about_property=True)


def expect_no_warnings(learner):
    """The last call raised no NumPy warning (overflow, divide by zero, invalid value)."""
    if learner.last.warnings:
        said = learner.last.warnings[0]
        why = (" Exponentiate only numbers that cannot be large (like -|x|, or z minus its "
               "row's max); note that np.where computes both of its branches, so an overflow in "
               "the branch it does not pick still warns." if "overflow" in said else "")
        raise told(f"{learner.last.text} gave the warning {said!r}; a stable version gives "
                   f"none.{why}", about_property=True)


def expect_raises(learner, error, fn, *args, why=""):
    """fn(*args) must raise `error` (a builtin's name, or module.Class; subclasses count)."""
    try:
        v = fn(*args)
    except Failure as exc:
        if type(exc) is not Failure:
            raise  # not started, timed out, crashed: that verdict stands
        if (error if "." in error else f"builtins.{error}") in getattr(exc, "raised", ()):
            return exc
        raise told(f"{str(exc)[:-1]}; expected a {error}{why}.") from None
    raise told(f"{learner.last.text} returned {describe(v)}; expected it to raise a "
                  f"{error}{why}.")


def expect_mismatch_raises(learner, fn, x_shape, w_shape):
    """output_shape-like `fn` works when the inner dimensions match, and raises ValueError (a
    subclass such as LinAlgError counts) for these shapes, whose inner dimensions differ."""
    fits = (x_shape[0], w_shape[1])
    got = fn(x_shape, (x_shape[1], w_shape[1]))
    if type(got) not in (tuple, list) or tuple(got) != fits:  # its kind: another check's
        raise told(f"{learner.last.text} did not return {fits}, so its error for "
                      "mismatched shapes cannot count yet.")
    expect_raises(learner, "ValueError", fn, x_shape, w_shape,
                  why=" because the inner dimensions differ")


@functools.cache
def digits():
    """scikit-learn's digits, pixels 0..16 (1797, 64) and labels (1797,), read from the file it
    ships without importing scikit-learn (most of a second per grade)."""
    package = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    data = np.loadtxt(Path(package) / "datasets" / "data" / "digits.csv.gz", delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


PIXEL_SCALES = (16, 255)  # the curriculum divides the digits' pixels by 16 or by 255


def pixel_scale(X):
    """The number the 0..16 pixels of X were divided by: 16, 255, 1 (not scaled), or None."""
    for scale in (*PIXEL_SCALES, 1):
        pixels = X * scale
        if X.min() >= 0 and pixels.max() <= 16 + 1e-9 and \
                np.allclose(pixels, np.round(pixels), rtol=0, atol=1e-6):
            return scale
    return None


def stratified_split(labels, test_size, seed):
    """(train indices, test indices): each class split in proportion, at random."""
    rng = np.random.default_rng(seed)
    test = [rng.permutation(np.flatnonzero(labels == c))[:round(test_size * np.sum(labels == c))]
            for c in np.unique(labels)]
    test = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(len(labels)), test), test
