"""Hidden checks of Day 3: stability, untouched inputs, batch sizes and edge cases."""
import numpy as np
import pytest

from graders.checks import (expect_array, expect_close, expect_no_warnings, expect_number,
                            expect_unmodified, fmt)
from graders.failures import Failure
from graders.hidden.answers import softmax_rows
from graders.public.test_day3 import EPS_HIGH, EPS_LOW, expect_loss, one_hot



def log_softmax_rows(z):
    """log softmax along the last axis, exact even where softmax underflows to 0."""
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def expect_between(value, lo, hi, call, why):
    """A number within [lo, hi] (slack for rounding, or a clip to 1 - eps at the top)."""
    slack = 1e-6 * max(abs(lo), abs(hi), 1.0)
    if not lo - slack <= value <= hi + slack:
        raise Failure(f"{call} returned {fmt(value)}; expected a value between {fmt(lo)} and "
                      f"{fmt(hi)} ({why}).")


@pytest.mark.grade(task="3.1", points=1,
                   needs=("test_relu_is_max_of_zero_and_z",),
                   hint="relu must return a new array and leave its input as it was.",
                   more=("Assigning into z (z[z < 0] = 0) or using out=z changes the caller's "
                         "array.",
                         "Build the result with a function that returns a new array, or work "
                         "on a copy."))
def test_relu_leaves_its_input_unchanged(learner, rng):
    z = rng.standard_normal((6, 3))
    learner.day3.relu(z)  # its values are the basic check's business
    expect_unmodified(learner, ["z"])


@pytest.mark.grade(task="3.2", points=2,
                   needs=("test_softmax_rows_sum_to_one", "test_softmax_matches_exp_over_row_sum"),
                   hint="Subtract each row's max before exponentiating: e^1000 overflows, "
                        "e^0 does not.",
                   more=("softmax(z) equals softmax(z - c) for any constant c per row; pick "
                         "c = the row's max so every exponent is <= 0.",
                         "The shifted logits have max 0, so exp gives numbers in (0, 1] and "
                         "the row sum is at least 1: no overflow, no 0/0."))
def test_softmax_is_stable_for_large_logits(learner, rng):
    z = rng.uniform(-1e4, 1e4, (5, 7))
    z[0, 2] = 1e4
    z[1] = -1e4 + rng.uniform(0, 5, 7)
    p = learner.day3.softmax(z)
    expect_no_warnings(learner)
    expect_array(p, z.shape, learner.last.text)
    expect_close(p, softmax_rows(z), learner.last.text)


@pytest.mark.grade(task="3.2", points=1,
                   needs=("test_softmax_rows_sum_to_one", "test_softmax_matches_exp_over_row_sum"),
                   hint="Shift every row by its own max, not by the max of the whole batch.",
                   more=("With one global max, a row of small logits next to a row of huge "
                         "ones is shifted so far down that all its exponentials are 0.",
                         "Take the max along the last axis and keep that axis, so each row "
                         "gets its own shift."))
def test_softmax_handles_rows_of_very_different_scales(learner, rng):
    z = rng.standard_normal((4, 5)) * np.array([[1e4], [1e-2], [1.0], [-3e3]])
    p = learner.day3.softmax(z)
    expect_no_warnings(learner)
    expect_array(p, z.shape, learner.last.text)
    expect_close(p, softmax_rows(z), learner.last.text)


@pytest.mark.grade(task="3.2", points=1,
                   needs=("test_softmax_rows_sum_to_one", "test_softmax_matches_exp_over_row_sum"),
                   hint="softmax must return a new array and leave the logits as they were.",
                   more=("z -= z.max(...) shifts the caller's array in place.",
                         "Write z - z.max(...) instead, which makes a new array."))
def test_softmax_leaves_its_input_unchanged(learner, rng):
    z = 4 * rng.standard_normal((3, 5))
    learner.day3.softmax(z)
    expect_unmodified(learner, ["z"])


@pytest.mark.grade(task="3.2", points=1,
                   needs=("test_softmax_rows_sum_to_one", "test_softmax_matches_exp_over_row_sum"),
                   hint="Normalize along the last axis so that any number of rows works, one "
                        "included.",
                   more=("For a (1, C) input each of the C entries is a probability; the "
                         "first axis has length 1 and must not be summed over.",
                         "Use axis=-1 (with keepdims) for both the max and the sum."))
