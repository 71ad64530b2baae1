"""A fork server for process-mode workers: one Python that has imported NumPy and the kit's
learner side, and forks each worker instead of starting a new Python (0.04 s of CPU a worker
instead of 0.11: most of a started worker's start is Python's and NumPy's).

The forked worker confines itself as a started one is confined before exec (limits, session,
namespaces, seccomp, Landlock: sandbox.py), then looks like one (its own folder, environment,
descriptors and sys.path; none of the server's modules that a started worker does not have),
and only then reads its day files. It is forked twice, so that it is re-parented to the grader
(a subreaper: processes.py), which waits for it and kills its tree as for any worker.

The server holds the one socket that can ask for a worker, and a forked worker closes it first:
what a request asks for (an environment, the paths Landlock opens) is not checked again.
A grading process starts the server at its second process-mode worker (one grading alone gains
nothing from it); when the server cannot start or dies, and where the grader is no subreaper,
workers are started as before. tests/hostile/fork_server_socket shows why the socket is closed.
"""
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

from graders import processes, switches

HERE = Path(__file__).resolve().parent
BOOT = ("import sys; sys.path[:0] = [sys.argv[1]]; sys.path += sys.argv[3:]; "
        "from graders.forkserver import main; main(int(sys.argv[2]))")
MESSAGE_BYTES = 1 << 20  # one request: paths and an environment


ON = True  # off: every worker is started (the kit's tests compare the two)
SERVERS = {}  # [pid, sandbox.python_paths()] as JSON -> "one started", then a Server or None


def server_for(python):
    """The fork server for workers of `python` (sandbox.python_paths(): a server serves one
    Python, as it was found), from the second process-mode worker of this process on; None
    before, when off, when this process is no subreaper (a forked worker would not be its
    child to wait for), and once a server failed here."""
    if not ON or not processes.is_subreaper():
        return None
    key = json.dumps([os.getpid(), python], default=str)  # (a fork of the grader: its own)
    if key not in SERVERS:
        SERVERS[key] = "one started"  # this one; the next one starts the server
    elif SERVERS[key] == "one started":
        SERVERS[key] = start(python)
    return SERVERS[key] if isinstance(SERVERS[key], Server) else None


def start(python):
    """A started server, or None."""
    from graders import sandbox
    try:
        server = Server(python[0][1:], sandbox.scrubbed_env(Path("/")))
    except OSError:
        return None
    atexit.register(server.close)
    return server


def pids():
    """The pids of this process's fork servers (children of the grader that are no orphans)."""
    return {s.proc.pid for s in SERVERS.values() if isinstance(s, Server) and s.alive()}


class Server:
    """The grader's end: the server process and its socket."""

    def __init__(self, sites, env):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", BOOT, str(HERE.parent), str(theirs.fileno()),
                 *map(str, sites)], cwd="/", env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=[theirs.fileno()],
                start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        self.sock.settimeout(10)  # a fork takes milliseconds; a server that hangs is dropped

    def fork(self, spec, fds):
        """A worker forked from `spec` (see `become_worker`) holding `fds` (its request pipe,
        its reply pipe, its stderr file), now a child of this process; None when the server
        failed (it ended, or hangs): it is then stopped, and this process uses no other."""
        try:
            socket.send_fds(self.sock, [json.dumps(spec, default=str).encode()], fds)
            pid = int(self.sock.recv(32) or 0)  # (a timeout is an OSError too)
        except (OSError, ValueError):
            pid = 0
        if pid > 0:
            return Forked(pid)
        for key, server in SERVERS.items():
            if server is self:
                SERVERS[key] = None
        self.close()
        return None

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        """Stop the server: it ends when its socket closes."""
        self.sock.close()
        try:
            self.proc.wait(1)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Forked:
    """A forked worker, re-parented to this process: waited for as a Popen is."""

    def __init__(self, pid):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # waited for elsewhere: its status is lost (as Popen)
                pid, status = self.pid, 0
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() >= end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.005)
        return self.returncode


# -- the server's side ---------------------------------------------------------------
def main(fd):
    """The server: load what every worker loads, then fork a worker per request until the
    grader closes the socket (or dies)."""
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG, prctl(2)
    import numpy  # noqa: F401  (the point of the server)
    from graders import sandbox, serve  # noqa: F401
    sock = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, MESSAGE_BYTES, 3)
        except OSError:
            return
        if not message:
            return
        try:
            pid = fork_twice(sock, json.loads(message), fds)
        except (OSError, ValueError):
            pid = 0
        for fd in fds:
            os.close(fd)
        sock.send(str(pid).encode())


def fork_twice(sock, spec, fds):
    """Fork a child that forks the worker and ends at once: the worker, an orphan, goes to the
    grader. Returns the worker's pid."""
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(r)
            pid = os.fork()
            if pid == 0:
                os.close(w)
                become_worker(sock, spec, fds)  # never returns
            os.write(w, str(pid).encode())
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(child, 0)
    with os.fdopen(r, "rb") as said:
        return int(said.read() or 0)


def become_worker(sock, spec, fds):
    """In the forked worker: what a started worker gets from Popen and its preexec (descriptors,
    session, folder, environment, limits, confinement), then serve as it does."""
    code, interrupted = 1, False
    try:
        req, rep, err = fds
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        if "fork-fds" not in spec["env"].get(switches.TEST_SWITCH, "").split(","):
            sock.detach()  # closed below: the server's socket, then every other descriptor
            for fd in map(int, os.listdir("/proc/self/fd")):  # (the listing's own is gone)
                if fd not in (0, 1, 2, req, rep):
                    try:
                        os.close(fd)
                    except OSError:
                        pass
        os.setsid()
        os.chdir(spec["work"])
        os.environ.clear()
        os.environ.update(spec["env"])
        from graders import sandbox, serve
        sandbox.apply_limits()
        sandbox.process_mode(Path(spec["home"]), spec["python"])
        sandbox.drop_capabilities()
        as_started(spec["kit"], spec["learner_side"])
        sys.argv = ["-c", spec["kit"], str(req), str(rep), *spec["sites"]]
        serve.serve(os.getcwd(), req, rep)
        code = 0
    except BaseException as exc:
        code, interrupted = ended(exc), isinstance(exc, KeyboardInterrupt)
    finally:  # then as Python ends
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        if interrupted:  # by its own SIGINT, which PID 1 of a namespace ignores: then 130
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(code)


def ended(exc):
    """The exit code Python gives an exception that ends it (having said what a traceback or a
    message says): SystemExit's code, 130 for KeyboardInterrupt, else 1."""
    if isinstance(exc, SystemExit):
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    traceback.print_exception(exc)
    return 130 if isinstance(exc, KeyboardInterrupt) else 1


def as_started(kit, learner_side):
    """sys.path and the kit's modules as in a started worker: the kit's copy in the worker's
    folder first (what is imported from now on comes from it), and of the kit's modules only
    its learner side (`learner_side`: file names) still loaded."""
    import graders
    sys.path[0] = kit  # the server's was the kit's own folder
    graders.__path__[:] = [os.path.join(kit, "graders")]
    for name in [m for m in sys.modules if m.startswith("graders.")]:
        if name.split(".")[1] + ".py" not in learner_side:
            del sys.modules[name]
