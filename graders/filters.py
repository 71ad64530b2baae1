"""The kernel's filters for a worker: seccomp (which system calls) and Landlock (which files,
TCP ports and signals). Applied in the child before exec, in process mode; bubblewrap loads
the same seccomp program. Linux numbers are named with the header they come from.
"""
import ctypes
import os
import platform
import sys

PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 22, 38  # prctl(2)
SECCOMP_MODE_FILTER = 2
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446  # all arches
LANDLOCK_CREATE_RULESET_VERSION = 1


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


def landlock_abi():
    """The Landlock ABI version this kernel offers (0: none)."""
    if not sys.platform.startswith("linux"):  # the system call's number means another call
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return max(0, libc.syscall(LANDLOCK_CREATE_RULESET, None, 0,
                                   LANDLOCK_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0


def landlock(read_only, read_write, listable=()):
    """Landlock (Linux 5.13+), in the child before exec: files only under the given folders,
    no TCP connect or bind, no signals to processes outside. Returns the ABI used (0: none)."""
    abi = landlock_abi()
    if abi < 1:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
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
