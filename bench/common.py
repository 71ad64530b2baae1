"""What every part of the benchmark shares: paths, the pinned environment, the targets, timing."""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAYS = range(1, 8)
# BLAS pinned to one thread in every process the benchmark starts (and in this one: the Makefile).
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

# The targets exactly as issues 6 and 13 first defined them (never moved after a miss).
TARGETS = {
    "day_s": 1.5,               # days 1-6, reference, `python -m graders grade`
    "stub_s": 1.0,              # the untouched stubs of every day, Day 7 included
    "day7_over_training": 1.5,  # Day 7 grade / bare training time of the submission
    "isolation": 1.5,           # sandboxed worker / in-process, one warm process
    "class_s": 240,             # 40 learners x 7 days at JOBS=2
    "speedup": 1.7,             # JOBS=1 time / JOBS=2 time
    "accuracy": 0.97,           # the reference's test accuracy
    "watch_s": 0.5,             # issue 13: from a save to the new view in `make watch`, days 1-6
}


def median(values):
    return statistics.median(values)


def run(cmd, ok=(0,), timeout=1800):
    """Run a command from the kit's folder with the pinned environment; its stdout. A return
    code outside `ok` stops the benchmark with the command's own words."""
    done = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(map(str, cmd[:6]))} ... exited {done.returncode}:\n"
                         + (done.stderr or done.stdout)[-2000:])
    return done.stdout


def wall(cmd, **kw):
    """Wall seconds of one command (it must succeed)."""
    start = time.perf_counter()
    run(cmd, **kw)
    return time.perf_counter() - start


def python(*args):
    """A command line running this interpreter."""
    return [sys.executable, *args]


def say(text):
    """Progress on stderr, so a long run shows where it is."""
    print(f"bench: {text}", file=sys.stderr, flush=True)
