"""Day 5: The optimizer (stochastic gradient descent).

Goal: use the gradients from Day 4 to actually update the weights.

Concepts:
    - Weight update rule: W_new = W_old - learning_rate * gradient.
    - Learning rate (alpha): the step size. Too big and the values diverge;
      too small and learning is slow.
    - Batch vs. mini-batch vs. SGD: how many samples each update looks at,
      the trade-off between speed and stability.

Tasks:
    Task 5.1 sgd_step           one update of W
    Task 5.2 sgd_steps          a 10-step loop with a fixed gradient
    Task 5.3 gradient_descent   the learning-rate experiment on f(w) = w^2
    Task 5.4 minibatches        split a dataset into (shuffled) mini-batches

Reading:
    Neural Networks and Deep Learning, Ch 2 (scan the section on SGD):
    http://neuralnetworksanddeeplearning.com/chap2.html

Grade it: make grade DAY=5
"""

import numpy as np


def sgd_step(W, dW, learning_rate):
    """Return the weights after one gradient-descent step: W - learning_rate * dW.

    Neither W nor dW is modified; the result is a new array.

    Shapes:
        W: (D, H) weights (any shape works)
        dW: (D, H) gradient of the loss with respect to W
        learning_rate: float
        returns W_new: (D, H)
    """
    return W - learning_rate * dW


def sgd_steps(W, dW, learning_rate=0.1, steps=10):
    """Apply `steps` SGD updates with the gradient dW held fixed; return every W seen.

    Shapes:
        W: (D, H) starting weights (not modified)
        dW: (D, H) gradient, the same at every step
        returns history: list of steps + 1 arrays, each (D, H):
            W before any step, then W after each step
    """
    history = [np.array(W, dtype=float)]
    for _ in range(steps):
        history.append(sgd_step(history[-1], dW, learning_rate))
    return history


def gradient_descent(grad_fn, w0, learning_rate, steps):
    """Run w <- w - learning_rate * grad_fn(w) from w0; return every iterate.

    The learning-rate experiment: on f(w) = w^2 (grad_fn = lambda w: 2 * w) the
    iterates converge to 0 at learning_rate=0.1 and blow up at learning_rate=100.

    Shapes:
        grad_fn: callable, w -> gradient of f at w, shaped like w
        w0: float or (D,) array, the starting point
        returns iterates: list of steps + 1 values shaped like w0: w0, then w after each step
    """
    iterates = [w0]
    for _ in range(steps):
        w = iterates[-1]
        iterates.append(w - learning_rate * grad_fn(w))
    return iterates


def minibatches(X, y, batch_size, shuffle=True, rng=None):
    """Yield aligned (X_batch, y_batch) pairs that cover every sample exactly once.

    Every batch has batch_size rows except possibly the last, which holds the rest.
    With shuffle=False the rows keep their order; with shuffle=True their order is a
    random permutation drawn from rng (a np.random.Generator), or from np.random
    when rng is None.

    Shapes:
        X: (N, D) inputs
        y: (N, C) one-hot targets, or (N,) integer labels
        yields X_batch: (B, D) and y_batch: (B, C) or (B,), with B <= batch_size
    """
    n = len(X)
    if not shuffle:
        order = np.arange(n)
    elif rng is None:
        order = np.random.permutation(n)
    else:
        order = rng.permutation(n)
    for start in range(0, n, batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]


def save_learning_rates(runs, path="reports/day5_learning_rates.png"):
    """Save the learning-rate experiment as a PNG, one panel per rate (given code, not a TODO).

    runs: {learning_rate: the list of iterates that gradient_descent returned}
    Returns the matplotlib Figure it saved.
    """
    from pathlib import Path

    from matplotlib.figure import Figure  # no pyplot: no window, works without a display

    fig = Figure(figsize=(4.5 * len(runs), 4.4), layout="constrained")
    fig.suptitle("Gradient descent on f(w) = w²: w after each step (red: w < 0)")
    for k, (learning_rate, iterates) in enumerate(runs.items()):
        w = np.array(iterates, dtype=float)
        ax = fig.add_subplot(1, len(runs), k + 1)
        ax.axhline(0, color="gray", linewidth=0.8)  # where f is smallest
        ax.plot(w, "-", color="lightgray")
        ax.scatter(np.arange(len(w)), w, c=np.where(w < 0, "firebrick", "tab:blue"), zorder=3)
        verdict = "converges to 0" if abs(w[-1]) < abs(w[0]) else "diverges"
        if np.max(np.abs(w)) > 1e3:  # too big for a plain axis: a log scale on both sides of 0
            ax.set_yscale("symlog", linthresh=1)  # keeps the sign: w jumps across 0 each step
            powers = np.arange(3, np.log10(np.max(np.abs(w))) + 1, 6)  # 10^3, 10^9, ...
            ax.set_yticks(np.concatenate([-(10.0 ** powers[::-1]), [0], 10.0 ** powers]))
            ax.set_ylabel("w (log scale on both sides of 0)")
            verdict += ":\nw changes sign at every step and grows"
        else:
            ax.set_ylabel("w")
        ax.set(title=f"learning rate {learning_rate}: {verdict}", xlabel="step")
        ax.grid(alpha=0.3)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    print(f"Saved the picture {path}")
    return fig


if __name__ == "__main__":
    # Tasks 1-2: a dummy W and dW, and 10 updates at learning rate 0.1.
    rng = np.random.default_rng(0)
    W = rng.standard_normal((2, 3))
    dW = rng.standard_normal((2, 3))
    for step, W_step in enumerate(sgd_steps(W, dW, learning_rate=0.1, steps=10)):
        print(f"step {step:2d}: W[0] = {np.round(W_step[0], 3)}")

    # Task 3: the learning-rate experiment on f(w) = w^2, whose gradient is 2 * w.
    runs = {}
    for learning_rate in (0.1, 100):
        iterates = gradient_descent(lambda w: 2 * w, 1.0, learning_rate, steps=10)
        print(f"learning rate {learning_rate}: " + ", ".join(f"{w:.3g}" for w in iterates))
        runs[learning_rate] = iterates
    save_learning_rates(runs)
