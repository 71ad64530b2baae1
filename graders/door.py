"""The one door from grader tests to learner code.

`learner.day3.softmax(z)` sends plain data to the learner side and brings back plain data:
exactly an `np.ndarray`, a number, a string, a list/tuple/dict of those, or a `Member` for
any other object, which stays on the learner side. A learner failure becomes a `Failure`
with words for a beginner. Tests never know how the call was made.
"""
import re
import time
from dataclasses import dataclass, field

import numpy as np

from graders import funcs
from graders.failures import Failure, NotStarted, PolicyViolation, Timeout, Ungradable
from graders.wire import FuncRef, Ref, RngSpec

OPERATORS = {f"__{p}{op}__" for op in ("add", "sub", "mul", "truediv", "pow", "matmul")
             for p in ("", "r")} | {"__neg__"}
CALLABLE_TYPES = {"function", "method", "type", "builtin_function_or_method", "partial"}


@dataclass
class Call:
    """What the last request across the door did."""
    text: str = ""
    stdout: str = ""
    stderr: str = ""
    warnings: list = field(default_factory=list)
    mutated: list = field(default_factory=list)


class Learner:
    """The submission as tests see it: `learner.dayN.name`, `learner.seed(s)`, `learner.last`."""

    def __init__(self, transport, blocked=None):
        self._transport = transport
        self._blocked = blocked  # a Failure raised by every request (policy, pre-check)
        self.last = Call()
        self.deadline = None  # time.monotonic() by which a call must return
        self.limit_s = 10  # the check's time limit that set the deadline (for the message)
        self._slow = {}  # name -> the Timeout it gave: later calls fail at once
        self._functions = {}  # (module, name) -> type of a module-level function or class

    def __getattr__(self, name):
        if re.fullmatch(r"day[1-7]", name):
            return Member(self, (name, None), name + ".py")
        raise AttributeError(name)

    def seed(self, seed):
        """Seed the learner side's global `np.random` (as `np.random.seed(seed)`)."""
        self._request("seed", None, int(seed), text=f"np.random.seed({seed})")

    def stand_in(self, module, name, spec):
        """Put `spec` (a funcs function, or a partial of one) in front of module.name on the
        learner side: it is called as spec(the learner's function, *args, **kwargs)."""
        self._request("stand_in", (module, name), export(spec), text=f"{module}.{name}")

    def cpu_seconds(self):
        """CPU time the learner's process has used so far, seen from outside it (None: not
        measurable here)."""
        return self._transport.cpu_seconds() if self._transport else None

    def probe(self, *args):
        """Send `args` across the door and run no learner code (to time the door itself)."""
        self._request("probe", None, [export(a) for a in args], text="moving the arguments")

    def close(self):
        """Stop the learner's process (and everything it started)."""
        if self._transport is not None:
            self._transport.close()

    @staticmethod
    def rng(seed):
        """A `np.random.default_rng(seed)` to pass as an argument."""
        return RngSpec(int(seed))

    def _request(self, op, target, *args, text):
        if self._blocked:
            raise self._blocked.with_traceback(None)
        if isinstance(target, tuple) and isinstance(target[0], int) and \
                target[2:] != (self._transport.generation,):
            raise Failure(f"{text}: this object was lost when an earlier call crashed or "
                          "timed out; the checks that use it cannot run.")
        name = target[1] if target else None
        if name in self._slow:
            raise Timeout(f"{text} was not run: {name} already took too long in an earlier "
                          "check. " + str(self._slow[name]))
        start = time.monotonic()
        try:
            record = self._transport.request(op, target[:2] if target else None, *args,
                                             deadline=self.deadline)
        except Timeout as exc:
            self._slow[name] = exc = Timeout(
                f"{text} did not return within {time.monotonic() - start:.1f} s, the time left "
                f"of this check's limit of {self.limit_s:g} s, and was stopped: look for a loop "
                "that never ends, or work that grows too fast.")
            raise exc from None
        self.last = Call(text, record["stdout"], record["stderr"], record["warnings"],
                         record["mutated"])
        if "error" in record:
            exc = failure(record["error"], text, target)
            exc.raised = record["error"].get("mro", [])  # the learner's exception classes
            raise exc
        return record.get("value")

    def _wrap(self, value, text):
        """Turn Refs inside a returned value into Members."""
        if isinstance(value, Ref):
            return Member(self, (value.id, None, self._transport.generation), text, value.type)
        if type(value) in (list, tuple):
            return type(value)(self._wrap(v, text) for v in value)
        if type(value) is dict:
            return {k: self._wrap(v, text) for k, v in value.items()}
        return value


