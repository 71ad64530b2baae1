"""Learner code runs here: in a separate, limited process, optionally inside bubblewrap.

The parent (the pytest process) never imports learner code. Each worker gets a fresh temporary
folder holding copies of the submission's `day*.py`, `runner.py` and `funcs.py`, a scrubbed
environment, resource limits, and a wall-clock deadline per call. A timeout or a crash kills
the worker's whole process tree; the next request starts a fresh worker.
"""
import ctypes
import os
import platform
import resource
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from graders import policy, runner
from graders.door import Crash, Timeout

HERE = Path(__file__).resolve().parent
LIMITS = {  # generous: a correct solution never meets them
    "address_space_mb": 2048,
    "cpu_s": 600,
    "file_size_mb": 16,
    "open_files": 256,
    "processes": 64,
}


SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache",
          "/dev/null", "/dev/urandom", "/proc/self", "/sys/devices/system/cpu")


def become_subreaper():
    """Orphans of the worker (even after setsid) are re-parented to us, so we can reap them."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        except (OSError, AttributeError):
            pass


def bwrap_works():
    """True when bubblewrap is installed and can start a process here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    done = subprocess.run([exe, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                           "--proc", "/proc", "--dev", "/dev", "true"], capture_output=True)
    return done.returncode == 0


def choose_sandbox(requested):
    """auto -> bwrap where it works, else process (with a one-line notice)."""
    if requested == "auto":
        if bwrap_works():
            return "bwrap"
        print("graders: bubblewrap not available; learner code runs in a limited process "
              "without a filesystem sandbox", file=sys.stderr)
        return "process"
    if requested == "bwrap" and not bwrap_works():
        raise RuntimeError("--sandbox bwrap: bubblewrap is not installed or cannot run here")
    return requested


