"""The learner side of the door: imports the submission and serves requests as plain data.

It runs inside the worker process (and, for measurement only, in the grader's own process),
with NumPy and the standard library only. Nothing a learner returns leaves this side except
plain data; any other object stays here and is named by a `Ref`.
"""
import contextlib
import functools
import importlib
import io
import mmap
import os
import sys
import traceback
import types
import warnings

import numpy as np

from graders import funcs, limits, policy
from graders.wire import FuncRef, Ref, RngSpec, Shared, pack, unpack

TRUNCATED = "\n[... output truncated ...]\n"


class Missing(Exception):
    """The submission has no attribute of the requested name."""


class PolicyError(ImportError):
    """Learner code tried to import a module the rules forbid."""


class CappedText(io.StringIO):
    """A text sink that keeps at most limits.OUTPUT_CHARS characters, then marks the cut."""

    def write(self, s):
        room = limits.OUTPUT_CHARS - self.tell()
        if room > 0:
            super().write(s[:room])
            if len(s) > room:
                super().write(TRUNCATED)
        return len(s)


class Runner:
    """Imports `dayN` modules from one folder and serves get/set/call requests."""

    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        self.objects = {}

    # -- loading -----------------------------------------------------------
    def module(self, name):
        """Import `dayN` from this folder (forgetting any dayN loaded from elsewhere)."""
        if sys.path[:1] != [self.folder]:
            for stale in [m for m in sys.modules if m[:3] == "day" and m[3:].isdigit()]:
                del sys.modules[stale]
            sys.path.insert(0, self.folder)
        return importlib.import_module(name)

    # -- requests -------------------------------------------------------------
    def handle(self, op, target, *args):
        """Serve one request; returns {"value": ...} or {"error": {...}}, plus output."""
        out, err = CappedText(), CappedText()
        record = {"stdout": "", "stderr": "", "warnings": [], "mutated": []}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            old = sys.stdout, sys.stderr
            sys.stdout, sys.stderr = out, err
            try:
                record["value"] = getattr(self, "op_" + op)(target, record, *args)
            except Exception as exc:  # the learner's own failure, described as data
                record["error"] = self.describe_error(exc)
            except SystemExit as exc:
                record["error"] = {"kind": "exit", "type": "SystemExit",
                                   "message": f"called sys.exit({exc.code!r})", "where": ""}
            finally:
                sys.stdout, sys.stderr = old
        record["stdout"], record["stderr"] = out.getvalue(), err.getvalue()
        record["warnings"] = [f"{w.category.__name__}: {w.message}"
                              for w in caught][:limits.WARNINGS]
        return record

    def resolve(self, target):
        """`target` is ("day3", "softmax") or (ref_id, "forward"); returns the object."""
        owner, name = target
        base = self.objects[owner] if isinstance(owner, int) else self.module(owner)
        if name is None:
            return base
        if not hasattr(base, name):
            raise Missing(name)
        return getattr(base, name)

    def op_get(self, target, record):
        return self.export(self.resolve(target))

    def op_set(self, target, record, value):
        owner, name = target
        setattr(self.objects[owner], name, self.load(value))

    def op_call(self, target, record, args, kwargs):
        fn = self.resolve(target)
        if not callable(fn):
            raise TypeError(f"{target[1]} is not a function (it is a {type(fn).__name__})")
        args = [self.load(a) for a in args]
        kwargs = {k: self.load(v) for k, v in kwargs.items()}
        before = {k: v.copy() for k, v in [*enumerate(args), *kwargs.items()]
                  if type(v) is np.ndarray}
        result = self.export(fn(*args, **kwargs))
        now = dict(enumerate(args)) | kwargs
        record["mutated"] = [k for k, v in before.items()
                             if not np.array_equal(v, now[k], equal_nan=True)]
        return result

    def op_seed(self, target, record, seed):
        np.random.seed(seed)

    def op_stand_in(self, target, record, spec):
        """Put a grader stand-in in front of a learner function of a module: the stand-in is
        called with the learner's own function first, and decides which calls it answers."""
        module, name = target
        owner = self.module(module)
        real, grader = getattr(owner, name), self.load(spec)
        setattr(owner, name, functools.partial(grader, real))

    def op_probe(self, target, record, args):
        """Receive arguments, run nothing and send the largest back: the cost of moving a
        call's data across the door, both ways."""
        arrays = [v for v in map(self.load, args) if type(v) is np.ndarray]
        return max(arrays, key=np.size).copy() if arrays else None

    # -- data across the door ---------------------------------------------------
    def load(self, v):
        """Grader data -> learner objects (fresh copies, so the grader's stay intact)."""
        if type(v) is np.ndarray:
            return v.copy()
        if isinstance(v, Ref):
            return self.objects[v.id]
        if isinstance(v, RngSpec):
            return np.random.default_rng(v.seed)
        if isinstance(v, Shared):  # the grader's file, mapped: changes reach the grader
            with open(v.path, "r+b") as f:
                return np.frombuffer(mmap.mmap(f.fileno(), 0), dtype=v.dtype).reshape(v.shape)
        if isinstance(v, FuncRef):
            fn = getattr(funcs, v.name)
            return functools.partial(fn, *v.args, **v.kwargs) if v.args or v.kwargs else fn
        if type(v) in (list, tuple):
            return type(v)(self.load(x) for x in v)
        if type(v) is dict:
            return {k: self.load(x) for k, x in v.items()}
        return v

    def export(self, v, depth=0):
        """Learner value -> plain data: exact ndarrays, numbers, str, containers, or a Ref."""
        t = type(v)
        if v is None or t in (bool, int, float, str):
            return v
        if t is np.ndarray and v.dtype.kind in "biufc":
            return v.copy()
        if t in (np.bool_,):
            return bool(v)
        if isinstance(v, np.integer) and t.__module__ == "numpy":
            return int(v)
        if isinstance(v, np.floating) and t.__module__ == "numpy":
            return float(v)
        if depth < limits.NESTING and t in (list, tuple):
            return t(self.export(x, depth + 1) for x in v)
        if depth < limits.NESTING and t is dict and all(type(k) is str for k in v):
            return {k: self.export(x, depth + 1) for k, x in v.items()}
        if isinstance(v, types.GeneratorType):
            items = []
            for x in v:
                if len(items) >= limits.GENERATOR_ITEMS:
                    break
                items.append(self.export(x, depth + 1))
            return items
        self.objects[id(v)] = v
        return Ref(id(v), t.__name__)

    # -- failures --------------------------------------------------------------
    def describe_error(self, exc):
        """A learner exception as data: kind, type, message and the submission line."""
        if isinstance(exc, Missing):
            return {"kind": "missing", "type": "", "message": str(exc), "where": ""}
        if isinstance(exc, PolicyError):
            return {"kind": "policy", "type": "", "message": str(exc), "where": ""}
        kind = "not_started" if isinstance(exc, NotImplementedError) else "raised"
        if isinstance(exc, (SyntaxError, ImportError)) or _in_import(exc):
            kind = "import"
        where = ""
        if isinstance(exc, SyntaxError) and exc.filename:
            where = f"{os.path.basename(exc.filename)} line {exc.lineno}"
        for frame in traceback.extract_tb(exc.__traceback__):
            if os.path.dirname(os.path.abspath(frame.filename)) == self.folder:
                where = f"{os.path.basename(frame.filename)} line {frame.lineno}"
        return {"kind": kind, "type": type(exc).__name__,
                "message": str(exc)[:limits.ERROR_CHARS], "where": where,
                "mro": [f"{c.__module__}.{c.__qualname__}" for c in type(exc).__mro__]}


