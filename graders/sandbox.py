"""The techniques that confine a worker: resource limits, bubblewrap, and for process mode
namespaces, seccomp and Landlock; a watch on the worker folder's size. Each function is one
technique; `worker.py` combines them.

Linux numbers are named below with the man page they come from. For the kit's own tests only,
GRADERS_TEST_DISABLE=landlock,seccomp,... turns named defences off (see `DEFENCES`), so that
each attack of tests/hostile is shown to win without the defence it targets.
"""
import ctypes
import os
import platform
import resource
import shutil
import signal
import struct
import subprocess
import sys
import sysconfig
from pathlib import Path

from graders import limits, policy, processes

# What every worker may read of the system, besides this Python.
SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache",
          "/dev/null", "/dev/urandom", "/proc/self", "/sys/devices/system/cpu")

PR_SET_PDEATHSIG, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 1, 22, 38  # prctl(2)
SECCOMP_MODE_FILTER = 2
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = \
    0x08000000, 0x10000000, 0x20000000, 0x40000000     # unshare(2)
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446  # all arches
LANDLOCK_CREATE_RULESET_VERSION = 1


# What the test-only switch can turn off (GRADERS_TEST_DISABLE, comma-separated).
TEST_SWITCH = "GRADERS_TEST_DISABLE"
DEFENCES = {
    "rlimits": "the worker's resource limits",
    "landlock": "Landlock (process mode)",
    "seccomp": "the seccomp filter (process mode)",
    "userns": "the user namespace (process mode)",
    "netns": "the network namespace (process mode)",
    "ipcns": "the IPC namespace (process mode)",
    "pidns": "the PID namespace (process mode)",
    "bwrap-caps": "bubblewrap's --cap-drop ALL",
    "disk-cap": "the cap on the worker folder's size (sized tmpfs, or the watch)",
    "reaper": "killing the worker's whole process tree and every orphan",
    "cleanup": "removing the worker folder without recursion",
    "last-words-fd": "reading the worker's stderr through the grader's own descriptor",
    "import-guard": "the run-time import guard (learner side)",
    "sklearn-standin": "the kit's stand-in for sklearn's data functions in the worker",
    "no-pickle": "refusing pickled arrays on the wire",
}


def disabled(defence):
    """True when the kit's tests turned `defence` off (never in real grading)."""
    return defence in os.environ.get(TEST_SWITCH, "").split(",")


