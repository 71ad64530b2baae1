"""The worker's confinement, piece by piece (the attacks of tests/hostile try it whole): the
sklearn stand-in gives what scikit-learn gives and nothing more, no process or zombie outlives
a worker, the disk watch, cleanup of any folder, the seccomp program, the test-only switch."""
import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ENV, ROOT
from graders import filters, forkserver, limits, processes, sandbox, standin, switches, worker
from graders.failures import Crash
from graders.worker import Worker

PROBE = b'''
import os, sys
def modules():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy", "joblib"))
def digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    d = load_digits()
    return train_test_split(d.data, d.target, test_size=0.2, random_state=42, stratify=d.target)
def chain(depth, name):
    """Processes called `name` in sessions of their own, each the parent of the next."""
    import ctypes, time
    r, w = os.pipe()
    if os.fork() == 0:
        for _ in range(depth):
            os.setsid()
            ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)
            os.write(w, b".")
            if os.fork():
                break
        os.close(w)
        time.sleep(60)
        os._exit(0)
    os.close(w)
    made = b""
    while len(made) < depth:
        made += os.read(r, depth)
    return len(made)
'''


def test_the_stand_in_splits_and_loads_exactly_as_scikit_learn(tmp_path, monkeypatch):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    for name, folder in zip(standin.DATA, ("data", "descr")):  # as the worker gets them
        (tmp_path / name).write_bytes((worker.sklearn_datasets() / folder / name).read_bytes())
    monkeypatch.setattr(standin, "HERE", tmp_path)
    real, ours = load_digits(), standin.load_digits()
    for key in ("data", "target", "images", "target_names"):
        assert np.array_equal(real[key], ours[key]) and ours[key].dtype == real[key].dtype, key
    assert ours.feature_names == real.feature_names and ours.data is ours["data"]
    X, y = ours.data, ours.target
    for test_size, stratify, seed, shuffle in itertools.product(
            (None, 0.2, 0.33, 360), (None, y, np.eye(10)[y]), (0, 42, None), (True, False)):
        outs = []
        for split in (train_test_split, standin.train_test_split):
            np.random.seed(3)
            try:
                outs.append(split(X, y, test_size=test_size, stratify=stratify,
                                  random_state=seed, shuffle=shuffle))
            except ValueError as exc:
                outs.append(type(exc))
        theirs, mine = outs
        if isinstance(theirs, type):
            assert mine is theirs
        else:
            assert all(np.array_equal(a, b) for a, b in zip(theirs, mine, strict=True))
    assert standin.train_test_split(list(range(10)), test_size=3, random_state=1) == \
        train_test_split(list(range(10)), test_size=3, random_state=1)


def test_other_names_of_the_stand_in_are_an_import_error_that_names_the_two_it_has():
    with pytest.raises(ImportError, match="load_digits"):
        standin.missing("load_iris")


@pytest.fixture(params=["process", "bwrap"])
def mode(request):
    if request.param == "bwrap" and not sandbox.bwrap_works():
        pytest.skip("bubblewrap is not installed or cannot start a sandbox here")
    return request.param


def call(w, name, *args):
    record = w.request("call", ("day3", name), list(args), {})
    assert "error" not in record, record["error"]
    return record["value"]


def test_a_worker_has_the_stand_in_only_when_the_files_load_data_and_never_scipy(mode):
    with_data, without = Worker({"day3.py": PROBE}, mode, data=True), \
        Worker({"day3.py": PROBE}, mode, data=False)
    try:
        X_train, X_test, y_train, y_test = call(with_data, "digits")
        assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
        assert call(with_data, "modules") == ["sklearn", "sklearn.datasets",
                                              "sklearn.model_selection"]
        record = without.request("call", ("day3", "digits"), [], {})
        assert "No module named 'sklearn" in record["error"]["message"]
    finally:
        with_data.close()
        without.close()


