"""Hidden checks of Day 4: random inputs, steps and shapes, untouched inputs, Value graphs."""
import numpy as np
import pytest

from graders import funcs
from graders.checks import (describe, expect_array, expect_close, expect_number,
                            expect_unmodified, fmt, rel_error)
from graders.failures import Failure
from graders.hidden.answers import numerical_gradient, stable_sigmoid


def expect_grads(expr, got, expected):
    """Values (names -> learner numbers) match the grader's (names -> numbers)."""
    got = {n: expect_number(v, f"{expr}; {n}") for n, v in got.items()}
    if not np.allclose(list(got.values()), list(expected.values()), rtol=1e-9, atol=1e-12):
        said = ", ".join(f"{n} = {fmt(v)}" for n, v in got.items())
        want = ", ".join(f"{n} = {fmt(float(v))}" for n, v in expected.items())
        raise Failure(f"{expr} gave {said}; expected {want}.")


@pytest.mark.grade(task="4.2", points=1,
                   needs=("test_grad_f_matches_the_chain_rule_at_random_inputs",),
                   hint="The gradient is a formula in x, y and z; it must hold for any inputs.",
                   more=("Check your formulas at a second point, e.g. x=1, y=2, z=3.",
                         "df/dx and df/dy both equal z; df/dz equals x + y."))
def test_grad_f_is_right_for_many_random_inputs(learner, rng):
    cases = [tuple(float(v) for v in rng.uniform(-10, 10, 3)) for _ in range(4)]
    cases.append((0.0, float(rng.uniform(1, 5)), float(rng.uniform(-5, -1))))
    for x, y, z in cases:
        got = learner.day4.grad_f(x, y, z)
        if type(got) not in (tuple, list) or len(got) != 3:
            raise Failure(f"{learner.last.text} returned {describe(got)}; expected a tuple of "
                          "three numbers.")
        got = [expect_number(g, learner.last.text) for g in got]
        expect_close(np.array(got), np.array([z, z, x + y]), learner.last.text)


@pytest.mark.grade(task="4.3", points=1,
                   needs=("test_numerical_gradient_matches_the_true_gradient",),
                   hint="Probe every element of x, whatever its shape, not only a 1-D vector.",
                   more=("Loop over all index tuples of x (np.ndindex or np.nditer with "
                         "multi_index), not over range(len(x)).",
                         "The gradient has x's shape; each entry comes from nudging only that "
                         "entry."))
def test_numerical_gradient_works_on_a_matrix(learner, rng):
    x = rng.uniform(-1.5, 1.5, (3, 5))
    g = learner.day4.numerical_gradient(funcs.coupled, x)
    g = expect_array(g, x.shape, learner.last.text)
    true = 2 * np.sum(x) + x * x
    err = rel_error(g, numeric=true)
    if not err <= 1e-6:
        raise Failure(f"{learner.last.text} returned {fmt(g)}; the true gradient of "
                      f"f(x) = (sum x)^2 + sum x^3 / 3 is {fmt(true)} (relative error "
                      f"{err:.1e}, allowed 1e-06).")


@pytest.mark.grade(task="4.3", points=1,
                   needs=("test_numerical_gradient_matches_the_true_gradient",),
                   hint="Use centered differences with the step h you are given.",
                   more=("Forward differences (f(x + h) - f(x)) / h are much less accurate "
                         "than centered ones.",
                         "Evaluate at x + h e_i and x - h e_i and divide by 2h, with the h "
                         "passed in."))
def test_numerical_gradient_uses_centered_differences_with_the_given_h(learner, rng):
    x = rng.uniform(-2, 2, 4)
    g = learner.day4.numerical_gradient(funcs.wavy, x, h=1e-3)
    g = expect_array(g, x.shape, learner.last.text)
    expected = numerical_gradient(funcs.wavy, x, h=1e-3)
    if not rel_error(g, numeric=expected) <= 1e-9:
        raise Failure(f"{learner.last.text} returned {fmt(g)}; centered differences with "
                      f"h = 0.001 give {fmt(expected)} (they differ by up to "
                      f"{np.max(np.abs(g - expected)):.1e}; with the same h and formula they "
                      "agree to about 1e-12).")


