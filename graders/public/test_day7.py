"""Public checks of Day 7: one_hot, load_data, train, accuracy and the 85% accuracy gate."""
import collections
import math
import re

import numpy as np
import pytest

from graders import limits
from graders.checks import (PIXEL_SCALES, describe, digits, expect_array, expect_close,
                            expect_floats, expect_number, fmt, pixel_scale)
from graders.failures import Failure

# A line naming the epoch and its loss, in any common form: "Epoch 100: loss 0.5813",
# "Epoch 100/1000, Loss: 0.5813", "epoch 100 loss=0.58".
LOSS_LINE = re.compile(r"epoch\W*(\d+)(?:\s*/\s*\d+)?\D*?loss\W*?"
                       r"(-?(?:\d+\.?\d*(?:e[-+]?\d+)?|nan|inf))", re.IGNORECASE)


def split_of(learner, test_size, seed):
    """Call load_data; check it returned 4 arrays of the promised shapes; return them."""
    parts = learner.day7.load_data(test_size=test_size, seed=seed)
    call = learner.last.text
    if type(parts) not in (tuple, list) or len(parts) != 4:
        raise Failure(f"{call} returned {describe(parts)}; expected a tuple of 4 arrays "
                      "(X_train, X_test, y_train, y_test).")
    exact = test_size * 1797
    x_test = parts[1]
    shaped = type(x_test) is np.ndarray and x_test.ndim == 2
    n_test = x_test.shape[0] if shaped else math.ceil(exact)
    if n_test not in (math.floor(exact), math.ceil(exact)):
        raise Failure(f"{call} returned X_test with {n_test} rows; with test_size={test_size} "
                      f"the test part holds {math.ceil(exact)} of the 1797 digits.")
    shapes = [(1797 - n_test, 64), (n_test, 64), (1797 - n_test, 10), (n_test, 10)]
    for name, part, shape in zip(("X_train", "X_test", "y_train", "y_test"), parts, shapes):
        expect_array(part, shape, f"{call} (its {name})")
    return parts


def images_of(X, call, name):
    """Rows of X as byte keys of the 0..16 images, however the pixels were scaled (scaling is
    the business of one check only)."""
    scale = pixel_scale(X)
    if scale is None:
        raise Failure(f"{call} returned {name} with values from {fmt(float(X.min()))} to "
                      f"{fmt(float(X.max()))}, which are not the load_digits pixels (0 to 16) "
                      "divided by a number.")
    return [row.tobytes() for row in np.round(X * scale).astype(np.int64)]


def dataset_images():
    """Byte key of every load_digits image -> the labels it carries."""
    data, target = digits()
    found = collections.defaultdict(set)
    for row, label in zip(data.astype(np.int64), target):
        found[row.tobytes()].add(int(label))
    return found


# -- Task 7.1 one_hot -------------------------------------------------------------------

@pytest.mark.grade(task="7.1", points=1.5,
                   hint="Start from a zeros matrix with one row per label and one column per "
                        "class, then set one entry in each row.",
                   more=("Row i gets its 1.0 in the column given by labels[i].",
                         "Fancy indexing with two index arrays (row numbers and labels) sets "
                         "all the ones at once; make sure the matrix holds floats."))
def test_one_hot_puts_a_single_one_at_each_label(learner, rng):
    labels = rng.integers(0, 10, size=7)
    call_text = f"one_hot({labels.tolist()})"
    out = expect_array(learner.day7.one_hot(labels), (7, 10), call_text)
    expect_close(out, np.eye(10)[labels], call_text, rtol=0, atol=0)


@pytest.mark.grade(task="7.1", points=0.5,
                   needs=("test_one_hot_puts_a_single_one_at_each_label",),
                   hint="The one-hot rows feed the loss as probabilities: make them floats.",
                   more=("np.zeros makes floats unless you ask for another dtype.",))
def test_one_hot_returns_a_float_array(learner, rng):
    labels = rng.integers(0, 10, size=5)
    expect_floats(learner.day7.one_hot(labels), f"one_hot({labels.tolist()})")