def test_softmax_is_right_for_one_row_and_for_many_rows(learner, rng):
    for shape in [(1, 6), (64, 9), (5, 5)]:  # square: where a missing keepdims still broadcasts
        z = 2 * rng.standard_normal(shape)
        p = expect_array(learner.day3.softmax(z), shape, learner.last.text)
        expect_close(p, softmax_rows(z), learner.last.text)


@pytest.mark.grade(task="3.3", points=2,
                   needs=("test_cross_entropy_is_mean_over_batch",),
                   hint="Clip the predictions to [eps, 1] (eps tiny, e.g. 1e-12) before the log.",
                   more=("log(0) is -inf, and 0 * log(0) is nan; clipping keeps every log "
                         "finite.",
                         "A probability of exactly 0 on the true class should cost about "
                         "-log(eps): large, but finite."))
def test_cross_entropy_of_zero_probability_is_large_and_finite(learner, rng):
    n, c = 4, 5
    t = one_hot(rng, n, c)
    p = softmax_rows(rng.standard_normal((n, c)))
    p[0] = (1 - t[0]) / (c - 1)                       # row 0: probability 0 on the true class
    p[1] = t[1]                                       # row 1: certain and right, zeros elsewhere
    rest = -np.sum(t[2:] * np.log(p[2:]))
    loss = learner.day3.cross_entropy(p, t)
    expect_no_warnings(learner)
    loss = expect_number(loss, learner.last.text)
    expect_between(loss, (rest - np.log(EPS_HIGH)) / n, (rest - np.log(EPS_LOW)) / n,
                   learner.last.text, "a zero probability on a true class costs -log(eps), "
                   "with eps clipped between 1e-15 and 1e-7, averaged over 4 rows")


@pytest.mark.grade(task="3.3", points=1,
                   needs=("test_cross_entropy_is_mean_over_batch",),
                   hint="cross_entropy must leave the predictions and targets as they were.",
                   more=("Clipping with out=predictions, or assigning into the predictions, "
                         "changes the caller's array.",
                         "np.clip without out= returns a new array; use that."))
def test_cross_entropy_leaves_its_inputs_unchanged(learner, rng):
    t = one_hot(rng, 6, 3)
    p = softmax_rows(rng.standard_normal((6, 3)))
    p[2], t[2] = [0.0, 0.5, 0.5], [0.0, 1.0, 0.0]  # a zero (not on the true class) to clip
    learner.day3.cross_entropy(p, t)
    expect_unmodified(learner, ["predictions", "targets"])


@pytest.mark.grade(task="3.3", points=1,
                   needs=("test_cross_entropy_is_mean_over_batch",),
                   hint="The loss is an average over the rows, whatever the batch size.",
                   more=("Divide by the number of rows N, not by the number of entries N * C.",
                         "Check N = 1 and a large N: the mean must not depend on how many "
                         "rows there are."))
def test_cross_entropy_is_right_for_one_row_and_for_many_rows(learner, rng):
    for n, c in [(1, 4), (50, 7), (4, 4)]:  # square: where a wrong axis still broadcasts
        p = softmax_rows(2 * rng.standard_normal((n, c)))
        t = one_hot(rng, n, c)
        loss = expect_number(learner.day3.cross_entropy(p, t), learner.last.text)
        expect_loss(loss, p, t, learner.last.text)


@pytest.mark.grade(task="3.4", points=1,
                   needs=("test_forward_and_loss_chains_layer_softmax_and_loss", "test_softmax_is_stable_for_large_logits", "test_cross_entropy_of_zero_probability_is_large_and_finite"),
                   hint="With a stable softmax and a clipped log, even huge logits give a "
                        "finite loss.",
                   more=("Large weights make logits in the thousands; the true class may get "
                         "probability 0 after softmax.",
                         "Reuse your softmax and cross_entropy: if those are stable, so is "
                         "forward_and_loss."))
def test_forward_and_loss_is_finite_for_large_logits(learner, rng):
    n, d, c = 6, 4, 3
    X, W = rng.standard_normal((n, d)), 300 * rng.standard_normal((d, c))
    B, t = rng.standard_normal((1, c)), one_hot(rng, n, c)
    loss = learner.day3.forward_and_loss(X, W, B, t)
    expect_no_warnings(learner)
    loss = expect_number(loss, learner.last.text)
    exact = -np.sum(t * log_softmax_rows(X @ W + B), axis=1)  # per-row loss without clipping
    lo = np.mean(np.minimum(exact, -np.log(EPS_HIGH)))
    hi = np.mean(np.minimum(exact, -np.log(EPS_LOW)))
    expect_between(loss, lo, hi, learner.last.text,
                   "each row costs -log of its true-class probability, at most -log(eps)")
