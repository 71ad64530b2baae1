"""Hidden checks of Day 1: stability, kinds and shapes, input types, and the gate constants."""
import numbers

import numpy as np
import pytest

from graders.checks import (describe, expect_array, expect_close, expect_no_warnings,
                            expect_number, expect_unmodified, fmt)
from graders.failures import Failure
from graders.hidden.answers import sigmoid
from graders.public.test_day1 import BITS


def expect_gate(learner, prefix, gate, name):
    """prefix_WEIGHTS (two numbers) and prefix_BIAS (a number): w.x + b > 0 exactly when gate(x)."""
    weights = getattr(learner.day1, f"{prefix}_WEIGHTS")
    bias = getattr(learner.day1, f"{prefix}_BIAS")
    w = np.asarray(weights, dtype=object) if type(weights) in (list, tuple) else weights
    if (type(w) is not np.ndarray or w.shape != (2,)
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in w)):
        raise Failure(f"{prefix}_WEIGHTS is {describe(weights)}; expected a sequence of two "
                      "numbers.")
    b = expect_number(bias, f"{prefix}_BIAS")
    for x in BITS:
        z = float(np.dot(np.asarray(w, dtype=float), x) + b)
        if (z > 0) != gate(*x):
            raise Failure(f"With {prefix}_WEIGHTS = {fmt(weights)} and {prefix}_BIAS = "
                          f"{fmt(b)}, the weighted sum for x = {x} is {fmt(z)}, so the neuron "
                          f"gives {fmt(float(sigmoid(z)))}; the {name} gate needs "
                          f"{'above' if gate(*x) else 'at most'} 0.5.")


@pytest.mark.grade(task="1.1", points=2,
                   needs=("test_sigmoid_matches_the_formula_on_an_array",),
                   hint="e^-x overflows for very negative x (e^1000 is too big for a float): "
                        "never exponentiate a large positive number.",
                   more=("np.where(cond, a, b) computes both a and b for every entry, so a "
                         "branch holding np.exp(-x) still overflows where it is not picked. "
                         "Compute e = np.exp(-np.abs(x)) once instead: it is at most 1.",
                         "With that e: sigmoid(x) is 1 / (1 + e) where x >= 0 and e / (1 + e) "
                         "where x < 0; neither can overflow."))
def test_sigmoid_gives_no_warning_for_inputs_up_to_1000_in_magnitude(learner, rng):
    x = np.concatenate([[-1000.0, -800.0, -710.0, -50.0, 0.0, 50.0, 710.0, 800.0, 1000.0],
                        rng.uniform(-1000, 1000, size=7)]).reshape(4, 4)
    s = learner.day1.sigmoid(x)
    expect_no_warnings(learner)
    s = expect_array(s, x.shape, learner.last.text)
    expect_close(s, sigmoid(x), learner.last.text, atol=1e-12)


@pytest.mark.grade(task="1.1", points=1,
                   needs=("test_sigmoid_matches_the_formula_on_an_array", "test_sigmoid_of_a_number_is_a_float"),
                   hint="sigmoid(-1000) is 0.0 and sigmoid(1000) is 1.0, with no warning.",
                   more=("A single number goes through the same stable formula.",
                         "Exponentiate only -|x|, which lies in (-inf, 0]."))
def test_sigmoid_of_minus_1000_and_1000_is_0_and_1(learner):
    for x, want in ((-1000.0, 0.0), (1000.0, 1.0), (-1000, 0.0), (1000, 1.0)):
        s = learner.day1.sigmoid(x)
        expect_no_warnings(learner)
        s = expect_number(s, learner.last.text)
        expect_close(s, want, learner.last.text, atol=1e-12)


@pytest.mark.grade(task="1.1", points=1,
                   needs=("test_sigmoid_matches_the_formula_on_an_array",),
                   hint="A list becomes an array of floats, and the result keeps its shape.",
                   more=("np.asarray(x, dtype=float) turns a (nested) list into a float array.",
                         "An array built from a list of ints holds ints: ask for floats."))
def test_sigmoid_of_a_list_is_a_float_array_of_the_same_shape(learner, rng):
    ints = rng.integers(-4, 5, size=(2, 3))
    for x in (ints.tolist(), rng.uniform(-3, 3, size=4).tolist()):
        s = expect_array(learner.day1.sigmoid(x), np.shape(x), learner.last.text, floats=True)
        expect_close(s, sigmoid(x), learner.last.text)


