"""Day 6: Project part I - building the engine.

Goal: assemble the pieces of days 2-5 into a clean, reusable class: a two-layer
network (ReLU hidden layer, softmax output) that can run forward and learn backward.

Concepts:
    - Object-oriented design: the parameters W1, b1, W2, b2 live inside the class.
    - Forward/backward API: forward computes the output and caches what backward
      needs; backward turns the loss gradient into parameter updates. Every deep
      learning layer has this interface.

Tasks:
    Task 6.1 __init__   He initialization of W1, b1, W2, b2
    Task 6.2 forward    X -> relu -> softmax, caching intermediate values
    Task 6.3 backward   gradients of the mean cross-entropy, then the SGD update

Reading:
    CS231n Python Numpy Tutorial: https://cs231n.github.io/python-numpy-tutorial/

Grade it: make grade DAY=6
"""

import numpy as np

from day3 import relu, softmax


class NeuralNetwork:
    """A two-layer network: X -> (W1, b1) -> ReLU -> (W2, b2) -> softmax.

    The shape of the class (from the curriculum):

        class NeuralNetwork:
            def __init__(self, input_size, hidden_size, output_size):
                # Initialize weights with He Initialization
                self.W1 = ...   # (D, H)
                self.b1 = ...   # (1, H)
                self.W2 = ...   # (H, C)
                self.b2 = ...   # (1, C)

            def forward(self, X):
                # Implement Forward Pass & Store values (cache) for backprop

            def backward(self, X, y, learning_rate):
                # Implement Backward Pass & Update Weights

    Attributes:
        W1: (D, H) first-layer weights, b1: (1, H) first-layer biases
        W2: (H, C) second-layer weights, b2: (1, C) second-layer biases
    with D = input_size, H = hidden_size, C = output_size (the number of classes).
    """

    def __init__(self, input_size, hidden_size, output_size):
        """Create the parameters with He initialization.

        W1 and W2 are drawn with np.random.randn (W1 first, then W2) and scaled by
        sqrt(2 / fan_in), where fan_in is the number of inputs of the layer; the
        biases start at zero.

        Shapes:
            input_size: D, hidden_size: H, output_size: C (ints)
            sets W1: (D, H), b1: (1, H), W2: (H, C), b2: (1, C)
        """
        self.W1 = np.random.randn(input_size, hidden_size) * np.sqrt(2 / input_size)
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = np.random.randn(hidden_size, output_size) * np.sqrt(2 / hidden_size)
        self.b2 = np.zeros((1, output_size))

    def forward(self, X):
        """Return the class probabilities softmax(relu(X @ W1 + b1) @ W2 + b2).

        Also caches the intermediate values that backward needs.

        Shapes:
            X: (N, D)
            returns probs: (N, C), each row sums to 1
        """
        self.Z1 = X @ self.W1 + self.b1
        self.A1 = relu(self.Z1)
        self.probs = softmax(self.A1 @ self.W2 + self.b2)
        return self.probs

    def backward(self, X, y, learning_rate):
        """Backpropagate the mean cross-entropy of the last forward(X) and update the parameters.

        All four gradients are computed first, then every parameter p takes the step
        p <- p - learning_rate * dp.

        Shapes:
            X: (N, D), the batch given to the last forward
            y: (N, C) one-hot targets
            learning_rate: float
            computes dW1: (D, H), db1: (1, H), dW2: (H, C), db2: (1, C)
        """
        N = X.shape[0]
        # Softmax followed by cross-entropy has the simple gradient probs - y;
        # dividing by N because the loss is the mean over the batch.
        dZ2 = (self.probs - y) / N
        dW2 = self.A1.T @ dZ2
        db2 = dZ2.sum(axis=0, keepdims=True)
        dZ1 = (dZ2 @ self.W2.T) * (self.Z1 > 0)
        dW1 = X.T @ dZ1
        db1 = dZ1.sum(axis=0, keepdims=True)

        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
