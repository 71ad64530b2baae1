"""Paste every function of a student kit's graders into the learner's files, one at a time, and
report which checks it makes pass. Run by tests/test_package.py with the kit's folder as the
working directory (so `graders` is the kit's own), inside bubblewrap: pasted grader functions
include ones that limit, confine or kill processes.

    python paste_probe.py REFERENCE_FOLDER OUT.json [--only NAME ...]

Each paste replaces one task function of a complete submission (the reference) with the pasted
function: a check of that task that passes then but fails with the stub there is a point the
pasted function earned. The reference's own function, pasted the same way, is the control: it
shows the probe sees a working function. Learner code runs in this process (`InProcess`), each
paste in a forked child, so nothing a pasted function does outlives it.
"""
import ast
import copy
import functools
import importlib
import inspect
import json
import os
import re
import select
import signal
import sys
import time
from pathlib import Path

import numpy as np

KIT = Path.cwd()
sys.path.insert(0, str(KIT))

from graders import expected, plugin, training  # noqa: E402  (the kit's own graders)
from graders.door import Learner  # noqa: E402
from graders.worker import InProcess  # noqa: E402

SEED = expected.SEEDS[0]
# One paste, all checks of its task (a trained network for 7.3 and 7.5); the kit's own limit
# per check is 10 s (a trained one: longer), so a paste stopped here earns nothing there.
LIMIT_S = int(os.environ.get("PROBE_LIMIT_S", 20))
KINDS = inspect.Parameter
CHECK_EVERY = 40  # pastes between two checks that a child can still grade the reference


def targets():
    """{(day, "name" or "Class.name"): task} of every stub that has a TODO(task)."""
    found = {}
    for day in range(1, 8):
        text = (KIT / "exercises" / f"day{day}.py").read_text()
        for node in ast.walk(ast.parse(text)):
            for item in getattr(node, "body", []) if isinstance(node, (ast.Module, ast.ClassDef)) else []:
                if isinstance(item, ast.FunctionDef):
                    todo = re.search(r"TODO\((\d\.\d)\)", ast.get_source_segment(text, item))
                    if todo and "NotImplementedError" in ast.get_source_segment(text, item):
                        name = item.name if isinstance(node, ast.Module) else f"{node.name}.{item.name}"
                        found[(day, name)] = todo[1]
    return found


def grader_functions(unpasteable):
    """[(where, function)] for every def in the kit's graders, top level and nested: its source
    run again in the globals of its module, as if pasted there at the top level. A def that
    cannot even be defined there goes to `unpasteable`, with why."""
    found = []
    for path in sorted((KIT / "graders").rglob("*.py")):
        module = importlib.import_module(".".join(path.relative_to(KIT).with_suffix("").parts))
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where, space = f"{path.relative_to(KIT)}:{node.lineno} {node.name}", dict(vars(module))
                try:
                    exec(compile(ast.unparse(node), str(path), "exec"), space)
                except (SyntaxError, NameError) as exc:  # cannot stand at the top level at all
                    unpasteable.append([where, f"{type(exc).__name__}: {exc}"])
                    continue
                found.append((where, space[node.name]))
    return found


def can_take(fn, target):
    """False only when no call the target's signature allows can bind fn (a call passes at
    least the target's required arguments and at most all of them)."""
    if not callable(fn):
        return False
    try:
        have = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return True
    want = list(inspect.signature(target).parameters.values())
    named = [p for p in have if p.kind not in (KINDS.VAR_POSITIONAL, KINDS.VAR_KEYWORD)]
    if sum(p.default is p.empty for p in named) > len(want):
        return False
    spread = len(named) < len(have)
    return spread or len(named) >= sum(p.default is p.empty for p in want)


def checks(day):
    """[(name, task, needs, function)] of the day's public checks, in file order."""
    module = importlib.import_module(f"graders.public.test_day{day}")
    return [(name, fn.pytestmark[0].kwargs["task"], fn.pytestmark[0].kwargs.get("needs", ()), fn)
            for name, fn in vars(module).items()
            if name.startswith("test_") and hasattr(fn, "pytestmark")]


