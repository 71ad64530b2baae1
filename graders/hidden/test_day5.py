"""Hidden checks of Day 5: random shapes and rates, edge cases, untouched inputs, shuffling."""
import numbers

import numpy as np
import pytest

from graders import funcs
from graders.checks import expect_array, expect_close, expect_unmodified, fmt
from graders.failures import Failure
from graders.public.test_day5 import coverage_gap, expect_batches, expect_list


def expect_iterates(v, w0, rate, steps, grad, call):
    """The steps + 1 iterates of w <- w - rate * grad(w) from w0, each shaped like w0."""
    expect_list(v, steps + 1, call, "iterates")
    want = [w0]
    for _ in range(steps):
        want.append(want[-1] - rate * grad(want[-1]))
    shape = np.shape(w0)
    for k, (got, exp) in enumerate(zip(v, want)):
        if not (shape == () and isinstance(got, numbers.Real) and not isinstance(got, bool)):
            expect_array(got, shape, f"{call} (iterate {k})")
        if not np.allclose(got, exp, rtol=1e-7, atol=1e-10):
            raise Failure(f"{call} returned {fmt(got)} as iterate {k}; expected {fmt(exp)}.")


def row_order(learner, N, **kwargs):
    """The order in which minibatches visits the rows (y[i] = i), checked for coverage."""
    X, y = np.arange(2.0 * N).reshape(N, 2), np.arange(N, dtype=np.float64)
    got = expect_batches(learner.day5.minibatches(X, y, 8, **kwargs), learner.last.text, 2)
    order = np.concatenate([yb for _, yb in got]) if got else np.array([])
    if not np.array_equal(np.sort(order), y):
        raise Failure(f"{learner.last.text} gave {len(order)} rows{coverage_gap(order, N)}; "
                      f"expected each of the {N} rows exactly once.")
    return order, learner.last.text


@pytest.mark.grade(task="5.1", points=0.5,
                   needs=("test_sgd_step_moves_against_the_gradient",),
                   hint="The update is elementwise, so it works for arrays of any shape and "
                        "any learning rate.",
                   more=("Multiply the gradient by the learning rate you were given, not a "
                         "fixed number.",))
def test_sgd_step_is_right_for_any_shape_and_learning_rate(learner, rng):
    for shape in [(7,), (2, 3, 4), (5, 1)]:
        W, dW, lr = rng.standard_normal(shape), rng.standard_normal(shape), rng.uniform(0.01, 2)
        out = expect_array(learner.day5.sgd_step(W, dW, lr), shape, learner.last.text)
        expect_close(out, W - lr * dW, learner.last.text)


@pytest.mark.grade(task="5.1", points=1,
                   needs=("test_sgd_step_moves_against_the_gradient",),
                   hint="Return a new array; do not update W (or dW) in place.",
                   more=("`W -= ...` changes the caller's array; `W - ...` builds a new one.",))
def test_sgd_step_leaves_w_and_dw_unmodified(learner, rng):
    W, dW = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    learner.day5.sgd_step(W, dW, 0.5)
    expect_unmodified(learner, ["W", "dW", "learning_rate"])


@pytest.mark.grade(task="5.2", points=0.5,
                   needs=("test_sgd_steps_records_w_before_and_after_every_step", "test_sgd_step_leaves_w_and_dw_unmodified"),
                   hint="Use the learning_rate and steps you were given; the list has "
                        "steps + 1 arrays.",
                   more=("Each item is a separate array: copy, or build a new one each step.",))
def test_sgd_steps_are_right_for_random_learning_rate_and_step_count(learner, rng):
    W, dW = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    lr, steps = rng.uniform(0.01, 1), int(rng.integers(3, 9))
    history = expect_list(learner.day5.sgd_steps(W, dW, learning_rate=lr, steps=steps),
                          steps + 1, learner.last.text, "arrays")
    for k, Wk in enumerate(history):
        expect_array(Wk, W.shape, f"{learner.last.text} (item {k})")
        if not np.allclose(Wk, W - lr * k * dW, rtol=1e-7, atol=1e-10):
            raise Failure(f"{learner.last.text} returned {fmt(Wk)} as item {k}; expected "
                          f"{fmt(W - lr * k * dW)}.")


