"""Day 2 variant: np.random.standard_normal(size=...), einsum forward, shape check by index."""

import numpy as np


def init_layer(n_inputs, n_neurons, rng=None):
    shape = (n_inputs, n_neurons)
    source = np.random if rng is None else rng
    W = source.standard_normal(size=shape)
    return W, np.zeros(shape=(1, n_neurons), dtype=np.float64)


def random_batch(batch_size=3, n_features=4, rng=None):
    source = np.random if rng is None else rng
    return source.standard_normal(size=(batch_size, n_features))


def layer_forward(X, W, B):
    return np.einsum("nd,dh->nh", X, W) + B


def output_shape(x_shape, w_shape):
    if x_shape[-1] != w_shape[0]:
        raise ValueError(
            f"shapes {x_shape} and {w_shape} are not aligned: "
            f"{x_shape[-1]} (dim 1 of X) != {w_shape[0]} (dim 0 of W)"
        )
    return tuple(x_shape[:-1]) + (w_shape[1],)