def bwrap_works():
    """True when bubblewrap is installed and can start a process here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    processes.become_subreaper()  # bwrap leaves a child behind: ours to reap, not init's
    before = set(processes.children())
    done = subprocess.run([exe, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                           "--proc", "/proc", "--dev", "/dev", "true"], capture_output=True)
    processes.reap(set(processes.children()) - before)
    return done.returncode == 0


def choose(requested):
    """auto -> bwrap where it works, else process (with a one-line notice); RuntimeError when
    bwrap is asked for and cannot run."""
    if requested == "auto":
        if bwrap_works():
            return "bwrap"
        print("graders: bubblewrap not available; learner code runs in a limited process "
              "without a filesystem sandbox", file=sys.stderr)
        return "process"
    if requested == "bwrap" and not bwrap_works():
        raise RuntimeError("--sandbox bwrap: bubblewrap is not installed or cannot run here")
    return requested


def apply_limits():
    """In the child before exec: address space, CPU, file size, open files, processes, core."""
    mb = 1 << 20
    if disabled("rlimits"):
        return
    for res, value in ((resource.RLIMIT_AS, limits.ADDRESS_SPACE_MB * mb),
                       (resource.RLIMIT_CPU, limits.CPU_S),
                       (resource.RLIMIT_FSIZE, limits.FILE_SIZE_MB * mb),
                       (resource.RLIMIT_NOFILE, limits.OPEN_FILES),
                       (resource.RLIMIT_NPROC, limits.PROCESSES),
                       (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass


def process_mode(home, python):
    """In the child before exec, in process mode: namespaces, seccomp, then Landlock."""
    if isolate() & CLONE_NEWPID:
        become_init()
    if not disabled("seccomp"):
        forbid_reaching_out()
    if not disabled("landlock"):
        listable, readable = python
        landlock([*map(str, readable), *SYSTEM], [str(home)], list(map(str, listable)))


NAMESPACES = {CLONE_NEWUSER: "userns", CLONE_NEWNET: "netns", CLONE_NEWIPC: "ipcns",
              CLONE_NEWPID: "pidns"}


def isolate():
    """New namespaces: user (drops every capability a root grader has: mknod, raising limits,
    ...), network (cuts UDP and raw sockets, which Landlock leaves open), IPC (System V shared
    memory and message queues of its own) and PID (the grader and other processes out of
    sight; the worker's processes all end with it). Best effort: where namespaces are not
    allowed, nothing changes. Returns the CLONE_* flags that took effect."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return 0
    wanted = sum(flag for flag, name in NAMESPACES.items() if not disabled(name))
    for flags in (wanted, wanted & ~CLONE_NEWUSER):  # root may be refused a user namespace
        if flags and libc.unshare(flags) == 0:
            return flags
    return 0


def become_init():
    """After unshare(CLONE_NEWPID), in the child before exec: fork. The new child is PID 1 of
    the namespace and goes on to become the worker; when it ends, the kernel kills every
    process of the namespace (no orphan, however detached, outlives it). This process stays
    outside, closes every descriptor (so subprocess sees the exec), waits, and ends as the
    worker did; killing it (the grader's kill) kills the worker (PR_SET_PDEATHSIG)."""
    pid = os.fork()
    if pid == 0:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return
    os.closerange(0, 1 << 20)
    status = os.waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


# seccomp_data (linux/seccomp.h): the syscall number at offset 0, the audit architecture at 4,
# the first argument at 16. Syscall numbers per architecture (asm/unistd.h); io_uring_setup,
# _enter and _register are 425-427 everywhere.
SECCOMP = {  # machine: (AUDIT_ARCH_*, setpriority, prlimit64, socket, socketpair)
    "x86_64": (0xC000003E, 141, 302, 41, 53),
    "aarch64": (0xC00000B7, 140, 261, 198, 199),
}
IO_URING = (425, 426, 427)
X32_SYSCALL_BIT = 0x40000000  # x86-64: the x32 ABI's numbers (none on aarch64)
NR, ARCH, ARG0 = 0, 4, 16  # offsets in seccomp_data
BPF_LD_ABS, BPF_JEQ, BPF_JGE, BPF_RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|BPF_W|BPF_ABS, ...
SECCOMP_RET_ALLOW, SECCOMP_RET_EPERM = 0x7FFF0000, 0x00050001  # SECCOMP_RET_ERRNO | EPERM
AF_UNIX = 1


def seccomp_program(machine):
    """The filter, as (code, jump if true, jump if false, k): EPERM for a system call of
    another architecture (i386's int 0x80 on x86-64), an x32 number, io_uring (its requests
    would pass unfiltered), setpriority, prlimit64 on another process and Unix sockets;
    everything else is allowed."""
    arch, setprio, prlimit, sock, pair = SECCOMP[machine]
    ld, jeq, jge, ret = BPF_LD_ABS, BPF_JEQ, BPF_JGE, BPF_RET
    lines = [(ld, ARCH), (jeq, arch, None, "deny"),
             (ld, NR), (jge, X32_SYSCALL_BIT, "deny", None),
             *[(jeq, nr, "deny", None) for nr in (setprio, *IO_URING)],
             (jeq, prlimit, "own pid", None), (jeq, sock, "domain", None),
             (jeq, pair, "domain", "allow"),
             "own pid", (ld, ARG0), (jeq, 0, "allow", "deny"),  # prlimit64(0, ...): itself
             "domain", (ld, ARG0), (jeq, AF_UNIX, "deny", "allow"),
             "allow", (ret, SECCOMP_RET_ALLOW), "deny", (ret, SECCOMP_RET_EPERM)]
    return assemble(lines)


def assemble(lines):
    """BPF with labels: a str is a label; (code, k, label if true, label if false) a jump
    (None: the next instruction), (code, k) anything else. Jumps go forward only."""
    where, code = {}, []
    for line in lines:
        if isinstance(line, str):
            where[line] = len(code)
        else:
            code.append(line)
    program = []
    for i, (op, k, *jumps) in enumerate(code):
        jt, jf = (where[j] - i - 1 if j else 0 for j in (jumps or (None, None)))
        program.append((op, jt, jf, k))
    return program


def seccomp_pipe():
    """The filter for bubblewrap (--seccomp FD): the read end of a pipe holding the program,
    or None where there is none."""
    if platform.machine() not in SECCOMP or disabled("seccomp"):
        return None
    program = b"".join(struct.pack("=HBBI", *f) for f in seccomp_program(platform.machine()))
    read, write = os.pipe()
    os.write(write, program)
    os.close(write)
    return read


def forbid_reaching_out():
    """seccomp (see `seccomp_program`): what Landlock leaves open in process mode. True when
    the filter is in place."""
    if platform.machine() not in SECCOMP:
        return False
    program = seccomp_program(platform.machine())

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    filters = (Filter * len(program))(*(Filter(*f) for f in program))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
                      ctypes.byref(Program(len(program), filters)), 0, 0) == 0