@pytest.mark.grade(task="7.1", points=1,
                   needs=("test_one_hot_puts_a_single_one_at_each_label",),
                   hint="The number of columns is num_classes, not the largest label + 1.",
                   more=("Labels 0..2 with num_classes=6 still give 6 columns (3 of them "
                         "always zero).",))
def test_one_hot_respects_num_classes(learner, rng):
    labels = rng.integers(0, 3, size=8)
    call_text = f"one_hot({labels.tolist()}, num_classes=6)"
    out = expect_array(learner.day7.one_hot(labels, num_classes=6), (8, 6), call_text)
    expect_close(out, np.eye(6)[labels], call_text, rtol=0, atol=0)


# -- Task 7.2 load_data -----------------------------------------------------------------

@pytest.mark.grade(task="7.2", points=1,
                   hint="Return (X_train, X_test, y_train, y_test): 64 pixel columns, 10 "
                        "one-hot columns, test_size of the 1797 digits in the test part.",
                   more=("train_test_split returns the four parts in exactly this order.",))
def test_load_data_returns_four_parts_of_the_right_shapes(learner, seed_for):
    split_of(learner, 0.2, seed_for("split"))


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="The pixels of load_digits go from 0 to 16: divide them by 16.",
                   more=("Every value of X_train and X_test must be in [0, 1], and each row "
                         "must be one of the digits images divided by 16 (not by 255).",))
def test_load_data_scales_the_pixels_to_0_1(learner, seed_for):
    X_train, X_test, _, _ = split_of(learner, 0.2, seed_for("split"))
    known = dataset_images()
    for name, X in (("X_train", X_train), ("X_test", X_test)):
        if pixel_scale(X) not in PIXEL_SCALES:
            raise Failure(f"{learner.last.text} returned {name} with values from "
                          f"{fmt(float(X.min()))} to {fmt(float(X.max()))}; expected the "
                          "load_digits pixels (0 to 16) divided by 16 (or by 255), so that "
                          "every value is in [0, 1].")
        keys = images_of(X, learner.last.text, name)
        strange = [i for i, k in enumerate(keys) if k not in known]
        if strange:
            raise Failure(f"{learner.last.text}: row {strange[0]} of {name} is not one of the "
                          f"load_digits images, scaled: {fmt(X[strange[0]])}.")


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="y_train and y_test are the one-hot labels of the images, split "
                        "together with X so that rows stay aligned.",
                   more=("Pass X and the labels to the same train_test_split call.",
                         "One-hot encode with your one_hot (10 classes), before or after "
                         "the split."))
def test_load_data_labels_are_the_one_hot_digits_of_the_images(learner, seed_for):
    parts = split_of(learner, 0.2, seed_for("split"))
    known = dataset_images()
    for name, X, y in (("train", parts[0], parts[2]), ("test", parts[1], parts[3])):
        if not (np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)):
            raise Failure(f"{learner.last.text} returned y_{name} that is not one-hot (each "
                          f"row a single 1.0 among zeros): {fmt(y)}.")
        labels = y.argmax(axis=1)
        for i, key in enumerate(images_of(X, learner.last.text, "X_" + name)):
            if key in known and labels[i] not in known[key]:
                raise Failure(f"{learner.last.text}: row {i} of X_{name} shows the digit "
                              f"{sorted(known[key])[0]}, but row {i} of y_{name} says "
                              f"{labels[i]}; X and y must stay aligned.")


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="Every digit goes to exactly one of the two parts: none is lost and "
                        "none is in both.",
                   more=("Split once, and return the parts that the split gave you (not the "
                         "whole X as the training part).",))
