"""`make bench`: feedback latency, the cost of isolation, class throughput, Day 7 vs scikit-learn.

Every number that is compared is measured in this one run (the machines are shared and noisy);
BLAS is pinned to one thread. Writes bench/results.json and prints a table.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DAYS = range(1, 8)
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
TARGETS = {"day_s": 1.5, "stub_s": 1.0, "day7_over_training": 1.5, "isolation": 1.5,
           "class_s": 240, "speedup": 1.7, "accuracy": 0.97}


def wall(cmd, **kw):
    """Seconds one command takes; it must succeed."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, capture_output=True, **kw)
    return time.perf_counter() - start


def grade_cmd(day, folder, out, *extra):
    return [sys.executable, "-m", "graders", "grade", "--day", str(day), "--submission",
            str(folder), "--out", str(out), "--seed", "1", *extra]


def latency(tmp, runs=5):
    """Median wall time of `python -m graders grade` per day, reference and stubs."""
    rows = {}
    for day in DAYS:
        rows[day] = {who: statistics.median(wall(grade_cmd(day, ROOT / who, tmp))
                                            for _ in range(runs))
                     for who in ("reference", "exercises")}
    return rows


def training_time(runs=3):
    """The bare time of the reference's 1000-epoch training on the default split."""
    code = ("import sys, time, numpy as np; sys.path.insert(0, 'reference'); import day6, day7;"
            "X, Xt, y, yt = day7.load_data(); np.random.seed(0);"
            "m = day6.NeuralNetwork(64, 64, 10); t = time.perf_counter();"
            "day7.train(m, X, y, print_every=10**9); print(time.perf_counter() - t)")
    times = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True,
                                  capture_output=True, text=True).stdout) for _ in range(runs)]
    return statistics.median(times)


def isolation(tmp, runs=3):
    """Days 1-6 of the reference through the worker versus in-process calls, two ways: each day
    graded by a fresh process, as `make grade DAY=N` does (end to end), and all six days in one
    warm process (the door's own cost)."""
    warm = ("import sys, time; from graders import engine; t = time.perf_counter();"
            "[engine.grade(d, 'reference', sys.argv[2], 1, sys.argv[1]) for d in range(1, 7)];"
            "print(time.perf_counter() - t)")
    cold = ("import sys; from graders import engine;"
            "engine.grade(int(sys.argv[3]), 'reference', sys.argv[2], 1, sys.argv[1])")
    modes = ["none", "process"] + (["bwrap"] if shutil.which("bwrap") else [])
    result = {"end_to_end": {}, "warm": {}}
    for mode in modes:
        result["warm"][mode] = statistics.median(
            float(subprocess.run([sys.executable, "-c", warm, mode, str(tmp)], cwd=ROOT, env=ENV,
                                 check=True, capture_output=True, text=True).stdout)
            for _ in range(runs))
        result["end_to_end"][mode] = statistics.median(
            sum(wall([sys.executable, "-c", cold, mode, str(tmp), str(d)]) for d in range(1, 7))
            for _ in range(runs))
    return result


def synthetic_class(folder, size=40):
    """`size` learners: the reference, the stubs and mutants of the reference, in turn."""
    mutants = [(int(p.stem[3:]), m) for p in sorted((ROOT / "tests" / "mutants").glob("*.toml"))
               for m in tomllib.loads(p.read_text())["mutant"]]
    for i in range(size):
        learner = folder / f"learner{i:02d}"
        kind = i % 4
        shutil.copytree(ROOT / ("exercises" if kind == 1 else "reference"), learner,
                        ignore=shutil.ignore_patterns("__pycache__"))
        if kind >= 2:
            day, m = mutants[(i * 7) % len(mutants)]
            path = learner / f"day{day}.py"
            path.write_text(path.read_text().replace(m["old"], m["new"]))
    return folder


def throughput(tmp, size=40):
    """The whole class for all seven days at JOBS=1 and JOBS=2."""
    subs = synthetic_class(tmp / "class", size)
    result = {}
    for jobs in (1, 2):
        seconds = wall([sys.executable, "-m", "graders", "grade-class", "--submissions",
                        str(subs), "--out", str(tmp / f"reports{jobs}"), "--jobs", str(jobs),
                        "--seed", "1", "--force"])
        result[jobs] = {"seconds": seconds, "learners_per_minute": 60 * size / seconds}
    return result