def passing(door, day, task):
    """Names of the day's checks of `task` that earn their points now: they pass, and so does
    every check they need (the report blocks them otherwise)."""
    every = checks(day)
    wanted = {name for name, check_task, _, _ in every if check_task == task}
    grew = True
    while grew:
        more = {n for name, _, needs, _ in every if name in wanted for n in needs}
        grew, wanted = not more <= wanted, wanted | more
    shared, passed, done = {}, set(), set()
    for name, _, needs, fn in every:
        if name not in wanted:
            continue
        done.add(name)
        if set(needs) <= done and not set(needs) <= passed:
            continue  # blocked by a check it needs, as the report blocks it: earns nothing
        values = {"learner": door, "out_dir": None,
                  "seed": plugin.check_seed(SEED, name),
                  "rng": np.random.default_rng(plugin.check_seed(SEED, name)),
                  "seed_for": lambda what: plugin.shared_seed(SEED, day, what)}
        if "trained" in inspect.signature(fn).parameters and "trained" not in shared:
            shared["trained"] = trained(door, plugin.shared_seed(SEED, day, "gate"))
        values.update(shared)
        door.deadline = time.monotonic() + LIMIT_S
        try:
            fn(**{k: values[k] for k in inspect.signature(fn).parameters})
        except Exception:
            continue
        passed.add(name)
    return sorted(name for name, check_task, needs, _ in every if check_task == task
                  and name in passed and set(needs) <= passed)


GATE = {}  # the last gate training: the learner side it ran on ("inputs") and what it gave


def trained(door, seed):
    """The `trained` fixture's run: training.train_once, except that the gate (the training,
    which main() is no part of) is trained again only when anything but main() was pasted
    since (most pastes of main() then cost one call instead of a training)."""
    inputs = [(owner, name, value) for owner, names in snapshot(door)
              for name, value in names.items() if name != "main"]
    same = GATE.get("seed") == seed and len(GATE["inputs"]) == len(inputs) and all(
        a[0] is b[0] and a[1] == b[1] and a[2] is b[2] for a, b in zip(GATE["inputs"], inputs))
    if not same:
        GATE.update(seed=seed, inputs=inputs, made=training.gate(door, seed, None))
    run, weights = GATE["made"]
    return training.with_main(door, seed, copy.copy(run), weights)


def stub(*args, **kwargs):
    raise NotImplementedError("the stub")


def owner_of(door, day, target):
    """(object holding the name, attribute name) for `name` or `Class.name` of dayN."""
    module = door._transport.runner.module(f"day{day}")
    if "." in target:
        cls, name = target.split(".")
        return getattr(module, cls), name
    return module, target


def snapshot(door):
    """What the learner side holds: every day module's and class's names (a paste, and the
    stand-in that Day 7's training puts in front of train, change them)."""
    found = []
    for day in range(1, 8):
        module = door._transport.runner.module(f"day{day}")
        found.append((module, dict(vars(module))))
        found += [(v, dict(vars(v))) for v in vars(module).values()
                  if isinstance(v, type) and v.__module__ == module.__name__]
    return found


def restore(saved):
    """Put back what `snapshot` saw."""
    for owner, names in saved:
        for name in set(vars(owner)) - set(names):
            delattr(owner, name)
        for name, value in names.items():
            if vars(owner).get(name) is not value:
                setattr(owner, name, value)


def with_pasted(door, day, target, task, fn):
    """The checks of `task` that pass with fn pasted as `target` (then everything restored)."""
    saved = snapshot(door)
    try:
        owner, name = owner_of(door, day, target)
        setattr(owner, name, fn)
        return passing(door, day, task)
    except BaseException:
        return []
    finally:
        restore(saved)


def batch(door, day, target, task, fns, start, write, healthy):
    """The child: paste fns[start:] one after another, one JSON line each. Every CHECK_EVERY
    pastes (and after the last) it grades the reference again: "ok" says whether the child
    still can (a paste may break the process it runs in); it stops when it cannot. With
    `healthy` None it pastes fns[start] alone."""
    original = getattr(*owner_of(door, day, target))
    for i in range(start, len(fns)):
        got = with_pasted(door, day, target, task, fns[i])
        ok = None
        if healthy is None:
            ok = True
        elif (i - start) % CHECK_EVERY == CHECK_EVERY - 1 or i == len(fns) - 1:
            ok = with_pasted(door, day, target, task, original) == healthy
        os.write(write, (json.dumps({"i": i, "got": got, "ok": ok}) + "\n").encode())
        if healthy is None or ok is False:
            break


