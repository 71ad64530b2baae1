"""Public checks of Day 6: NeuralNetwork.__init__, forward and backward."""
import numpy as np
import pytest

from graders import expected
from graders.checks import expect_array, expect_close, expect_gradient, fmt, rel_error
from graders.failures import Failure

NAMES = ("W1", "b1", "W2", "b2")


def problem(rng, N, D, H, C):
    """Parameters (nonzero biases), inputs kept away from ReLU's kink, one-hot targets."""
    while True:
        p = {"W1": rng.standard_normal((D, H)), "b1": rng.uniform(-1, 1, (1, H)),
             "W2": rng.standard_normal((H, C)), "b2": rng.uniform(-1, 1, (1, C))}
        X = rng.standard_normal((N, D))
        if np.abs(X @ p["W1"] + p["b1"]).min() > 1e-3:
            return p, X, np.eye(C)[rng.integers(0, C, N)]


def network_with(learner, p):
    """A learner network whose parameters are set, through the handle, to p."""
    D, H = p["W1"].shape
    net = learner.day6.NeuralNetwork(D, H, p["W2"].shape[1])
    for name in NAMES:
        setattr(net, name, p[name])
    return net


def backward_gradients(learner, p, X, y, rate):
    """(before - after) / rate for every parameter, after forward(X) and backward(X, y, rate)."""
    net = network_with(learner, p)
    net.forward(X)
    net.backward(X, y, rate)
    call = learner.last.text
    after = {n: expect_array(getattr(net, n), p[n].shape, f"after {call}, net.{n}")
             for n in NAMES}
    return {n: (p[n] - after[n]) / rate for n in NAMES}, call


def updated_w2_first(p, X, y, rate, got):
    """True when the learner's dW1 is the one computed through the already-updated W2 (the
    student kit cannot tell: it has no values that depend on the learner's result)."""
    stale = expected.value("stale_w1_gradient", p, X, y, rate, got["W2"], optional=True)
    return stale is not None and rel_error(got["W1"], numeric=stale) <= 1e-6


def expect_gradients(learner, names, N, D, H, C, rate, rng):
    """backward moves each parameter in `names` by rate times its true gradient."""
    p, X, y = problem(rng, N, D, H, C)
    want = {n: expected.value("loss_gradient", n, p, X, y) for n in names}
    got, call = backward_gradients(learner, p, X, y, rate)
    for n in names:
        try:
            expect_gradient(got[n], want[n], n,
                            f"{call} (gradient read as (before - after) / learning_rate)")
        except Failure as exc:
            if n in ("W1", "b1") and updated_w2_first(p, X, y, rate, got):
                raise Failure(f"{exc} Your dW1 is exactly the one you get by carrying the "
                              "gradient back through W2 after W2 was already updated: compute "
                              "all four gradients first, then update the parameters.") from None
            raise


@pytest.mark.grade(task="6.1", points=1,
                   hint="W1 is (input_size, hidden_size), b1 is (1, hidden_size), W2 is "
                        "(hidden_size, output_size), b2 is (1, output_size).",
                   more=("Biases are 2-D rows, so they broadcast over the batch.",))
def test_init_gives_parameters_the_right_shapes(learner):
    net = learner.day6.NeuralNetwork(5, 7, 3)
    for name, shape in zip(NAMES, [(5, 7), (1, 7), (7, 3), (1, 3)]):
        expect_array(getattr(net, name), shape, f"after NeuralNetwork(5, 7, 3), net.{name}",
                     floats=True)


@pytest.mark.grade(task="6.1", points=1,
                   hint="Biases start at zero.",
                   more=("np.zeros takes the shape as a tuple.",))
def test_init_sets_biases_to_zero(learner):
    net = learner.day6.NeuralNetwork(5, 7, 3)
    for name, shape in [("b1", (1, 7)), ("b2", (1, 3))]:
        b = getattr(net, name)  # its shape is the shape check's business
        if type(b) is not np.ndarray or b.size != shape[1] or np.any(b != 0):
            raise Failure(f"after NeuralNetwork(5, 7, 3), net.{name} is {fmt(b)}; expected "
                          "all zeros.")


@pytest.mark.grade(task="6.1", points=2,
                   hint="He initialization: standard-normal weights times sqrt(2 / fan_in), "
                        "where fan_in is the number of inputs of that layer.",
                   more=("W1 gets its inputs from the data (input_size), W2 from the hidden "
                         "layer (hidden_size).",
                         "The standard deviation of the weights should be sqrt(2 / fan_in); "
                         "do not forget the square root."))
def test_init_scales_weights_by_sqrt_2_over_fan_in(learner):
    D, H, C = 400, 300, 200
    net = learner.day6.NeuralNetwork(D, H, C)
    off = []  # every parameter that is off, so that one run names them all
    for name, shape, fan_in in [("W1", (D, H), D), ("W2", (H, C), H)]:
        W = expect_array(getattr(net, name), shape, f"after NeuralNetwork({D}, {H}, {C}), "
                                                    f"net.{name}")
        want = np.sqrt(2 / fan_in)
        if abs(W.std() / want - 1) > 0.03 or abs(W.mean()) > 0.03 * want:
            off.append(f"net.{name} has mean {W.mean():.4g} and standard deviation "
                       f"{W.std():.4g}, expected mean 0 and standard deviation "
                       f"sqrt(2/{fan_in}) = {want:.4g}")
    if off:
        raise Failure(f"after NeuralNetwork({D}, {H}, {C}), " + "; ".join(off) + ".")


@pytest.mark.grade(task="6.2", points=3,
                   hint="Hidden layer: X @ W1 + b1, then ReLU. Output: that @ W2 + b2, "
                        "then softmax.",
                   more=("Use the day 3 relu and softmax.",
                         "Return the probabilities, not the raw scores (logits)."))
def test_forward_returns_softmax_of_the_two_layers(learner, rng):
    p, X, _ = problem(rng, 5, 4, 6, 3)
    want = expected.value("probabilities", p, X)
    net = network_with(learner, p)
    out = expect_array(net.forward(X), (5, 3), learner.last.text)
    expect_close(out, want,
                 f"with W1, b1, W2, b2 set by the grader, {learner.last.text}")


@pytest.mark.grade(task="6.3", points=3,
                   needs=("test_forward_returns_softmax_of_the_two_layers",),
                   hint="The output layer: dZ2 = (probs - y) / N, then dW2 from the hidden "
                        "activations and db2 by summing dZ2 over the batch.",
                   more=("Divide by N: the loss is the mean over the batch.",
                         "Then update: p = p - learning_rate * dp."))
def test_backward_updates_the_output_layer_by_its_gradient(learner, rng):
    expect_gradients(learner, ["W2", "b2"], 5, 4, 6, 3, 0.5, rng)


@pytest.mark.grade(task="6.3", points=3,
                   needs=("test_forward_returns_softmax_of_the_two_layers",),
                   hint="Send dZ2 back through W2, keep it only where the hidden layer was "
                        "active (ReLU), then form dW1 and db1 like the output layer.",
                   more=("The ReLU derivative is 1 where X @ W1 + b1 > 0, else 0.",
                         "Compute every gradient before you change W2."))
def test_backward_updates_the_hidden_layer_by_its_gradient(learner, rng):
    expect_gradients(learner, ["W1", "b1"], 5, 4, 6, 3, 0.5, rng)