def test_load_data_train_and_test_are_disjoint_and_cover_the_digits(learner, seed_for):
    X_train, X_test, _, _ = split_of(learner, 0.2, seed_for("split"))
    call = learner.last.text
    everyone = collections.Counter(r.tobytes() for r in digits()[0].astype(np.int64))
    train = collections.Counter(images_of(X_train, call, "X_train"))
    test = collections.Counter(images_of(X_test, call, "X_test"))
    both = [k for k in test if train[k] + test[k] > everyone[k]]
    if both:
        raise Failure(f"{call}: {len(both)} test images are also in the training part (a "
                      "leak: the test accuracy would then measure memory, not learning).")
    lost = sum((everyone - (train + test)).values())
    if lost:
        raise Failure(f"{call}: {lost} of the 1797 digits are in neither part.")


@pytest.mark.grade(task="7.2", points=1,
                   needs=("test_load_data_returns_four_parts_of_the_right_shapes",),
                   hint="Stratify the split by the labels, so that every digit keeps its share "
                        "in the test part.",
                   more=("train_test_split has a stratify= argument: give it the integer "
                         "labels.",))
def test_load_data_split_is_stratified(learner, seed_for):
    _, _, _, y_test = split_of(learner, 0.2, seed_for("split"))
    expect_stratified(y_test, learner.last.text)


def expect_stratified(y_test, call):
    """Each class count of the test part is within 1 of its proportional share."""
    counts = np.bincount(y_test.argmax(axis=1), minlength=10)
    share = len(y_test) * np.bincount(digits()[1], minlength=10) / 1797
    worst = int(np.argmax(np.abs(counts - share)))
    if abs(counts[worst] - share[worst]) >= 1.5:
        raise Failure(f"{call}: the test part holds {counts[worst]} images of the digit "
                      f"{worst}, expected about {share[worst]:.1f} (its share of the dataset); "
                      f"the split is not stratified. Counts of digits 0-9: {counts.tolist()}.")


# -- Task 7.3 train and the gate (Task 7.5): one training run (the `trained` fixture) ----------

def losses_of(run):
    """The returned losses: a list of 1000 finite numbers (as floats)."""
    run = run.ok()
    losses = run.losses
    if type(losses) is not list or len(losses) != 1000:
        raise Failure(f"{run.text} returned {describe(losses)}; expected a list of 1000 "
                      "losses, one per epoch (epochs=1000 by default).")
    return [expect_number(v, f"{run.text} (its losses[{i}])") for i, v in enumerate(losses)]


def loss_lines(text):
    """(epoch, loss, loss as printed) of every line of `text` that names an epoch and a loss."""
    return [(int(m[1]), float(m[2]), m[2]) for m in map(LOSS_LINE.search, text.splitlines())
            if m]


def printed_of(run):
    """(epoch, loss, as printed) of each line naming an epoch and its loss that train printed."""
    run = run.ok()
    found = loss_lines(run.stdout)
    if len(found) < 2:
        raise Failure(f"{run.text} printed {len(found)} lines like 'Epoch 100: loss 0.1234'; "
                      f"expected 10. It printed: {run.stdout[:300]!r}")
    return found


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.3", points=1,
                   hint="Keep the loss of every epoch in a list and return the list.",
                   more=("Append the loss once per epoch (not only when you print it), as a "
                         "number, and return the list after the loop.",))
def test_train_returns_one_loss_per_epoch(trained):
    losses_of(trained)


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.3", points=2,
                   hint="Print 'Epoch {epoch}: loss {loss:.4f}' when the epoch (counted from "
                        "1) is a multiple of print_every: epochs 100, 200, ..., 1000.",
                   more=("With range(epochs) the epoch numbers start at 0: add 1, or loop "
                         "over range(1, epochs + 1).",
                         "Print only at those 10 epochs, in exactly that format, e.g. "
                         "'Epoch 100: loss 0.2713'."))
def test_train_prints_the_loss_every_100_epochs(trained):
    run = trained.ok()
    epochs = [e for e, _, _ in loss_lines(run.stdout)]
    if epochs != list(range(100, 1001, 100)):
        lines = [line.strip() for line in run.stdout.splitlines() if line.strip()]
        shown = "; ".join(lines[:3]) + ("; ..." if len(lines) > 3 else "")
        raise Failure(f"{run.text} printed loss lines for the epochs {epochs[:12]} ({shown!r}); "
                      "expected one line for each of the epochs 100, 200, ..., 1000, naming "
                      "the epoch and its loss, like 'Epoch 100: loss 0.2713'.")


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.3", points=0.5,
                   hint="Each epoch runs forward, computes the loss, then backward (which "
                        "updates the weights); the printed loss must then go down.",
                   more=("A loss that stays put: is backward called every epoch, with the "
                         "learning rate? A loss that grows: check the sign of the update.",
                         "Pick a default learning rate that trains: try 0.1 to 1."))
