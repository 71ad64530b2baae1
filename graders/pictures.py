"""The pictures of the grader's Day 7 training run, saved as PNG files in OUT/grader/: never
beside the learner's own pictures (`python day7.py` saves its own run's in reports/). No
display needed: the figures are matplotlib Figures on the Agg canvas, never pyplot windows."""
import textwrap
from pathlib import Path

import numpy as np

FOLDER = "grader"  # inside the reports folder
NAMES = ("day7_loss.png", "day7_mistakes.png", "day7_confusion.png")
WHOSE = "the grader's training run"


def folder(out):
    """Where the grader's pictures go for the reports folder `out`: OUT/grader."""
    return Path(out) / FOLDER


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


def loss_figure(losses, accuracy, every=100):
    """The loss of every epoch on a log axis (its slow end stays readable), the printed
    checkpoints marked, and the test accuracy in the title."""
    losses = np.asarray(losses, dtype=float).ravel()
    epochs = np.arange(1, len(losses) + 1)
    fig = figure(8, 4.5)
    ax = fig.add_subplot()
    ax.plot(epochs, losses, label="loss of each epoch")
    marks = epochs[every - 1::every]
    ax.plot(marks, losses[marks - 1], "o", label=f"printed every {every} epochs")
    for epoch in marks[[0, -1]] if len(marks) else []:
        ax.annotate(f"{losses[epoch - 1]:.4f}", (epoch, losses[epoch - 1]),
                    textcoords="offset points", xytext=(0, 8), ha="center")
    if np.any(np.isfinite(losses) & (losses > 0)):  # a log axis needs a positive value
        ax.set_yscale("log", nonpositive="mask")
    ax.set(title=f"Training loss of {WHOSE}: test accuracy {accuracy:.1%}", xlabel="epoch",
           ylabel="cross-entropy loss (log scale)")
    ax.grid(which="both", alpha=0.3)
    ax.legend()
    return fig


def mistakes_figure(images, true, pred, limit=32):
    """A grid of the misread digits (8x8 images), each titled true -> predicted; the canvas
    is sized to the grid (about twice as wide as tall, at most 8 a row, rows filled evenly,
    larger squares when there are few)."""
    images, true, pred = np.asarray(images, float), np.asarray(true), np.asarray(pred)
    wrong = np.flatnonzero(true != pred)
    shown = wrong[:limit]
    title = (f"{WHOSE.capitalize()} misread {len(wrong)} of {len(true)} test digits"
             + (f"; the first {len(shown)}" if len(shown) < len(wrong) else "")
             + " (true\u00a0->\u00a0predicted)")
    if not len(shown):
        fig = figure(7, 3)
        fig.text(0.5, 0.5, f"{WHOSE.capitalize()} read all {len(true)} test digits right:\n"
                 "no mistakes to show.", ha="center", va="center", fontsize=14)
        return fig
    cols = min(8, int(np.ceil(np.sqrt(2 * len(shown)))))  # about twice as wide as tall
    rows = -(-len(shown) // cols)
    cols = -(-len(shown) // rows)  # the rows filled evenly
    side = min(3, max(1.25, 7.5 / cols))  # inches a digit: the grid spans at least 7.5
    fig = figure(side * cols, (side + 0.35) * rows + 0.3 + 0.25 * (cols < 3))
    fig.suptitle(textwrap.fill(title, int(10 * side * cols)))
    grid = fig.subplots(rows, cols, squeeze=False)
    for ax in grid.flat:
        ax.axis("off")
    for ax, i in zip(grid.flat, shown):
        ax.imshow(images[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=images.max() or 1)
        ax.set_title(f"{true[i]} -> {pred[i]}", fontsize=12, color="firebrick")
    return fig


def confusion_figure(true, pred, classes=10):
    """The confusion matrix (row: the true digit, column: the digit read), every count written
    in its cell; the right answers (the diagonal) in green and the mistakes in red, each on
    its own colour scale, so a few mistakes stand out beside the many right answers."""
    true, pred = np.asarray(true), np.asarray(pred)
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (true, pred), 1)
    right = np.eye(classes, dtype=bool)
    fig = figure(6.5, 6.3)
    ax = fig.add_subplot()
    for cells, cmap in ((right, "Greens"), (~right & (counts > 0), "Reds")):
        top = max(counts[cells].max(initial=0), 1)
        ax.imshow(np.ma.masked_where(~cells, counts), cmap=cmap, vmin=-top / 3, vmax=top)
        for t, p in zip(*np.nonzero(cells)):
            ax.text(p, t, counts[t, p], ha="center", va="center", fontsize=11,
                    color="white" if counts[t, p] > 0.6 * top else "black")
    ax.set_xticks(np.arange(classes + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(classes + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="lightgray", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set(title=f"Confusion matrix of {WHOSE}: {np.sum(right * counts)} of {len(true)} "
                 f"right ({np.mean(true == pred):.1%})\ngreen: read right, red: mistakes",
           xlabel="digit read by the network", ylabel="true digit",
           xticks=range(classes), yticks=range(classes))
    return fig


def day7(losses, images, true, pred, out):
    """The three Day 7 pictures in OUT/grader/ (labels: integers or one-hot rows); the paths
    written. A picture that cannot be drawn (e.g. losses that are not numbers) is skipped:
    pictures help, they never change the grade."""
    true, pred = (np.asarray(v) for v in (true, pred))
    true, pred = (v.argmax(axis=1) if v.ndim == 2 else v for v in (true, pred))
    draw = (lambda: loss_figure(losses, np.mean(true == pred)),
            lambda: mistakes_figure(images, true, pred), lambda: confusion_figure(true, pred))
    paths = []
    for name, make in zip(NAMES, draw):
        try:
            paths.append(save(make(), folder(out) / name))
        except (TypeError, ValueError):
            pass
    return paths


def saved(day, out, since=0.0):
    """The grader's pictures of `day` in the reports folder `out` written at or after `since`."""
    paths = [folder(out) / name for name in (NAMES if day == 7 else ())]
    return [p for p in paths if p.is_file() and p.stat().st_mtime >= since]
