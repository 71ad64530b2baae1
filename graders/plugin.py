"""The kit's pytest plugin: the `grade` marker, the fixtures grader tests use (`learner`, `rng`,
`seed`, `seed_for`, `trained`, `out_dir`), and the kit's view of each result in the raw report.

A grading run hands pytest a `Grading` object (see engine.py) as a second plugin: it holds the
submission, the seed and the worker, started before pytest so that it loads meanwhile.
"""
import time
import zlib

import numpy as np
import pytest

from graders import limits, switches, training
from graders.door import Learner
from graders.failures import Failure
from graders.worker import InProcess, Worker

GRADING = pytest.StashKey()


class Grading:
    """One grading run: the submission, the seed, the sandbox mode, the reports folder, and
    the door to the learner's code. `batch` (a class, Gradescope) trades a learner's comfort
    for throughput: no pictures."""

    def __init__(self, submission, seed, mode, out, batch=False):
        self.submission, self.seed, self.mode, self.out, self.batch = \
            submission, seed, mode, out, batch
        self.transport = None if submission.blocked else self.start()
        self.door = Learner(self.transport, submission.blocked)

    def start(self):
        """The transport: a started worker (its Python and NumPy load while pytest starts),
        or this very process for mode `none` (measurement only)."""
        sub = self.submission
        if self.mode == "none":
            return InProcess(sub.folder)
        worker = Worker(sub.files, self.mode, data=sub.uses_sklearn, first=f"day{sub.day}")
        worker.start()
        return worker

    def close(self):
        """Stop the worker and everything it started."""
        if self.transport is not None:
            self.transport.close()

    def pytest_configure(self, config):
        """Make this run reachable from the fixtures."""
        config.stash[GRADING] = self

    def pytest_sessionfinish(self):
        """Stop the worker as soon as the checks are done."""
        self.close()


def pytest_configure(config):
    """Register the `grade` marker with its signature."""
    config.addinivalue_line(
        "markers",
        "grade(task, points, hint, more=(), needs=()): task number, points, hint, next hint "
        "tiers, and the checks that must pass before this one can judge")


def pytest_collection_modifyitems(items):
    """Every grader test must carry a complete `grade` marker; `needs` names checks of the
    same day."""
    names = {item.name for item in items}
    for item in items:
        mark = item.get_closest_marker("grade")
        if mark is None or {"task", "points", "hint"} - set(mark.kwargs):
            raise pytest.UsageError(f"{item.nodeid} needs @pytest.mark.grade(task=, points=, "
                                    "hint=)")
        unknown = set(mark.kwargs.get("needs", ())) - names
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: needs= names no check of this day: "
                                    f"{sorted(unknown)}")


@pytest.hookimpl(optionalhook=True)
def pytest_json_runtest_metadata(item, call):
    """Attach task, points, hints, visibility and the kit's view of a failure to the report."""
    mark = item.get_closest_marker("grade")
    meta = dict(mark.kwargs, visibility="hidden" if "hidden" in item.path.parts else "visible")
    more = meta.get("more", ())
    meta["more"] = [more] if isinstance(more, str) else list(more)
    meta["needs"] = list(meta.get("needs", ()))
    if call.excinfo is not None and call.excinfo.errisinstance(Failure):
        meta["status"] = call.excinfo.type.status
        meta["message"] = str(call.excinfo.value)
        if getattr(call.excinfo.value, "hidden", None):
            meta["hidden_message"] = call.excinfo.value.hidden
        meta["about_property"] = getattr(call.excinfo.value, "about_property", False)
    return meta


@pytest.fixture(scope="session")
def grading(pytestconfig):
    """This grading run."""
    return pytestconfig.stash[GRADING]


@pytest.fixture(scope="session")
def door(grading):
    """The submission, reached only through the door (no deadline of its own)."""
    return grading.door


@pytest.fixture
def learner(door, request):
    """The submission, reached only through the door, with this test's deadline."""
    mark = request.node.get_closest_marker("timeout")
    limit = mark.args[0] if mark else switches.check_seconds()
    call = limit - min(limits.CALL_MARGIN_S, limit / 2)
    door.deadline, door.limit_s = time.monotonic() + call, limit
    return door


@pytest.fixture(scope="session")
def out_dir(grading):
    """The reports folder (the pictures go to its grader/ folder), or None for no pictures."""
    return None if grading.batch else grading.out


def check_seed(session_seed, name):
    """The seed of one check's inputs, from the run's seed and the check's name."""
    return zlib.crc32(f"{session_seed}:{name}".encode())


def shared_seed(session_seed, day, name):
    """The seed of work that several checks of a day share."""
    return zlib.crc32(f"{session_seed}:day{day}:{name}".encode())


@pytest.fixture(scope="session")
def seed_for(grading):
    """seed_for("split"): a seed for work that several checks of a day share."""
    return lambda name: shared_seed(grading.seed, grading.submission.day, name)


@pytest.fixture
def seed(grading, request):
    """An integer seed for this test, from the session seed and the test's name."""
    return check_seed(grading.seed, request.node.name)


@pytest.fixture
def rng(seed):
    """A NumPy Generator for this test's inputs."""
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def trained(door, seed_for, out_dir):
    """Day 7: the learner's network trained once with its own train and defaults, shared by
    every check about training, the gate and main()."""
    return training.train_once(door, seed_for("gate"), out_dir)
