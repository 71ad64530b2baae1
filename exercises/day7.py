"""Day 7: Project part II - training on digits.

Goal: the "Hello World" of deep learning: train the Day 6 engine to read the 8x8
handwritten digits of sklearn's load_digits, and reach > 85% test accuracy.

Concepts:
    - Epochs: one full pass through the entire training set.
    - Training loop: the standard cycle forward -> loss -> backward -> update.
    - Overfitting: training accuracy 99% but test accuracy 50%; that is why the
      accuracy that counts is measured on a held-out test set.

Tasks:
    Task 7.1 one_hot     integer labels -> one-hot rows
    Task 7.2 load_data   load, normalize, one-hot encode and split the digits
    Task 7.3 train       the training loop, printing the loss every 100 epochs
    Task 7.4 accuracy    the fraction of correct predictions
    Task 7.5 main        put it together: python exercises/day7.py

Reading:
    None specific (focus on debugging code). The dataset:
    https://scikit-learn.org/stable/modules/generated/sklearn.datasets.load_digits.html

Grade it: make grade DAY=7
"""

import os

# NumPy's maths library runs on one thread, as the grader's does: on a small or busy computer,
# several threads fight over the cores and training gets many times slower. These lines must
# come before `import numpy` (a value you set yourself in your shell is kept).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from day3 import cross_entropy
from day6 import NeuralNetwork


def one_hot(labels, num_classes=10):
    """Return the one-hot encoding of integer labels as a float array.

    Row i is all zeros except a 1.0 in column labels[i].

    Shapes:
        labels: (N,) integers in [0, num_classes)
        returns Y: (N, num_classes)
    """
    # TODO(7.1): start from zeros; in each row put a 1.0 at the column given by its label.
    raise NotImplementedError("TODO(7.1): one_hot")


def load_data(test_size=0.2, seed=42):
    """Load the digits, scale them to [0, 1], one-hot encode the labels and split.

    The split is stratified by label (every digit keeps its share in both parts) and
    reproducible: seed is the random_state of train_test_split.

    Shapes:
        returns X_train: (N_train, 64), X_test: (N_test, 64),
                y_train: (N_train, 10), y_test: (N_test, 10)
        with N_test = test_size * 1797, rounded up
    """
    # TODO(7.2): scale pixels 0..16 to [0, 1], one-hot the targets, stratified train_test_split.
    raise NotImplementedError("TODO(7.2): load_data")


def train(model, X, y, epochs=1000, learning_rate=1.5, print_every=100):
    """Train model on (X, y) for `epochs` epochs: forward -> loss -> backward.

    Prints "Epoch {epoch}: loss {loss:.4f}" every print_every epochs (epochs are
    counted from 1) so you can watch the loss go down.

    Shapes:
        model: a NeuralNetwork with D inputs and C outputs
        X: (N, D) inputs
        y: (N, C) one-hot targets
        learning_rate: float, the step size (the default is yours to tune)
        returns losses: list of `epochs` floats, the loss of each epoch
    """
    # TODO(7.3): each epoch: forward, loss, backward; keep the loss, print every print_every.
    raise NotImplementedError("TODO(7.3): train")


def accuracy(model, X, y):
    """Return the fraction of rows of X whose most probable class is the true label.

    Shapes:
        X: (N, D) inputs
        y: (N, C) one-hot targets, or (N,) integer labels
        returns accuracy: float in [0, 1]
    """
    # TODO(7.4): compare each row's most probable class with its label (labels from one-hot y).
    raise NotImplementedError("TODO(7.4): accuracy")


def main():
    """Train NeuralNetwork(64, 64, 10) on the digits for 1000 epochs; print the test accuracy.

    The loss is printed every 100 epochs; the last line reads e.g. "Test accuracy: 97.50%".
    Returns (model, losses): the trained network and the losses that train returned
    (python day7.py draws its pictures from them).
    """
    # TODO(7.5): seed np.random, load_data, NeuralNetwork(64, 64, 10), train, print accuracy;
    # then return model, losses.
    raise NotImplementedError("TODO(7.5): main")


