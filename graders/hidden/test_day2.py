"""Hidden checks of Day 2: the np.random path, odd shapes, vectorization, shape errors."""
import time

import numpy as np
import pytest

from graders.checks import (expect_array, expect_close, expect_mismatch_raises,
                            expect_unmodified, fmt)
from graders.failures import Failure, told
from graders.public.test_day2 import expect_pair

TRIES = 5  # timed tries, at most
SAMPLED = 20_000  # rows of the grader's own loop, timed and scaled up


def cost(learner, fn, *args):
    """What one call across the door costs: the CPU time of the learner's process, seen from
    outside it (a busy machine does not inflate it), or the wall time where it cannot be."""
    before, start = learner.cpu_seconds(), time.perf_counter()
    fn(*args)
    after = learner.cpu_seconds()
    return after - before if None not in (before, after) else time.perf_counter() - start


def expect_no_loop(learner, args, grader_loop, over):
    """layer_forward(*args), where a Python loop over the samples or the neurons (or over
    every entry) would run 100 000 times, costs no more than moving its data across the door
    plus a tenth of the grader's own Python loop of that length. One good try is enough."""
    fn = learner.day2.layer_forward
    fn(*args)  # a working call (its values are the basic check's business); warms the caches
    worst = None
    for _ in range(TRIES):
        loop = grader_loop()
        extra = cost(learner, fn, *args) - cost(learner, learner.probe, *args)
        if extra <= loop / 10:
            return
        worst = (extra, loop) if worst is None or extra / loop < worst[0] / worst[1] else worst
    shape = " and ".join(str(a.shape) for a in args[:2])
    raise told(f"layer_forward on X and W of shapes {shape} took {worst[0] * 1e3:.0f} ms more "
               f"than moving its data, as much as {worst[0] / worst[1]:.0%} of a Python loop "
               f"over the {over}; a loop over the {over} (or over every entry) costs about that "
               "much. Use one matrix product for the whole batch.", about_property=True)


def loop_time(rows, W):
    """The grader's own Python loop `for x in rows: x @ W`: its CPU time on a sample, scaled."""
    start = time.process_time()
    for x in rows[:SAMPLED]:
        x @ W
    return (time.process_time() - start) * len(rows) / SAMPLED


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
    for n, d, h in ((1, 6, 4), (4, 4, 4)):  # one sample; and all square, where transposes hide
        X, W, B = (rng.standard_normal(s) for s in ((n, d), (d, h), (1, h)))
        Z = expect_array(learner.day2.layer_forward(X, W, B), (n, h), learner.last.text)
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
    X, W = rng.standard_normal((100_000, 1)), rng.standard_normal((1, 1))
    expect_no_loop(learner, (X, W, rng.standard_normal((1, 1))), lambda: loop_time(X, W),
                   "samples")


@pytest.mark.grade(task="2.3", points=1,
                   needs=("test_layer_forward_is_x_times_w_plus_b",),
                   hint="Let one matrix product handle every neuron at once.",
                   more=("A Python loop over the columns of W costs about a microsecond each.",
                         "X @ W computes every column in one call; B broadcasts over them."))
def test_layer_forward_has_no_python_loop_over_neurons(learner, rng):
    X, W = rng.standard_normal((1, 1)), rng.standard_normal((1, 100_000))
    expect_no_loop(learner, (X, W, rng.standard_normal((1, 100_000))),
                   lambda: loop_time(W.T, X), "neurons")


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
