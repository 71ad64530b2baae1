"""Hostile submissions: each folder of tests/hostile/ holds one day file, a wrong solution plus
one attack on the kit. Graded in both sandboxes, none may score, forge or lose its report, change
the host, reach the network, or leave a process or a folder behind.

The worker starts in a fresh folder, so nothing can tell an attack where its targets are: they sit
at fixed, guessable places (PORT, CANARY, OUT, HOME_CANARY) that the attacks aim at. Attacks that
obtain something (a secret file, a connection, a lifted limit) answer right from then on, so a win
also shows as a score above 0.

Every attack names the defence that stops it (`Defence:` in its docstring) and is shown to win
without it: in process mode with that defence turned off (GRADERS_TEST_DISABLE, sandbox.py), or,
for `process`, graded in the grader's own process (the in-process mode used for measurement), or,
for `exact-types`, against a naive check that compares with == and np.allclose.

Without bubblewrap the bwrap cases skip, except under CI (the variable CI set), where they fail.
"""
import ctypes
import functools
import hashlib
import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from conftest import ENV, EXERCISES, REFERENCE, ROOT, compose, grade
from graders import sandbox, switches, worker


HOSTILE = Path(__file__).parent / "hostile"
SCHEMA = json.loads((ROOT / "graders" / "report.schema.json").read_text())
PORT = 47613  # TCP and UDP listeners on 127.0.0.1
CANARY = Path("/tmp/kit-hostile-canary")  # holds another learner's folder and a Unix socket
OTHER_LEARNER = CANARY / "other_learner"
UNIX_SOCKET = CANARY / "listener.sock"
ABSTRACT_SOCKET = "\0kit-hostile-listener"
OUT = Path("/tmp/kit-hostile-out")  # each case grades into OUT/<mode>-<attack>/
HOME = Path(pwd.getpwuid(os.getuid()).pw_dir)
HOME_CANARY = HOME / ".kit-hostile-canary"
MARK = b"kit-hostile"  # in everything an attack writes
PROCESS_MARK = "kithostile"  # the name (comm) of every process an attack forks
SITE = sorted({p for p in sys.path if p.endswith("site-packages")}
              | {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]})
PLANTED = [Path(d) / n for d in ("/tmp", HOME) for n in ("conftest.py", "pytest_kit_hostile.py")]
PLANTED += [HOME / "kit-hostile-pwned.txt"] + [Path(d) / "kit_hostile_planted.pth" for d in SITE]
SENTINEL = OUT / "sentinel" / "day3.json"  # a report no grading writes: forgers find it
SHM_KEY = 0x6B697433  # System V shared memory the attack sysv_shm_leak leaves on the host
SETTLE_S = 0.05  # a report is read again this long after grading, to catch late forgers (a
# process still alive after grading is caught at once by lingering(); every report is read once
# more after the whole corpus ran, by test_no_report_changed_after_the_corpus_ran)
TIME_LIMIT_S = 120
NONE_CHECK_S = 2  # graded in-process, a check's time limit (pytest-timeout) is this short
HANG_S = 6  # a grading still running this long after it started hangs
WRITTEN = {}  # report path -> its bytes right after grading, re-checked by the last test
NOT_SANDBOX = {"process", "exact-types"}  # defences of the design, not of a sandbox mode

# Attacks that still win, and how; they stay in the corpus, expected to fail until fixed.
OPEN_HOLES = {}  # (attack, mode) -> why it still wins: a strict xfail until it is closed


@functools.cache
def bwrap_works():
    return sandbox.bwrap_works()


def attacks():
    return sorted(p for p in HOSTILE.iterdir() if p.is_dir())


def defences(folder):
    """What stops the attack of `folder`: the names on its docstring's `Defence:` line (read
    as text: some attacks are files that Python's parser cannot build)."""
    head = next(folder.glob("day*.py")).read_text().splitlines()[:5]
    line = next((x for x in head if x.startswith("Defence: ")), "Defence: ")
    return tuple(d.strip() for d in line.removeprefix("Defence: ").rstrip('"').split(",") if d.strip())


def cases():
    ci = bool(os.environ.get("CI"))  # under CI the bwrap half never skips: it fails instead
    for folder in attacks():
        for mode in ("process", "bwrap"):
            marks = [pytest.mark.xfail(strict=True, reason=OPEN_HOLES[folder.name, mode])] \
                if (folder.name, mode) in OPEN_HOLES else []
            if mode == "bwrap" and not ci:
                marks.append(pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not "
                                                "installed or cannot start a sandbox here"))
            yield pytest.param(folder, mode, id=f"{folder.name}-{mode}", marks=marks)


