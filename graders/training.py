"""The Day 7 training run that several checks share: `NeuralNetwork(64, 64, 10)` trained by the
learner's own `train` with its defaults on the grader's own split, its held-out predictions
(computed by the grader from the trained weights), and `main()`, whose own call of `train` is
answered with that same run (one training serves every check)."""
import functools
import time

import numpy as np

from graders import checks, funcs, limits, pictures
from graders.failures import Failure


class Run:
    """What the training gave: losses, the call's text and output, the held-out scores (from
    the trained weights) and labels, main()'s output; or the failure that stopped it."""

    def __init__(self, labels):
        self.error = self.forward_error = self.main_error = None
        self.labels, self.probs, self.losses, self.initial_loss = labels, None, None, None
        self.text = self.stdout = self.main_stdout = ""

    def ok(self):
        """This run, or the failure of the training raised again (for every check using it)."""
        if self.error is not None:
            raise type(self.error)(str(self.error), self.error.hidden)
        return self

    def predictions(self):
        """The held-out scores (argmax: the predicted digit), or why they cannot be read."""
        self.ok()
        if self.forward_error is not None:
            raise type(self.forward_error)(str(self.forward_error), self.forward_error.hidden)
        return self.probs

    def main_output(self):
        """What main() printed, or its failure raised again."""
        if self.main_error is not None:
            raise type(self.main_error)(str(self.main_error), self.main_error.hidden)
        return self.main_stdout


def learner_scale(door):
    """What the learner's load_data divides the pixels by (16 or 255; 16 when unknown)."""
    door.deadline, door.limit_s = time.monotonic() + limits.CHECK_S, limits.CHECK_S
    try:
        scale = checks.pixel_scale(door.day7.load_data()[0])
    except (Failure, TypeError, IndexError, AttributeError, ValueError):
        return 16
    return scale if scale in checks.PIXEL_SCALES else 16


def train_once(door, seed, out_dir):
    """Train on the grader's stratified split (seeded by `seed`), scaled the way the learner's
    load_data scales; draw the pictures into `out_dir`/grader (None: no pictures); then run
    main().
    Returns the Run."""
    return with_main(door, seed, *gate(door, seed, out_dir))


def gate(door, seed, out_dir):
    """The training itself (main() not run yet): (the Run, the trained weights, or None when
    the run cannot stand in for main()'s call of train)."""
    data, target = checks.digits()
    train, test = checks.stratified_split(target, 0.2, seed)
    scale = learner_scale(door)
    X_train, X_test = data[train] / scale, data[test] / scale
    run = Run(target[test])
    door.deadline, door.limit_s = time.monotonic() + limits.TRAINING_CALL_S, limits.TRAINING_CALL_S
    try:
        door.seed(seed)
        net = door.day6.NeuralNetwork(64, 64, 10)
        Y = np.eye(10)[target[train]]
        run.initial_loss = initial_loss(net, X_train, Y)
        run.losses = door.day7.train(net, X_train, Y)
        run.text, run.stdout = door.last.text, door.last.stdout
    except Failure as exc:
        run.error = exc
    else:
        try:
            run.probs = held_out_scores(net, X_test)
        except Failure as exc:
            run.forward_error = exc
    if run.probs is not None and out_dir:
        try:  # pictures help; they never change the grade
            pictures.day7(run.losses, X_test, run.labels, run.probs.argmax(axis=1), out_dir)
        except Exception:
            pass
    if run.error is None and run.forward_error is None and type(run.losses) is list:
        return run, {name: getattr(net, name) for name in ("W1", "b1", "W2", "b2")}
    return run, None


def with_main(door, seed, run, weights):
    """Run main() (its call of train answered by the gate's run when `weights` are given) and
    keep what it printed in `run`; returns `run`."""
    if weights is not None:
        replay(door, weights, run)
    run_main(door, seed, run)
    return run


def replay(door, weights, run):
    """Let main()'s call of train (the same network, the same defaults) be answered by the run
    the gate just made with the learner's own train: its weights, printed lines and losses.
    One training serves both checks; any other call of train in main() trains for real."""
    try:
        door.stand_in("day7", "train", functools.partial(
            funcs.replay_training, weights=weights, printed=run.stdout, losses=run.losses))
    except Failure:
        pass  # main() then trains for real


def initial_loss(net, X, Y):
    """The grader's mean cross-entropy of the untrained network on the training data (None
    when its weights cannot be read: the Day 6 checks say why)."""
    try:
        z = scores(net, X)
    except Failure:
        return None
    z = z - z.max(axis=1, keepdims=True)
    return float(-np.mean(np.sum(Y * (z - np.log(np.exp(z).sum(axis=1, keepdims=True))), 1)))


def held_out_scores(net, X):
    """The held-out digits' scores (argmax: the prediction), from the trained weights."""
    return scores(net, X)


def scores(net, X):
    """The network's scores (logits) for X, computed by the grader from its W1, b1, W2, b2
    (the architecture is fixed), never by the learner's forward."""
    p = {}
    for name, shape in (("W1", (64, 64)), ("b1", (64,)), ("W2", (64, 10)), ("b2", (10,))):
        v = getattr(net, name)
        call = f"net.{name}"
        if len(shape) == 1 and type(v) is np.ndarray and v.size == shape[0]:
            v = v.reshape(shape)  # a (1, H) or (H,) bias: its shape is the Day 6 checks' business
        p[name] = checks.expect_array(v, shape, call)
    return np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]


def run_main(learner, seed, run):
    """Call main() once; keep what it printed, or its failure."""
    learner.deadline, learner.limit_s = (time.monotonic() + limits.TRAINING_CALL_S,
                                         limits.TRAINING_CALL_S)
    try:
        learner.seed(seed % 2**32)
        learner.day7.main()
        run.main_stdout = learner.last.stdout
    except Failure as exc:
        run.main_error = exc
