"""Day 7 against scikit-learn, like for like: the kit's split for both, the same training data,
BLAS on one thread for both, medians over several seeds, two stopping rules applied to both:

- a full fit: the reference's `train` with its defaults (1000 epochs of full-batch gradient
  descent) against `MLPClassifier(hidden_layer_sizes=(64,))` with its defaults (Adam, at most
  200 epochs, stops when the loss stops improving); test accuracy of each;
- time to first reach 97% accuracy on a validation part held out of the training part (a fifth,
  stratified, drawn anew for each seed, the same for both; the test part is never looked at to
  stop), checked after every epoch for both (`train(..., epochs=1)` and `partial_fit`, one epoch
  each), at most 1000 epochs. Timed: a fresh model trained that many epochs in one call (the
  one-epoch calls are timed too: partial_fit checks its input on every call). A seed that never
  reaches it counts as slower than any that does.

Also the reference's GFLOP/s against the machine's single-core float64 peak (a large product).
"""
import contextlib
import io
import sys
import time
import warnings

import numpy as np

from bench.common import ROOT, TARGETS, median, say

HIDDEN, EPOCHS = 64, 1000
VALIDATION = 0.2  # of the training part


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def peak_gflops(n=1500, runs=5):
    """Single-core float64 matrix product rate: the machine's practical peak."""
    a, b = np.random.default_rng(0).random((2, n, n))
    best = min(timed(lambda: a @ b)[0] for _ in range(runs))
    return 2 * n**3 / best / 1e9


class Contest:
    """The data and the two learners, loaded once."""

    def __init__(self):
        sys.path.insert(0, str(ROOT / "reference"))
        import day6
        import day7
        from sklearn.model_selection import train_test_split
        from sklearn.neural_network import MLPClassifier

        self.day6, self.day7, self.MLP = day6, day7, MLPClassifier
        self.X, self.Xt, self.Y, self.Yt = day7.load_data()  # the kit's split, for both
        self.y, self.yt = self.Y.argmax(1), self.Yt.argmax(1)
        self.split = train_test_split
        self.validation(0)

    def validation(self, seed):
        """Hold a stratified fifth of the training part out, drawn by `seed`."""
        self.Xf, self.Xv, self.Yf, self.Yv = self.split(
            self.X, self.Y, test_size=VALIDATION, random_state=seed, stratify=self.y)
        self.yf, self.yv = self.Yf.argmax(1), self.Yv.argmax(1)

    def network(self, seed):
        np.random.seed(seed)
        return self.day6.NeuralNetwork(64, HIDDEN, 10)

    def mlp(self, seed):
        return self.MLP(hidden_layer_sizes=(HIDDEN,), random_state=seed)

    def warm_up(self):
        """A few epochs of each, not counted: first calls load code and fill caches."""
        net, mlp = self.network(0), self.mlp(0)
        for _ in range(3):
            self.day7.train(net, self.Xf, self.Yf, epochs=10)
            mlp.partial_fit(self.Xf, self.yf, classes=np.arange(10))
            self.day7.accuracy(net, self.Xv, self.Yv), mlp.score(self.Xv, self.yv)

    def full_ours(self, seed):
        net = self.network(seed)
        with contextlib.redirect_stdout(io.StringIO()):  # train prints every 100 epochs
            seconds, _ = timed(lambda: self.day7.train(net, self.X, self.Y))
        return {"s": seconds, "epochs": EPOCHS,
                "test_accuracy": self.day7.accuracy(net, self.Xt, self.Yt)}

    def full_sklearn(self, seed):
        mlp = self.mlp(seed)
        seconds, _ = timed(lambda: mlp.fit(self.X, self.y))
        return {"s": seconds, "epochs": int(mlp.n_iter_),
                "test_accuracy": float(mlp.score(self.Xt, self.yt))}

    def to_target(self, epoch, accuracy, test_accuracy, again):
        """Train one epoch at a time (`epoch()`) until the validation accuracy first reaches
        the target, at most EPOCHS; then time `again(k)`, a fresh model trained the k epochs
        that took in one uninterrupted call (so neither side pays for the checks between
        epochs). The one-epoch calls are timed too ("stepwise_s")."""
        seconds = 0.0
        for done in range(1, EPOCHS + 1):
            seconds += timed(epoch)[0]
            if accuracy() >= TARGETS["accuracy"]:
                break
        else:
            return {"s": None, "epochs": None, "stepwise_s": None,
                    "test_accuracy": test_accuracy()}
        result = {"epochs": done, "stepwise_s": seconds, "test_accuracy": test_accuracy()}
        result["s"], again_accuracy = again(done)
        result["again_validation_accuracy"] = again_accuracy
        return result

    def early_ours(self, seed):
        net, d7 = self.network(seed), self.day7

        def again(k):  # the very same run: train() has no randomness of its own
            fresh = self.network(seed)
            with contextlib.redirect_stdout(io.StringIO()):
                seconds, _ = timed(lambda: d7.train(fresh, self.Xf, self.Yf, epochs=k))
            return seconds, d7.accuracy(fresh, self.Xv, self.Yv)

        return self.to_target(lambda: d7.train(net, self.Xf, self.Yf, epochs=1),
                              lambda: d7.accuracy(net, self.Xv, self.Yv),
                              lambda: d7.accuracy(net, self.Xt, self.Yt), again)

    def early_sklearn(self, seed):
        # A RandomState object, not an int: with an int, every partial_fit call would start its
        # random numbers over and shuffle each epoch the same way.
        mlp = self.MLP(hidden_layer_sizes=(HIDDEN,), random_state=np.random.RandomState(seed))

        def again(k):  # the same seed and k epochs; fit shuffles in its own order, so the
            fresh = self.MLP(hidden_layer_sizes=(HIDDEN,),  # accuracy is recorded again
                             random_state=np.random.RandomState(seed), max_iter=k,
                             n_iter_no_change=EPOCHS + 1)
            seconds, _ = timed(lambda: fresh.fit(self.Xf, self.yf))
            return seconds, float(fresh.score(self.Xv, self.yv))

        return self.to_target(lambda: mlp.partial_fit(self.Xf, self.yf, classes=np.arange(10)),
                              lambda: mlp.score(self.Xv, self.yv),
                              lambda: float(mlp.score(self.Xt, self.yt)), again)