class Worker:
    """The transport of the door: requests go to a worker process, records come back."""
    live = set()  # pids of the workers of this process that are serving

    def __init__(self, folder, sandbox="process", limits=None, data=False, first=None):
        self.folder = Path(folder)
        self.sandbox = sandbox
        self.data = data  # the graded files use scikit-learn
        self.first = first  # the module to import as soon as the worker starts
        self.python = python_paths(data)
        self.limits = dict(LIMITS, **(limits or {}))
        self.proc = None
        self.generation = 0
        become_subreaper()

    def twin(self):
        """A started worker like this one, for work that runs alongside (the spare, when one
        was started early)."""
        other, self.spare = getattr(self, "spare", None), None
        if other is None:
            other = Worker(self.folder, self.sandbox, self.limits, self.data, self.first)
            other.start()
        return other

    # -- requests ---------------------------------------------------------------
    def request(self, op, target, *args, deadline=None):
        if self.proc is None:
            self.start()
        try:
            os.write(self.to_worker, runner.pack([op, list(target) if target else None, args]))
            return runner.unpack(lambda n: self.read(n, deadline))
        except Timeout:
            self.stop()
            raise
        except (EOFError, BrokenPipeError, ValueError, IndexError, KeyError, TypeError):
            last = self.last_words()  # died, or sent a reply we cannot read
            code = self.stop(grace=0.3)
            raise Crash(crash_words(code) + last) from None
        except BaseException:  # e.g. pytest-timeout's alarm: the worker's state is unknown
            self.stop()
            raise

    def read(self, n, deadline):
        data = b""
        while len(data) < n:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise Timeout("This call took too long and was stopped: look for a loop "
                              "that never ends, or work that grows too fast.")
            ready, _, _ = select.select([self.from_worker], [], [], min(left or 0.5, 0.5))
            if not ready and self.proc.poll() is not None:
                raise EOFError  # died, though an escaped child may still hold the pipe
            if ready:
                chunk = os.read(self.from_worker, min(n - len(data), 1 << 20))
                if not chunk:
                    raise EOFError
                data += chunk
        return data

    # -- life and death ---------------------------------------------------------
    def start(self):
        self.home = Path(tempfile.mkdtemp(prefix="kit-worker-"))
        work = self.home / "work"
        work.mkdir()
        for f in self.folder.glob("day*.py"):
            if f.is_file() and not f.is_symlink():
                shutil.copy(f, work / f.name)
        shutil.copy(HERE / "runner.py", work / "runner.py")
        shutil.copy(HERE / "funcs.py", work / "funcs.py")
        shutil.copy(HERE / "policy.py", work / "policy.py")
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        cmd = [sys.executable, "-I", "runner.py", str(req_r), str(rep_w),
               *([self.first] if self.first else [])]
        if self.sandbox == "bwrap":
            cmd = bwrap_command(work, self.home, self.python) + cmd
        self.err = open(self.home / "stderr.txt", "w+b")  # kept open: see last_words
        self.proc = subprocess.Popen(
            cmd, cwd=work, env=scrubbed_env(self.home), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.err, pass_fds=(req_r, rep_w),
            start_new_session=True, preexec_fn=self.confine)
        os.close(req_r)
        os.close(rep_w)
        self.to_worker, self.from_worker = req_w, rep_r
        Worker.live.add(self.proc.pid)
        self.generation += 1

    def confine(self):
        """In the child before exec: resource limits, and Landlock in process mode."""
        apply_limits(self.limits)
        if self.sandbox == "process":
            isolate()
            forbid_reaching_out()
            listable, readable = self.python
            restrict([*map(str, readable), *SYSTEM], [str(self.home)], list(map(str, listable)))

    def last_words(self):
        """The last line the worker wrote to stderr (why it died), if any."""
        try:  # through our own descriptor: the worker may have swapped the file for a symlink
            end = os.fstat(self.err.fileno()).st_size  # to a secret, or for a FIFO
            lines = os.pread(self.err.fileno(), 2000, max(0, end - 2000)).decode(errors="replace")
        except (OSError, ValueError):
            return ""
        lines = lines.strip().splitlines()
        return f" Its last words: {lines[-1][:300]}" if lines else ""

    def stop(self, grace=0.0):
        """Kill the worker's process group and every orphan it left; returns its exit code
        (waiting `grace` seconds first, so that a worker that is exiting says how)."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        Worker.live.discard(proc.pid)
        for fd in (self.to_worker, self.from_worker):
            os.close(fd)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        code = proc.wait()
        reap_orphans()
        self.err.close()
        shutil.rmtree(self.home, ignore_errors=True)
        return code

    def close(self):
        """Stop the worker and its spare."""
        if getattr(self, "spare", None):
            self.spare.stop()
        self.stop()


def apply_limits(limits):
    """In the child before exec: address space, CPU, file size, open files, processes, core."""
    mb = 1 << 20
    for res, value in ((resource.RLIMIT_AS, limits["address_space_mb"] * mb),
                       (resource.RLIMIT_CPU, limits["cpu_s"]),
                       (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb),
                       (resource.RLIMIT_NOFILE, limits["open_files"]),
                       (resource.RLIMIT_NPROC, limits["processes"]),
                       (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass


def isolate():
    """In the child before exec: a user namespace drops every capability a root grader has
    (mknod, raising limits, ...) and a network namespace cuts UDP and raw sockets, which
    Landlock leaves open. Best effort: where namespaces are not allowed, nothing changes."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    if libc.unshare(0x10000000 | 0x40000000) != 0:  # CLONE_NEWUSER | CLONE_NEWNET
        libc.unshare(0x40000000)


SECCOMP = {  # machine: (audit arch, setpriority, prlimit64, socket, socketpair)
    "x86_64": (0xC000003E, 141, 302, 41, 53),
    "aarch64": (0xC00000B7, 140, 261, 198, 199),
}


