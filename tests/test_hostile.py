"""Hostile submissions: each folder of tests/hostile/ holds one day file, a wrong solution plus
one attack on the kit. Graded in both sandboxes, none may score, forge or lose its report, change
the host, reach the network, or leave a process or a folder behind.

The worker starts in a fresh folder, so nothing can tell an attack where its targets are: they sit
at fixed, guessable places (PORT, CANARY, OUT, HOME_CANARY) that the attacks aim at. Attacks that
obtain something (a secret file, a connection, a lifted limit) answer right from then on, so a win
also shows as a score above 0.
"""
import functools
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import jsonschema
import pytest

from conftest import EXERCISES, REFERENCE, ROOT, compose, grade, run_graders
from graders import sandbox


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
SETTLE_S = 0.3  # a report is read again this long after grading, to catch late forgers
TIME_LIMIT_S = 120
WRITTEN = {}  # report path -> its bytes right after grading, re-checked by the last test

# Attacks that still win, and how; they stay in the corpus, expected to fail until fixed.
OPEN_HOLES = {}  # (attack, mode) -> why it still wins: a strict xfail until it is closed


@functools.cache
def bwrap_works():
    return sandbox.bwrap_works()


def cases():
    for folder in sorted(p for p in HOSTILE.iterdir() if p.is_dir()):
        for mode in ("process", "bwrap"):
            marks = [pytest.mark.xfail(strict=True, reason=OPEN_HOLES[folder.name, mode])] \
                if (folder.name, mode) in OPEN_HOLES else []
            if mode == "bwrap":
                marks.append(pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not "
                                                "installed or cannot start a sandbox here"))
            yield pytest.param(folder, mode, id=f"{folder.name}-{mode}", marks=marks)


def test_the_corpus_has_one_day_file_per_attack_and_25_attacks():
    folders = [p for p in HOSTILE.iterdir() if p.is_dir()]
    assert len(folders) >= 25
    for folder in folders:
        files = [p for p in folder.iterdir() if p.name != "__pycache__"]
        assert len(files) == 1 and files[0].name[:3] == "day", folder.name
        first = files[0].read_text().splitlines()[0]
        assert first.startswith('"""Attack: ') and first.endswith('"""'), folder.name


@pytest.mark.parametrize("folder, mode", list(cases()))
def test_hostile_submission_gains_nothing(folder, mode, host, tmp_path):
    day_file = next(folder.glob("day*.py"))
    day = int(day_file.stem[3:])
    submission = compose(tmp_path / "sub", folder, base=EXERCISES)
    out = OUT / f"{mode}-{folder.name}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    tmp = tmp_path / "tmp"  # the grader's TMPDIR: its kit-worker-* folders land here
    tmp.mkdir()
    start = time.monotonic()
    try:
        done = run_graders("grade", "--day", day, "--submission", submission, "--out", out,
                           "--seed", 1, "--sandbox", mode, env={"TMPDIR": str(tmp)},
                           timeout=TIME_LIMIT_S)
        problems = [] if done.returncode == 0 else \
            [f"grading exited with {done.returncode}: {(done.stderr + done.stdout)[-600:]}"]
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
    time.sleep(max(0.0, graded + SETTLE_S - time.monotonic()))
    if first is not None and path.read_bytes() != first:
        problems.append(f"the report changed after grading: {path.read_bytes()[:300]!r}")
    problems += lingering(tmp)
    problems += [f"left behind: {p}" for p in tmp.glob("kit-worker-*")]
    assert not problems, f"{folder.name} ({mode}, {graded - start:.1f} s):\n" + "\n".join(problems)


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
        self.sockets = {"TCP": listener(socket.SOCK_STREAM, ("127.0.0.1", PORT)),
                        "UDP": listener(socket.SOCK_DGRAM, ("127.0.0.1", PORT)),
                        "Unix": listener(socket.SOCK_STREAM, str(UNIX_SOCKET)),
                        "abstract Unix": listener(socket.SOCK_STREAM, ABSTRACT_SOCKET)}
        self.canaries = files_under(CANARY, HOME_CANARY)
        self.tracked = tracked()
        self.files = repo_files()

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
        for kind, sock in self.sockets.items():
            try:
                got = sock.recv(100) if kind == "UDP" else sock.accept()[0].recv(100)
                found.append(f"the {kind} listener was reached: {got!r}")
            except (BlockingIOError, InterruptedError):
                pass
        return found

    def close(self):
        """Close the listeners, undo what the attack planted, end the processes it left."""
        for sock in self.sockets.values():
            sock.close()
        for p in [*(repo_files() - self.files), *PLANTED]:
            if marked(p):
                os.remove(p)
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == PROCESS_MARK:
                    os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
        for folder in (CANARY, HOME_CANARY):
            shutil.rmtree(folder, ignore_errors=True)


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
