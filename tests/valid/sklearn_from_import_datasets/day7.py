"""Valid alternative: `from sklearn import datasets` (as scikit-learn's own docs write it) with datasets.load_digits(), and `from sklearn.model_selection import train_test_split`."""

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

from day3 import cross_entropy
from day6 import NeuralNetwork


def one_hot(labels, num_classes=10):
    """Rows of the identity matrix, one per label."""
    return np.eye(num_classes)[np.asarray(labels, dtype=int)]


def load_data(test_size=0.2, seed=42):
    """The digits from sklearn.datasets, pixels / 16, one-hot labels, stratified split."""
    digits = datasets.load_digits()
    X = digits.data / 16.0
    Y = one_hot(digits.target)
    return tuple(train_test_split(X, Y, test_size=test_size, random_state=seed,
                                  stratify=digits.target))


def train(model, X, y, epochs=1000, learning_rate=1.0, print_every=100):
    """forward -> loss -> backward, every epoch on the whole training set."""
    losses = []
    for epoch in range(1, epochs + 1):
        loss = float(cross_entropy(model.forward(X), y))
        model.backward(X, y, learning_rate)
        losses.append(loss)
        if epoch % print_every == 0:
            print(f"Epoch {epoch}: loss {loss:.4f}")
    return losses


def accuracy(model, X, y):
    """Fraction of rows predicted right (one-hot or integer labels)."""
    labels = np.argmax(y, axis=1) if np.ndim(y) == 2 else np.asarray(y)
    return float(np.mean(np.argmax(model.forward(X), axis=1) == labels))


def main():
    """Load, train for 1000 epochs, print the test accuracy."""
    np.random.seed(1)
    X_train, X_test, y_train, y_test = load_data()
    model = NeuralNetwork(64, 64, 10)
    losses = train(model, X_train, y_train)
    print(f"Test accuracy: {accuracy(model, X_test, y_test):.2%}")
    return model, losses


if __name__ == "__main__":
    main()
