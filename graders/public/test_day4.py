"""Public checks of Day 4: f, grad_f, numerical_gradient, the local derivatives, Value."""
import numpy as np
import pytest

from graders import expected, funcs
from graders.checks import (describe, expect_array, expect_close, expect_floats, expect_number,
                            fmt, rel_error)
from graders.failures import Failure


def expect_triple(v, call):
    """A tuple (or list) of three numbers, as floats."""
    if type(v) not in (tuple, list) or len(v) != 3:
        raise Failure(f"{call} returned {describe(v)}; expected a tuple of three "
                      "numbers (df/dx, df/dy, df/dz).")
    return tuple(expect_number(x, call) for x in v)


def wavy_gradient(x):
    """The gradient of funcs.wavy: cos(x) x^2 + 2 x sin(x) + 0.5."""
    return np.cos(x) * x * x + 2 * x * np.sin(x) + 0.5


@pytest.mark.grade(task="4.1", points=1,
                   hint="Add x and y first, then multiply the sum by z.",
                   more=("Mind the parentheses: (x + y) * z is not x + y * z.",
                         "Compute the intermediate node q = x + y, then return q * z."))
def test_f_is_x_plus_y_times_z(learner, rng):
    x, y, z = (float(v) for v in rng.uniform(-5, 5, 3))
    out = expect_number(learner.day4.f(x, y, z), learner.last.text)
    expect_close(out, (x + y) * z, learner.last.text)


@pytest.mark.grade(task="4.2", points=1,
                   hint="Work the example x=-2, y=5, z=-4 on paper: q = x + y, then f = q * z.",
                   more=("df/dz is the other factor, q. df/dq is z, and q passes it on to x "
                         "and y unchanged (dq/dx = dq/dy = 1).",
                         "For the example: q = 3, so df/dz = 3 and df/dx = df/dy = -4."))
def test_grad_f_gives_the_worked_example(learner):
    got = expect_triple(learner.day4.grad_f(-2.0, 5.0, -4.0), learner.last.text)
    expect_close(np.array(got), np.array([-4.0, -4.0, 3.0]), learner.last.text)


@pytest.mark.grade(task="4.2", points=1,
                   hint="Write the gradient with the inputs as symbols, not with the example's "
                        "numbers.",
                   more=("Each partial derivative is a formula in x, y and z: the chain rule "
                         "through q = x + y.",
                         "df/dx = df/dq * dq/dx, where df/dq = z; df/dz = x + y."))
def test_grad_f_matches_the_chain_rule_at_random_inputs(learner, rng):
    x, y, z = (float(v) for v in rng.uniform(-5, 5, 3))
    got = expect_triple(learner.day4.grad_f(x, y, z), learner.last.text)
    expect_close(np.array(got), np.array([z, z, x + y]), learner.last.text)


@pytest.mark.grade(task="4.3", points=2,
                   hint="For each element i: (func(x + h e_i) - func(x - h e_i)) / (2h).",
                   more=("Nudge one element at a time, up by h and down by h, and evaluate "
                         "func at both; put the element back afterwards.",
                         "Return an array shaped like x holding one slope per element."))
def test_numerical_gradient_matches_the_true_gradient(learner, rng):
    x = rng.uniform(-2, 2, 5)
    g = expect_array(learner.day4.numerical_gradient(funcs.wavy, x), x.shape, learner.last.text)
    err = rel_error(g, numeric=wavy_gradient(x))
    if not err <= 1e-6:
        raise Failure(f"{learner.last.text} returned {fmt(g)}; the true gradient of "
                      f"f(x) = sum(sin(x) x^2 + 0.5 x) at x = {fmt(x)} is "
                      f"{fmt(wavy_gradient(x))} (relative error {err:.1e}, allowed 1e-06).")


@pytest.mark.grade(task="4.4", points=1,
                   hint="The sigmoid's derivative is written with its own output: s * (1 - s).",
                   more=("Compute s = sigmoid(x) first (reuse Day 1), then combine.",
                         "Apply the formula to sigmoid(x), not to x itself."))
def test_sigmoid_derivative_matches_s_times_one_minus_s(learner, rng):
    x = 3 * rng.standard_normal((4, 3))
    want = expected.value("sigmoid_derivative", x)
    out = expect_array(learner.day4.sigmoid_derivative(x), x.shape, learner.last.text)
    expect_close(out, want, learner.last.text)


@pytest.mark.grade(task="4.5", points=1,
                   hint="The slope of ReLU is 1.0 where z > 0 and 0.0 elsewhere, also at 0.",
                   more=("Compare z with 0 to get a mask, then turn it into floats.",
                         "A boolean mask is not enough: the result must be 0.0/1.0 floats; "
                         "at exactly z = 0 the slope is 0.0."))
def test_relu_derivative_is_one_for_positive_z_else_zero(learner, rng):
    z = rng.standard_normal((5, 4))
    z[1, :2] = 0.0
    out = expect_array(learner.day4.relu_derivative(z), z.shape, learner.last.text)
    expect_close(out, (z > 0).astype(float), learner.last.text)


@pytest.mark.grade(task="4.5", points=0.5,
                   needs=("test_relu_derivative_is_one_for_positive_z_else_zero",),
                   hint="The slopes are the numbers 1.0 and 0.0, so the array holds floats.",
                   more=("A comparison like z > 0 gives booleans; turn them into floats.",
                         "astype(float) makes a float copy of a boolean or integer array."))
def test_relu_derivative_returns_a_float_array(learner, rng):
    z = rng.standard_normal((3, 4))
    expect_floats(learner.day4.relu_derivative(z), learner.last.text)


@pytest.mark.grade(task="4.6", points=1,
                   hint="For out = a * b, backward adds b.data * out.grad to a.grad and "
                        "a.data * out.grad to b.grad.",
                   more=("backward() starts from the output with grad 1.0, then runs each "
                         "node's _backward.",
                         "Store the product's _backward closure on the output Value; it "
                         "updates the inputs' .grad."))
def test_value_multiplication_backpropagates(learner, rng):
    x, y = (float(v) for v in rng.uniform(-3, 3, 2))
    a, b = learner.day4.Value(x), learner.day4.Value(y)
    c = a.__mul__(b)
    expr = f"with a = Value({x:.4g}), b = Value({y:.4g}): c = a * b"
    got = expect_number(c.data, expr + "; c.data")
    if not np.isclose(got, x * y, rtol=1e-9):
        raise Failure(f"{expr} gave c.data = {fmt(got)}; expected {fmt(x * y)}.")
    c.backward()
    grads = [expect_number(v.grad, f"{expr}; c.backward(); {n}.grad")
             for n, v in (("a", a), ("b", b), ("c", c))]
    if not np.allclose(grads, [y, x, 1.0], rtol=1e-9):
        raise Failure(f"{expr}; c.backward() gave a.grad, b.grad, c.grad = {fmt(grads[0])}, "
                      f"{fmt(grads[1])}, {fmt(grads[2])}; expected {fmt(y)}, {fmt(x)}, 1.")