class Member:
    """A module, a learner object, or one of their attributes, reached by name."""

    def __init__(self, learner, target, text, type_name="module"):
        object.__setattr__(self, "_learner", learner)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_text", text)
        object.__setattr__(self, "type_name", type_name)

    def __repr__(self):
        return f"<{self.type_name} {self._text}>"

    def __getattr__(self, name):
        if name.startswith("__") and name not in OPERATORS:
            raise AttributeError(name)
        owner, gen = self._target[0], self._target[2:]
        text = name if isinstance(owner, str) else f"{self._text}.{name}"
        known = self._learner._functions.get((owner, name))  # saves a round trip per call
        if known:
            return Member(self._learner, (owner, name), text, known)
        value = self._learner._request("get", (owner, name, *gen), text=text)
        if isinstance(value, Ref) and value.type in CALLABLE_TYPES and isinstance(owner, str):
            self._learner._functions[owner, name] = value.type
        if isinstance(value, Ref) and value.type in CALLABLE_TYPES:
            return Member(self._learner, (owner, name, *gen), text, value.type)
        if value is None and isinstance(owner, str):
            raise NotStarted(f"{self._text} still sets {name} = None: fill it in first.")
        return self._learner._wrap(value, text)

    def __setattr__(self, name, value):
        self._learner._request("set", (self._target[0], name, *self._target[2:]), export(value),
                               text=f"setting {self._text}.{name}")

    def __call__(self, *args, **kwargs):
        parts = [summary(a) for a in args] + [f"{k}={summary(v)}" for k, v in kwargs.items()]
        text = f"{self._text}({', '.join(parts)})"
        value = self._learner._request("call", self._target, [export(a) for a in args],
                                       {k: export(v) for k, v in kwargs.items()}, text=text)
        return self._learner._wrap(value, text)


def export(v):
    """Grader value -> door data; grader functions travel by name."""
    if isinstance(v, Member):
        return Ref(v._target[0], v.type_name)
    if callable(v) and getattr(v, "__module__", None) == funcs.__name__:
        return FuncRef(v.__name__)
    if hasattr(v, "func") and getattr(v.func, "__module__", None) == funcs.__name__:
        return FuncRef(v.func.__name__, tuple(map(export, v.args)),
                       {k: export(x) for k, x in v.keywords.items()})
    if type(v) in (list, tuple):
        return type(v)(export(x) for x in v)
    if type(v) is dict:
        return {k: export(x) for k, x in v.items()}
    return v


def failure(error, text, target):
    """A learner-side error record -> the Failure a test raises."""
    kind, where = error["kind"], f" ({error['where']})" if error["where"] else ""
    raised = f"{error['type']}: {error['message']}".strip(": ")
    exc = _failure(kind, error, text, target, where, raised)
    exc.hidden = str(exc)  # the learner's own error, or a missing name: shown in hidden checks
    return exc


def _failure(kind, error, text, target, where, raised):
    if kind == "missing":
        owner = target[0] + ".py" if isinstance(target[0], str) else "the object"
        return Failure(f"{owner} has no `{error['message']}`. Define it with exactly this "
                       "name, at the top level of the file (check the spelling).")
    if kind == "policy":
        return PolicyViolation(f"{error['message']}: only NumPy and the standard library are "
                               "allowed.")
    if kind == "import":
        return Ungradable(f"the file could not be imported: {raised}{where}")
    if kind == "not_started":
        return NotStarted(f"{text} is not started yet: it raised NotImplementedError"
                          f"({error['message']!r}){where}.")
    if kind == "exit":
        return Failure(f"{text} {error['message']}{where}; return a value instead.")
    return Failure(f"{text} raised {raised}{where}.{advice(error['message'])}")


def advice(message):
    """A pointer for a beginner after a NumPy error that has one usual cause."""
    if "could not be broadcast together" in message:
        return (" A sum or max over an axis drops that axis: keep it (keepdims=True), so that "
                "an (N, C) array lines up with an (N, 1) column.")
    if "matmul: Input operand" in message or ("shapes" in message and "not aligned" in message):
        return (" In A @ B the columns of A must match the rows of B: print the shapes (and "
                "check which one needs .T).")
    return ""


def summary(v):
    """A short text for a value in a call description."""
    if type(v) is np.ndarray:
        return f"<array {v.shape}>" if v.ndim else repr(v.item())
    if isinstance(v, Member):
        return f"<{v.type_name}>"
    if isinstance(v, RngSpec):
        return f"np.random.default_rng({v.seed})"
    if callable(v):
        return getattr(v, "__name__", getattr(getattr(v, "func", None), "__name__", "f"))
    if isinstance(v, float):
        return repr(v) if len(repr(v)) <= 8 else f"{v:.4g}"
    text = repr(v)
    return text if len(text) <= 40 else f"<{type(v).__name__} of {len(v)}>"