# Landlock access rights (linux/landlock.h): the first 13 filesystem rights exist from ABI 1;
# REFER (ABI 2), TRUNCATE (ABI 3) and IOCTL_DEV (ABI 5) came later. Network (ABI 4): bind and
# connect TCP. Scopes (ABI 6): abstract Unix sockets and signals.
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE  # the rights a rule on a file may hold


def landlock(read_only, read_write, listable=()):
    """Landlock (Linux 5.13+), in the child before exec: files only under the given folders,
    no TCP connect or bind, no signals to processes outside. Returns the ABI used (0: none)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    if abi < 1:
        return 0
    fs = FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) \
        | (FS_IOCTL_DEV if abi >= 5 else 0)
    net = 0b11 if abi >= 4 else 0
    scoped = 0b11 if abi >= 6 else 0
    attr = (ctypes.c_uint64 * 3)(fs, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8  # sizeof(struct landlock_ruleset_attr)
    ruleset = libc.syscall(LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return 0

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]

    read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
    rule_path_beneath = 1  # LANDLOCK_RULE_PATH_BENEATH
    for paths, access in ((listable, FS_READ_DIR), (read_only, read), (read_write, fs)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            rights = access if os.path.isdir(path) else access & FILE_RIGHTS
            rule = PathBeneath(rights, fd)
            libc.syscall(LANDLOCK_ADD_RULE, ruleset, rule_path_beneath, ctypes.byref(rule), 0)
            os.close(fd)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    done = libc.syscall(LANDLOCK_RESTRICT_SELF, ruleset, 0)
    os.close(ruleset)
    return abi if done == 0 else 0


def scrubbed_env(home):
    """Only what Python and NumPy need; nothing inherited that could carry a secret."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(home / "mpl"), "TMPDIR": str(home),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
            **{k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_CORETYPE")
               or k in ("OPENBLAS_L2_SIZE", TEST_SWITCH)}}


def python_paths():
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
        readable += [p for p in site.iterdir() if policy.installed(p.name)]
    return [stdlib, *sites], [p for p in readable if p.exists()]


def bwrap_command(work, home, python, seccomp=None):
    """bubblewrap: no network, own PID and IPC namespaces, only Python and the worker folder
    visible, the seccomp filter of process mode too (`seccomp`: a descriptor holding it). The
    worker's home is a tmpfs of limits.DISK_MB (its day files and the kit's learner side bound
    read-only into it); everything else is read-only."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--proc", "/proc",
           "--dev", "/dev", "--tmpfs", "/tmp"]
    cmd += [] if disabled("bwrap-caps") else ["--cap-drop", "ALL"]
    cmd += [] if seccomp is None else ["--seccomp", str(seccomp)]
    for system in SYSTEM:
        if os.path.exists(system) and not system.startswith(("/dev", "/proc", "/sys")):
            cmd += ["--ro-bind", system, system]
    for path in python[1]:
        cmd += ["--ro-bind", str(path), str(path)]
    if disabled("disk-cap"):
        cmd += ["--bind", str(home), str(home)]
    else:
        cmd += ["--size", str(limits.DISK_MB << 20), "--tmpfs", str(home)]
        for path in [home / "kit", *sorted(work.iterdir())]:
            cmd += ["--ro-bind", str(path), str(path)]
    # the sandbox's own root, its /tmp (where the folders above were made, also when this
    # Python lives under /tmp) and /dev (its /dev/shm) become read-only too: only the worker's
    # home is writable
    cmd += ["--remount-ro", "/", "--remount-ro", "/tmp", "--remount-ro", "/dev",
            "--chdir", str(work)]
    return cmd


def disk_use(folder):
    """Bytes on disk of everything under `folder`, without recursion; None when that is over
    a cap (limits.DISK_MB, DISK_ENTRIES files and folders, DISK_DEPTH levels): counting stops
    there."""
    used, entries, todo = 0, 0, [(str(folder), 0)]
    while todo:
        path, depth = todo.pop()
        if depth > limits.DISK_DEPTH:
            return None
        try:
            found = os.scandir(path)
        except OSError:
            continue
        with found:
            for entry in found:
                entries += 1
                try:
                    used += entry.stat(follow_symlinks=False).st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, depth + 1))
                except OSError:
                    pass
                if entries > limits.DISK_ENTRIES or used > limits.DISK_MB << 20:
                    return None
    return used
