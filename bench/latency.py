"""Feedback latency: `python -m graders grade --day N` of the reference and of the untouched
stubs, as a learner runs it (default sandbox: auto), and the bare training time of Day 7."""
import json

from bench.common import DAYS, ROOT, median, python, run, say, wall

WHO = ("reference", "exercises")

# The reference's own training, timed around the train() call alone: main()'s seed and split,
# train() with its defaults (1000 epochs), nothing else.
TRAINING = """
import sys, time, numpy as np
sys.path.insert(0, 'reference')
import day6, day7
X, Xt, y, yt = day7.load_data()
np.random.seed(0)
model = day6.NeuralNetwork(64, 64, 10)
start = time.perf_counter()
day7.train(model, X, y)
print(time.perf_counter() - start)
"""

# What a Day 7 file imports from scikit-learn, timed in a fresh Python that has NumPy already.
SKLEARN = """
import time, numpy
start = time.perf_counter()
import sklearn.datasets, sklearn.model_selection
print(time.perf_counter() - start)
"""


def grade_cmd(day, folder, out):
    return python("-m", "graders", "grade", "--day", day, "--submission", folder,
                  "--out", out, "--seed", 1)


def measure(tmp, runs):
    """Median of `runs` per day and per submission; rounds interleave the days, the two
    submissions and the bare training, so slow spells of a shared machine hit them alike."""
    samples = {day: {who: [] for who in WHO} for day in DAYS}
    training, imports = [], []
    for r in range(runs):
        say(f"latency, round {r + 1} of {runs}")
        for day in DAYS:
            for who in (WHO if r % 2 == 0 else WHO[::-1]):
                samples[day][who].append(wall(grade_cmd(day, ROOT / who, tmp / who)))
        training.append(float(run(python("-c", TRAINING)).split()[-1]))
        imports.append(float(run(python("-c", SKLEARN))))
    report = json.loads((tmp / "reference" / "day1.json").read_text())
    return {
        "runs": runs,
        "sandbox": report.get("sandbox"),
        "grade_s": {day: {who: median(samples[day][who]) for who in WHO} for day in DAYS},
        "training_s": median(training),
        "sklearn_import_s": median(imports),
        "samples": {"grade_s": samples, "training_s": training, "sklearn_import_s": imports},
    }
