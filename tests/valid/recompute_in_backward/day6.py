"""Valid alternative: np.random.normal init drawing W2 first, cs231n-style label indexing, backward recomputes the forward pass, returns the loss."""

import numpy as np

from day3 import relu, softmax


class NeuralNetwork:
    """Two-layer ReLU/softmax network; parameters in a dict, exposed as attributes."""

    def __init__(self, input_size, hidden_size, output_size):
        """He initialization with np.random.normal (W2 drawn before W1)."""
        W2 = np.random.normal(0.0, np.sqrt(2 / hidden_size), (hidden_size, output_size))
        W1 = np.random.normal(0.0, np.sqrt(2 / input_size), (input_size, hidden_size))
        self.W1, self.b1 = W1, np.zeros((1, hidden_size))
        self.W2, self.b2 = W2, np.zeros((1, output_size))

    def _layers(self, X):
        hidden = relu(X.dot(self.W1) + self.b1)
        return hidden, softmax(hidden.dot(self.W2) + self.b2)

    def forward(self, X):
        """Output probabilities; nothing needs caching since backward recomputes."""
        return self._layers(X)[1]

    def backward(self, X, y, learning_rate):
        """Recompute the forward pass, backpropagate, update; return the loss before the step."""
        hidden, probs = self._layers(X)
        n = len(X)
        labels = np.argmax(y, axis=1)
        loss = -np.mean(np.log(probs[np.arange(n), labels]))
        d_scores = probs.copy()
        d_scores[np.arange(n), labels] -= 1
        d_scores /= n
        grads = {"W2": hidden.T.dot(d_scores), "b2": d_scores.sum(axis=0, keepdims=True)}
        d_hidden = d_scores.dot(self.W2.T)
        d_hidden[hidden <= 0] = 0
        grads["W1"] = X.T.dot(d_hidden)
        grads["b1"] = d_hidden.sum(axis=0, keepdims=True)
        for name in ("W1", "b1", "W2", "b2"):
            setattr(self, name, getattr(self, name) - learning_rate * grads[name])
        return loss
