"""Public checks of Day 5: sgd_step, sgd_steps, gradient_descent, minibatches."""
import numbers

import numpy as np
import pytest

from graders import funcs
from graders.checks import describe, expect_array, expect_close, fmt
from graders.failures import Failure


def expect_list(v, length, call, what):
    """A list (or tuple) of exactly `length` items."""
    if type(v) not in (list, tuple):
        raise Failure(f"{call} returned {describe(v)}; expected a list of {length} {what}.")
    if len(v) != length:
        raise Failure(f"{call} returned a list of {len(v)} {what}; expected {length}.")
    return v


def expect_iterate(v, shape, call, k):
    """Iterate k: a number when w0 is a number (a 0-d array is accepted), else an array."""
    if shape == () and isinstance(v, numbers.Real) and not isinstance(v, bool):
        return float(v)
    if shape == () and type(v) is not np.ndarray:
        raise Failure(f"{call} returned {describe(v)} as iterate {k}; expected a number.")
    return expect_array(v, shape, f"{call} (iterate {k})")


def expect_batches(v, call, D):
    """The learner's batches: a list of (X_batch, y_batch) pairs of arrays, rows aligned."""
    if type(v) not in (list, tuple):
        raise Failure(f"{call} gave {describe(v)}; expected it to yield (X_batch, y_batch) "
                      "pairs.")
    out = []
    for i, pair in enumerate(v):
        if type(pair) not in (list, tuple) or len(pair) != 2:
            raise Failure(f"{call} yielded {describe(pair)} as batch {i}; expected a pair "
                          "(X_batch, y_batch).")
        xb, yb = pair
        if type(xb) is not np.ndarray or xb.ndim != 2 or xb.shape[1] != D:
            raise Failure(f"{call} yielded {describe(xb)} as X_batch {i}; expected an array "
                          f"of shape (B, {D}).")
        if type(yb) is not np.ndarray or len(yb) != len(xb):
            raise Failure(f"{call} yielded X_batch {i} with {len(xb)} rows and "
                          f"{describe(yb)} as its y_batch; expected an array with as many "
                          "rows.")
        out.append((xb, yb))
    return out


def coverage_gap(rows, N):
    """Words for the rows (y[i] = i) that are missing or repeated."""
    counts = np.bincount(rows.astype(int)[(rows >= 0) & (rows < N)], minlength=N)
    missing, repeated = np.flatnonzero(counts == 0), np.flatnonzero(counts > 1)
    return "".join([f"; rows {fmt(missing)} never appear" if len(missing) else "",
                    f"; rows {fmt(repeated)} appear more than once" if len(repeated) else ""])


def indexed_data(rng, N, D):
    """X random, y[i] = i (as floats), so every y tells which row of X it belongs to."""
    return rng.standard_normal((N, D)), np.arange(N, dtype=np.float64)


@pytest.mark.grade(task="5.1", points=2,
                   hint="Step against the gradient: the new weights are the old ones minus "
                        "the learning rate times the gradient.",
                   more=("Subtract, do not add: the gradient points uphill.",
                         "Build and return a new array instead of changing W."))
def test_sgd_step_moves_against_the_gradient(learner, rng):
    W, dW = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    out = expect_array(learner.day5.sgd_step(W, dW, 0.1), W.shape, learner.last.text)
    expect_close(out, W - 0.1 * dW, learner.last.text)


@pytest.mark.grade(task="5.2", points=2,
                   needs=("test_sgd_step_moves_against_the_gradient",),
                   hint="Keep a list: first the starting W, then the W after each step.",
                   more=("With steps=10 the list has 11 arrays.",
                         "Append a new array at every step, not the same array changed "
                         "in place."))
def test_sgd_steps_records_w_before_and_after_every_step(learner, rng):
    W, dW = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    history = expect_list(learner.day5.sgd_steps(W, dW, learning_rate=0.1, steps=10), 11,
                          learner.last.text, "arrays")
    call = learner.last.text
    for k, Wk in enumerate(history):
        expect_array(Wk, W.shape, f"{call} (item {k})")
        if not np.allclose(Wk, W - 0.1 * k * dW, rtol=1e-7, atol=1e-10):
            raise Failure(f"{call} returned {fmt(Wk)} as item {k}; expected W after {k} "
                          f"steps, {fmt(W - 0.1 * k * dW)}.")