def test_train_printed_loss_goes_down(trained):
    values = [v for _, v, _ in printed_of(trained)]
    steps = sum(b <= a for a, b in zip(values, values[1:]))
    if not (np.all(np.isfinite(values)) and values[-1] < values[0]
            and steps >= 0.75 * (len(values) - 1)):
        raise Failure(f"{trained.text} printed the losses {fmt(np.array(values))}; expected "
                      "them to go down (the last below the first, and most steps down).")


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.3", points=0.5,
                   needs=("test_train_returns_one_loss_per_epoch",),
                   hint="The loss of an epoch is the mean cross-entropy of the network's "
                        "predictions against the one-hot targets.",
                   more=("Call cross_entropy(predictions, targets) in that order: "
                         "predictions first.",))
def test_train_records_the_mean_cross_entropy(trained):
    losses, start = losses_of(trained), trained.initial_loss
    if start is not None and not 0 < losses[0] <= 1.25 * start + 0.05:
        raise Failure(f"{trained.text} returned {fmt(losses[0])} as the loss of epoch 1; the "
                      f"mean cross-entropy of the untrained network on the training data is "
                      f"{start:.4f} (and the first epoch's loss cannot be much higher).")


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.3", points=1,
                   needs=("test_train_returns_one_loss_per_epoch",
                          "test_train_prints_the_loss_every_100_epochs"),
                   hint="The loss printed at epoch E is the loss of epoch E in the returned "
                        "list, losses[E - 1].",
                   more=("Print the same loss you append, in the same epoch (not one computed "
                         "again after the update).",))
def test_train_prints_the_losses_it_returns(trained):
    losses = losses_of(trained)
    for epoch, value, text in printed_of(trained):
        decimals = len(text.partition(".")[2]) if "e" not in text.lower() else 4
        close = 0.5 * 10.0 ** -decimals + 1e-9  # as precise as it was printed
        if not 1 <= epoch <= len(losses) or not abs(value - losses[epoch - 1]) <= close:
            got = fmt(losses[epoch - 1]) if 1 <= epoch <= len(losses) else "nothing"
            raise Failure(f"{trained.text} printed 'Epoch {epoch}: loss {value:.4f}' but "
                          f"returned {got} as the loss of epoch {epoch} (losses[{epoch - 1}]); "
                          "they must be the same loss.")


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.5", points=4,
                   hint="Your train with its default learning rate and 1000 epochs must teach "
                        "NeuralNetwork(64, 64, 10) to read digits it has not seen: > 85%.",
                   more=("Check that the loss goes down to about 0.1 or less by epoch 1000; "
                         "if it falls slowly, raise the default learning rate.",
                         "If it jumps around or becomes nan, lower the learning rate; make "
                         "sure X is scaled to [0, 1] and backward divides by the batch size."))
def test_trained_network_beats_85_percent_on_held_out_digits(trained):
    run = trained.ok()
    right = float(np.mean(run.predictions().argmax(axis=1) == run.labels))
    if not right > 0.85:
        raise Failure(f"After {run.text} (your defaults), the network reads {right:.1%} of "
                      f"{len(run.labels)} held-out digits right; it must beat 85%.")


# -- Task 7.4 accuracy --------------------------------------------------------------------

