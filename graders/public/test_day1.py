"""Public checks of Day 1: sigmoid, neuron, the AND gate, and the XOR stretch."""
import itertools

import numpy as np
import pytest

from graders import expected
from graders.checks import expect_array, expect_close, expect_number, fmt
from graders.failures import Failure

BITS = list(itertools.product((0, 1), repeat=2))


def truth_table(learner, weights, bias, gate, name):
    """The learner's neuron on every x in {0,1}^2 gives > 0.5 exactly when gate(x)."""
    for x in BITS:
        y = expect_number(learner.day1.neuron(x, weights, bias), learner.last.text)
        if (y > 0.5) != gate(*x):
            want = "above 0.5" if gate(*x) else "at most 0.5"
            raise Failure(f"{learner.last.text} returned {fmt(y)}; for x = {x} the {name} gate "
                          f"must give a value {want}.")


@pytest.mark.grade(task="1.1", points=2,
                   hint="Apply 1 / (1 + e^-x) to every entry at once with NumPy.",
                   more=("np.exp works on a whole array; so do + and /.",
                         "Very negative x overflows e^-x: the hidden checks try x = -1000 (compute "
                         "np.exp(-np.abs(x)) once and build both cases from it)."))
def test_sigmoid_matches_the_formula_on_an_array(learner, rng):
    x = rng.uniform(-6, 6, size=(3, 5))
    want = expected.value("sigmoid", x)
    s = expect_array(learner.day1.sigmoid(x), x.shape, learner.last.text)
    expect_close(s, want, learner.last.text)


@pytest.mark.grade(task="1.1", points=1,
                   hint="A single number in gives a single float out, not an array.",
                   more=("np.asarray(x) of a number is a 0-d array: turn it back into a number.",
                         "float(...) of a 0-d array gives a Python float."))
def test_sigmoid_of_a_number_is_a_float(learner, rng):
    for x in (0.0, float(rng.uniform(-5, 5))):
        want = expected.value("sigmoid", x)
        s = expect_number(learner.day1.sigmoid(x), learner.last.text)
        expect_close(s, want, learner.last.text)


@pytest.mark.grade(task="1.2", points=2,
                   needs=("test_sigmoid_matches_the_formula_on_an_array", "test_sigmoid_of_a_number_is_a_float"),
                   hint="Multiply each input by its weight, add them all up, add the bias, "
                        "then apply sigmoid.",
                   more=("The weighted sum is a dot product.",
                         "The result is one number: sigmoid of (dot product + bias)."))
def test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias(learner, rng):
    inputs, weights = rng.standard_normal(2), rng.standard_normal(2)  # the gates' size; other
    bias = float(rng.uniform(-2, 2))                                   # sizes: a hidden check
    want = expected.value("sigmoid", inputs @ weights + bias)
    y = expect_number(learner.day1.neuron(inputs, weights, bias), learner.last.text)
    expect_close(y, want, learner.last.text)


@pytest.mark.grade(task="1.3", points=2,
                   needs=("test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias",),
                   hint="Choose weights and a bias so that w.x + b is positive only when both "
                        "inputs are 1.",
                   more=("sigmoid(z) > 0.5 exactly when z > 0.",
                         "With equal weights w, the sums are 0, w, w and 2w: put -b between w "
                         "and 2w."))
def test_and_gate_fires_only_for_one_one(learner):
    weights, bias = learner.day1.AND_WEIGHTS, learner.day1.AND_BIAS
    truth_table(learner, weights, bias, lambda a, b: a == 1 and b == 1, "AND")


@pytest.mark.grade(task="1.4", points=1,
                   needs=("test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias",),
                   hint="OR: positive as soon as one input is 1. NAND: the AND neuron with every "
                        "sign flipped.",
                   more=("For OR, put -b between 0 and w.",
                         "NAND is NOT AND: negate the AND weights and bias."))
def test_or_and_nand_gates_have_their_truth_tables(learner):
    day1 = learner.day1
    truth_table(learner, day1.OR_WEIGHTS, day1.OR_BIAS, lambda a, b: a == 1 or b == 1, "OR")
    truth_table(learner, day1.NAND_WEIGHTS, day1.NAND_BIAS,
                lambda a, b: not (a == 1 and b == 1), "NAND")


@pytest.mark.grade(task="1.4", points=1,
                   needs=("test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias", "test_and_gate_fires_only_for_one_one", "test_or_and_nand_gates_have_their_truth_tables"),
                   hint="Feed the two inputs to an OR neuron and a NAND neuron, then their two "
                        "outputs to an AND neuron.",
                   more=("XOR(a, b) = AND(OR(a, b), NAND(a, b)).",
                         "The hidden outputs are close to 0 or 1, so the AND gate still works "
                         "on them."))
def test_xor_is_true_exactly_when_the_inputs_differ(learner):
    for a, b in BITS:
        y = expect_number(learner.day1.xor(a, b), learner.last.text)
        if (y > 0.5) != (a != b):
            want = "above 0.5" if a != b else "at most 0.5"
            raise Failure(f"{learner.last.text} returned {fmt(y)}; expected a value {want}.")