@pytest.mark.grade(task="5.3", points=1,
                   hint="Each iterate is the previous one minus the learning rate times the "
                        "gradient at the previous one.",
                   more=("Ask grad_fn for the gradient at the current w, every step.",
                         "On f(w) = w^2 at learning rate 0.1, each step multiplies w by 0.8."))
def test_gradient_descent_converges_on_w_squared_at_a_small_rate(learner):
    iterates = expect_list(learner.day5.gradient_descent(funcs.grad_square, 1.0, 0.1, 10), 11,
                           learner.last.text, "iterates")
    call = learner.last.text
    got = np.array([expect_iterate(w, (), call, k) for k, w in enumerate(iterates)])
    expect_close(got, 0.8 ** np.arange(11), call)


@pytest.mark.grade(task="5.3", points=1,
                   hint="The same update rule, only with a huge step: it should blow up.",
                   more=("On f(w) = w^2 at learning rate 100, each step multiplies w by -199.",
                         "Do not clip or stop early: return every iterate."))
def test_gradient_descent_diverges_on_w_squared_at_a_huge_rate(learner):
    iterates = expect_list(learner.day5.gradient_descent(funcs.grad_square, 1.0, 100, 10), 11,
                           learner.last.text, "iterates")
    call = learner.last.text
    got = np.array([expect_iterate(w, (), call, k) for k, w in enumerate(iterates)])
    expect_close(got, (-199.0) ** np.arange(11), call)


@pytest.mark.grade(task="5.4", points=1,
                   hint="Cut the row order into runs of batch_size; the last run holds the "
                        "rest.",
                   more=("Do not drop the last, smaller batch.",
                         "Stepping the start index by batch_size up to N visits each row once."))
def test_minibatches_cover_every_sample_exactly_once(learner, rng):
    X, y = indexed_data(rng, 23, 3)
    got = expect_batches(learner.day5.minibatches(X, y, 5, rng=learner.rng(7)),
                         learner.last.text, 3)
    seen = np.concatenate([yb for _, yb in got]) if got else np.array([])
    if not np.array_equal(np.sort(seen), y):
        raise Failure(f"{learner.last.text} gave {len(got)} batches holding {len(seen)} rows"
                      f"{coverage_gap(seen, 23)}; expected each of the 23 rows exactly once.")


@pytest.mark.grade(task="5.4", points=1,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="Every batch has batch_size rows, except possibly the last.",
                   more=("N = 23 and batch_size = 5 give batches of 5, 5, 5, 5 and 3 rows.",))
def test_minibatches_have_batch_size_rows_except_the_last(learner, rng):
    X, y = indexed_data(rng, 23, 3)
    got = expect_batches(learner.day5.minibatches(X, y, 5, rng=learner.rng(7)),
                         learner.last.text, 3)
    sizes = [len(xb) for xb, _ in got]
    if sizes != [5, 5, 5, 5, 3]:
        raise Failure(f"{learner.last.text} gave batches of {sizes} rows; expected "
                      "[5, 5, 5, 5, 3].")


@pytest.mark.grade(task="5.4", points=1,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="Shuffle row indices once and use the same indices for X and y.",
                   more=("Two separate shuffles of X and y break the pairs apart.",
                         "Index X and y with the same array of row numbers."))
def test_minibatches_keep_x_and_y_aligned(learner, rng):
    X, y = indexed_data(rng, 23, 3)
    got = expect_batches(learner.day5.minibatches(X, y, 5, rng=learner.rng(7)),
                         learner.last.text, 3)
    for i, (xb, yb) in enumerate(got):
        rows = yb.astype(int)
        if not (np.array_equal(yb, rows) and np.all((rows >= 0) & (rows < 23))
                and np.array_equal(xb, X[rows])):
            raise Failure(f"{learner.last.text}: in batch {i}, X_batch does not hold the rows "
                          f"of X that go with y_batch = {fmt(yb)}; each X row must stay "
                          "paired with its own y.")


@pytest.mark.grade(task="5.4", points=1,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="With shuffle=False, use the rows in their original order.",
                   more=("Only shuffle when asked to.",))
def test_minibatches_keep_the_order_when_shuffle_is_false(learner, rng):
    X, y = indexed_data(rng, 12, 2)
    got = expect_batches(learner.day5.minibatches(X, y, 4, shuffle=False),
                         learner.last.text, 2)
    order = np.concatenate([yb for _, yb in got]) if got else np.array([])
    if not np.array_equal(order, y):
        raise Failure(f"{learner.last.text} gave the rows in the order {fmt(order)}; "
                      f"expected {fmt(y)}.")