def _in_import(exc):
    """True when the exception was raised while a module body was executing."""
    return any(f.name == "<module>" for f in traceback.extract_tb(exc.__traceback__))


@contextlib.contextmanager
def unreadable_is_missing(name):
    """A package the sandbox will not let us read is, to the importer, not installed (so that
    `try: import optional_dependency except ImportError` goes on working)."""
    try:
        yield
    except PermissionError:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name) from None


def guard_imports(folder):
    """Refuse forbidden imports made by learner files (those in `folder`), however spelled."""
    import builtins
    real_import, real_import_module = builtins.__import__, importlib.import_module

    def check(name, path, fromlist=()):
        if path and os.path.dirname(os.path.abspath(path)) == folder:
            for module in policy.imported(name, fromlist or ()):
                if not policy.allowed(module):
                    raise PolicyError(f"{os.path.basename(path)} imports {module} while "
                                      "running")

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0:
            check(name, (globals or {}).get("__file__"), fromlist)
        with unreadable_is_missing(name):
            return real_import(name, globals, locals, fromlist, level)

    def guarded_import_module(name, package=None):
        check(name, sys._getframe(1).f_globals.get("__file__"))
        with unreadable_is_missing(name):
            return real_import_module(name, package)

    builtins.__import__, importlib.import_module = guarded_import, guarded_import_module


def serve(folder, fd_in, fd_out):
    """The worker's loop: first the day files ({name: bytes as uint8}, written into `folder`)
    and the module to import before the first request, while the grader starts; then one
    request in, one record out, until the parent closes the pipe."""
    if "import-guard" not in os.environ.get("GRADERS_TEST_DISABLE", "").split(","):
        guard_imports(folder)  # (turned off only by the kit's own tests: see sandbox.py)
    runner = Runner(folder)
    src = os.fdopen(int(fd_in), "rb", buffering=0)
    dst = os.fdopen(int(fd_out), "wb", buffering=0)

    def read(n):
        data = b""
        while len(data) < n:
            chunk = src.read(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    try:
        _, _, (files, first) = unpack(read)  # ["begin", None, ...]: a spare waits here
    except EOFError:
        return
    for name, data in files.items():
        path = os.path.join(folder, os.path.basename(name))
        with open(path, "xb") as f:
            f.write(data.tobytes())
        os.chmod(path, 0o444)
    if first:
        try:  # a failure here comes back, captured, with the first request that needs it
            with contextlib.redirect_stdout(io.StringIO()):
                runner.module(first)
        except BaseException:
            pass

    while True:
        try:
            op, target, args = unpack(read)
        except EOFError:
            return
        record = runner.handle(op, tuple(target) if target else None, *args)
        try:
            dst.write(pack(record))
        except TypeError as exc:
            dst.write(pack({**record, "value": None, "error": {
                "kind": "raised", "type": "TypeError", "message": str(exc), "where": ""}}))