@pytest.mark.grade(task="4.3", points=1,
                   needs=("test_numerical_gradient_matches_the_true_gradient",),
                   hint="Put every nudged element back to its original value.",
                   more=("Save the old value before nudging, and restore it after both "
                         "evaluations.",
                         "Or nudge copies of x and leave x itself alone."))
def test_numerical_gradient_leaves_x_unchanged(learner, rng):
    x = rng.integers(-64, 64, (2, 3)) / 16.0        # steps of 1/16 and h = 2^-14: exact sums
    learner.day4.numerical_gradient(funcs.sum_of_squares, x, h=2.0 ** -14)
    expect_unmodified(learner, ["func", "x"])


@pytest.mark.grade(task="4.4", points=1,
                   needs=("test_sigmoid_derivative_matches_s_times_one_minus_s",),
                   hint="For a single number, sigmoid_derivative returns a single number.",
                   more=("Reuse Day 1's sigmoid, which returns a float for a number.",
                         "s * (1 - s) of a float is a float."))
def test_sigmoid_derivative_of_a_number_is_a_number(learner, rng):
    x = float(rng.uniform(-4, 4))
    out = expect_number(learner.day4.sigmoid_derivative(x), learner.last.text)
    s = stable_sigmoid(x)
    expect_close(out, s * (1 - s), learner.last.text)


@pytest.mark.grade(task="4.4", points=1,
                   needs=("test_sigmoid_derivative_matches_s_times_one_minus_s",),
                   hint="Far from 0 the slope of the sigmoid is almost 0; it must never be nan.",
                   more=("Computing e^-x for x = -1000 overflows; a stable sigmoid avoids it.",
                         "Build the derivative from a stable sigmoid(x): s * (1 - s)."))
def test_sigmoid_derivative_is_finite_for_large_inputs(learner, rng):
    x = np.concatenate([[-1000.0, -60.0, 0.0, 60.0, 1000.0], rng.uniform(-800, 800, 5)])
    out = expect_array(learner.day4.sigmoid_derivative(x), x.shape, learner.last.text)
    s = stable_sigmoid(x)
    expect_close(out, s * (1 - s), learner.last.text, atol=1e-12)


@pytest.mark.grade(task="4.5", points=0.5,
                   needs=("test_relu_derivative_is_one_for_positive_z_else_zero",),
                   hint="relu_derivative must return a new array and leave z as it was.",
                   more=("Assigning into z (z[z > 0] = 1) changes the caller's array.",
                         "Build the 0/1 mask as a new array."))
def test_relu_derivative_leaves_its_input_unchanged(learner, rng):
    z = rng.standard_normal((4, 6))
    learner.day4.relu_derivative(z)
    expect_unmodified(learner, ["z"])


@pytest.mark.grade(task="4.5", points=1,
                   needs=("test_relu_derivative_is_one_for_positive_z_else_zero",),
                   hint="Only strictly positive z has slope 1; 0 (and -0.0) has slope 0.",
                   more=("Use z > 0, not z >= 0.",
                         "Tiny positive numbers are still positive: slope 1."))
def test_relu_derivative_is_zero_at_zero_and_one_just_above(learner, rng):
    z = np.array([[0.0, -0.0, 1e-300, -1e-300], [1e-200, -1e-200, 0.0, 1.0]])
    z = z[:, rng.permutation(4)]
    out = expect_array(learner.day4.relu_derivative(z), z.shape, learner.last.text)
    expect_close(out, (z > 0).astype(float), learner.last.text)


@pytest.mark.grade(task="4.6", points=1,
                   needs=("test_value_multiplication_backpropagates",),
                   hint="Addition passes out.grad to both inputs unchanged; multiplication "
                        "scales it by the other input.",
                   more=("For f = (x + y) * z: df/dz = x + y, and df/dx = df/dy = z.",
                         "backward() sets the output's grad to 1.0 and walks the nodes from "
                         "the output back to the inputs."))