def fixed_net(learner, rng, sizes=(5, 7, 4)):
    """A learner NeuralNetwork whose weights the grader set; returns (net, X, predictions)."""
    D, H, C = sizes
    net = learner.day6.NeuralNetwork(D, H, C)
    net.W1, net.b1 = rng.standard_normal((D, H)), 0.1 * rng.standard_normal((1, H))
    net.W2, net.b2 = rng.standard_normal((H, C)), 0.1 * rng.standard_normal((1, C))
    X = rng.standard_normal((13, D))
    probs = expect_array(net.forward(X), (13, C), learner.last.text)
    return net, X, probs.argmax(axis=1)


def some_wrong(rng, predicted, classes):
    """Labels equal to the predictions except at 4 to 9 of the 13 rows."""
    labels = predicted.copy()
    wrong = rng.choice(len(labels), size=int(rng.integers(4, 10)), replace=False)
    labels[wrong] = (labels[wrong] + rng.integers(1, classes, size=len(wrong))) % classes
    return labels


@pytest.mark.grade(task="7.4", points=1,
                   hint="Compare each row's most probable class (argmax of forward) with the "
                        "label; the accuracy is the fraction of rows that agree.",
                   more=("With one-hot y the label of a row is the argmax of that row of y.",
                         "Take argmax along axis 1 (per row); the mean of a boolean array is "
                         "the fraction of True."))
def test_accuracy_with_one_hot_labels(learner, rng):
    net, X, predicted = fixed_net(learner, rng)
    labels = some_wrong(rng, predicted, 4)
    got = expect_number(learner.day7.accuracy(net, X, np.eye(4)[labels]), learner.last.text)
    right = int(np.sum(labels == predicted))
    if not abs(got - right / 13) <= 1e-12:
        raise Failure(f"{learner.last.text} returned {fmt(got)}; the network gets {right} of "
                      f"the 13 rows right, so expected {right}/13 = {right / 13:.6g} (a "
                      "fraction, not a percentage).")


@pytest.mark.grade(task="7.4", points=1,
                   hint="y may also be a 1-D array of integer labels: use it as it is then.",
                   more=("Look at y.ndim: 2 means one-hot rows, 1 means labels.",))
def test_accuracy_with_integer_labels(learner, rng):
    net, X, predicted = fixed_net(learner, rng)
    labels = some_wrong(rng, predicted, 4)
    got = expect_number(learner.day7.accuracy(net, X, labels), learner.last.text)
    right = int(np.sum(labels == predicted))
    if not abs(got - right / 13) <= 1e-12:
        raise Failure(f"{learner.last.text} with labels {labels.tolist()} returned {fmt(got)}; "
                      f"the network gets {right} of the 13 rows right, so expected "
                      f"{right}/13 = {right / 13:.6g}.")


@pytest.mark.timeout(limits.TRAINING_CHECK_S)
@pytest.mark.grade(task="7.5", points=2,
                   needs=("test_train_prints_the_loss_every_100_epochs",
                          "test_accuracy_with_one_hot_labels"),
                   hint="main loads the data, trains for 1000 epochs (train prints the 10 "
                        "loss lines) and then prints the test accuracy.",
                   more=("The last line could read 'Test accuracy: 97.50%'.",
                         "Call your own load_data, NeuralNetwork(64, hidden, 10), train and "
                         "accuracy, in that order, and print the accuracy at the end."))
def test_main_prints_the_loss_lines_and_the_test_accuracy(trained):
    rows = trained.main_output().splitlines()
    epochs = [e for e, _, _ in loss_lines("\n".join(rows))]
    if epochs != list(range(100, 1001, 100)):
        raise Failure(f"main() printed loss lines for the epochs {epochs[:12]}; expected 100, "
                      "200, ..., 1000.")
    last = max(i for i, line in enumerate(rows) if LOSS_LINE.search(line))
    after = "\n".join(rows[last + 1:])
    found = [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)\s*%", after) if float(p) <= 100]
    found += [float(f) for f in re.findall(r"(?<![\d.])([01]\.\d+)(?![\d.%])", after)
              if float(f) <= 1]
    if not found:
        raise Failure(f"main() printed no test accuracy after the training (expected e.g. "
                      f"'Test accuracy: 97.50%'); after the epoch lines it printed "
                      f"{after.strip()[:200]!r}.")
