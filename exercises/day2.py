"""Day 2: The forward pass.

Goal: scale from one neuron to a whole layer with linear algebra instead of
slow Python loops.

Concepts:
    - Vectorization: replace for loops with one matrix multiplication.
    - Shapes: if the input X is (batch_size, input_features) and the weights W
      are (input_features, hidden_neurons), then X @ W is
      (batch_size, hidden_neurons).
    - The layer equation: Z = X . W + B, where B is broadcast over the rows.

Tasks:
    Task 2.1 init_layer      random weights with np.random.randn, zero biases
    Task 2.2 random_batch    a dummy input batch (3 samples, 4 features)
    Task 2.3 layer_forward   Z = X @ W + B for the whole batch at once
    Task 2.4 output_shape    predict the shape of Z before computing it

Reading:
    Neural Networks and Deep Learning, Ch 1 (section "The architecture of
    neural networks"): http://neuralnetworksanddeeplearning.com/chap1.html
    Video: 3Blue1Brown, "But what is a Neural Network?":
    https://www.youtube.com/watch?v=aircAruvnKk

Grade it: make grade DAY=2
"""

import numpy as np


def init_layer(n_inputs, n_neurons, rng=None):
    """Create the parameters of one fully connected layer: random W, zero B.

    W is drawn from the standard normal: rng.standard_normal when rng (a
    np.random.Generator) is given, np.random.randn otherwise.

    Shapes:
        n_inputs: int, D (features going in)
        n_neurons: int, H (neurons in the layer)
        returns (W, B): W (D, H) standard normal, B (1, H) zeros
    """
    # TODO(2.1): draw W from the standard normal with the generator named above; B starts at zero
    raise NotImplementedError("TODO(2.1): init_layer")


def random_batch(batch_size=3, n_features=4, rng=None):
    """Return a dummy input batch of standard-normal values, one sample per row.

    Drawn with rng.standard_normal when rng is given, np.random.randn otherwise.

    Shapes:
        batch_size: int, N
        n_features: int, D
        returns X: (N, D)
    """
    # TODO(2.2): same random source rule as init_layer; one row per sample
    raise NotImplementedError("TODO(2.2): random_batch")


def layer_forward(X, W, B):
    """Compute the layer's pre-activations Z = X @ W + B for the whole batch.

    Vectorized: one matrix product, no Python loop over samples or neurons.

    Shapes:
        X: (N, D) inputs, one sample per row
        W: (D, H) weights
        B: (1, H) biases, broadcast over the N rows
        returns Z: (N, H)
    """
    # TODO(2.3): one matrix product covers every sample and neuron; B broadcasts over the rows
    raise NotImplementedError("TODO(2.3): layer_forward")


def output_shape(x_shape, w_shape):
    """Return the shape of X @ W + B from the shapes of X and W alone.

    Raises ValueError when the inner dimensions differ (X has D columns but W
    has a different number of rows).

    Shapes:
        x_shape: tuple (N, D)
        w_shape: tuple (D, H)
        returns: tuple (N, H)
    """
    # TODO(2.4): check that the inner dimensions agree; the result keeps X's rows and W's columns
    raise NotImplementedError("TODO(2.4): output_shape")