def save_pictures(model, losses, folder="reports"):
    """Save the loss curve, the misread test digits and the confusion matrix (given, not a TODO).

    Returns the three matplotlib Figures it saved, in that order.
    """
    from pathlib import Path

    from matplotlib.figure import Figure  # no pyplot: no window, works without a display

    _, X_test, _, y_test = load_data()
    true, pred = np.argmax(y_test, axis=1), np.argmax(model.forward(X_test), axis=1)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    loss = Figure(figsize=(8, 4.5), layout="constrained")
    ax = loss.add_subplot()
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, losses, label="loss of each epoch")
    ax.plot(epochs[99::100], np.array(losses)[99::100], "o", label="printed every 100 epochs")
    ax.set_yscale("log")  # a log scale: the slow end of the curve stays readable
    ax.set(title=f"Training loss: test accuracy {np.mean(pred == true):.2%}", xlabel="epoch",
           ylabel="cross-entropy loss (log scale)")
    ax.grid(which="both", alpha=0.3)
    ax.legend()
    loss.savefig(folder / "day7_loss.png")

    wrong = np.flatnonzero(pred != true)[:32]
    cols = max(1, min(8, int(np.ceil(np.sqrt(2 * len(wrong))))))  # about twice as wide as tall
    rows = max(1, -(-len(wrong) // cols))  # -(-a // b): a / b rounded up
    cols = max(1, -(-len(wrong) // rows))  # the rows filled evenly
    side = min(3, max(1.25, 7.5 / cols))  # inches a digit: larger when there are few
    mistakes = Figure(figsize=(side * cols, (side + 0.35) * rows + 0.6), layout="constrained")
    mistakes.suptitle(f"{np.sum(pred != true)} of {len(true)} test digits misread\n"
                      "(true -> predicted)")
    for k, i in enumerate(wrong):
        ax = mistakes.add_subplot(rows, cols, k + 1)
        ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"{true[i]} -> {pred[i]}", fontsize=12, color="firebrick")
        ax.axis("off")
    if len(wrong) == 0:
        mistakes.text(0.5, 0.5, "No mistakes!", ha="center", fontsize=14)
    mistakes.savefig(folder / "day7_mistakes.png")

    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (true, pred), 1)  # row: the true digit, column: the predicted one
    right = np.eye(10, dtype=bool)  # the diagonal: the digits read right
    confusion = Figure(figsize=(6.5, 6.3), layout="constrained")
    ax = confusion.add_subplot()
    for cells, colours in ((right, "Greens"), (~right & (counts > 0), "Reds")):
        top = max(counts[cells].max(initial=0), 1)  # each its own scale: mistakes stay visible
        ax.imshow(np.ma.masked_where(~cells, counts), cmap=colours, vmin=-top / 3, vmax=top)
        for t, p in zip(*np.nonzero(cells)):
            ax.text(p, t, counts[t, p], ha="center", va="center",
                    color="white" if counts[t, p] > 0.6 * top else "black")
    ax.set(title=f"Confusion matrix: {np.mean(pred == true):.2%} of the test digits right\n"
                 "green: read right, red: mistakes", xlabel="predicted digit",
           ylabel="true digit", xticks=range(10), yticks=range(10))
    ax.set_xticks(np.arange(11) - 0.5, minor=True)  # thin lines between the cells
    ax.set_yticks(np.arange(11) - 0.5, minor=True)
    ax.grid(which="minor", color="lightgray")
    ax.tick_params(which="minor", length=0)
    confusion.savefig(folder / "day7_confusion.png")
    print(f"Saved the pictures day7_loss.png, day7_mistakes.png, day7_confusion.png in {folder}/")
    return loss, mistakes, confusion


if __name__ == "__main__":
    trained = main()
    if trained is None:
        raise SystemExit("main() returned None: return model, losses to save the pictures.")
    save_pictures(*trained)
