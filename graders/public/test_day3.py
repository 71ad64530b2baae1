"""Public checks of Day 3: relu, softmax, cross_entropy, forward_and_loss."""
import numpy as np
import pytest

from graders.checks import expect_array, expect_close, expect_unmodified
from graders.door import Failure


@pytest.mark.grade(task="3.1", points=1, hint="Compare each entry with 0 and keep the larger.")
def test_relu_is_max_of_zero_and_z(learner, rng):
    z = rng.standard_normal((4, 5))
    out = expect_array(learner.day3.relu(z), z.shape, learner.last.text)
    expect_close(out, np.maximum(z, 0), learner.last.text)
    expect_unmodified(learner, ["z"])


@pytest.mark.grade(task="3.2", points=2,
                   hint="Sum over the last axis, and keep that axis so the division lines up.")
def test_softmax_rows_sum_to_one(learner, rng):
    z = rng.standard_normal((4, 3))
    p = expect_array(learner.day3.softmax(z), z.shape, learner.last.text)
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1):
        raise Failure(f"{learner.last.text} returned rows that sum to {np.round(sums, 3)}; "
                      "each row must sum to 1.")
