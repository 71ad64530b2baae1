"""Pictures of a training run, saved as PNG files; no display needed (matplotlib's Agg canvas)."""
from pathlib import Path

import numpy as np

# The pictures each day saves, in the reports folder.
NAMES = {5: ("day5_learning_rates.png",),
         7: ("day7_loss.png", "day7_mistakes.png", "day7_confusion.png")}


def figure(width, height):
    """A matplotlib Figure that is not tied to any window (no pyplot)."""
    from matplotlib.figure import Figure  # here, so importing this module stays light
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def save(fig, path):
    """Write fig to path (creating its folder); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def loss_curve(losses, path, every=100):
    """The loss of every epoch, with the printed checkpoints (every 100 epochs) marked."""
    losses = np.asarray(losses, dtype=float)
    epochs = np.arange(1, len(losses) + 1)
    fig = figure(8, 4.5)
    ax = fig.add_subplot()
    ax.plot(epochs, losses, label="loss of each epoch")
    marks = epochs[every - 1::every]
    ax.plot(marks, losses[marks - 1], "o", label=f"printed every {every} epochs")
    for epoch in marks[[0, -1]] if len(marks) else []:
        ax.annotate(f"{losses[epoch - 1]:.4f}", (epoch, losses[epoch - 1]),
                    textcoords="offset points", xytext=(0, 8), ha="center")
    ax.set(title="Training loss (it must go down)", xlabel="epoch",
           ylabel="cross-entropy loss on the training set")
    ax.grid(alpha=0.3)
    ax.legend()
    return save(fig, path)


def mistakes(images, true, pred, path, limit=32):
    """A grid of the misclassified digits (8x8 images), each titled with true and predicted."""
    images, true, pred = np.asarray(images, float), np.asarray(true), np.asarray(pred)
    wrong = np.flatnonzero(true != pred)
    shown = wrong[:limit]
    cols = 8
    rows = max(1, -(-len(shown) // cols))
    fig = figure(1.3 * cols, max(3, 1.5 * rows + 0.6))
    fig.suptitle(f"{len(wrong)} of {len(true)} test digits misread"
                 + (f" (the first {len(shown)})" if len(shown) < len(wrong) else "")
                 + ": true -> predicted")
    for k, i in enumerate(shown):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.imshow(images[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=images.max() or 1)
        ax.set_title(f"{true[i]} -> {pred[i]}", fontsize=11, color="firebrick")
        ax.axis("off")
    if not len(shown):
        fig.text(0.5, 0.4, "No mistakes: every test digit was read right.", ha="center")
    return save(fig, path)


def confusion(true, pred, path, classes=10):
    """The confusion matrix: how often each true digit (row) was read as each digit (column)."""
    true, pred = np.asarray(true), np.asarray(pred)
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (true, pred), 1)
    fig = figure(6.5, 6)
    ax = fig.add_subplot()
    ax.imshow(counts, cmap="Blues")
    for (t, p), n in np.ndenumerate(counts):
        if n:
            ax.text(p, t, n, ha="center", va="center",
                    color="white" if n > counts.max() / 2 else "black")
    ax.set(title=f"Confusion matrix: {np.mean(true == pred):.1%} of the test digits right",
           xlabel="predicted digit", ylabel="true digit",
           xticks=range(classes), yticks=range(classes))
    return save(fig, path)


def learning_rates(runs, path):
    """One panel per learning rate ({rate: iterates}): w at each step of gradient descent."""
    fig = figure(4.5 * len(runs), 4.2)
    fig.suptitle("Gradient descent on f(w) = w²")
    for k, (rate, iterates) in enumerate(runs.items()):
        w = np.array([np.ravel(v)[0] for v in iterates], dtype=float)
        ax = fig.add_subplot(1, len(runs), k + 1)
        verdict = "converges" if abs(w[-1]) < abs(w[0]) else "diverges"
        if np.max(np.abs(w)) > 1e3:  # too big for a plain axis: the size of w, log scale
            ax.semilogy(range(len(w)), np.abs(w), "o-", color="firebrick")
            ax.set_ylabel("|w| (log scale)")
        else:
            ax.plot(range(len(w)), w, "o-")
            ax.axhline(0, color="gray", lw=0.8)
            ax.set_ylabel("w")
        ax.set(title=f"learning rate {rate}: {verdict}", xlabel="step")
        ax.grid(alpha=0.3)
    return save(fig, path)


def day7(losses, images, true, pred, folder):
    """The three Day 7 pictures in folder; labels may be integers or one-hot rows."""
    true, pred = (np.asarray(v) for v in (true, pred))
    true, pred = (v.argmax(axis=1) if v.ndim == 2 else v for v in (true, pred))
    loss, wrong, matrix = (Path(folder) / name for name in NAMES[7])
    return [loss_curve(losses, loss), mistakes(images, true, pred, wrong),
            confusion(true, pred, matrix)]


def saved(day, folder, since=0.0):
    """The pictures of `day` in folder written at or after the time `since`."""
    paths = [Path(folder) / name for name in NAMES.get(day, ())]
    return [p for p in paths if p.is_file() and p.stat().st_mtime >= since]
