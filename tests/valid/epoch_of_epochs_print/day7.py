"""Valid alternative: train prints the Keras-style line "Epoch 100/1000, Loss: 0.5813"."""

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
    labels = np.asarray(labels)
    Y = np.zeros((len(labels), num_classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def load_data(test_size=0.2, seed=42):
    """Load the digits, scale them to [0, 1], one-hot encode the labels and split.

    The split is stratified by label (every digit keeps its share in both parts) and
    reproducible: seed is the random_state of train_test_split.

    Shapes:
        returns X_train: (N_train, 64), X_test: (N_test, 64),
                y_train: (N_train, 10), y_test: (N_test, 10)
        with N_test = test_size * 1797, rounded up
    """
    digits = load_digits()
    X = digits.data / 16.0  # pixel intensities are 0..16
    y = one_hot(digits.target)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=digits.target
    )
    return X_train, X_test, y_train, y_test


def train(model, X, y, epochs=1000, learning_rate=1.5, print_every=100):
    """Train model on (X, y) for `epochs` epochs: forward -> loss -> backward.

    Prints "Epoch {epoch}/{epochs}, Loss: {loss:.4f}" every print_every epochs (epochs are
    counted from 1) so you can watch the loss go down.

    Shapes:
        model: a NeuralNetwork with D inputs and C outputs
        X: (N, D) inputs
        y: (N, C) one-hot targets
        learning_rate: float, the step size (the default is yours to tune)
        returns losses: list of `epochs` floats, the loss of each epoch
    """
    losses = []
    for epoch in range(1, epochs + 1):
        probs = model.forward(X)
        loss = cross_entropy(probs, y)
        model.backward(X, y, learning_rate)
        losses.append(float(loss))
        if epoch % print_every == 0:
            print(f"Epoch {epoch}/{epochs}, Loss: {loss:.4f}")
    return losses


def accuracy(model, X, y):
    """Return the fraction of rows of X whose most probable class is the true label.

    Shapes:
        X: (N, D) inputs
        y: (N, C) one-hot targets, or (N,) integer labels
        returns accuracy: float in [0, 1]
    """
    predictions = np.argmax(model.forward(X), axis=1)
    y = np.asarray(y)
    labels = np.argmax(y, axis=1) if y.ndim == 2 else y
    return float(np.mean(predictions == labels))


def main():
    """Train NeuralNetwork(64, 64, 10) on the digits for 1000 epochs; print the test accuracy.

    The loss is printed every 100 epochs; the last line reads e.g. "Test accuracy: 97.50%".
    Returns (model, losses): the trained network and the losses that train returned
    (python day7.py draws its pictures from them).
    """
    np.random.seed(0)
    X_train, X_test, y_train, y_test = load_data()
    model = NeuralNetwork(64, 64, 10)
    losses = train(model, X_train, y_train)
    print(f"Test accuracy: {accuracy(model, X_test, y_test):.2%}")
    return model, losses


if __name__ == "__main__":
    main()