def middle(values):
    """The median, None (never reached) counting as larger than any number; None when the
    median falls on a seed that never reached the target."""
    ranked = sorted(values, key=lambda v: (v is None, v or 0))
    low, high = ranked[(len(ranked) - 1) // 2], ranked[len(ranked) // 2]
    return None if low is None or high is None else (low + high) / 2


def summary(runs):
    """Medians of a list of {"s", "epochs", "test_accuracy"}, plus the spread of accuracy."""
    acc = [r["test_accuracy"] for r in runs]
    return {"s": middle([r["s"] for r in runs]), "epochs": middle([r["epochs"] for r in runs]),
            "stepwise_s": middle([r.get("stepwise_s") for r in runs]),
            "reached": sum(r["s"] is not None for r in runs), "test_accuracy": median(acc),
            "test_accuracy_min": min(acc), "test_accuracy_max": max(acc), "runs": runs}


def measure(seeds):
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_info, threadpool_limits

    contest = Contest()
    runs = {f"{rule}_{who}": [] for rule in ("full", "early") for who in ("ours", "sklearn")}
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # MLPClassifier at its 200 epochs
        threads = sorted({p["num_threads"] for p in threadpool_info()})
        contest.warm_up()
        for i, seed in enumerate(seeds):
            say(f"Day 7 against scikit-learn, seed {seed} ({i + 1} of {len(seeds)})")
            contest.validation(seed)
            names = list(runs) if i % 2 == 0 else [n for n in reversed(list(runs))]
            for name in names:
                runs[name].append(getattr(contest, name)(seed))
        peak = peak_gflops()
    result = {name: summary(r) for name, r in runs.items()}
    n, d, h, c = len(contest.X), contest.X.shape[1], HIDDEN, 10
    flops = EPOCHS * (4 * n * d * h + 6 * n * h * c)  # per layer: forward, dW, and dX of the 2nd
    import sklearn
    result.update({
        "seeds": list(seeds), "blas_threads": threads, "sklearn": sklearn.__version__,
        "rows": {"train": n, "fit": len(contest.Xf), "validation": len(contest.Xv),
                 "test": len(contest.Xt)},
        "ours_gflops": flops / result["full_ours"]["s"] / 1e9, "peak_gflops": peak,
    })
    return result
