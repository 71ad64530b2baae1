"""Valid alternative: train uses shuffled mini-batches; the epoch loss is the mean of the batch losses."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from day3 import cross_entropy
from day6 import NeuralNetwork


def one_hot(labels, num_classes=10):
    """One-hot rows for integer labels."""
    labels = np.asarray(labels, dtype=int)
    return (labels[:, None] == np.arange(num_classes)).astype(np.float64)


def load_data(test_size=0.2, seed=42):
    """Digits scaled to [0, 1], one-hot targets, stratified split."""
    X, labels = load_digits(return_X_y=True)
    X_train, X_test, l_train, l_test = train_test_split(
        X / 16.0, labels, test_size=test_size, random_state=seed, stratify=labels
    )
    return X_train, X_test, one_hot(l_train), one_hot(l_test)


def train(model, X, y, epochs=1000, learning_rate=0.05, print_every=100, batch_size=128):
    """Mini-batch SGD; returns the per-epoch mean of the batch losses."""
    losses = []
    n = X.shape[0]
    for epoch in range(1, epochs + 1):
        order = np.random.permutation(n)
        batch_losses = []
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            X_batch, y_batch = X[rows], y[rows]
            batch_losses.append(cross_entropy(model.forward(X_batch), y_batch))
            model.backward(X_batch, y_batch, learning_rate)
        losses.append(float(np.mean(batch_losses)))
        if epoch % print_every == 0:
            print(f"Epoch {epoch}: loss {losses[-1]:.4f}")
    return losses


def accuracy(model, X, y):
    """Fraction of correct predictions; y one-hot or integer labels."""
    y = np.asarray(y)
    if y.ndim > 1:
        y = y.argmax(axis=1)
    return float((model.forward(X).argmax(axis=1) == y).mean())


def main():
    """Train and report the test accuracy."""
    np.random.seed(1)
    X_train, X_test, y_train, y_test = load_data()
    model = NeuralNetwork(64, 64, 10)
    train(model, X_train, y_train)
    print("Test accuracy: %.2f%%" % (100 * accuracy(model, X_test, y_test)))


if __name__ == "__main__":
    main()