def test_the_corpus_has_one_day_file_per_attack_each_naming_its_defence_as_the_readme_counts():
    folders = attacks()
    assert f"({len(folders)} attacks, each graded in both modes" in (ROOT / "README.md").read_text()
    known = set(switches.DEFENCES) | NOT_SANDBOX
    for folder in folders:
        files = [p for p in folder.iterdir() if p.name != "__pycache__"]
        assert len(files) == 1 and files[0].name[:3] == "day", folder.name
        assert files[0].read_text().startswith('"""Attack: '), folder.name
        assert defences(folder) and set(defences(folder)) <= known, (folder.name,
                                                                      defences(folder))


@pytest.mark.parametrize("folder, mode", list(cases()))
def test_hostile_submission_gains_nothing(folder, mode, host, tmp_path):
    if mode == "bwrap" and not bwrap_works():
        pytest.fail("CI is set and bubblewrap is not installed or cannot start a sandbox here: "
                    "the bwrap half of the attacks must run (see .ci/run)")
    # Graded by this process (learner code in a worker, as always), except the attacks on the
    # terminal (their words reach it through the command's output) and the hangs (a grading
    # process of their own, with an outer time limit): a fresh Python per case costs ~0.4 s.
    alone = folder.name in HANGS or "escaping" in defences(folder)
    problems, seconds = attack(folder, mode, host, tmp_path, in_process=not alone)
    assert not problems, f"{folder.name} ({mode}, {seconds:.1f} s):\n" + "\n".join(problems)


def attack(folder, mode, host, tmp_path, disable=(), settle=True, in_process=False):
    """Grade the attack of `folder` in a fresh grading process (`mode` none: learner code in
    that very process; `in_process`: this process grades, learner code still in a worker) with
    the defences `disable` turned off; (what it gained, seconds)."""
    day = int(next(folder.glob("day*.py")).stem[3:])
    submission = compose(tmp_path / "sub", folder, base=EXERCISES)
    if folder.name in HANGS:
        (submission / "HANGS").touch()
    out = OUT / f"{mode}-{folder.name}" if not disable and mode != "none" else \
        OUT / f"wins-{folder.name}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    tmp = tmp_path / "tmp"  # the grader's TMPDIR: its kit-worker-* folders land here
    tmp.mkdir()
    start = time.monotonic()
    try:
        if in_process:
            problems = grade_here(day, submission, out, mode, tmp, disable)
        else:
            done = grading(day, submission, out, mode, tmp, disable).communicate(TIME_LIMIT_S)
            code, said = done[2], done[0] + done[1]
            problems = [] if code == 0 else [f"grading exited with {code}: {said[-600:]}"]
    except subprocess.TimeoutExpired:
        problems = [f"grading did not finish within {TIME_LIMIT_S} s"]
    graded = time.monotonic()
    problems += lingering(tmp)
    path = out / f"day{day}.json"
    first = path.read_bytes() if path.is_file() else None
    if first is None:
        problems.append(f"no report at {path}")
    else:
        WRITTEN[path] = first
        problems += judge(json.loads(first), day)
    problems += host.changes()
    if settle:
        time.sleep(max(0.0, graded + SETTLE_S - time.monotonic()))
        if first is not None and path.read_bytes() != first:
            problems.append(f"the report changed after grading: {path.read_bytes()[:300]!r}")
        problems += lingering(tmp)
    problems += [f"left behind: {p}" for p in tmp.glob("kit-worker-*")]
    worker.remove_tree(tmp)  # what a disabled cleanup left
    return problems, graded - start


class Grading:
    """A grading process started in its own session: communicate() -> (out, err, exit code)."""

    def __init__(self, cmd, env, cwd):
        self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)

    def communicate(self, timeout):
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return out, err, self.proc.returncode

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.communicate()


