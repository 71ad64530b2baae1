"""Public checks of Day 3: relu, softmax, cross_entropy, forward_and_loss."""
import numpy as np
import pytest

from graders import expected
from graders.checks import expect_array, expect_close, expect_number, fmt
from graders.failures import Failure


def one_hot(rng, n, c):
    """n random one-hot rows of c classes."""
    t = np.zeros((n, c))
    t[np.arange(n), rng.integers(0, c, n)] = 1.0
    return t


EPS_LOW, EPS_HIGH = 1e-15, 1e-7  # the stabilizer may be anywhere in this range (SPEC)


def expect_loss(loss, p, t, call):
    """The mean cross-entropy of p against t, with any allowed stabilizer: exact, clipped to
    [eps, 1], or log(p + eps) with eps up to 1e-7 (which lowers the loss a little)."""
    exact = expected.value("mean_cross_entropy", p, t)
    shifted = expected.value("shifted_cross_entropy", p, t, EPS_HIGH)
    slack = 1e-9 * max(1.0, abs(exact))
    if not min(exact, shifted) - slack <= loss <= max(exact, shifted) + slack:
        raise Failure(f"{call} returned {fmt(loss)}; expected {fmt(exact)}.",
                      hidden=f"{call} returned {fmt(loss)}, which is not the mean cross-entropy.")
    return loss


@pytest.mark.grade(task="3.1", points=1,
                   hint="Compare each entry with 0 and keep the larger one.",
                   more=("Negative entries become 0; positive entries stay as they are.",
                         "NumPy has an elementwise maximum of two arrays (or of an array and "
                         "a number) that returns a new array."))
def test_relu_is_max_of_zero_and_z(learner, rng):
    z = rng.standard_normal((4, 5))
    z[0, :2] = 0.0
    out = expect_array(learner.day3.relu(z), z.shape, learner.last.text)
    expect_close(out, np.maximum(z, 0), learner.last.text)


@pytest.mark.grade(task="3.2", points=1,
                   hint="Divide each row's exponentials by that row's own sum.",
                   more=("Sum over the last axis, not over the whole array or the first axis.",
                         "Keep the summed axis (keepdims) so that an (N, C) array divides by "
                         "an (N, 1) column."))
def test_softmax_rows_sum_to_one(learner, rng):
    z = rng.standard_normal((4, 3))
    p = expect_array(learner.day3.softmax(z), z.shape, learner.last.text)
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1, rtol=0, atol=1e-9):
        raise Failure(f"{learner.last.text} returned rows that sum to {fmt(sums)}; "
                      "each row must sum to 1.")


@pytest.mark.grade(task="3.2", points=2,
                   hint="softmax(z)_c = e^(z_c) / sum_k e^(z_k), computed row by row.",
                   more=("Subtracting the row's max before exponentiating changes nothing "
                         "mathematically; it only keeps the numbers small.",
                         "Shift each row by its max, exponentiate, then divide by the row sums."))
def test_softmax_matches_exp_over_row_sum(learner, rng):
    z = 3 * rng.standard_normal((5, 4))
    want = expected.value("softmax_rows", z)
    p = expect_array(learner.day3.softmax(z), z.shape, learner.last.text)
    expect_close(p, want, learner.last.text)


@pytest.mark.grade(task="3.2", points=1,
                   needs=("test_softmax_matches_exp_over_row_sum",),
                   hint="A 1-D input of C logits is a single row: its C probabilities sum to 1.",
                   more=("Work along the last axis (axis=-1) and the same code serves 1-D and "
                         "2-D inputs.",
                         "The result has the same shape as the input: (C,) in, (C,) out."))
def test_softmax_treats_1d_input_as_one_row(learner, rng):
    z = rng.standard_normal(6)
    want = expected.value("softmax_rows", z)
    p = expect_array(learner.day3.softmax(z), z.shape, learner.last.text)
    expect_close(p, want, learner.last.text)


@pytest.mark.grade(task="3.3", points=2,
                   hint="Per row: minus the sum over classes of target * log(prediction); then "
                        "average over the rows.",
                   more=("Sum over the classes (axis 1), then take the mean over the batch "
                         "(not over every entry, and not the plain sum over rows).",
                         "With one-hot targets each row's loss is -log of the probability "
                         "given to the true class."))
def test_cross_entropy_is_mean_over_batch(learner, rng):
    p = expected.value("softmax_rows", rng.standard_normal((5, 4)))
    t = one_hot(rng, 5, 4)
    loss = expect_number(learner.day3.cross_entropy(p, t), learner.last.text)
    expect_loss(loss, p, t, learner.last.text)


@pytest.mark.grade(task="3.3", points=1,
                   needs=("test_cross_entropy_is_mean_over_batch",),
                   hint="1-D predictions and targets are a batch of one sample.",
                   more=("Turn 1-D inputs into one row (shape (1, C)) before summing over "
                         "classes.",
                         "np.atleast_2d or a reshape to (1, -1) makes a 1-D array one row."))
def test_cross_entropy_of_1d_input_is_a_batch_of_one(learner, rng):
    p = expected.value("softmax_rows", rng.standard_normal(5))
    t = one_hot(rng, 1, 5)[0]
    loss = expect_number(learner.day3.cross_entropy(p, t), learner.last.text)
    expect_loss(loss, p, t, learner.last.text)


@pytest.mark.grade(task="3.4", points=1,
                   needs=("test_softmax_matches_exp_over_row_sum", "test_cross_entropy_is_mean_over_batch"),
                   hint="Chain the three steps: your Day 2 layer, then softmax, then the loss.",
                   more=("The layer gives logits of shape (N, C); softmax turns them into "
                         "probabilities; cross_entropy compares them with the targets.",
                         "Reuse layer_forward, softmax and cross_entropy; no new math."))
def test_forward_and_loss_chains_layer_softmax_and_loss(learner, rng):
    X, W = rng.standard_normal((5, 3)), rng.standard_normal((3, 4))
    B, t = rng.standard_normal((1, 4)), one_hot(rng, 5, 4)
    p = expected.value("softmax_rows", X @ W + B)
    loss = expect_number(learner.day3.forward_and_loss(X, W, B, t), learner.last.text)
    expect_loss(loss, p, t, learner.last.text)
