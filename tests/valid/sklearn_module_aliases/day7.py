"""Valid alternative: `import sklearn.datasets as ds` and `import sklearn.model_selection as ms`, the modules imported under short names."""

import numpy as np
import sklearn.datasets as ds
import sklearn.model_selection as ms

from day3 import cross_entropy
from day6 import NeuralNetwork


def one_hot(labels, num_classes=10):
    """A (N, num_classes) float matrix with a single 1.0 per row."""
    labels = np.asarray(labels)
    Y = np.zeros((labels.shape[0], num_classes))
    for row, label in enumerate(labels):
        Y[row, label] = 1.0
    return Y


def load_data(test_size=0.2, seed=42):
    """ds.load_digits, pixels / 16, one-hot labels, ms.train_test_split stratified."""
    X, labels = ds.load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = ms.train_test_split(
        X / 16.0, one_hot(labels), test_size=test_size, random_state=seed, stratify=labels)
    return X_train, X_test, y_train, y_test


def train(model, X, y, epochs=1000, learning_rate=1.2, print_every=100):
    """The training loop; the loss of every epoch is returned, every 100th printed."""
    losses = []
    for epoch in range(epochs):
        probs = model.forward(X)
        losses.append(cross_entropy(probs, y))
        model.backward(X, y, learning_rate)
        if (epoch + 1) % print_every == 0:
            print(f"Epoch {epoch + 1}: loss {losses[-1]:.4f}")
    return losses


def accuracy(model, X, y):
    """Share of right predictions."""
    y = np.asarray(y)
    labels = y if y.ndim == 1 else y.argmax(axis=1)
    return float(np.mean(model.forward(X).argmax(axis=1) == labels))


def main():
    """Load, train, and print the test accuracy."""
    np.random.seed(3)
    X_train, X_test, y_train, y_test = load_data()
    model = NeuralNetwork(64, 64, 10)
    losses = train(model, X_train, y_train)
    print(f"Test accuracy: {accuracy(model, X_test, y_test) * 100:.1f}%")
    return model, losses


if __name__ == "__main__":
    main()