@pytest.mark.grade(task="5.2", points=0.5,
                   needs=("test_sgd_steps_records_w_before_and_after_every_step", "test_sgd_step_leaves_w_and_dw_unmodified"),
                   hint="The defaults are learning_rate=0.1 and steps=10.",
                   more=("Keep the default values of the signature in the stub.",))
def test_sgd_steps_default_to_ten_steps_at_rate_one_tenth(learner, rng):
    W, dW = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    history = expect_list(learner.day5.sgd_steps(W, dW), 11, learner.last.text, "arrays")
    last = expect_array(history[-1], W.shape, learner.last.text)
    expect_close(last, W - dW, learner.last.text + " (last item)")


@pytest.mark.grade(task="5.2", points=0.5,
                   needs=("test_sgd_steps_records_w_before_and_after_every_step", "test_sgd_step_leaves_w_and_dw_unmodified"),
                   hint="Start from a copy of W; never change the caller's W or dW.",
                   more=("np.array(W, dtype=float) or W.copy() gives an array you may change.",))
def test_sgd_steps_leave_w_and_dw_unmodified(learner, rng):
    W, dW = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    learner.day5.sgd_steps(W, dW, learning_rate=0.3, steps=4)
    expect_unmodified(learner, ["W", "dW"])


@pytest.mark.grade(task="5.3", points=1,
                   needs=("test_gradient_descent_converges_on_w_squared_at_a_small_rate",),
                   hint="Call grad_fn on the current w at every step and keep every iterate.",
                   more=("The gradient changes as w moves: do not compute it only once.",))
def test_gradient_descent_follows_a_shifted_gradient_at_a_random_rate(learner, rng):
    w0, lr, steps = rng.standard_normal(4), rng.uniform(0.05, 0.4), int(rng.integers(4, 9))
    out = learner.day5.gradient_descent(funcs.grad_shifted_square, w0, lr, steps)
    expect_iterates(out, w0, lr, steps, funcs.grad_shifted_square, learner.last.text)


@pytest.mark.grade(task="5.3", points=0.5,
                   needs=("test_gradient_descent_converges_on_w_squared_at_a_small_rate",),
                   hint="The update works unchanged when w0 is an array.",
                   more=("On f(w) = w^2 at learning rate 0.1 every step multiplies w by 0.8.",))
def test_gradient_descent_converges_from_an_array_start_at_a_small_rate(learner, rng):
    w0 = rng.uniform(1, 3, 5) * rng.choice([-1, 1], 5)
    out = learner.day5.gradient_descent(funcs.grad_square, w0, 0.1, 40)
    expect_iterates(out, w0, 0.1, 40, funcs.grad_square, learner.last.text)


@pytest.mark.grade(task="5.3", points=0.5,
                   needs=("test_gradient_descent_diverges_on_w_squared_at_a_huge_rate",),
                   hint="Too big a learning rate makes the iterates blow up; return them all.",
                   more=("On f(w) = w^2 at learning rate 100 every step multiplies w by -199.",))
def test_gradient_descent_diverges_from_an_array_start_at_a_huge_rate(learner, rng):
    w0 = rng.uniform(0.5, 2, 3)
    out = learner.day5.gradient_descent(funcs.grad_square, w0, 100, 8)
    expect_iterates(out, w0, 100, 8, funcs.grad_square, learner.last.text)


@pytest.mark.grade(task="5.3", points=0.5,
                   needs=("test_gradient_descent_converges_on_w_squared_at_a_small_rate",),
                   hint="The list holds w0 and then one iterate per step: steps + 1 items.",
                   more=("With steps=0 the list is just [w0].",))
