"""Valid alternative: loops for one_hot, a hand-made stratified split (no train_test_split), a while loop in train."""

import math

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split  # noqa: F401 (not needed here)

from day3 import cross_entropy
from day6 import NeuralNetwork


def one_hot(labels, num_classes=10):
    """One row per label, filled in a loop."""
    Y = np.zeros((len(labels), num_classes), dtype=np.float64)
    for row, label in enumerate(labels):
        Y[row, int(label)] = 1.0
    return Y


def load_data(test_size=0.2, seed=42):
    """Shuffle each class on its own and cut off its share (largest remainders) for the test part."""
    digits = load_digits()
    X, labels = digits.data / 16, digits.target
    n = len(labels)
    n_test = math.ceil(test_size * n)
    classes, counts = np.unique(labels, return_counts=True)
    quotas = n_test * counts / n
    take = np.floor(quotas).astype(int)
    for c in np.argsort(-(quotas - take), kind="stable")[: n_test - take.sum()]:
        take[c] += 1
    rng = np.random.default_rng(seed)
    test_rows, train_rows = [], []
    for c, k in zip(classes, take):
        rows = rng.permutation(np.flatnonzero(labels == c))
        test_rows.extend(rows[:k])
        train_rows.extend(rows[k:])
    train_rows, test_rows = rng.permutation(train_rows), rng.permutation(test_rows)
    Y = one_hot(labels)
    return X[train_rows], X[test_rows], Y[train_rows], Y[test_rows]


def train(model, X, y, epochs=1000, learning_rate=0.8, print_every=100):
    """Full-batch gradient descent written as a while loop."""
    losses = []
    epoch = 0
    while epoch < epochs:
        epoch += 1
        probs = model.forward(X)
        losses.append(cross_entropy(probs, y))
        model.backward(X, y, learning_rate)
        if epoch % print_every == 0:
            print("Epoch " + str(epoch) + ": loss " + format(losses[-1], ".4f"))
    return losses


def accuracy(model, X, y):
    """Count the right rows one by one."""
    predicted = model.forward(X).argmax(axis=1)
    labels = [int(np.argmax(row)) for row in y] if np.ndim(y) == 2 else [int(v) for v in y]
    right = sum(1 for p, t in zip(predicted, labels) if p == t)
    return right / len(labels)


def main():
    """Load, train, print the accuracy as a percentage."""
    np.random.seed(7)
    X_train, X_test, y_train, y_test = load_data(test_size=0.2, seed=0)
    model = NeuralNetwork(64, 48, 10)
    train(model, X_train, y_train)
    print("Test accuracy:", round(100 * accuracy(model, X_test, y_test), 2), "%")


if __name__ == "__main__":
    main()