def grade_here(day, submission, out, mode, tmp, disable):
    """Grade in this process (a worker still runs the learner's code); what went wrong."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(switches.TEST_SWITCH, ",".join(disable))
        patch.setattr(tempfile, "tempdir", str(tmp))
        try:
            grade(day, submission, out, seed=1, sandbox=mode, batch=False)
        except Exception as exc:
            return [f"grading raised {type(exc).__name__}: {str(exc)[:300]}"]
    return []


def grading(day, submission, out, mode, tmp, disable=()):
    """Start `python -m graders grade` (mode none: engine.grade in-process, from `tmp`)."""
    env = dict(ENV, TMPDIR=str(tmp), **({switches.TEST_SWITCH: ",".join(disable)} if disable
                                        else {}))
    if Path(submission).joinpath("HANGS").exists():  # a hang waits out the limit of a check:
        env[switches.TEST_CHECK_S] = str(HANG_CHECK_S)  # the same deadline code, shorter
    if mode == "none":
        script = ("import sys; from pathlib import Path; from graders import engine, limits; "
                  f"limits.CHECK_S = {NONE_CHECK_S}; "
                  "engine.grade(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), 1, "
                  "'none', batch=True)")
        return Grading([sys.executable, "-c", script, str(day), str(submission), str(out)],
                       env, tmp)
    return Grading([sys.executable, "-m", "graders", "grade", "--day", str(day), "--submission",
                    str(submission), "--out", str(out), "--seed", "1", "--sandbox", mode],
                   env, ROOT)


def judge(report, day):
    """What is wrong with a hostile submission's report."""
    problems = []
    if report["score"] > 0 or report["status"] in ("passed", "partial"):
        won = [t["name"] for t in report["tests"] if t["status"] == "passed"]
        problems.append(f"scored {report['score']}/{report['max_score']} ({report['status']}), "
                        f"passing {won}")
    try:
        jsonschema.validate(report, SCHEMA)
    except jsonschema.ValidationError as exc:
        problems.append(f"the report does not validate: {exc.message}")
    said = "\n".join([report.get("message", "")] + [t.get("message", "") for t in
                                                     report.get("tests", [])])
    problems += [f"a report message quotes a secret line: {line!r}" for line in secrets(day)
                 if line in said]
    problems += [f"learner code decided a check's outcome: {t['name']}"
                 for t in report.get("tests", []) if "did not run to the end" in t["message"]]
    return problems


def secrets(day):
    """Lines of the reference and the hidden tests that the stub does not have."""
    stub = {line.strip() for line in (EXERCISES / f"day{day}.py").read_text().splitlines()}
    lines = (REFERENCE / f"day{day}.py").read_text().splitlines()
    hidden = ROOT / "graders" / "hidden" / f"test_day{day}.py"
    lines += hidden.read_text().splitlines() if hidden.is_file() else []
    return {line.strip() for line in lines if len(line.strip()) >= 20} - stub


def lingering(tmp):
    """Live processes an attack left: named PROCESS_MARK, or working in or started from `tmp`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        comm, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2]
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        if state != "Z" and (comm == PROCESS_MARK or str(tmp) in cwd
                             or str(tmp).encode() in cmdline):
            found.append(f"process {pid} ({comm}) is still running: {cmdline[:120]!r} in {cwd}")
    return found


def listener(kind, address):
    """A non-blocking socket bound to `address` (waiting a little if the port is still busy)."""
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    sock = socket.socket(family, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for attempt in range(30):
        try:
            sock.bind(address)
            break
        except OSError:
            if attempt == 29:
                raise
            time.sleep(0.1)
    if kind == socket.SOCK_STREAM:
        sock.listen()
    sock.setblocking(False)
    return sock


def files_under(*folders):
    """{path: bytes} of every regular file under the folders; names of other entries too."""
    found = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            found[str(p)] = p.read_bytes() if p.is_file() else p.is_dir()
    return found


def repo_files():
    """Every file of the repo outside .git and .venv."""
    found = set()
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in (".git", ".venv", "__pycache__")]
        found |= {os.path.join(top, f) for f in files}
    return found


def tracked():
    """sha256 of every file git tracks in the repo (None for a missing one)."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    return {n: hashlib.sha256((ROOT / n).read_bytes()).hexdigest() if (ROOT / n).is_file()
            else None for n in names if n}


def marked(path):
    try:
        return Path(path).is_file() and MARK in Path(path).read_bytes()
    except OSError:
        return False


