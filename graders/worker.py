"""The transport behind the door: a worker process that runs the learner's code.

The grader (the pytest process) never imports learner code. Each worker gets a fresh temporary
folder holding the submission's day files and the learner side of the kit, a scrubbed
environment, the confinement of its sandbox mode (`sandbox.py`), a wall-clock deadline per
call and a cap on the folder's size. A timeout or a crash kills the worker's whole process
tree; the next request starts a fresh worker. A worker is started (`spawn`) before it knows the
submission: its first message brings the day files, so `make watch` keeps one started between
saves (a spare, `keep_spares`). In process mode, from a grading process's second worker on,
it is forked by a fork server (forkserver.py) instead. When grading ends, every process the
worker started is gone and waited for, and its folder removed. (A little long because the
folder's life, from the argument files to removing it however deep, belongs with the worker's.)
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from graders import forkserver, limits, processes, sandbox, standin, wire
from graders.failures import Crash, Timeout

HERE = Path(__file__).resolve().parent
LEARNER_SIDE = ("__init__.py", "serve.py", "wire.py", "policy.py", "funcs.py", "limits.py",
                "standin.py")
GARBLED = ("The grader could not read what came back from your code (something wrote into "
           "the channel the grader reads its answers from), so its process was stopped.")
DISK_FULL = (f"Your code filled its folder past {limits.DISK_MB} MB (or {limits.DISK_ENTRIES} "
             f"files and folders, or folders {limits.DISK_DEPTH} deep) and was stopped; the "
             "checks after it were not run. Write less, or delete the files you no longer need.")
# Started with -I (no environment, no site folders of the user, not even the script's folder on
# sys.path) and -S (no `site`: no .pth file of site-packages runs, and 15 ms less per start):
# the kit's copy comes first, then the learner's folder; site-packages (NumPy) last.
BOOT = ("import os, sys; sys.path[:0] = [sys.argv[1]]; sys.path += sys.argv[4:]; "
        "from graders.serve import serve; serve(os.getcwd(), sys.argv[2], sys.argv[3])")


def keep_spares(on=True):
    """From now on (`make watch`), `refill` starts a worker ahead of need for each kind of
    worker taken since; off: the spares are stopped."""
    Worker.keep = on
    if not on:
        for spare in Worker.spares.values():
            spare.stop()
        Worker.spares.clear()


def refill():
    """Start a spare for each kind of worker taken since the last refill (while the learner
    types, not while a grading runs)."""
    for mode, data in Worker.taken if Worker.keep else ():
        if (mode, data) not in Worker.spares:
            spare = Worker.spares[mode, data] = Worker(None, mode, data)  # known before it
            try:  # starts: an interrupted start is still stopped by keep_spares(False)
                spare.spawn()
            except OSError:  # no spare then (a full disk, say): the next grading starts its
                del Worker.spares[mode, data]  # own worker and says what went wrong
    Worker.taken = set()


class Worker:
    """Requests go to a worker process, records come back."""
    live = set()  # pids of the workers of this process that are serving (or spares)
    keep, spares, taken = False, {}, set()  # see keep_spares

    def __init__(self, files, mode="process", data=False, first=None):
        self.files = files  # {"day3.py": bytes}: the learner's day files
        self.mode = mode  # bwrap or process
        self.data = data  # the graded files use sklearn's data functions: the stand-in is there
        self.first = first  # the module to import as soon as the worker starts
        self.python = sandbox.python_paths()
        self.full = None  # the Crash that stopped a worker filling its folder: raised again
        self.proc = None
        self.generation = 0
        processes.become_subreaper()

    # -- requests ---------------------------------------------------------------
    def request(self, op, target, *args, deadline=None):
        if self.full:
            raise Crash(DISK_FULL)
        if self.proc is None:
            self.start()
        shared = {}
        try:
            if op in ("call", "probe"):
                args = self.share(args, shared)
            os.write(self.to_worker, wire.pack([op, list(target) if target else None, args]))
            record = wire.unpack(lambda n: self.read(n, deadline))
            if op == "call" and isinstance(record, dict):
                record["mutated"] = changed(shared)  # seen by the grader, not said by the worker
            self.watch_disk()
            return record
        except (Timeout, Crash):
            self.stop()
            raise
        except (EOFError, BrokenPipeError):
            last = self.last_words()  # died
            code = self.stop(grace=0.3)
            raise Crash(crash_words(code) + last) from None
        except (ValueError, IndexError, KeyError, TypeError):  # alive, but said nonsense
            self.stop()
            raise Crash(GARBLED) from None
        except BaseException:  # e.g. pytest-timeout's alarm: the worker's state is unknown
            self.stop()
            raise
        finally:
            for path, _ in shared.values():
                Path(path).unlink(missing_ok=True)

    def share(self, args, shared):
        """Call arguments with each top-level array written to a file of the worker's home
        (`shared` maps its position or keyword to the file and the grader's own copy)."""
        def put(key, v):
            if type(v) is not np.ndarray or v.size == 0:
                return v
            path = self.home / "shared" / f"argument-{self.generation}-{len(shared)}.bin"
            data = np.ascontiguousarray(v)
            path.write_bytes(data.tobytes())
            shared[key] = (str(path), data.copy())
            return wire.Shared(str(path), data.dtype.str, data.shape)
        positional, *rest = args
        keywords = {k: put(k, v) for k, v in rest[0].items()} if rest else None
        positional = [put(i, v) for i, v in enumerate(positional)]
        return (positional, keywords) if rest else (positional,)

    def read(self, n, deadline):
        data = b""
        while len(data) < n:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise Timeout("This call took too long and was stopped: look for a loop "
                              "that never ends, or work that grows too fast.")
            ready, _, _ = select.select([self.from_worker], [], [],
                                        min(left or limits.DISK_CHECK_S, limits.DISK_CHECK_S))
            if not ready and self.proc.poll() is not None:
                raise EOFError  # died, though an escaped child may still hold the pipe
            if not ready:
                self.watch_disk()
            if ready:
                chunk = os.read(self.from_worker, min(n - len(data), 1 << 20))
                if not chunk:
                    raise EOFError
                data += chunk
        return data

    def watch_disk(self):
        """Stop a worker whose folder grew past the cap: in process mode its whole home, in
        bwrap the folder of shared arguments (the rest of its home is a sized tmpfs)."""
        if sandbox.disabled("disk-cap"):
            return
        if sandbox.disk_use(self.home if self.mode == "process" else self.home / "shared") is None:
            self.full = Crash(DISK_FULL)
            raise self.full

    # -- life and death ---------------------------------------------------------
    def start(self):
        """A worker serving the day files: a spare of the same kind, else a new one; its first
        message hands over the files and the module to import at once."""
        spare = Worker.spares.pop((self.mode, self.data), None)
        if Worker.keep:
            Worker.taken.add((self.mode, self.data))
        if spare is not None and spare.proc is not None and spare.proc.poll() is None:
            self.home, self.proc, self.err = spare.home, spare.proc, spare.err
            self.to_worker, self.from_worker = spare.to_worker, spare.from_worker
        else:
            if spare is not None:
                spare.stop()
            self.spawn()
        self.generation += 1
        files = {name: np.frombuffer(data, np.uint8) for name, data in self.files.items()}
        try:
            os.write(self.to_worker, wire.pack(["begin", None, [files, self.first]]))
        except BrokenPipeError:
            pass  # died already: the first request says how

    def spawn(self):
        """Start a worker process in its sandbox, waiting for its day files. Interrupted (a
        Ctrl-C, a closed terminal), it leaves no folder and no process behind."""
        self.home = Path(tempfile.mkdtemp(prefix="kit-worker-"))
        try:
            self.launch()
        except BaseException:
            if self.proc is not None:
                self.stop()
            else:
                remove_tree(self.home)
            raise

    def launch(self):
        """Fill the worker's folder and start its process."""
        work, kit = self.home / "work", self.home / "kit" / "graders"
        work.mkdir()
        kit.mkdir(parents=True)
        (self.home / "shared").mkdir()  # array arguments, handed over as files
        for name in LEARNER_SIDE:
            shutil.copy(HERE / name, kit / name)
        if self.data and not sandbox.disabled("sklearn-standin"):  # the stand-in, the digits
            (kit.parent / "sklearn").mkdir()
            for name, source in standin.PACKAGE.items():
                (kit.parent / "sklearn" / name).write_text(source)
            for name, folder in zip(standin.DATA, ("data", "descr")):
                shutil.copy(sklearn_datasets() / folder / name, kit / name)
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        given, err = [req_r, rep_w], None  # the worker's ends, closed here once it has them
        try:
            cmd = [sys.executable, "-I", "-S", "-c", BOOT, str(kit.parent), str(req_r),
                   str(rep_w), *map(str, self.python[0][1:])]
            if self.mode == "bwrap":
                seccomp = sandbox.seccomp_pipe()
                given += [] if seccomp is None else [seccomp]
                cmd = sandbox.bwrap_command(work, self.home, self.python, seccomp) + cmd
            err = open(self.home / "stderr.txt", "w+b")  # kept open: see last_words
            proc = self.fork(work, kit, [req_r, rep_w, err.fileno()]) or subprocess.Popen(
                cmd, cwd=work, env=sandbox.scrubbed_env(self.home), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=err, pass_fds=given, start_new_session=True,
                preexec_fn=self.confine)
        except BaseException:
            for fd in (req_w, rep_r):
                os.close(fd)
            if err is not None:
                err.close()
            raise
        finally:
            for fd in given:
                os.close(fd)
        self.err, self.to_worker, self.from_worker, self.proc = err, req_w, rep_r, proc
        Worker.live.add(proc.pid)

    def fork(self, work, kit, fds):
        """Process mode: the worker forked by this process's fork server, or None (then it is
        started as the first one was)."""
        server = forkserver.server_for(self.python) if self.mode == "process" else None
        if server is None:
            return None
        return server.fork({"work": work, "home": self.home, "kit": kit.parent,
                            "python": self.python, "env": sandbox.scrubbed_env(self.home),
                            "sites": self.python[0][1:], "learner_side": LEARNER_SIDE}, fds)

    def cpu_seconds(self):
        """The CPU time the worker's processes have used so far (None: not measurable)."""
        return processes.cpu_seconds(self.proc.pid) if self.proc else None

    def confine(self):
        """In the child before exec: resource limits, and more in process mode."""
        sandbox.apply_limits()
        if self.mode == "process":
            sandbox.process_mode(self.home, self.python)

    def last_words(self):
        """The last line the worker wrote to stderr (why it died), if any."""
        try:  # through our own descriptor: the worker may have swapped the file for a symlink
            end = os.fstat(self.err.fileno()).st_size  # to a secret, or for a FIFO
            lines = os.pread(self.err.fileno(), 2000, max(0, end - 2000)).decode(errors="replace")
            if sandbox.disabled("last-words-fd"):
                lines = (self.home / "stderr.txt").read_text(errors="replace")[-2000:]
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
        if sandbox.disabled("reaper"):
            processes.signal_quietly(proc.pid, signal.SIGKILL)
        else:  # the worker and all its descendants, frozen first, then killed
            processes.kill_tree(proc.pid)
        code = proc.wait()
        if not sandbox.disabled("reaper"):  # orphans (even after setsid) are ours: kill, wait
            processes.reap_orphans(spare=Worker.live | forkserver.pids())
        self.err.close()
        if sandbox.disabled("cleanup"):
            shutil.rmtree(self.home, ignore_errors=True)
        else:
            remove_tree(self.home)
        return code

    def close(self):
        """Stop the worker and everything it started."""
        self.stop()


def sklearn_datasets():
    """The folder of scikit-learn's datasets (its digits files), found without importing it."""
    import importlib.util
    return Path(importlib.util.find_spec("sklearn").submodule_search_locations[0]) / "datasets"


class InProcess:
    """Serve requests in this process: no isolation at all (for measurement only)."""
    generation = 0

    def __init__(self, folder):
        from graders.serve import Runner  # learner code will run in this very process
        self.runner = Runner(folder)

    def request(self, op, target, *args, deadline=None):
        return self.runner.handle(op, target, *args)

    def cpu_seconds(self):
        return time.process_time()

    def close(self):
        pass


def changed(shared):
    """The positions or keywords of the shared arguments whose bytes the call changed."""
    found = []
    for key, (path, before) in shared.items():
        try:
            after = np.fromfile(path, dtype=before.dtype).reshape(before.shape)
        except (OSError, ValueError):
            found.append(key)  # removed or resized: certainly not left as it was
            continue
        if not np.array_equal(after, before, equal_nan=True):
            found.append(key)
    return found


def crash_words(code):
    """Why the worker died, for a beginner."""
    if code in (-signal.SIGKILL, -signal.SIGXCPU) or code == 137:
        return "Your code was stopped: it used too much memory or CPU time."
    if code is not None and code < 0:
        return f"Your code crashed the Python process (signal {-code})."
    return f"Your code ended the Python process (exit code {code}) instead of returning."


def remove_tree(top):
    """Delete the worker's folder, however deep the learner nested it (shutil.rmtree recurses
    and fails past ~1000 levels): depth first with one folder open at a time, never through a
    link; whatever cannot be removed is left."""
    names, flags, fd = [], os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, None
    try:
        os.chmod(top, 0o700)  # a folder the learner made unreadable or read-only
        fd = os.open(top, flags)
        while True:
            with os.scandir(fd) as entries:
                sub = next((e.name for e in entries if e.is_dir(follow_symlinks=False)), None)
            if sub is not None:  # go down
                os.chmod(sub, 0o700, dir_fd=fd)
                names.append(sub)
                fd, parent = os.open(sub, flags, dir_fd=fd), fd
                os.close(parent)
                continue
            with os.scandir(fd) as entries:
                for name in [e.name for e in entries]:
                    os.unlink(name, dir_fd=fd)
            if not names:
                break
            fd, child = os.open("..", flags, dir_fd=fd), fd  # go up, remove the empty folder
            os.close(child)
            os.rmdir(names.pop(), dir_fd=fd)
        os.close(fd)
        fd = None
        os.rmdir(top)
    except OSError:
        if fd is not None:
            os.close(fd)
