"""Hidden checks of Day 7: one_hot, load_data, train and accuracy on other inputs, and main."""
import numpy as np
import pytest

from graders.checks import (describe, digits, expect_array, expect_close, expect_number,
                            expect_unmodified)
from graders.failures import Failure
from graders.public.test_day7 import loss_lines, split_of


def split_seed(seed):
    """A random_state for load_data (any 32-bit value)."""
    return seed % 2**32


def tiny_problem(learner, rng, seed):
    """A small learner network and a small classification problem (N=20, D=5, H=6, C=3)."""
    learner.seed(split_seed(seed))
    net = learner.day6.NeuralNetwork(5, 6, 3)
    X = rng.standard_normal((20, 5))
    Y = np.eye(3)[rng.integers(0, 3, size=20)]
    return net, X, Y


@pytest.mark.grade(task="7.1", points=1,
                   needs=("test_one_hot_puts_a_single_one_at_each_label",),
                   hint="Works for any number of labels, from 1 to thousands, and any "
                        "num_classes; the labels are left as they were.",
                   more=("Use len(labels) rows and num_classes columns; no loop over a "
                         "fixed size.",))
def test_one_hot_of_many_or_one_random_labels_is_exact(learner, rng):
    for n, classes in ((1, 10), (257, 13)):
        labels = rng.integers(0, classes, size=n)
        out = learner.day7.one_hot(labels, num_classes=classes)
        expect_array(out, (n, classes), learner.last.text)
        expect_close(out, np.eye(classes)[labels], learner.last.text, rtol=0, atol=0)
        expect_unmodified(learner, ["labels"])


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="test_size is the share of the digits in the test part: use the "
                        "argument, not a fixed 0.2.",
                   more=("Pass test_size on to train_test_split, and keep the split "
                         "stratified.",))
def test_load_data_honours_another_test_size_and_stays_stratified(learner, seed):
    _, _, _, y_test = split_of(learner, 0.35, split_seed(seed))
    counts = np.bincount(y_test.argmax(axis=1), minlength=10)
    share = len(y_test) * np.bincount(digits()[1], minlength=10) / 1797
    if np.max(np.abs(counts - share)) >= 1.5:
        raise Failure(f"{learner.last.text}: digit counts of the test part {counts.tolist()}, "
                      f"expected about {np.round(share, 1).tolist()} (stratified).")


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="The seed decides the split: the same seed gives the same split, "
                        "another seed another split.",
                   more=("Pass random_state=seed (the argument, not a fixed 42) to "
                         "train_test_split, and shuffle nothing with an unseeded generator.",))
def test_load_data_seed_decides_the_split(learner, seed):
    first = split_of(learner, 0.2, split_seed(seed))
    text = learner.last.text
    again = split_of(learner, 0.2, split_seed(seed))
    for name, a, b in zip(("X_train", "X_test", "y_train", "y_test"), first, again):
        if not np.array_equal(a, b):
            raise Failure(f"{text} called twice gave two different {name}; the same seed "
                          "must give the same split.")
    other = split_of(learner, 0.2, split_seed(seed + 1))[1]
    if np.array_equal(first[1], other):
        raise Failure(f"{text} and {learner.last.text} gave the same X_test; the seed must "
                      "choose the split.")


@pytest.mark.grade(task="7.3", points=1,
                   hint="Use the epochs and print_every arguments: epochs=30, print_every=7 "
                        "prints at epochs 7, 14, 21 and 28 and returns 30 losses.",
                   more=("No fixed 1000 or 100 inside the loop: only the defaults of the "
                         "arguments hold those numbers.",))
def test_train_uses_the_epochs_and_print_every_arguments(learner, rng, seed):
    net, X, Y = tiny_problem(learner, rng, seed)
    losses = learner.day7.train(net, X, Y, epochs=30, print_every=7)
    call = learner.last.text
    printed = [e for e, _, _ in loss_lines(learner.last.stdout)]
    if type(losses) is not list or len(losses) != 30:
        raise Failure(f"{call} returned {describe(losses)}; expected a list of 30 losses.")
    for i, v in enumerate(losses):
        expect_number(v, f"{call} (its losses[{i}])")
    if printed != [7, 14, 21, 28]:
        raise Failure(f"{call} printed lines for epochs {printed}; expected epochs 7, 14, 21 "
                      "and 28.")


@pytest.mark.grade(task="7.3", points=1,
                   hint="Pass the learning_rate argument on to backward.",
                   more=("With learning_rate=0 the weights must stay exactly as they were.",))
def test_train_with_learning_rate_zero_leaves_the_weights_unchanged(learner, rng, seed):
    net, X, Y = tiny_problem(learner, rng, seed)
    before = [net.W1, net.b1, net.W2, net.b2]
    learner.day7.train(net, X, Y, epochs=5, learning_rate=0.0, print_every=1)
    call = learner.last.text
    for name, old in zip(("W1", "b1", "W2", "b2"), before):
        if not np.array_equal(getattr(net, name), old):
            raise Failure(f"{call} changed {name}; with learning_rate=0.0 no weight may "
                          "change (is the learning_rate argument used?).")


@pytest.mark.grade(task="7.4", points=1,
                   needs=("test_accuracy_with_one_hot_labels",),
                   hint="All rows right gives 1.0, none right gives 0.0, for one row or many.",
                   more=("Return the fraction of right rows as a number in [0, 1].",))
def test_accuracy_is_one_when_all_right_and_zero_when_all_wrong(learner, rng):
    for n in (1, 29):
        net = learner.day6.NeuralNetwork(6, 8, 5)
        net.W1, net.b1 = rng.standard_normal((6, 8)), np.zeros((1, 8))
        net.W2, net.b2 = rng.standard_normal((8, 5)), np.zeros((1, 5))
        X = rng.standard_normal((n, 6))
        predicted = expect_array(net.forward(X), (n, 5), learner.last.text).argmax(axis=1)
        for labels, want in ((predicted, 1.0), ((predicted + 1) % 5, 0.0)):
            for y in (labels, np.eye(5)[labels]):
                got = expect_number(learner.day7.accuracy(net, X, y), learner.last.text)
                if got != want:
                    kind = "integer labels" if y.ndim == 1 else "one-hot labels"
                    raise Failure(f"{learner.last.text} with {kind} returned {got}; expected "
                                  f"{want} ({'every' if want else 'no'} row right).")
                expect_unmodified(learner, ["model", "X", "y"])