def confine_signals():
    """A pasted function may signal only the child it runs in, as learner code in the kit's
    sandbox can signal nothing outside its worker (processes.reap pasted as one_hot stops and
    kills the pids it is given: 0 to 9)."""
    me, kill = os.getpid(), os.kill

    def refuse(pid, sig):
        if pid != me:
            raise PermissionError(f"the probe's child may not signal {pid}")
        kill(pid, sig)
    os.kill = refuse
    os.killpg = lambda pgid, sig: refuse(-pgid, sig)
    signal.pthread_kill = lambda tid, sig: refuse(-1, sig)


def run_child(door, day, target, task, fns, start, healthy):
    """Fork a child running `batch`; yield its lines ({"i", "got", "ok"}), then {"i": i,
    "stopped": why} when it hangs or dies before reaching the end."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.setsid()
        confine_signals()
        try:
            batch(door, day, target, task, fns, start, write, healthy)
        finally:
            os._exit(0)
    os.close(write)
    buffer, i = b"", start
    try:
        while i < len(fns):
            while b"\n" not in buffer:
                ready, _, _ = select.select([read], [], [], LIMIT_S)
                chunk = os.read(read, 65536) if ready else None
                if not chunk:
                    yield {"i": i, "stopped": "took too long" if chunk is None else "died"}
                    return
                buffer += chunk
            line, buffer = buffer.split(b"\n", 1)
            record = json.loads(line)
            yield record
            i = record["i"] + 1
            if healthy is None or record["ok"] is False:
                return
    finally:
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)  # our own child
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def passes(door, day, target, task, fns, healthy):
    """{index: checks passed, or None when stopped} for every function, with few forks: the
    results since the last check that the child was still sound count only when the next
    check finds it so; otherwise each of them is tried again alone in a fresh child."""
    found, start = {}, 0
    while start < len(fns):
        pending = {}
        for record in run_child(door, day, target, task, fns, start, healthy):
            i = record["i"]
            if "stopped" in record:
                found[i] = None
            else:
                pending[i] = record["got"]
            if record.get("ok") or "stopped" in record:
                sound = record.get("ok") is True
                for j in sorted(pending):
                    found[j] = pending[j] if sound else alone(door, day, target, task, fns, j)
                pending = {}
            start = i + 1
        for j in sorted(pending):  # the child ended before a check of its soundness
            found[j] = alone(door, day, target, task, fns, j)
    return found


def alone(door, day, target, task, fns, i):
    """The checks fns[i] passes, pasted in a fresh child of its own (None: stopped)."""
    record = next(run_child(door, day, target, task, fns, i, None))
    return record.get("got")


def read_digits_once():
    """scikit-learn's load_digits, as the reference imports it, parsing its file once: a fresh
    copy each call, the same values (the probe loads the digits thousands of times)."""
    import sklearn.datasets
    real = sklearn.datasets.load_digits
    first = real()

    @functools.wraps(real)
    def load_digits(**kwargs):
        return copy.deepcopy(first) if not kwargs else real(**kwargs)
    sklearn.datasets.load_digits = load_digits


def main():
    reference, out = Path(sys.argv[1]), Path(sys.argv[2])
    only = set(sys.argv[4:]) if sys.argv[3:4] == ["--only"] else None
    door = Learner(InProcess(reference))
    read_digits_once()
    for day in range(1, 8):
        door._transport.runner.module(f"day{day}")  # imported once, before any fork
    unpasteable = []
    functions = grader_functions(unpasteable)
    report = {"functions": len(functions), "unpasteable": unpasteable, "targets": {},
              "gains": [], "stopped": []}
    for (day, target), task in targets().items():
        if only and target not in only:
            continue
        original = getattr(*owner_of(door, day, target))
        tried = [(where, fn) for where, fn in functions if can_take(fn, original)]
        base = set(with_pasted(door, day, target, task, stub))
        healthy = with_pasted(door, day, target, task, original)
        results = passes(door, day, target, task, [fn for _, fn in tried], healthy)
        for i, got in results.items():
            if got is None:
                report["stopped"].append([target, tried[i][0]])
            elif set(got) - base:
                report["gains"].append([target, tried[i][0], sorted(set(got) - base)])
        report["targets"][target] = {"day": day, "task": task, "baseline": sorted(base),
                                     "control": sorted(set(healthy) - base),
                                     "pasted": len(tried)}
        print(f"{target}: {len(tried)} pasted", file=sys.stderr, flush=True)
    out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
