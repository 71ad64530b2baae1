"""The techniques that confine a worker: resource limits, bubblewrap, and for process mode
namespaces and the kernel's filters (seccomp and Landlock, in filters.py); a watch on the
worker folder's size. Each function is one technique; `worker.py` combines them.

Linux numbers are named below with the man page they come from. For the kit's own tests only,
GRADERS_TEST_DISABLE=landlock,seccomp,... turns named defences off (see `DEFENCES`), so that
each attack of tests/hostile is shown to win without the defence it targets.
"""
import ctypes
import importlib.util
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

from graders import filters, limits, policy, processes
from graders.switches import TEST_SWITCH, disabled

# What every worker may read of the system, besides this Python.
SYSTEM = ("/usr", "/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache",
          "/dev/null", "/dev/urandom", "/proc/self", "/sys/devices/system/cpu")

PR_SET_PDEATHSIG = 1  # prctl(2)
_LINUX_CAPABILITY_VERSION_3 = 0x20080522  # capset(2)
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = \
    0x08000000, 0x10000000, 0x20000000, 0x40000000     # unshare(2)


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
        gaps = missing()
        print("graders: bubblewrap not available; learner code runs in a limited process"
              + (f" (not enforced here: {', '.join(gaps)})" if gaps else ""), file=sys.stderr)
        return "process"
    if requested == "bwrap" and not bwrap_works():
        raise RuntimeError("--sandbox bwrap: bubblewrap is not installed or cannot run here")
    return requested


def missing():
    """What process mode cannot enforce on this machine (a Mac, a container, Colab): the
    techniques that are not there, in words for the notice."""
    if not sys.platform.startswith("linux"):
        return ["Landlock's file and network rules", "namespaces", "seccomp",
                "the process-tree reaper"]
    landlock = filters.landlock_abi() and not disabled("landlock")
    gaps = [] if landlock else ["Landlock's file and network rules"]
    if not namespaces_allowed():
        gaps.append("namespaces")
    if platform.machine() not in filters.SECCOMP or disabled("seccomp"):
        gaps.append("seccomp")
    return gaps


def namespaces_allowed():
    """True when a child may unshare new namespaces here (tried in a throwaway child)."""
    pid = os.fork()
    if pid == 0:  # the child: try, and say so by its exit status
        try:
            os._exit(0 if isolate() else 1)
        except BaseException:
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0


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
    if not sys.platform.startswith("linux"):  # none of them exists elsewhere: limits only
        return
    if isolate() & CLONE_NEWPID:
        become_init()
    if not disabled("seccomp"):
        filters.forbid_reaching_out()
    if not disabled("landlock"):
        listable, readable = python
        filters.landlock([*map(str, readable), *SYSTEM], [str(home)], list(map(str, listable)))


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


def drop_capabilities():
    """In a worker forked by the fork server, once confined: the capabilities an exec would
    drop. A process that makes a user namespace holds every capability in it, and exec as a
    user that is not root there (unmapped, as here) clears them: a forked worker never execs.
    capset(2): version 3, this process, every set empty."""
    if os.getuid() == 0:  # root in its namespace: exec would keep them too
        return
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable; twice (64 bits)
    ctypes.CDLL(None, use_errno=True).capset(header, data)


def seccomp_pipe():
    """The filter for bubblewrap (--seccomp FD): the read end of a pipe holding the program,
    or None where there is none."""
    if platform.machine() not in filters.SECCOMP or disabled("seccomp"):
        return None
    program = b"".join(struct.pack("=HBBI", *f)
                       for f in filters.seccomp_program(platform.machine()))
    read, write = os.pipe()
    os.write(write, program)
    os.close(write)
    return read


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
    numpy = Path(importlib.util.find_spec("numpy").origin).resolve().parents[1]
    sites = sorted({Path(p).resolve() for p in sys.path
                    if p.endswith(("site-packages", "dist-packages"))} | {numpy})  # Debian's
    # and Colab's Pythons keep packages in dist-packages; the worker starts without `site`
    readable = [Path(sys.executable).parent, venv / "pyvenv.cfg", base / "bin",
                *base.glob("lib/libpython*"),
                *(p for p in stdlib.iterdir() if p.name != "site-packages")]
    for site in sites:
        readable += [p for p in site.iterdir() if policy.installed(p.name)]
    return [stdlib, *sites], [p for p in readable if p.exists()]


def bwrap_command(work, home, python, seccomp=None):
    """bubblewrap: no network, own PID and IPC namespaces, only Python and the worker folder
    visible, the seccomp filter of process mode too (`seccomp`: a descriptor holding it). The
    worker's home is a tmpfs of limits.DISK_MB (the kit's learner side bound read-only into
    it; the worker writes its day files there when they come); everything else is
    read-only."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--proc", "/proc",
           "--dev", "/dev", "--tmpfs", "/tmp"]
    cmd += [] if disabled("bwrap-caps") else ["--cap-drop", "ALL"]
    cmd += [] if seccomp is None else ["--seccomp", str(seccomp)]
    for system in SYSTEM:
        if os.path.exists(system) and not system.startswith(("/dev", "/proc", "/sys")):
            cmd += ["--ro-bind", system, system]
    stdlib = python[0][0]  # bound whole (one mount, not 200: a tenth of the worker's start)
    hidden = stdlib / "site-packages"  # with its own site-packages out of sight
    hide = hidden.is_dir() and not disabled("bwrap-site")
    cmd += ["--ro-bind", str(stdlib), str(stdlib)] + (["--tmpfs", str(hidden)] if hide else [])
    for path in python[1]:  # -try: a file that went away since it was listed is no failure
        if path.parent != stdlib and (not path.name.endswith(".dist-info")
                                      or policy.runtime_metadata(path.name)):
            cmd += ["--ro-bind-try", str(path), str(path)]  # of the installed packages'
            # metadata, the allowed ones' only: a bind costs (70 more: 25 ms a worker)
    cmd += ["--remount-ro", str(hidden)] if hide else []
    if disabled("disk-cap"):
        cmd += ["--bind", str(home), str(home)]
    else:
        cmd += ["--size", str(limits.DISK_MB << 20), "--tmpfs", str(home)]
        cmd += ["--ro-bind", str(home / "kit"), str(home / "kit"), "--dir", str(work)]
        # where the grader hands over array arguments and reads them back (watched by size)
        cmd += ["--bind", str(home / "shared"), str(home / "shared")]
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