def named(name):
    """pids of the processes (zombies too) called `name`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{pid}/comm").read().strip() == name:
                found.append(int(pid))
        except OSError:
            pass
    return found


def test_a_stopped_worker_leaves_no_process_and_no_zombie(mode):
    name = f"kitsbx-{mode}"  # one per mode: the two may run at once, on two test workers
    w = Worker({"day3.py": PROBE}, mode)
    try:
        assert call(w, "chain", 60, name) == 60
        assert len(named(name)) >= 60
    finally:
        w.close()
    left = named(name)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of the chain's processes outlived the worker"
    assert set(processes.children()) <= forkserver.pids(), "a child of the grader was left"


def test_a_spare_started_before_the_save_serves_the_files_handed_to_it_and_none_outlives(mode):
    worker.keep_spares()  # as `make watch` does
    try:
        first = Worker({"day3.py": PROBE + b"def which():\n    return 1\n"}, mode)
        assert call(first, "which") == 1
        first.close()
        worker.refill()  # one spare of the kind just taken, started while nothing grades
        spare = worker.Worker.spares[mode, False]
        second = Worker({"day3.py": PROBE + b"def which():\n    return 2\n"}, mode)
        assert call(second, "which") == 2  # the new files, served by the spare
        assert second.proc is spare.proc and second.generation == 1
        second.close()
        worker.refill()
        assert (mode, False) in worker.Worker.spares
    finally:
        worker.keep_spares(False)
    assert worker.Worker.spares == {} and set(processes.children()) <= forkserver.pids()
    worker.refill()  # off: no spare started
    assert worker.Worker.spares == {}


def test_bwrap_hides_the_base_pythons_own_site_packages_it_binds_the_stdlib_with(monkeypatch):
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap is not installed or cannot start a sandbox here")
    import sysconfig
    site = Path(sysconfig.get_paths()["stdlib"]).resolve() / "site-packages"
    if not site.is_dir() or not any(site.iterdir()):
        pytest.skip(f"this Python has no packages in {site}")
    probe = PROBE + f"def listing():\n    return sorted(os.listdir({str(site)!r}))\n".encode()
    seen = {}
    for off in ("", "bwrap-site"):  # hidden; then shown, with the hiding turned off
        monkeypatch.setenv(switches.TEST_SWITCH, off)
        w = Worker({"day3.py": probe}, "bwrap")
        try:
            seen[off] = call(w, "listing")
        finally:
            w.close()
    assert seen[""] == [] and seen["bwrap-site"] == sorted(os.listdir(site))


def test_a_spare_that_cannot_start_is_left_out_not_a_crash_of_watch(monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    worker.keep_spares()
    try:
        first = Worker({"day3.py": PROBE}, "process")
        first.start()
        first.close()
        monkeypatch.setattr(worker.tempfile, "mkdtemp", full)
        worker.refill()  # would raise into watch's loop and end it with a traceback
        assert worker.Worker.spares == {}
    finally:
        worker.keep_spares(False)


def test_a_worker_finds_numpy_when_the_python_keeps_it_in_dist_packages(mode, monkeypatch):
    """Debian's and Colab's Pythons: no sys.path entry ends in site-packages; the worker, which
    starts without `site`, is still given the folder that holds NumPy."""
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not p.endswith("site-packages")])
    w = Worker({"day3.py": PROBE}, mode)
    try:
        assert call(w, "modules") == []
    finally:
        w.close()


def test_checking_for_bubblewrap_leaves_no_child_behind():
    done = subprocess.run([sys.executable, "-c", "from graders import processes, sandbox; "
                           "processes.become_subreaper(); sandbox.bwrap_works(); "
                           "print(processes.children())"], env=ENV, capture_output=True,
                          text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_a_process_mode_worker_that_fills_its_folder_is_stopped_and_later_calls_refused():
    fill = b"def fill():\n    with open('big', 'wb') as f:\n        f.write(b'x' * (15 << 20))\n" \
           b"    for i in range(4):\n        open(f'big{i}', 'wb').write(b'x' * (15 << 20))\n"
    w = Worker({"day3.py": fill + PROBE}, "process")
    try:
        with pytest.raises(Crash, match=f"past {limits.DISK_MB} MB"):
            w.request("call", ("day3", "fill"), [], {})
        with pytest.raises(Crash, match="checks after it were not run"):
            w.request("call", ("day3", "modules"), [], {})
    finally:
        w.close()


def test_the_disk_watch_counts_bytes_and_refuses_too_many_or_too_deep_folders(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100_000)
    assert 100_000 <= sandbox.disk_use(tmp_path) < 200_000
    deep = tmp_path / "deep"
    os.makedirs(deep / "/".join(["d"] * (limits.DISK_DEPTH + 2)))
    assert sandbox.disk_use(deep) is None
    worker.remove_tree(deep)


def test_a_folder_of_any_depth_is_removed_without_recursion(tmp_path):
    top = tmp_path / "top"
    top.mkdir()
    here = os.open(top, os.O_RDONLY)
    for _ in range(1100):  # past Python's recursion limit
        os.mkdir("d", dir_fd=here)
        deeper = os.open("d", os.O_RDONLY, dir_fd=here)
        os.close(here)
        here = deeper
    os.close(os.open("f", os.O_WRONLY | os.O_CREAT, dir_fd=here))
    os.close(here)
    (top / "link").symlink_to(ROOT)  # a link is removed, never followed
    worker.remove_tree(top)
    assert not top.exists() and (ROOT / "README.md").exists()


def test_the_seccomp_program_jumps_only_forward_to_its_two_returns():
    for machine in filters.SECCOMP:
        program = filters.seccomp_program(machine)
        returns = {i for i, (code, *_rest) in enumerate(program) if code == filters.BPF_RET}
        for i, (code, jt, jf, k) in enumerate(program):
            if code in (filters.BPF_JEQ, filters.BPF_JGE):
                assert {i + 1 + jt, i + 1 + jf} <= set(range(i + 1, len(program)))
        assert [program[i][3] for i in sorted(returns)] == [filters.SECCOMP_RET_ALLOW,
                                                            filters.SECCOMP_RET_EPERM]


def test_every_test_only_switch_is_documented_and_off_by_default(monkeypatch):
    readme = (ROOT / "graders" / "README.md").read_text()
    missing = [name for name in switches.DEFENCES if f"`{name}`" not in readme]
    assert not missing, missing
    monkeypatch.delenv(switches.TEST_SWITCH, raising=False)
    assert not any(switches.disabled(name) for name in switches.DEFENCES)
    monkeypatch.setenv(switches.TEST_SWITCH, "seccomp,landlock")
    assert switches.disabled("seccomp") and not switches.disabled("pidns")


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="an x86-64 system call table")
def test_a_process_mode_worker_has_no_io_uring_nor_i386_system_calls():
    src = PROBE + b'''
def syscalls():
    import ctypes, mmap
    libc = ctypes.CDLL(None, use_errno=True)
    ring = libc.syscall(425, 4, ctypes.create_string_buffer(120))
    page = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x40, prot=7)
    page.write(bytes.fromhex("53 89f8 89f3 4989ca 89d1 4489d2 4489c6 4489cf cd80 5b c3"
                             .replace(" ", "")))
    fn = ctypes.CFUNCTYPE(ctypes.c_int, *[ctypes.c_int] * 6)(
        ctypes.addressof(ctypes.c_char.from_buffer(page)))
    return [ring, fn(20, 0, 0, 0, 0, 0), os.getpid()]  # io_uring_setup, i386 getpid
'''
    w = Worker({"day3.py": src}, "process")
    try:
        ring, i386_getpid, pid = call(w, "syscalls")
    finally:
        w.close()
    assert ring == -1 and i386_getpid == -1, (ring, i386_getpid)  # EPERM


INSIDE = b'''
def inside():
    """What a worker is, seen from inside: descriptors, limits, environment, ids, namespaces,
    filters, Python's paths and flags, the kit's modules (its folder written HOME)."""
    import resource, signal
    home = os.path.dirname(os.getcwd())
    rel = lambda x: str(x).replace(home, "HOME")
    fds = []  # what each descriptor is (the numbers of the two pipes are the grader's)
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds.append(rel(os.readlink(f"/proc/self/fd/{fd}")).split("[")[0])
        except OSError:
            pass  # the listing's own
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
    try:
        open("/etc/hostname").read()
        outside = "read"
    except OSError as exc:
        outside = type(exc).__name__
    return {"cwd": rel(os.getcwd()), "env": rel(sorted(os.environ.items())),
            "limits": [resource.getrlimit(getattr(resource, "RLIMIT_" + r))
                       for r in ("AS", "CPU", "FSIZE", "NOFILE", "NPROC", "CORE")],
            "fds": sorted(fds), "ids": [os.getpid(), os.getppid(), os.getsid(0), os.getpgid(0), os.getuid()],
            "uid_map": open("/proc/self/uid_map").read().split(), "outside": outside,
            "status": [status[k].strip() for k in ("Seccomp", "NoNewPrivs", "CapInh", "CapPrm",
                                                   "CapEff", "CapBnd", "CapAmb")],
            "path": [rel(p) for p in sys.path], "argv": [rel(a) for a in sys.argv[:2] + sys.argv[4:]],
            "kit": [rel(p) for p in sys.modules["graders"].__path__], "umask": os.umask(0o22),
            "kit_modules": sorted(m for m in sys.modules if m.startswith("graders")),
            "flags": [sys.flags.isolated, sys.flags.no_site, sys.flags.ignore_environment],
            "signals": [str(signal.getsignal(s)) for s in
                        (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD)]}
def interrupt():
    raise KeyboardInterrupt("stop")
def odd():
    class Odd(BaseException):
        pass
    raise Odd("odd")
'''


def seen_inside(forked, name="inside"):
    """What `name` returns in a process-mode worker, started, or forked by the fork server
    (the Crash's words when it ends the worker)."""
    for _ in range(3):  # the server forks from this process's second worker on
        w = Worker({"day3.py": PROBE + INSIDE}, "process")
        try:
            w.start()
            was_forked = isinstance(w.proc, forkserver.Forked)
            try:
                seen = call(w, name)
            except Crash as exc:
                seen = str(exc)
            if was_forked == forked:
                return seen
        finally:
            w.close()
    pytest.fail("no worker was forked" if forked else "no worker was started")


@pytest.mark.parametrize("name", ["interrupt", "odd"])
def test_a_forked_worker_ends_as_a_started_one_on_what_nothing_catches(name, monkeypatch):
    """KeyboardInterrupt: Python's exit by its own SIGINT (ignored by PID 1: 130); another
    BaseException: 1; each with its last words."""
    monkeypatch.setattr(forkserver, "ON", False)
    started = seen_inside(False, name)
    monkeypatch.setattr(forkserver, "ON", True)
    assert seen_inside(True, name) == started and "Its last words" in started


def test_a_forked_worker_is_confined_and_looks_like_a_started_one(monkeypatch):
    """The fork server's worker confines itself as a started worker is confined (limits,
    namespaces, seccomp, Landlock), then has what a started one has and nothing more: the
    same descriptors (none of the server's: its socket asks for workers), environment,
    paths and kit modules. With the closing of the server's descriptors turned off, the
    socket shows."""
    monkeypatch.setattr(forkserver, "ON", False)
    started = seen_inside(forked=False)
    monkeypatch.setattr(forkserver, "ON", True)
    forked = seen_inside(forked=True)
    assert forked == started
    assert started["ids"][:2] == [1, 0] and started["outside"] == "PermissionError"
    monkeypatch.setenv(switches.TEST_SWITCH, "fork-fds")
    leaky = seen_inside(forked=True)
    assert "socket:" in leaky["fds"] and "socket:" not in forked["fds"]


def test_when_the_fork_server_dies_workers_are_started_again_and_it_is_not_asked_again(
        monkeypatch):
    monkeypatch.setattr(forkserver, "SERVERS", {})  # a server of this test's own
    seen_inside(forked=True)
    server, = forkserver.SERVERS.values()
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    for _ in range(2):
        w = Worker({"day3.py": PROBE}, "process")
        try:
            assert call(w, "modules") == [] and not isinstance(w.proc, forkserver.Forked)
        finally:
            w.close()
    assert list(forkserver.SERVERS.values()) == [None] and forkserver.pids() == set()


def test_bwrap_shows_the_metadata_of_the_allowed_packages_only_and_matplotlib_draws():
    """bubblewrap binds, of the installed packages' .dist-info folders, the allowed packages'
    only (each bind costs a worker's start): matplotlib and NumPy work and know their
    versions; the grader's own packages (pytest) are not there."""
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap is not installed or cannot start a sandbox here")
    probe = PROBE + b'''
def draw():
    import importlib.metadata, io
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    png = io.BytesIO()
    fig.savefig(png, format="png")
    seen = sorted(d.metadata["Name"].lower() for d in importlib.metadata.distributions())
    return [len(png.getvalue()) > 1000, importlib.metadata.version("numpy"), seen]
'''
    w = Worker({"day3.py": probe}, "bwrap")
    try:
        drawn, version, seen = call(w, "draw")
    finally:
        w.close()
    assert drawn and version == np.__version__ and {"numpy", "matplotlib"} <= set(seen)
    assert "pytest" not in seen and len(seen) <= 12, seen


def test_a_grader_that_is_no_subreaper_starts_its_workers_and_a_long_call_is_no_crash():
    """A forked worker is re-parented to the grader only when the grader is a subreaper; where
    it is not (the prctl refused), workers are started, never forked: a forked worker that is
    not our child would look dead to the grader at its first wait longer than 0.5 s."""
    script = '''
from graders import forkserver, processes
from graders.worker import Worker
processes.become_subreaper = lambda: None  # as where the kernel refuses it
src = {"day3.py": b"import time\\ndef nap():\\n    time.sleep(1.2)\\n    return 7\\n"}
for _ in range(3):
    w = Worker(src, "process")
    print(type(w.request("call", ("day3", "nap"), [], {}).get("value")).__name__,
          type(w.proc).__name__)
    w.close()
'''
    done = subprocess.run([sys.executable, "-c", script], env=ENV, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["int", "Popen"] * 3, done.stdout + done.stderr[-2000:]