@pytest.mark.grade(task="1.1", points=1,
                   needs=("test_sigmoid_matches_the_formula_on_an_array",),
                   hint="sigmoid works entrywise on an array of any shape.",
                   more=("Avoid anything that assumes one or two dimensions.",
                         "Boolean masks and np.where work for any shape."))
def test_sigmoid_keeps_the_shape_of_any_array(learner, rng):
    for shape in ((2, 3, 4), (1, 1), (6,)):
        x = rng.uniform(-8, 8, size=shape)
        s = expect_array(learner.day1.sigmoid(x), shape, learner.last.text)
        expect_close(s, sigmoid(x), learner.last.text)


@pytest.mark.grade(task="1.1", points=1,
                   needs=("test_sigmoid_matches_the_formula_on_an_array",),
                   hint="A Python int is a number too: it gives a float, like a Python float.",
                   more=("An int goes through the same path as a float.",
                         "Check the number of dimensions of the converted input, not its type."))
def test_sigmoid_of_an_int_is_a_float(learner, rng):
    for x in (0, int(rng.integers(-6, 0)), int(rng.integers(1, 7))):  # stability is checked apart
        s = expect_number(learner.day1.sigmoid(x), learner.last.text)
        expect_close(s, sigmoid(x), learner.last.text, atol=1e-12)


@pytest.mark.grade(task="1.1", points=1,
                   needs=("test_sigmoid_matches_the_formula_on_an_array",),
                   hint="Write the result into a new array; leave the input as it was.",
                   more=("np.asarray does not copy a float64 array: writing into it changes the "
                         "caller's array.",
                         "Build the output with np.where or np.empty_like instead of in place."))
def test_sigmoid_does_not_modify_its_input(learner, rng):
    x = rng.uniform(-5, 5, size=(3, 4))
    learner.day1.sigmoid(x)  # its values are the basic check's business
    expect_unmodified(learner, ["x"])


@pytest.mark.grade(task="1.2", points=1,
                   needs=("test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias",),
                   hint="inputs and weights may be lists, tuples or arrays: treat them alike.",
                   more=("np.dot accepts all three.",
                         "A Python list times a list is an error, so convert or use np.dot."))
def test_neuron_accepts_lists_tuples_and_arrays(learner, rng):
    inputs = rng.integers(-3, 4, size=2).tolist()  # the gates' size: other sizes, other check
    weights = rng.uniform(-1, 1, size=2).round(3)
    bias = round(float(rng.uniform(-1, 1)), 3)
    want = float(sigmoid(np.dot(inputs, weights) + bias))
    for kind in (list, tuple, np.array):
        y = learner.day1.neuron(kind(inputs), kind(weights.tolist()), bias)
        expect_close(expect_number(y, learner.last.text), want, learner.last.text)


@pytest.mark.grade(task="1.2", points=1,
                   needs=("test_neuron_is_sigmoid_of_the_weighted_sum_plus_bias",),
                   hint="Every input has its own weight; use all of them, however many there are.",
                   more=("The dot product of two length-D vectors adds D products.",
                         "Check a neuron with one input and one with many."))
def test_neuron_is_correct_for_one_to_seven_inputs(learner, rng):
    for d in (1, 2, 7):
        inputs, weights = rng.standard_normal(d), rng.standard_normal(d)
        bias = float(rng.standard_normal())
        y = expect_number(learner.day1.neuron(inputs, weights, bias), learner.last.text)
        expect_close(y, sigmoid(inputs @ weights + bias), learner.last.text)


@pytest.mark.grade(task="1.3", points=1,
                   hint="The AND constants alone must do the job: w.x + b > 0 only for (1, 1).",
                   more=("The sums for (0,0), (0,1), (1,0), (1,1) are b, w2 + b, w1 + b, "
                         "w1 + w2 + b.",
                         "Only the last may be positive."))
def test_and_weights_and_bias_separate_one_one_from_the_rest(learner):
    expect_gate(learner, "AND", lambda a, b: a == 1 and b == 1, "AND")


@pytest.mark.grade(task="1.4", points=1,
                   hint="OR: w.x + b > 0 unless both inputs are 0; NAND: unless both are 1.",
                   more=("For OR, b <= 0 but w_i + b > 0.",
                         "NAND is the AND neuron with every sign flipped."))
def test_or_and_nand_weights_and_biases_give_their_truth_tables(learner):
    expect_gate(learner, "OR", lambda a, b: a == 1 or b == 1, "OR")
    expect_gate(learner, "NAND", lambda a, b: not (a == 1 and b == 1), "NAND")