class Host:
    """What an attack must not touch: set up before grading, compared after."""

    def __init__(self):
        for folder in (CANARY, HOME_CANARY):
            shutil.rmtree(folder, ignore_errors=True)
        OTHER_LEARNER.mkdir(parents=True)
        (OTHER_LEARNER / "day3.py").write_text("# another learner's own work\n")
        HOME_CANARY.mkdir()
        (HOME_CANARY / "canary.txt").write_text("the grading user's own file\n")
        SENTINEL.parent.mkdir(parents=True, exist_ok=True)
        SENTINEL.write_text('{"score": 0, "note": "a report that no grading writes"}\n')
        self.sentinel = SENTINEL.read_bytes()
        remove_shared_memory()
        self.sockets = {"TCP": listener(socket.SOCK_STREAM, ("127.0.0.1", PORT)),
                        "UDP": listener(socket.SOCK_DGRAM, ("127.0.0.1", PORT)),
                        "Unix": listener(socket.SOCK_STREAM, str(UNIX_SOCKET)),
                        "abstract Unix": listener(socket.SOCK_STREAM, ABSTRACT_SOCKET)}
        self.canaries = files_under(CANARY, HOME_CANARY)
        self.tracked = tracked()
        self.files = repo_files()
        for p in (ROOT / "reports").glob("*.json"):  # left by a run that was stopped midway
            if marked(p):
                p.unlink()
        self.reports = {p: p.read_bytes() for p in (ROOT / "reports").glob("*.json")}  # `make`'s

    def changes(self):
        """Everything the attack changed on the host."""
        found = []
        now = files_under(CANARY, HOME_CANARY)
        found += [f"canary changed: {p}" for p in sorted(now.keys() | self.canaries.keys())
                  if now.get(p) != self.canaries.get(p)]
        now = tracked()
        found += [f"tracked file changed: {n}" for n in sorted(now.keys() | self.tracked.keys())
                  if now.get(n) != self.tracked.get(n)]
        found += [f"planted: {p}" for p in sorted(repo_files() - self.files) if marked(p)]
        found += [f"planted: {p}" for p in PLANTED if marked(p)]
        found += [f"a report outside the out folder was forged: {p}"
                  for p in (ROOT / "reports").glob("*.json") if marked(p)]
        if not SENTINEL.is_file() or SENTINEL.read_bytes() != self.sentinel:
            found.append(f"another report was forged: {SENTINEL}")
        if shared_memory() >= 0:
            found.append(f"System V shared memory (key {SHM_KEY:#x}) was left on the host")
        for kind, sock in self.sockets.items():
            try:
                got = sock.recv(100) if kind == "UDP" else sock.accept()[0].recv(100)
                found.append(f"the {kind} listener was reached: {got!r}")
            except (BlockingIOError, InterruptedError):
                pass
        return found

    def close(self):
        """Close the listeners, end the processes the attack left, then undo what it planted
        (in this order: a process still running could plant it again)."""
        for sock in self.sockets.values():
            sock.close()
        end = time.monotonic() + 2
        while (left := marked_processes()) and time.monotonic() < end:
            for pid, state, parent in left:
                try:
                    if state != "Z":
                        os.kill(pid, signal.SIGKILL)
                    elif parent == os.getpid():  # re-parented to us (a subreaper): reap it
                        os.waitpid(pid, 0)
                except OSError:
                    pass
            time.sleep(0.01)
        for p in [*(repo_files() - self.files), *PLANTED]:
            if marked(p) and Path(p) not in self.reports:
                os.remove(p)
        for p, data in self.reports.items():  # a forged report of the kit's own folder: put back
            if marked(p):
                p.write_bytes(data)
        for folder in (CANARY, HOME_CANARY):
            shutil.rmtree(folder, ignore_errors=True)
        remove_shared_memory()


def marked_processes():
    """[(pid, state, parent pid)] of every process named PROCESS_MARK, zombies included,
    except zombies we cannot reap."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if stat[stat.index("(") + 1:stat.rindex(")")] == PROCESS_MARK and \
                (fields[0] != "Z" or int(fields[1]) == os.getpid()):
            found.append((int(pid), fields[0], int(fields[1])))
    return found


def shared_memory():
    """The id of the host's System V segment of SHM_KEY, or -1."""
    return ctypes.CDLL(None, use_errno=True).shmget(SHM_KEY, 0, 0)


def remove_shared_memory():
    segment = shared_memory()
    if segment >= 0:
        ctypes.CDLL(None).shmctl(segment, 0, None)  # IPC_RMID


@pytest.fixture
def host():
    watched = Host()
    yield watched
    watched.close()


def test_no_report_changed_after_the_corpus_ran():
    time.sleep(1.5)
    changed = [str(p) for p, data in WRITTEN.items() if p.read_bytes() != data]
    assert not changed, changed


@pytest.mark.parametrize("day", [3, 6])
def test_reference_scores_full_marks_in_process_mode(day, tmp_path):
    report = grade(day, REFERENCE, tmp_path, sandbox="process")
    failed = {t["name"]: t["message"] for t in report["tests"] if t["status"] != "passed"}
    assert report["sandbox"] == "process"
    assert report["status"] == "passed" and not failed, failed


