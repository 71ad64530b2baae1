"""Helpers of the kit's own tests: build submissions and grade them.

`grade` runs the engine in this process (learner code still runs in a worker, as always): three
times faster than a fresh `python -m graders` per grading. Commands, and attacks that aim at the
grader's own process, go through `run_graders` instead.
"""
import functools
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # two tests at once on two cores: NumPy's
# own threads would only wait for each other (`make test` sets it too, before NumPy loads)
ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "reference"
EXERCISES = ROOT / "exercises"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def run_graders(*args, cwd=ROOT, env=None, timeout=600):
    """`python -m graders ARGS` in a fresh process (ENV plus `env`); the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "graders", *map(str, args)], cwd=cwd,
                          env=dict(ENV, **(env or {})), capture_output=True, text=True,
                          timeout=timeout)


@functools.cache
def default_sandbox():
    """What `--sandbox auto` picks on this machine."""
    from graders import sandbox
    return sandbox.choose("auto")


def grade(day, folder, out, seed=1, sandbox=None, batch=True):
    """Grade one day of `folder` (in `sandbox`, default auto); returns the report as written
    to OUT/dayN.json. Batch mode, as for a class (no pictures, one worker at a time), unless
    `batch` is False: then as `make grade` does."""
    from graders import engine
    engine.grade(day, Path(folder), Path(out), seed, sandbox or default_sandbox(), batch=batch)
    return json.loads((Path(out) / f"day{day}.json").read_text())


def compose(dest, *overlays, base=REFERENCE):
    """A submission folder: a copy of `base`, then the files of each overlay folder on top."""
    dest = Path(dest)
    shutil.copytree(base, dest, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in overlays:
        for f in Path(folder).glob("day*.py"):
            shutil.copy(f, dest / f.name)
    return dest


@pytest.fixture
def submission(tmp_path):
    """compose() into this test's temporary folder."""
    return lambda *overlays, base=REFERENCE: compose(tmp_path / "sub", *overlays, base=base)


# `make test-fast`: the inner loop, under a minute. Whole files left out, and the share of each
# corpus's cases that is kept (a stable sample: the same cases every run).
SLOW_FILES = {"test_classroom.py", "test_package.py", "test_notebooks.py"}
SAMPLE = {"test_mutants.py": 8, "test_valid.py": 4, "test_hostile.py": 10, "test_cli.py": 4}
SLOW_TESTS = {"test_scripts_save_their_pictures_without_a_display",
              "test_watch_regrades_every_save_survives_a_syntax_error_and_stops_cleanly",
              "test_hangs_win_without_their_defence",
              "test_importing_day7_runs_numpy_on_one_thread_unless_the_learner_says_otherwise",
              "test_grading_every_day_gives_an_untouched_day_one_line_and_progress_a_total"}


def pytest_addoption(parser):
    """--fast, in the kit's own group."""
    parser.getgroup("kit", "the kit's own tests").addoption(
        "--fast", action="store_true", help="a sample of every corpus (make test-fast)")


def in_sample(item):
    """True when `item` belongs to the --fast sample."""
    name = item.path.name
    if name in SLOW_FILES or item.originalname in SLOW_TESTS:
        return False
    spec = getattr(item, "callspec", None)
    if spec is None or name not in SAMPLE:
        return True
    if spec.params.get("seed", 1) != 1:
        return False
    return zlib.crc32(spec.id.encode()) % SAMPLE[name] == 0


def pytest_collection_modifyitems(config, items):
    """With --fast, keep only the sample; the longest work first (see TOGETHER)."""
    if config.getoption("--fast"):
        keep = [item for item in items if in_sample(item)]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    items.sort(key=longest_first)  # stable: each file keeps its own order


def longest_first(item):
    """The files of TOGETHER in their order, then every Day 7 case (a training each), then the
    rest: two workers end together when the long pieces start first."""
    name = item.path.name
    if name in TOGETHER:
        return TOGETHER.index(name)
    return len(TOGETHER) + ("day7" not in item.nodeid)


# `make test` runs on every core (pytest-xdist, -n auto): each test goes to whichever worker is
# free, except the files below, each run whole by one worker: their module fixtures are costly
# (the kit built, a class graded, notebook kernels), or their tests share the host's fixed
# targets (the attacks' port and folders). Longest first. (xdist's own way, --dist loadgroup,
# no longer groups anything under pytest 9.2: pytest-xdist issue 1386.)
TOGETHER = ("test_package.py", "test_hostile.py", "test_classroom.py", "test_notebooks.py")


def pytest_xdist_auto_num_workers(config):
    """-n auto: one worker more than cores (a test often waits: on a learner asleep until its
    budget ends, on pip, on a kernel; the third worker keeps both cores busy meanwhile)."""
    return (os.cpu_count() or 1) + 1


def pytest_xdist_make_scheduler(config, log):
    """-n with the default --dist load: xdist's scheduling by scope, a scope being one test, or
    a whole file of TOGETHER, in the order of collection."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling
    config.option.loadscopereorder = False  # the order of collection: longest_first

    class ByTestOrFile(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return path if Path(path).name in TOGETHER else nodeid

    return ByTestOrFile(config, log)