def forbid_reaching_out():
    """seccomp: setpriority, prlimit on another process, and Unix sockets fail with EPERM
    (what Landlock leaves open in process mode). True when the filter is in place."""
    if platform.machine() not in SECCOMP:
        return False
    arch, setprio, prlimit, sock, pair = SECCOMP[platform.machine()]
    ld, jeq, ret = 0x20, 0x15, 0x06
    allow, eperm = 0x7FFF0000, 0x00050001
    program = [(ld, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, allow),
               (ld, 0, 0, 0), (jeq, 8, 0, setprio), (jeq, 2, 0, prlimit), (jeq, 3, 0, sock),
               (jeq, 2, 4, pair),
               (ld, 0, 0, 16), (jeq, 2, 3, 0),        # prlimit64(pid): only pid 0, itself
               (ld, 0, 0, 16), (jeq, 1, 0, 1),        # socket(domain): AF_UNIX = 1
               (ret, 0, 0, allow), (ret, 0, 0, eperm)]

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    filters = (Filter * len(program))(*(Filter(*f) for f in program))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    return libc.prctl(22, 2, ctypes.byref(Program(len(program), filters)), 0, 0) == 0


def restrict(read_only, read_write, listable=()):
    """Landlock (Linux 5.13+), in the child before exec: files only under the given folders,
    no TCP connect or bind, no signals to processes outside. Returns the ABI used (0: none)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(VERSION)
    except (OSError, AttributeError):
        return 0
    if abi < 1:
        return 0
    fs = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0) \
        | (1 << 15 if abi >= 5 else 0)
    net = 0b11 if abi >= 4 else 0
    scoped = 0b11 if abi >= 6 else 0
    attr = (ctypes.c_uint64 * 3)(fs, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = libc.syscall(444, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return 0

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]

    read = 0b1101  # execute, read file, read dir
    for paths, access in ((listable, 0b1000), (read_only, read), (read_write, fs)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            rights = access if os.path.isdir(path) else access & 0b0111  # files: file rights
            rule = PathBeneath(rights, fd)
            libc.syscall(445, ruleset, 1, ctypes.byref(rule), 0)
            os.close(fd)
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    done = libc.syscall(446, ruleset, 0)  # landlock_restrict_self
    os.close(ruleset)
    return abi if done == 0 else 0


def scrubbed_env(home):
    """Only what Python and NumPy need; nothing inherited that could carry a secret."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(home / "mpl"), "TMPDIR": str(home),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
            **{k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_CORETYPE")
               or k == "OPENBLAS_L2_SIZE"}}


def python_paths(data=False):
    """What the worker may read of this Python: (listable folders, readable paths). The
    interpreter, the standard library, and of site-packages only the allowed packages and what
    they need (so a forbidden import fails however it is spelled)."""
    base, venv = Path(sys.base_prefix).resolve(), Path(sys.prefix)
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    sites = sorted({Path(p).resolve() for p in sys.path if p.endswith("site-packages")})
    readable = [Path(sys.executable).parent, venv / "pyvenv.cfg", base / "bin",
                *base.glob("lib/libpython*"),
                *(p for p in stdlib.iterdir() if p.name != "site-packages")]
    for site in sites:
        readable += [p for p in site.iterdir() if policy.installed(p.name, data)]
    return [stdlib, *sites], [p for p in readable if p.exists()]


def bwrap_command(work, home, python):
    """bubblewrap: no network, own PID namespace, only Python and the worker folder visible."""
    cmd = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
           "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for system in SYSTEM:
        if os.path.exists(system) and not system.startswith(("/dev", "/proc", "/sys")):
            cmd += ["--ro-bind", system, system]
    for path in python[1]:
        cmd += ["--ro-bind", str(path), str(path)]
    # the sandbox's own root (where the folders above were made) becomes read-only too
    cmd += ["--bind", str(home), str(home), "--remount-ro", "/", "--chdir", str(work)]
    return cmd


def reap_orphans():
    """Kill and wait for every process that was re-parented to us (escaped grandchildren),
    sparing the workers that are still serving."""
    me = str(os.getpid())
    for _ in range(50):
        orphans = [int(p) for p in os.listdir("/proc") if p.isdigit() and parent_of(p) == me
                   and int(p) not in Worker.live]
        if not orphans:
            return
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return None


def crash_words(code):
    """Why the worker died, for a beginner."""
    if code in (-signal.SIGKILL, -signal.SIGXCPU) or code == 137:
        return "Your code was stopped: it used too much memory or CPU time."
    if code is not None and code < 0:
        return f"Your code crashed the Python process (signal {-code})."
    return f"Your code ended the Python process (exit code {code}) instead of returning."
