"""pytest plugin of the kit: options, the `grade` marker, and the `learner` and `rng` fixtures."""
import ast
import re
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from graders import policy
from graders.door import Failure, InProcess, Learner, PolicyViolation, Ungradable
from graders.worker import Worker

RULE = ("only NumPy and the standard library are allowed (plus sklearn.datasets and "
        "sklearn.model_selection for data, matplotlib for plots)")


def pytest_addoption(parser):
    """Options in the `graders` group."""
    group = parser.getgroup("graders", "grading a submission")
    group.addoption("--submission", default="exercises", help="folder holding dayN.py files")
    group.addoption("--day", type=int, help="the day being graded (for the file pre-check)")
    group.addoption("--seed", type=int, default=0, help="seed of every random input")
    group.addoption("--out", default="reports", help="folder for reports and pictures")
    group.addoption("--batch", action="store_true",
                    help="throughput over comfort: no pictures, one worker at a time")
    group.addoption("--sandbox", default="process", choices=("bwrap", "process", "none"),
                    help="where learner code runs: bubblewrap, a limited process, or in here")


def pytest_configure(config):
    """Register the `grade` marker with its signature."""
    config.addinivalue_line(
        "markers",
        "grade(task, points, hint, more=()): task number, points, hint and next hint tiers")


def pytest_collection_modifyitems(items):
    """Every grader test must carry a complete `grade` marker."""
    for item in items:
        mark = item.get_closest_marker("grade")
        if mark is None or {"task", "points", "hint"} - set(mark.kwargs):
            raise pytest.UsageError(f"{item.nodeid} needs @pytest.mark.grade(task=, points=, "
                                    "hint=)")


@pytest.hookimpl(optionalhook=True)
def pytest_json_runtest_metadata(item, call):
    """Attach task, points, hint, visibility and the kit's view of a failure to the report."""
    mark = item.get_closest_marker("grade")
    meta = dict(mark.kwargs, visibility=visibility(item.path))
    if call.excinfo is not None and call.excinfo.errisinstance(Failure):
        meta["status"] = call.excinfo.type.status
        meta["message"] = str(call.excinfo.value)
    return meta


def visibility(path):
    """Tests under a `hidden` folder are hidden; all others are visible."""
    return "hidden" if "hidden" in Path(path).parts else "visible"


DOOR = pytest.StashKey()
TWINS = {7}  # days whose checks run learner code on a second process (main() beside the gate)
STARTED = {}  # (folder, sandbox) -> a worker the engine started before pytest did


def pytest_sessionstart(session):
    """Open the door before collection, so the worker starts while the tests are collected."""
    config = session.config
    folder = Path(config.getoption("submission"))
    day = config.getoption("day")
    blocked = precheck(folder, day)[0] if day else None
    mode = config.getoption("sandbox")
    transport = STARTED.pop((folder.resolve(), mode), None)
    if transport is None:
        transport = InProcess(folder) if mode == "none" else start_worker(
            folder, day, mode, spare=not config.getoption("batch"))
    if blocked:
        transport.close()
    config.stash[DOOR] = Learner(transport, blocked, solo=config.getoption("batch"))


def start_worker(folder, day, mode, spare=True):
    """A started worker for grading `day`: its Python and NumPy load while the caller works.
    It may read scikit-learn only when the graded files import it."""
    uses_sklearn = day is not None and "sklearn" in precheck(folder, day)[1]
    transport = Worker(folder, mode, data=uses_sklearn, first=day and f"day{day}")
    transport.start()
    if spare and day in TWINS:
        transport.spare = transport.twin()
    return transport


def pytest_sessionfinish(session):
    """Stop the worker and everything it started."""
    door = session.config.stash.get(DOOR, None)
    if door is not None:
        door._transport.close()


@pytest.fixture(scope="session")
def door(pytestconfig):
    """The session's Learner, or a blocked one when the file cannot be graded."""
    return pytestconfig.stash[DOOR]


@pytest.fixture
def learner(door, request):
    """The submission, reached only through the door, with this test's deadline."""
    mark = request.node.get_closest_marker("timeout")
    limit = mark.args[0] if mark else float(request.config.getini("timeout") or 0)
    door.deadline = time.monotonic() + 0.9 * limit if limit else None
    return door


@pytest.fixture(scope="session")
def out_dir(pytestconfig):
    """The folder where pictures are saved (beside the report), or None for no pictures."""
    return None if pytestconfig.getoption("batch") else Path(pytestconfig.getoption("out"))


@pytest.fixture
def seed(pytestconfig, request):
    """An integer seed for this test, from the session seed and the test's name."""
    return zlib.crc32(f"{pytestconfig.getoption('seed')}:{request.node.name}".encode())


@pytest.fixture
def rng(seed):
    """A NumPy Generator for this test's inputs."""
    return np.random.default_rng(seed)


def precheck(folder, day):
    """(failure or None, modules imported): missing, unparsable or forbidden files among day N
    and the siblings it imports, and every module those files import."""
    todo, seen, modules = [f"day{day}"], set(), set()
    while todo:
        name = todo.pop()
        seen.add(name)
        path = folder / f"{name}.py"
        if not path.is_file():
            who = "" if name == f"day{day}" else f" (imported by the day {day} file)"
            return Ungradable(f"{name}.py is missing from {folder}{who}."), modules
        try:
            tree = ast.parse(path.read_bytes(), filename=path.name)
        except SyntaxError as exc:
            return Ungradable(f"{name}.py does not parse: {exc.msg} (line {exc.lineno})."), modules
        except ValueError as exc:  # e.g. null bytes
            return Ungradable(f"{name}.py does not parse: {exc}."), modules
        for line, module in policy.violations(tree):
            return PolicyViolation(f"{name}.py line {line} imports {module}: {RULE}."), modules
        modules |= imports(tree)
        todo += [m for m in modules if re.fullmatch(r"day[1-7]", m) and m not in seen]
    return None, modules


def imports(tree):
    """The top-level names of the modules a parsed file imports."""
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return {m.split(".")[0] for m in names}