def versus_sklearn(chunk=25):
    """Reference NeuralNetwork + train versus MLPClassifier(64) on the same split: the wall time
    of the reference's 1000 epochs, and of its epochs until its test accuracy first reaches 97%
    (trained `chunk` epochs at a time; only training is timed)."""
    sys.path.insert(0, str(ROOT / "reference"))
    import warnings

    import day6
    import day7
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, Xt, y, yt = day7.load_data()
    np.random.seed(0)
    net = day6.NeuralNetwork(64, 64, 10)
    ours, to_97, epochs_97 = 0.0, None, None
    for done in range(chunk, 1001, chunk):
        start = time.perf_counter()
        day7.train(net, X, y, epochs=chunk, print_every=10**9)
        ours += time.perf_counter() - start
        if to_97 is None and day7.accuracy(net, Xt, yt) >= TARGETS["accuracy"]:
            to_97, epochs_97 = ours, done
    ours_acc = day7.accuracy(net, Xt, yt)
    warnings.simplefilter("ignore", ConvergenceWarning)
    start = time.perf_counter()
    mlp = MLPClassifier(hidden_layer_sizes=(64,), random_state=0).fit(X, y.argmax(1))
    theirs = time.perf_counter() - start
    theirs_acc = float(np.mean(mlp.predict(Xt) == yt.argmax(1)))
    n, d, h, c = X.shape[0], 64, 64, 10
    flops = 1000 * (4 * n * d * h + 6 * n * h * c)  # 3 products per layer per epoch
    return {"ours_s": ours, "ours_accuracy": ours_acc, "ours_to_97_s": to_97,
            "ours_epochs_to_97": epochs_97, "sklearn_s": theirs,
            "sklearn_accuracy": theirs_acc, "ours_gflops": flops / ours / 1e9,
            "peak_gflops": peak_gflops()}


def peak_gflops(n=1500, runs=3):
    """Single-core float64 matmul rate: the machine's practical peak."""
    a, b = np.random.rand(n, n), np.random.rand(n, n)
    best = min(timed(lambda: a @ b) for _ in range(runs))
    return 2 * n**3 / best / 1e9


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def verdicts(r):
    """Each target: the measured value, the target, and whether it holds."""
    lat, t = r["latency_s"], TARGETS
    day7_ratio = lat[7]["reference"] / r["training_s"]
    iso = r["isolation_s"]["end_to_end"]
    ratio = max(v for k, v in iso.items() if k != "none") / iso["none"]
    cls = r["class"]
    v = r["day7_vs_sklearn"]
    return {
        "days 1-6 reference < 1.5 s": (max(lat[d]["reference"] for d in range(1, 7)), t["day_s"]),
        "stubs of days 1-6 < 1 s": (max(lat[d]["exercises"] for d in range(1, 7)),
                                    t["stub_s"]),
        "day 7 / bare training < 1.5x": (day7_ratio, t["day7_over_training"]),
        "isolation / in-process < 1.5x": (ratio, t["isolation"]),
        "class of 40 x 7 days at JOBS=2 < 240 s": (cls[2]["seconds"], t["class_s"]),
        "speed-up JOBS=2 / JOBS=1 >= 1.7x": (cls[1]["seconds"] / cls[2]["seconds"], -t["speedup"]),
        "reference accuracy >= 97%": (v["ours_accuracy"], -t["accuracy"]),
        "reference reaches 97% faster than MLPClassifier fits": (
            (v["ours_to_97_s"] or float("inf")) / v["sklearn_s"], 1.0),
    }


def table(r):
    lines = [f"{'day':<5}{'reference s':>13}{'stubs s':>10}"]
    lat = r["latency_s"]
    lines += [f"{d:<5}{lat[d]['reference']:>13.2f}{lat[d]['exercises']:>10.2f}" for d in DAYS]
    lines += ["", f"bare Day 7 training: {r['training_s']:.2f} s",
              *(f"isolation, days 1-6, {how}: " + ", ".join(
                  f"{k} {v:.2f} s" for k, v in r["isolation_s"][how].items())
                for how in ("end_to_end", "warm")),
              "class of 40: " + ", ".join(f"JOBS={j} {c['seconds']:.0f} s "
                                          f"({c['learners_per_minute']:.1f}/min)"
                                          for j, c in r["class"].items())]
    v = r["day7_vs_sklearn"]
    lines += [f"Day 7: reference 1000 epochs {v['ours_s']:.2f} s, {v['ours_accuracy']:.2%} "
              f"(97% after {v['ours_epochs_to_97']} epochs, {v['ours_to_97_s'] or 0:.2f} s); "
              f"MLPClassifier "
              f"{v['sklearn_s']:.2f} s, {v['sklearn_accuracy']:.2%}; reference "
              f"{v['ours_gflops']:.1f} GFLOP/s of a {v['peak_gflops']:.1f} GFLOP/s peak", ""]
    for name, (value, target) in verdicts(r).items():
        holds = value >= -target if target < 0 else value < target
        lines.append(f"{'ok  ' if holds else 'MISS'} {name}: {value:.3g}")
    return "\n".join(lines)


def main():
    results = {}
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        tmp = Path(tmp)
        results["latency_s"] = latency(tmp / "lat")
        results["training_s"] = training_time()
        results["isolation_s"] = isolation(tmp / "iso")
        results["class"] = throughput(tmp)
    results["day7_vs_sklearn"] = versus_sklearn()
    text = table(results)
    print(text)
    results["machine"] = {"cores": os.cpu_count(), "python": sys.version.split()[0],
                          "numpy": np.__version__}
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
