"""The techniques that confine a worker: resource limits, bubblewrap, and for process mode
namespaces, seccomp and Landlock. Each function is one technique; `worker.py` combines them.

Linux numbers are named below with the man page they come from.
"""
import ctypes
import os
import platform
import resource
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from graders import limits, policy

# What every worker may read of the system, besides this Python.
SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache",
          "/dev/null", "/dev/urandom", "/proc/self", "/sys/devices/system/cpu")

PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 22, 38             # prctl(2)
SECCOMP_MODE_FILTER = 2
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000     # unshare(2)
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446  # all arches
LANDLOCK_CREATE_RULESET_VERSION = 1


def bwrap_works():
    """True when bubblewrap is installed and can start a process here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    done = subprocess.run([exe, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                           "--proc", "/proc", "--dev", "/dev", "true"], capture_output=True)
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
    isolate()
    forbid_reaching_out()
    listable, readable = python
    landlock([*map(str, readable), *SYSTEM], [str(home)], list(map(str, listable)))


def isolate():
    """A user namespace drops every capability a root grader has (mknod, raising limits, ...)
    and a network namespace cuts UDP and raw sockets, which Landlock leaves open. Best effort:
    where namespaces are not allowed, nothing changes."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        libc.unshare(CLONE_NEWNET)


# seccomp_data (linux/seccomp.h): the syscall number at offset 0, the audit architecture at 4,
# the first argument at 16. Syscall numbers per architecture (asm/unistd.h).
SECCOMP = {  # machine: (AUDIT_ARCH_*, setpriority, prlimit64, socket, socketpair)
    "x86_64": (0xC000003E, 141, 302, 41, 53),
    "aarch64": (0xC00000B7, 140, 261, 198, 199),
}
BPF_LD_ABS, BPF_JEQ, BPF_RET = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K
SECCOMP_RET_ALLOW, SECCOMP_RET_EPERM = 0x7FFF0000, 0x00050001  # SECCOMP_RET_ERRNO | EPERM
AF_UNIX = 1


def forbid_reaching_out():
    """seccomp: setpriority, prlimit on another process, and Unix sockets fail with EPERM
    (what Landlock leaves open in process mode). True when the filter is in place."""
    if platform.machine() not in SECCOMP:
        return False
    arch, setprio, prlimit, sock, pair = SECCOMP[platform.machine()]
    ld, jeq, ret = BPF_LD_ABS, BPF_JEQ, BPF_RET
    allow, eperm = SECCOMP_RET_ALLOW, SECCOMP_RET_EPERM
    program = [(ld, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, allow),
               (ld, 0, 0, 0), (jeq, 8, 0, setprio), (jeq, 2, 0, prlimit), (jeq, 3, 0, sock),
               (jeq, 2, 4, pair),
               (ld, 0, 0, 16), (jeq, 2, 3, 0),        # prlimit64(pid): only pid 0, itself
               (ld, 0, 0, 16), (jeq, 1, 0, AF_UNIX),  # socket(domain)
               (ret, 0, 0, allow), (ret, 0, 0, eperm)]

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
    # the sandbox's own root and its /tmp (where the folders above were made, also when this
    # Python lives under /tmp) become read-only too: only the worker's home is writable
    cmd += ["--bind", str(home), str(home), "--remount-ro", "/", "--remount-ro", "/tmp",
            "--chdir", str(work)]
    return cmd
