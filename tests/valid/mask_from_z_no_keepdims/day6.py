"""Valid alternative: own stable softmax, mask Z1 >= 0, bias gradients without keepdims, einsum, rebinding updates."""

import numpy as np


class NeuralNetwork:
    """Two-layer ReLU/softmax network."""

    def __init__(self, input_size, hidden_size, output_size):
        """He initialization: randn divided by sqrt(fan_in / 2)."""
        self.W1 = np.random.randn(input_size, hidden_size) / np.sqrt(input_size / 2.0)
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = np.random.randn(hidden_size, output_size) / np.sqrt(hidden_size / 2.0)
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        """Probabilities by a log-sum-exp softmax; caches Z1, H and P."""
        self.Z1 = np.einsum("nd,dh->nh", X, self.W1) + self.b1
        self.H = np.where(self.Z1 > 0, self.Z1, 0.0)
        logits = np.einsum("nh,hc->nc", self.H, self.W2) + self.b2
        m = logits.max(axis=1, keepdims=True)
        log_norm = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
        self.P = np.exp(logits - log_norm)
        return self.P

    def backward(self, X, y, learning_rate):
        """Gradients first (bias sums keep no axis), then p = p - lr * dp."""
        n = X.shape[0]
        d_logits = (self.P - y) / n
        dW2 = np.einsum("nh,nc->hc", self.H, d_logits)
        db2 = np.sum(d_logits, axis=0)
        d_hidden = np.einsum("nc,hc->nh", d_logits, self.W2) * (self.Z1 >= 0)
        dW1 = np.einsum("nd,nh->dh", X, d_hidden)
        db1 = np.sum(d_hidden, axis=0)
        self.W1 = self.W1 - learning_rate * dW1
        self.b1 = self.b1 - learning_rate * db1
        self.W2 = self.W2 - learning_rate * dW2
        self.b2 = self.b2 - learning_rate * db2
