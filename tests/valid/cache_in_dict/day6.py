"""Valid alternative: caches in a dict self.cache, adds predict/loss helpers, updates by rebinding."""

import numpy as np

from day3 import relu, softmax


class NeuralNetwork:
    """Two-layer ReLU/softmax network; parameters W1 (D, H), b1 (1, H), W2 (H, C), b2 (1, C)."""

    def __init__(self, input_size, hidden_size, output_size):
        """He initialization: randn scaled by sqrt(2 / fan_in), zero biases."""
        scale1 = np.sqrt(2.0 / input_size)
        scale2 = np.sqrt(2.0 / hidden_size)
        self.W1 = scale1 * np.random.randn(input_size, hidden_size)
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = scale2 * np.random.randn(hidden_size, output_size)
        self.b2 = np.zeros((1, output_size))
        self.cache = {}

    def forward(self, X):
        """Return softmax(relu(X @ W1 + b1) @ W2 + b2), remembering the hidden activations."""
        hidden = relu(np.dot(X, self.W1) + self.b1)
        out = softmax(np.dot(hidden, self.W2) + self.b2)
        self.cache = {"X": X, "hidden": hidden, "out": out}
        return out

    def predict(self, X):
        """Most probable class of each row."""
        return self.forward(X).argmax(axis=1)

    def loss(self, X, y):
        """Mean cross-entropy against one-hot y."""
        probs = np.clip(self.forward(X), 1e-12, 1.0)
        return float(-np.mean(np.sum(y * np.log(probs), axis=1)))

    def backward(self, X, y, learning_rate):
        """Gradients of the mean cross-entropy, then one SGD step (new arrays, not in place)."""
        hidden, out = self.cache["hidden"], self.cache["out"]
        batch = len(X)
        grad_logits = (out - y) / batch
        grads = {
            "W2": hidden.T @ grad_logits,
            "b2": np.sum(grad_logits, axis=0, keepdims=True),
        }
        # relu(z) > 0 exactly where z > 0, so the mask can come from the activations.
        grad_hidden = np.where(hidden > 0, grad_logits @ self.W2.T, 0.0)
        grads["W1"] = X.T @ grad_hidden
        grads["b1"] = np.sum(grad_hidden, axis=0, keepdims=True)
        for name, grad in grads.items():
            setattr(self, name, getattr(self, name) - learning_rate * grad)