def test_gradient_descent_with_zero_steps_returns_only_w0(learner, rng):
    w0 = float(rng.uniform(-2, 2))
    out = learner.day5.gradient_descent(funcs.grad_square, w0, 0.1, 0)
    expect_iterates(out, w0, 0.1, 0, funcs.grad_square, learner.last.text)


@pytest.mark.grade(task="5.4", points=1,
                   needs=("test_minibatches_cover_every_sample_exactly_once",
                          "test_minibatches_keep_x_and_y_aligned"),
                   hint="Draw the permutation from the rng you were given.",
                   more=("rng.permutation(N) uses the generator; np.random.permutation ignores "
                         "it.",))
def test_minibatches_shuffle_the_same_way_for_the_same_rng_seed(learner, rng):
    s = int(rng.integers(1000))
    first, _ = row_order(learner, 50, shuffle=True, rng=learner.rng(s))
    again, call = row_order(learner, 50, shuffle=True, rng=learner.rng(s))
    if not np.array_equal(first, again):
        raise Failure(f"{call} gave the row order {fmt(again)}, but the first call with the "
                      f"same seed gave {fmt(first)}; the same generator must give the same "
                      "order.")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once",
                          "test_minibatches_keep_x_and_y_aligned"),
                   hint="The order must come from the generator, so another seed gives "
                        "another order.",
                   more=("Do not seed anything yourself inside minibatches.",))
def test_minibatches_shuffle_differently_for_different_rng_seeds(learner, rng):
    s = int(rng.integers(1000))
    first, _ = row_order(learner, 50, rng=learner.rng(s))
    other, call = row_order(learner, 50, rng=learner.rng(s + 1))
    if np.array_equal(first, other):
        raise Failure(f"{call} gave the same row order as seed {s}: {fmt(other)}; different "
                      "generators should give different orders.")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once",
                          "test_minibatches_keep_x_and_y_aligned"),
                   hint="With shuffle=True the rows come out in a random order.",
                   more=("Shuffle the row indices before cutting them into batches.",))
def test_minibatches_shuffle_changes_the_order_of_50_rows(learner, rng):
    order, call = row_order(learner, 50, shuffle=True, rng=learner.rng(int(rng.integers(1000))))
    if np.array_equal(order, np.arange(50)):
        raise Failure(f"{call} kept the rows in their original order; with shuffle=True "
                      "they must be shuffled.")


@pytest.mark.grade(task="5.4", points=1,
                   needs=("test_minibatches_cover_every_sample_exactly_once",
                          "test_minibatches_keep_x_and_y_aligned"),
                   hint="When rng is None, draw the permutation from np.random.",
                   more=("np.random.permutation(N) follows np.random.seed, so runs repeat.",))
def test_minibatches_shuffle_with_np_random_when_rng_is_none(learner, rng):
    s = int(rng.integers(1000))
    learner.seed(s)
    first, _ = row_order(learner, 50)
    learner.seed(s)
    again, call = row_order(learner, 50)
    if np.array_equal(again, np.arange(50)):
        raise Failure(f"{call} kept the rows in their original order; with rng=None they "
                      "must be shuffled with np.random.")
    if not np.array_equal(first, again):
        raise Failure(f"after np.random.seed({s}), {call} gave the order {fmt(again)}, but "
                      f"the first run after the same seed gave {fmt(first)}; shuffle with "
                      "np.random so that seeding repeats the order.")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once", "test_minibatches_keep_x_and_y_aligned"),
                   hint="One-hot targets are rows too: pick the same rows of y as of X.",
                   more=("Index y with the row numbers, so a (N, C) y gives (B, C) batches.",))