def test_value_backpropagates_the_worked_example_at_random_inputs(learner, rng):
    x, y, z = (float(v) for v in rng.uniform(-5, 5, 3))
    V = learner.day4.Value
    a, b, c = V(x), V(y), V(z)
    out = a.__add__(b).__mul__(c)
    out.backward()
    expr = f"with x, y, z = Value({x:.4g}), Value({y:.4g}), Value({z:.4g}): f = (x + y) * z; " \
           "f.backward()"
    expect_grads(expr, {"f.data": out.data, "x.grad": a.grad, "y.grad": b.grad,
                        "z.grad": c.grad}, {"f.data": (x + y) * z, "x.grad": z, "y.grad": z,
                                            "z.grad": x + y})


@pytest.mark.grade(task="4.6", points=1,
                   needs=("test_value_multiplication_backpropagates",),
                   hint="When a Value feeds two places, both contributions to its grad add up.",
                   more=("In _backward, add to .grad (+=) instead of overwriting it (=).",
                         "a * a has gradient 2a and a + a has gradient 2: both paths count."))
def test_value_gradients_accumulate_when_a_value_is_used_twice(learner, rng):
    x, y = (float(v) for v in rng.uniform(0.5, 3, 2) * rng.choice([-1, 1], 2))
    V = learner.day4.Value
    a = V(x)
    sq = a.__mul__(a)
    sq.backward()
    expect_grads(f"with a = Value({x:.4g}): s = a * a; s.backward()",
                 {"s.data": sq.data, "a.grad": a.grad}, {"s.data": x * x, "a.grad": 2 * x})
    b = V(y)
    tw = b.__add__(b)
    tw.backward()
    expect_grads(f"with b = Value({y:.4g}): t = b + b; t.backward()",
                 {"t.data": tw.data, "b.grad": b.grad}, {"t.data": 2 * y, "b.grad": 2.0})


@pytest.mark.grade(task="4.6", points=1,
                   needs=("test_value_multiplication_backpropagates",),
                   hint="A plain number on either side of + or * is wrapped into a Value.",
                   more=("number + Value calls Value.__radd__; number * Value calls "
                         "Value.__rmul__.",
                         "Wrap a plain number in Value(...) before building the result; "
                         "commutativity does the rest."))
def test_value_mixes_with_plain_numbers_on_either_side(learner, rng):
    x = float(rng.uniform(-3, 3))
    k1, k2, k3, k4 = (float(v) for v in rng.uniform(0.5, 4, 4))
    a = learner.day4.Value(x)
    u = a.__mul__(k1)           # a * k1
    v = u.__radd__(k2)          # k2 + a * k1
    w = v.__rmul__(k3)          # k3 * (k2 + a * k1)
    out = w.__add__(k4)         # k3 * (k2 + a * k1) + k4
    out.backward()
    expr = (f"with a = Value({x:.4g}): out = {k3:.4g} * ({k2:.4g} + a * {k1:.4g}) + {k4:.4g} "
            "(through __mul__, __radd__, __rmul__, __add__); out.backward()")
    expect_grads(expr, {"out.data": out.data, "a.grad": a.grad},
                 {"out.data": k3 * (k2 + x * k1) + k4, "a.grad": k3 * k1})


@pytest.mark.grade(task="4.6", points=1,
                   needs=("test_value_multiplication_backpropagates",),
                   hint="backward must visit the nodes in reverse topological order.",
                   more=("A node may run its _backward only after every node that uses it "
                         "has passed its gradient down.",
                         "Build a topological order of the graph (children before parents), "
                         "seed the output's grad with 1.0, and walk it in reverse."))
def test_value_backward_handles_a_shared_subexpression(learner, rng):
    x, y = (float(v) for v in rng.uniform(0.5, 2, 2) * rng.choice([-1, 1], 2))
    V = learner.day4.Value
    a, b = V(x), V(y)
    c = a.__mul__(b)            # c = a * b
    d = c.__add__(a)            # d = c + a
    e = d.__mul__(c)            # e = d * c
    e.backward()
    cv, dv = x * y, x * y + x
    expect_grads(f"with a = Value({x:.4g}), b = Value({y:.4g}): c = a * b; d = c + a; "
                 "e = d * c; e.backward()",
                 {"e.data": e.data, "a.grad": a.grad, "b.grad": b.grad, "c.grad": c.grad},
                 {"e.data": dv * cv, "a.grad": cv + (dv + cv) * y,
                  "b.grad": (dv + cv) * x, "c.grad": dv + cv})
