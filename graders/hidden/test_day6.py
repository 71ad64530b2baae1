"""Hidden checks of Day 6: seeding, stability, batch sizes, update order, untouched inputs."""
import numpy as np
import pytest

from graders.checks import (expect_array, expect_close, expect_gradient, expect_no_warnings,
                            expect_unmodified, fmt)
from graders.failures import Failure
from graders.hidden.answers import network_loss, numerical_gradient, probabilities
from graders.public.test_day6 import (NAMES, backward_gradients, network_with, problem,
                                     updated_w2_first)


def expect_gradients(learner, N, D, H, C, rate, rng):
    """backward moves all four parameters by rate times their true gradients."""
    p, X, y = problem(rng, N, D, H, C)
    net = network_with(learner, p)
    net.forward(X)
    net.backward(X, y, rate)
    call = f"{learner.last.text} (gradient read as (before - after) / learning_rate)"
    for n in NAMES:
        after = expect_array(getattr(net, n), p[n].shape, f"after {call}, net.{n}")

        def loss(v, n=n):
            return network_loss(dict(p, **{n: v}), X, y)
        expect_gradient((p[n] - after) / rate, numerical_gradient(loss, p[n]), n, call)


def weights(learner, seed):
    """W1 and W2 of NeuralNetwork(5, 7, 3) created right after np.random.seed(seed)."""
    learner.seed(seed)
    net = learner.day6.NeuralNetwork(5, 7, 3)
    return [expect_array(getattr(net, n), s, f"after NeuralNetwork(5, 7, 3), net.{n}")
            for n, s in [("W1", (5, 7)), ("W2", (7, 3))]]


@pytest.mark.grade(task="6.1", points=1,
                   hint="Draw the weights with np.random.randn, so np.random.seed makes them "
                        "repeatable.",
                   more=("Do not create or seed a generator of your own inside __init__.",))
def test_init_draws_weights_from_np_random_so_seeding_repeats_them(learner, rng):
    s = int(rng.integers(10_000))
    first, again, other = weights(learner, s), weights(learner, s), weights(learner, s + 1)
    for name, a, b, c in zip(["W1", "W2"], first, again, other):
        if not np.array_equal(a, b):
            raise Failure(f"after np.random.seed({s}) twice, NeuralNetwork(5, 7, 3) gave two "
                          f"different {name}: {fmt(a)} and {fmt(b)}; draw with np.random.")
        if np.array_equal(a, c):
            raise Failure(f"NeuralNetwork(5, 7, 3) gave the same {name} after "
                          f"np.random.seed({s}) and np.random.seed({s + 1}); the weights must "
                          "be random draws from np.random.")


@pytest.mark.grade(task="6.2", points=1,
                   needs=("test_forward_returns_softmax_of_the_two_layers",),
                   hint="Use a softmax that subtracts each row's maximum.",
                   more=("The day 3 softmax is stable; call it instead of a plain exp.",))
def test_forward_is_stable_for_large_logits(learner, rng):
    p, X, _ = problem(rng, 6, 4, 5, 3)
    X = 300 * X
    net = network_with(learner, p)
    out = expect_array(net.forward(X), (6, 3), learner.last.text)
    expect_no_warnings(learner)
    expect_close(out, probabilities(p, X),
                 f"with W1, b1, W2, b2 set by the grader, {learner.last.text}")


@pytest.mark.grade(task="6.2", points=0.5,
                   needs=("test_forward_returns_softmax_of_the_two_layers",),
                   hint="A batch of one row is still 2-D: (1, input_size) in, "
                        "(1, output_size) out.",
                   more=("Do not squeeze or flatten the result.",))
def test_forward_handles_a_batch_of_one(learner, rng):
    for N in (1, 3):  # one row; and N = C, where a softmax over the wrong axis still broadcasts
        p, X, _ = problem(rng, N, 4, 6, 3)
        net = network_with(learner, p)
        out = expect_array(net.forward(X), (N, 3), learner.last.text)
        expect_close(out, probabilities(p, X),
                     f"with W1, b1, W2, b2 set by the grader, {learner.last.text}")


@pytest.mark.grade(task="6.2", points=0.5,
                   needs=("test_forward_returns_softmax_of_the_two_layers",),
                   hint="forward reads X; it must not change it.",
                   more=("Keep intermediate values in new arrays on self.",))
def test_forward_leaves_x_unmodified(learner, rng):
    p, X, _ = problem(rng, 5, 4, 6, 3)
    net = network_with(learner, p)
    net.forward(X)
    expect_unmodified(learner, ["X"])


@pytest.mark.grade(task="6.3", points=1,
                   needs=("test_forward_returns_softmax_of_the_two_layers", "test_backward_updates_the_output_layer_by_its_gradient"),
                   hint="Compute all four gradients first, then update the parameters.",
                   more=("dW1 needs the old W2: if W2 changes first, dW1 is wrong.",))
def test_backward_computes_every_gradient_before_updating(learner, rng):
    p, X, y = problem(rng, 4, 3, 5, 2)
    got, call = backward_gradients(learner, p, X, y, 2.0)  # a large step: W2 moves a lot
    if updated_w2_first(p, X, y, 2.0, got):
        raise Failure(f"{call} moved W1 by a gradient carried back through the already-updated "
                      "W2 (W2 changed before dW1 was computed); compute all four gradients "
                      "first, then update the parameters.")


@pytest.mark.grade(task="6.3", points=1,
                   needs=("test_backward_updates_the_output_layer_by_its_gradient", "test_backward_updates_the_hidden_layer_by_its_gradient"),
                   hint="Every gradient is an average over the batch; it must be right for "
                        "any batch size.",
                   more=("Divide by N once, at dZ2, and sum the biases over the batch axis.",))
def test_backward_gradients_are_right_for_a_batch_of_40(learner, rng):
    expect_gradients(learner, 40, 6, 4, 5, 0.1, rng)


@pytest.mark.grade(task="6.3", points=0.5,
                   needs=("test_backward_updates_the_output_layer_by_its_gradient", "test_backward_updates_the_hidden_layer_by_its_gradient"),
                   hint="backward reads X and y; it must not change them.",
                   more=("Work on new arrays: `probs - y`, not `y -= ...`.",))
def test_backward_leaves_x_and_y_unmodified(learner, rng):
    p, X, y = problem(rng, 5, 4, 6, 3)
    net = network_with(learner, p)
    net.forward(X)
    net.backward(X, y, 0.1)  # its updates are the gradient checks' business
    expect_unmodified(learner, ["X", "y", "learning_rate"])
