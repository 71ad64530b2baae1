"""Hidden checks of Day 2: the np.random path, odd shapes, vectorization, shape errors."""
import time

import numpy as np
import pytest

from graders.checks import (expect_array, expect_close, expect_mismatch_raises,
                            expect_unmodified, fmt)
from graders.failures import Failure
from graders.public.test_day2 import expect_pair

TRIES = 3  # timed calls of each kind, at most
SAMPLED = 20_000  # rows of the grader's own loop, timed and scaled up


def call_time(fn, *args):
    """Wall time of one call across the door."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def expect_no_loop(learner, looped, plain, reference, over):
    """`looped` (many samples or neurons) costs no more than `plain` (as many numbers across the
    door, in a single sample) plus a third of the grader's own Python loop of that length."""
    fn = learner.day2.layer_forward
    for args in (plain, looped):  # right answers first; this also warms the caches
        X, W, B = args
        expect_close(expect_array(fn(*args), (X.shape[0], W.shape[1]), learner.last.text),
                     X @ W + B, learner.last.text)
    budget = reference / 3
    best_loop, best_plain = np.inf, np.inf
    for _ in range(TRIES):
        best_loop = min(best_loop, call_time(fn, *looped))
        best_plain = min(best_plain, call_time(fn, *plain))
        if best_loop - best_plain <= budget:
            return
    shape = " and ".join(str(a.shape) for a in looped[:2])
    raise Failure(f"layer_forward on X and W of shapes {shape} took {best_loop * 1e3:.0f} ms, "
                  f"{(best_loop - best_plain) * 1e3:.0f} ms more than a call that moves as much "
                  f"data in a single sample; a Python loop over the {over} costs about that "
                  "much. Use one matrix product for the whole batch.")


@pytest.mark.grade(task="2.1", points=1,
                   hint="Without a generator, draw W with np.random.randn(n_inputs, n_neurons).",
                   more=("The global np.random is seeded by the caller: do not seed it yourself.",
                         "Rows are inputs, columns are neurons."))
def test_init_layer_without_rng_draws_w_from_np_random_randn(learner, rng):
    fn = learner.day2.init_layer
    for n_in, n_out in ((7, 2), (1, 5)):
        s = int(rng.integers(2**31))
        learner.seed(s)
        out = expect_pair(fn(n_in, n_out), learner.last.text)
        call = f"W of {learner.last.text} after np.random.seed({s})"
        W = expect_array(out[0], (n_in, n_out), call)
        expect_close(W, np.random.RandomState(s).randn(n_in, n_out), call, rtol=1e-12, atol=0)
        B = expect_array(out[1], (1, n_out), f"B of {learner.last.text}")
        if np.any(B != 0):
            raise Failure(f"B of {learner.last.text} is {fmt(B)}; expected all zeros.")


@pytest.mark.grade(task="2.2", points=1,
                   hint="Use batch_size and n_features for the shape, whatever they are.",
                   more=("Without a generator, draw with np.random.randn(batch_size, n_features).",
                         "Check a batch of one sample, too."))
def test_random_batch_without_rng_draws_any_shape_from_np_random_randn(learner, rng):
    fn = learner.day2.random_batch
    for n, d in ((5, 2), (1, 7)):
        s = int(rng.integers(2**31))
        learner.seed(s)
        X = expect_array(fn(batch_size=n, n_features=d), (n, d), learner.last.text)
        expect_close(X, np.random.RandomState(s).randn(n, d),
                     f"{learner.last.text} after np.random.seed({s})", rtol=1e-12, atol=0)


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="A batch of one sample is still a 2-D X of shape (1, D).",
                   more=("Do not squeeze or index away the batch axis.",
                         "X @ W + B keeps every axis for N = 1 too."))
def test_layer_forward_works_for_a_single_sample(learner, rng):
    X, W, B = rng.standard_normal((1, 6)), rng.standard_normal((6, 4)), rng.standard_normal((1, 4))
    Z = expect_array(learner.day2.layer_forward(X, W, B), (1, 4), learner.last.text)
    expect_close(Z, X @ W + B, learner.last.text)


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="B has one bias per neuron; each one is added to its column of X @ W, "
                        "in every row.",
                   more=("Broadcasting adds a (1, H) row to every row of an (N, H) array.",
                         "Do not transpose or sum B."))