def test_minibatches_keep_one_hot_targets_aligned(learner, rng):
    N, C = 17, 4
    labels = rng.integers(0, C, N)
    y = np.eye(C)[labels]
    X = np.column_stack([np.arange(N, dtype=np.float64), rng.standard_normal((N, 2))])
    got = expect_batches(learner.day5.minibatches(X, y, 6, rng=learner.rng(3)),
                         learner.last.text, 3)
    for i, (xb, yb) in enumerate(got):
        rows = xb[:, 0].astype(int)
        if yb.shape != (len(xb), C) or not np.array_equal(yb, y[rows]):
            raise Failure(f"{learner.last.text}: batch {i} pairs the rows {fmt(rows)} of X "
                          f"with y_batch {fmt(yb)}; expected y_batch {fmt(y[rows])}, "
                          f"shape ({len(xb)}, {C}).")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="When N is a multiple of batch_size, every batch is full and there "
                        "is no extra empty one.",
                   more=("Stop once the start index reaches N.",))
def test_minibatches_yield_no_empty_batch_when_n_divides_evenly(learner, rng):
    X, y = rng.standard_normal((20, 3)), np.arange(20.0)
    got = expect_batches(learner.day5.minibatches(X, y, 5, shuffle=False),
                         learner.last.text, 3)
    sizes = [len(xb) for xb, _ in got]
    if sizes != [5, 5, 5, 5]:
        raise Failure(f"{learner.last.text} gave batches of {sizes} rows; expected "
                      "[5, 5, 5, 5].")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="A batch_size larger than N gives one batch holding every row.",
                   more=("Slicing past the end of an array simply stops at the end.",))
def test_minibatches_give_one_batch_when_batch_size_exceeds_n(learner, rng):
    X, y = rng.standard_normal((7, 2)), np.arange(7.0)
    got = expect_batches(learner.day5.minibatches(X, y, 100, shuffle=False),
                         learner.last.text, 2)
    if len(got) != 1 or not np.array_equal(got[0][0], X) or not np.array_equal(got[0][1], y):
        raise Failure(f"{learner.last.text} gave {len(got)} batches of "
                      f"{[len(xb) for xb, _ in got]} rows; expected one batch with all 7 "
                      "rows in order.")


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once",),
                   hint="Shuffle row indices, not the arrays themselves.",
                   more=("np.random.shuffle(X) reorders the caller's X in place.",))
def test_minibatches_leave_x_and_y_unmodified(learner, rng):
    X, y = rng.standard_normal((30, 3)), np.eye(3)[rng.integers(0, 3, 30)]
    learner.day5.minibatches(X, y, 8, rng=learner.rng(1))
    expect_unmodified(learner, ["X", "y"])


@pytest.mark.grade(task="5.4", points=0.5,
                   needs=("test_minibatches_cover_every_sample_exactly_once", "test_minibatches_keep_x_and_y_aligned"),
                   hint="The same code must handle many rows and integer labels.",
                   more=("Every row appears once, every batch but the last is full.",))
def test_minibatches_cover_1000_rows_with_integer_labels(learner, rng):
    N, B = 1000, 64
    X, y = rng.standard_normal((N, 5)), np.arange(N)
    got = expect_batches(learner.day5.minibatches(X, y, B, rng=learner.rng(5)),
                         learner.last.text, 5)
    sizes = [len(xb) for xb, _ in got]
    rows = np.concatenate([yb for _, yb in got]) if got else np.array([], int)
    if sizes != [B] * 15 + [40] or not np.array_equal(np.sort(rows), y):
        raise Failure(f"{learner.last.text} gave {len(got)} batches of {fmt(np.array(sizes))} "
                      f"rows{coverage_gap(rows, N)}; expected 15 of 64 rows and one of 40, "
                      "each row once.")
    if not all(np.array_equal(xb, X[np.asarray(yb).astype(int)]) for xb, yb in got):
        raise Failure(f"{learner.last.text}: some X_batch does not hold the rows of its "
                      "y_batch; keep X and y aligned.")
