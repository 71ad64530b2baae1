"""Process trees: find every descendant of a process, kill them all, reap the orphans.

Learner code may fork, start sessions of its own (setsid) and leave orphans; the grader makes
itself a child subreaper so that such orphans are re-parented to it and can be found here."""
import ctypes
import os
import signal
import sys
import time

from graders import limits

PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37  # prctl(2)


def become_subreaper():
    """Orphans of our children (even after setsid) are re-parented to us, so we can reap them."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def is_subreaper():
    """True when orphans of our descendants come to us (become_subreaper took effect)."""
    if not sys.platform.startswith("linux"):
        return False
    flag = ctypes.c_int(0)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag),
                                                0, 0, 0)
    except (OSError, AttributeError):
        return False
    return flag.value == 1


def parent_of(pid):
    """The parent pid of `pid` (a string, from /proc), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return None


def parents():
    """{pid: parent pid} of every process we can see."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return {}
    return {int(p): int(parent) for p in pids if (parent := parent_of(p))}


def cpu_seconds(pid):
    """The CPU time that `pid` and all its descendants have run so far (from the kernel's
    scheduler statistics, to the nanosecond), or None where /proc does not give it."""
    tree, found = {pid}, True
    family = parents()
    while found:
        found = {p for p, parent in family.items() if parent in tree} - tree
        tree |= found
    total = None
    for p in tree:
        try:
            with open(f"/proc/{p}/schedstat") as f:
                total = (total or 0) + int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return None if total is None else total / 1e9


def signal_quietly(pid, sig):
    """os.kill, for a process that may be gone already."""
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def ancestors():
    """pid 0, init, this process and its ancestors: never part of a tree to kill (a stale or
    wrong pid must not stop every process of the machine)."""
    found, p = {0, 1}, os.getpid()
    while p not in found:
        found.add(p)
        p = int(parent_of(p) or 0)
    return found


def kill_tree(pid):
    """SIGKILL a process and every descendant. Stop them all first, so that none can fork
    while the tree is collected."""
    spare = ancestors()
    tree = {pid} - spare
    while tree:
        for p in tree:
            signal_quietly(p, signal.SIGSTOP)
        grown = tree | {p for p, parent in parents().items() if parent in tree} - spare
        if grown == tree:
            break
        tree = grown
    for p in tree:
        signal_quietly(p, signal.SIGKILL)


def children():
    """The pids of our children (zombies included)."""
    me = os.getpid()
    return [p for p, parent in parents().items() if parent == me]


def reap(pids):
    """Kill each of our children in `pids` with all its descendants, and wait for them."""
    for pid in pids:
        kill_tree(pid)
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def reap_orphans(spare=()):
    """Kill and wait for every process re-parented to us (escaped grandchildren), whole trees
    at once, until none is left (a chain of processes, each of them started with setsid, ends
    in one pass): no zombie stays behind. Spares the pids in `spare` (workers still serving).
    Gives up after limits.REAP_S."""
    end = time.monotonic() + limits.REAP_S
    while time.monotonic() < end:
        orphans = [p for p in children() if p not in spare]
        if not orphans:
            return
        reap(orphans)