# -- each attack wins where its defence is missing ------------------------------------------
HANGS = ("hang_alarm_cancelled", "hang_swallow_exceptions", "stderr_fifo_hang")
HANG_CHECK_S = 3  # the time limit of a check while a hang attack is graded (instead of 10 s)


def without_defence(folder):
    """(the mode in which the attack of `folder` is graded to win, the switches to turn off)."""
    names = defences(folder)
    mode = "none" if "process" in names else "bwrap" if "bwrap-caps" in names else "process"
    return mode, [d for d in names if d not in NOT_SANDBOX]


def win_cases():
    for folder in attacks():
        if folder.name in HANGS or defences(folder) == ("exact-types",):
            continue
        mode = without_defence(folder)[0]
        marks = [pytest.mark.skipif(not bwrap_works(), reason="needs bubblewrap")] \
            if mode == "bwrap" else []
        if folder.name == "i386_syscalls":
            marks.append(pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86-64"))
        yield pytest.param(folder, mode, id=folder.name, marks=marks)


@pytest.mark.parametrize("folder, mode", list(win_cases()))
def test_attack_wins_without_its_defence(folder, mode, host, tmp_path):
    off = without_defence(folder)[1]
    problems, _ = attack(folder, mode, host, tmp_path, disable=off, settle=False,
                         in_process=mode != "none" and "escaping" not in off)  # escaping: the
    # terminal's words, so a grading process of its own
    assert problems, f"{folder.name} gained nothing with {', '.join(defences(folder))} off"


def test_hangs_win_without_their_defence(tmp_path):
    """Graded in-process, the endless loops hang the grader; a FIFO read by path hangs it too.
    All three at once: HANG_S in all."""
    runs = {}
    for name in HANGS:
        folder, tmp = HOSTILE / name, tmp_path / name
        tmp.mkdir()
        submission = compose(tmp / "sub", folder, base=EXERCISES)
        mode, off = without_defence(folder)
        runs[name] = grading(3, submission, tmp / "out", mode, tmp, off)
    time.sleep(HANG_S)
    finished = [name for name, run in runs.items() if run.proc.poll() is not None]
    for run in runs.values():
        run.kill()
    assert not finished, f"{finished} finished without their defence: they do not hang"


def naive_equal(got, want):
    """A naive check: == or np.allclose, whatever the type of what came back."""
    try:
        return bool(np.all(got == want)) or bool(np.allclose(got, want))
    except Exception:
        return False


def written(obj, name, value):
    """Set an attribute, then read it back."""
    setattr(obj, name, value)
    return getattr(obj, name)


def naive_trials(module, rng):
    """(function, what it returned, the right answer) for whatever the module defines."""
    z, x = rng.standard_normal((4, 3)), rng.standard_normal((4, 6))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    sm = e / e.sum(axis=1, keepdims=True)
    t = np.eye(3)[[0, 2, 1, 0]]
    trials = {
        "relu": (lambda: module.relu(z), np.maximum(z, 0)),
        "softmax": (lambda: module.softmax(z), sm),
        "cross_entropy": (lambda: module.cross_entropy(sm, t),
                          -np.mean(np.sum(t * np.log(sm), axis=1))),
        "f": (lambda: module.f(1.0, 2.0, 3.0), 9.0),
        "sigmoid_derivative": (lambda: module.sigmoid_derivative(z),
                               1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z)))),
        "relu_derivative": (lambda: module.relu_derivative(z), (z > 0).astype(float)),
        "NeuralNetwork": (lambda: written(module.NeuralNetwork(4, 6, 3), "W1", x), x),
    }
    for name, (call, want) in trials.items():
        if hasattr(module, name):
            try:
                yield name, call(), want
            except Exception:
                pass


@pytest.mark.parametrize("folder", [pytest.param(f, id=f.name) for f in attacks()
                                    if defences(f) == ("exact-types",)])
def test_lying_values_fool_a_naive_check(folder):
    path = next(folder.glob("day*.py"))
    spec = importlib.util.spec_from_file_location(f"hostile_{folder.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fooled = [name for name, got, want in naive_trials(module, np.random.default_rng(1))
              if naive_equal(got, want) and not (type(got) is type(want) is np.ndarray and
                                                 got.dtype == want.dtype)]
    assert fooled, f"{folder.name} fools no naive check: it proves nothing"