def test_layer_forward_adds_each_bias_to_its_neuron_in_every_row(learner, rng):
    X, W = rng.standard_normal((7, 2)), rng.standard_normal((2, 3))
    B = rng.uniform(5, 10, size=(1, 3)) * rng.choice([-1, 1], size=(1, 3))
    Z = expect_array(learner.day2.layer_forward(X, W, B), (7, 3), learner.last.text)
    expect_close(Z, X @ W + B, learner.last.text)


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="Compute a new array; leave X, W and B as they were.",
                   more=("An in-place += on an input changes the caller's array.",
                         "X @ W is already a new array: add B to that."))
def test_layer_forward_does_not_modify_its_inputs(learner, rng):
    X, W, B = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    out = expect_array(learner.day2.layer_forward(X, W, B), (5, 4), learner.last.text)
    expect_unmodified(learner, ["X", "W", "B"])
    expect_close(out, X @ W + B, learner.last.text)


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="Let one matrix product handle every sample at once.",
                   more=("A Python loop over the rows of X costs about a microsecond per row.",
                         "X @ W multiplies every row by W in one call."))
def test_layer_forward_has_no_python_loop_over_samples(learner, rng):
    n = 100_000
    X = rng.standard_normal((n, 1))
    looped = (X, rng.standard_normal((1, 1)), rng.standard_normal((1, 1)))  # N rows
    plain = (X.reshape(1, n), X, rng.standard_normal((1, 1)))  # as many numbers, one row
    W = looped[1]
    start = time.perf_counter()
    for x in X[:SAMPLED]:
        x @ W
    reference = (time.perf_counter() - start) * n / SAMPLED
    expect_no_loop(learner, looped, plain, reference, "samples")


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="Let one matrix product handle every neuron at once.",
                   more=("A Python loop over the columns of W costs about a microsecond each.",
                         "X @ W computes every column in one call; B broadcasts over them."))
def test_layer_forward_has_no_python_loop_over_neurons(learner, rng):
    h = 100_000
    W = rng.standard_normal((1, h))
    looped = (rng.standard_normal((1, 1)), W, rng.standard_normal((1, h)))  # H neurons
    plain = (W, rng.standard_normal((h, 2)), rng.standard_normal((1, 2)))  # as many numbers
    X = looped[0]
    start = time.perf_counter()
    for w in W.T[:SAMPLED]:
        X @ w
    reference = (time.perf_counter() - start) * h / SAMPLED
    expect_no_loop(learner, looped, plain, reference, "neurons")


@pytest.mark.grade(task="2.4", points=1,
                   needs=("test_output_shape_is_rows_of_x_by_columns_of_w",),
                   hint="Build the answer from the shapes you are given, as a tuple.",
                   more=("The result is (rows of X, columns of W).",
                         "Batches of one sample and layers of one neuron count too."))
def test_output_shape_returns_the_tuple_for_any_shapes(learner, rng):
    n, d, h = (int(k) for k in rng.integers(2, 50, size=3))
    for x_shape, w_shape in (((n, d), (d, h)), ((1, d), (d, h)), ((n, d), (d, 1)),
                             ((h, n), (n, d))):
        got = learner.day2.output_shape(x_shape, w_shape)
        want = (x_shape[0], w_shape[1])
        if type(got) is not tuple or got != want:
            raise Failure(f"{learner.last.text} returned {got!r}; expected the tuple {want}.")


@pytest.mark.grade(task="2.4", points=1,
                   needs=("test_output_shape_is_rows_of_x_by_columns_of_w",),
                   hint="Compare the columns of X with the rows of W, and nothing else.",
                   more=("Equal numbers of rows, or of columns, do not make X @ W possible.",
                         "The inner dimensions are the last of X and the first of W."))
def test_output_shape_raises_value_error_when_only_the_inner_dimensions_differ(learner, rng):
    a, b = (int(k) for k in rng.choice(np.arange(2, 30), size=2, replace=False))
    fn = learner.day2.output_shape
    for x_shape, w_shape in (((a, b), (a, b)), ((a, a), (b, a)), ((b, a), (b, b)),
                             ((1, a), (b, 1))):
        expect_mismatch_raises(learner, fn, x_shape, w_shape)
