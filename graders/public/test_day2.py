"""Public checks of Day 2: init_layer, random_batch, layer_forward, output_shape."""
import numpy as np
import pytest

from graders.checks import (describe, expect_array, expect_close, expect_mismatch_raises,
                            fmt)
from graders.failures import Failure


def expect_pair(v, call):
    """init_layer's (W, B): a tuple (or list) of two items."""
    if type(v) not in (tuple, list) or len(v) != 2:
        raise Failure(f"{call} returned {describe(v)}; expected the pair (W, B).")
    return v


@pytest.mark.grade(task="2.1", points=2,
                   hint="When a generator is given, draw W with its standard_normal, shaped "
                        "(n_inputs, n_neurons).",
                   more=("W has one row per input and one column per neuron.",
                         "Draw from the generator passed in, not from np.random."))
def test_init_layer_draws_w_from_the_given_generator(learner, rng):
    s = int(rng.integers(2**31))
    out = expect_pair(learner.day2.init_layer(5, 3, rng=learner.rng(s)), learner.last.text)
    W = expect_array(out[0], (5, 3), f"W of {learner.last.text}")
    expect_close(W, np.random.default_rng(s).standard_normal((5, 3)), f"W of {learner.last.text}",
                 rtol=1e-12, atol=0)


@pytest.mark.grade(task="2.1", points=1,
                   hint="The biases start at zero: one row, one column per neuron.",
                   more=("B has shape (1, n_neurons) so that it broadcasts over the rows of X @ W.",
                         "np.zeros takes the shape as a tuple."))
def test_init_layer_biases_are_zeros_of_shape_1_by_n_neurons(learner, rng):
    out = expect_pair(learner.day2.init_layer(4, 6, rng=learner.rng(int(rng.integers(2**31)))),
                      learner.last.text)
    B = expect_array(out[1], (1, 6), f"B of {learner.last.text}", floats=True)
    if np.any(B != 0):
        raise Failure(f"B of {learner.last.text} is {fmt(B)}; expected all zeros.")


@pytest.mark.grade(task="2.2", points=1,
                   hint="Use the generator's standard_normal with shape (batch_size, n_features).",
                   more=("One row per sample, one column per feature.",
                         "Draw from the generator passed in, not from np.random."))
def test_random_batch_draws_from_the_given_generator(learner, rng):
    s = int(rng.integers(2**31))
    X = expect_array(learner.day2.random_batch(6, 2, rng=learner.rng(s)), (6, 2),
                     learner.last.text)
    expect_close(X, np.random.default_rng(s).standard_normal((6, 2)), learner.last.text,
                 rtol=1e-12, atol=0)


@pytest.mark.grade(task="2.2", points=1,
                   hint="With no arguments: 3 samples of 4 features from np.random.randn.",
                   more=("Without a generator, draw with np.random.randn(batch_size, n_features).",
                         "Use the parameters, not fixed numbers."))
def test_random_batch_defaults_to_3_samples_of_4_features_from_np_random(learner, rng):
    s = int(rng.integers(2**31))
    fn = learner.day2.random_batch
    learner.seed(s)
    X = expect_array(fn(), (3, 4), learner.last.text)
    expect_close(X, np.random.RandomState(s).randn(3, 4),
                 f"{learner.last.text} after np.random.seed({s})", rtol=1e-12, atol=0)


@pytest.mark.grade(task="2.3", points=3,
                   hint="One matrix product of X and W for the whole batch, then add B.",
                   more=("(N, D) @ (D, H) gives (N, H); B of shape (1, H) is added to every row.",
                         "Multiply X by W in that order; no loop is needed."))
def test_layer_forward_is_x_times_w_plus_b(learner, rng):
    X, W, B = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((1, 5))
    Z = expect_array(learner.day2.layer_forward(X, W, B), (4, 5), learner.last.text)
    expect_close(Z, X @ W + B, learner.last.text)


@pytest.mark.grade(task="2.4", points=1,
                   hint="X @ W keeps the rows of X and the columns of W.",
                   more=("(N, D) and (D, H) give (N, H).",
                         "Return a tuple of two ints."))
def test_output_shape_is_rows_of_x_by_columns_of_w(learner, rng):
    n, d, h = (int(k) for k in rng.choice(np.arange(2, 10), size=3, replace=False))
    got = learner.day2.output_shape((n, d), (d, h))
    if type(got) not in (tuple, list) or tuple(got) != (n, h):  # the kind: a hidden check's
        raise Failure(f"{learner.last.text} returned {got!r}; expected the tuple {(n, h)}.")


@pytest.mark.grade(task="2.4", points=1,
                   needs=("test_output_shape_is_rows_of_x_by_columns_of_w",),
                   hint="Compare the number of columns of X with the number of rows of W; "
                        "raise ValueError when they differ.",
                   more=("X (N, D) @ W (D', H) needs D == D'.",
                         "The error must be a ValueError; its message is yours to choose."))
def test_output_shape_raises_value_error_for_mismatched_inner_dimensions(learner, rng):
    n, d, d2, h = (int(k) for k in rng.choice(np.arange(2, 10), size=4, replace=False))
    expect_mismatch_raises(learner, learner.day2.output_shape, (n, d), (d2, h))
