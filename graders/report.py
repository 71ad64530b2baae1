"""Pure functions that build the kit's report (SPEC section 6) from pytest-json-report data."""
import re

from graders import escaping

KIT_VERSION = "0.1.0"
TASKS = {
    "1.1": "sigmoid", "1.2": "neuron", "1.3": "AND gate", "1.4": "XOR (stretch)",
    "2.1": "init_layer", "2.2": "random_batch", "2.3": "layer_forward", "2.4": "output_shape",
    "3.1": "relu", "3.2": "softmax", "3.3": "cross_entropy", "3.4": "forward_and_loss",
    "4.1": "f", "4.2": "grad_f", "4.3": "numerical_gradient", "4.4": "sigmoid_derivative",
    "4.5": "relu_derivative", "4.6": "Value (stretch)",
    "5.1": "sgd_step", "5.2": "sgd_steps", "5.3": "gradient_descent", "5.4": "minibatches",
    "6.1": "NeuralNetwork.__init__", "6.2": "NeuralNetwork.forward",
    "6.3": "NeuralNetwork.backward",
    "7.1": "one_hot", "7.2": "load_data", "7.3": "train", "7.4": "accuracy",
    "7.5": "main and the accuracy gate",
}
# (public, hidden) points of each day's checks; tests/test_kit.py holds them to the markers.
POINTS = {1: (9, 11), 2: (10, 9), 3: (9, 11), 4: (8.5, 11.5), 5: (10, 11), 6: (13, 5.5),
          7: (21, 6)}
BLOCKING = ("policy_violation", "ungradable")  # a day-level verdict carried by every test


def task_title(task):
    """`Task 3.2 softmax`."""
    return f"Task {task} {TASKS.get(task, '')}".strip()


def build(raw, *, day, seed, folder, files, duration_s, sandbox, kit_version=KIT_VERSION,
          notices=()):
    """The kit report for one graded day; `notices`, what the learner is told about the day's
    files beyond the checks (a file name taken loosely), only when there are some."""
    tests = [test_entry(t) for t in raw.get("tests", [])]
    verdicts = [t.pop("_verdict") for t in tests]
    blocking = next(((v, t["message"]) for v, t in zip(verdicts, tests) if v in BLOCKING), None)
    if not blocking:
        block(tests)
    for t in tests:
        t.pop("_needs"), t.pop("_own")
    head = total({"day": day, "tests": tests}, blocking)
    del head["tests"]
    return {
        **head,
        "seed": seed,
        "duration_s": round(duration_s, 3),
        "sandbox": sandbox,
        "kit_version": kit_version,
        "submission": {"folder": str(folder), "files": files},
        **({"notices": list(notices)} if notices else {}),
        "tests": tests,
    }


def total(result, blocking=None):
    """Score, maximum, status, message and next task of a day from its tests (again, after a
    change of its tests)."""
    tests = result["tests"]
    score = sum(t["points"] for t in tests)
    max_score = sum(t["max_points"] for t in tests)
    status = blocking[0] if blocking else day_status(tests, score, max_score)
    result.update(score=score, max_score=max_score, status=status,
                  message=day_message(status, tests, blocking), next_task=next_task(tests))
    return result


def test_entry(raw):
    """One test of pytest-json-report -> the kit's test entry."""
    meta = raw.get("metadata") or {}
    name = raw["nodeid"].split("::")[-1]
    verdict = meta.get("status")
    status = test_status(raw, verdict)
    hidden = meta.get("visibility") == "hidden"
    message = "" if status == "passed" else \
        escaping.printable(test_message(raw, meta, status, name, hidden), lines=True)
    points = meta.get("points", 0)
    return {
        "name": name,
        "task": meta.get("task", ""),
        "points": points if status == "passed" else 0,
        "max_points": points,
        "status": status,
        "visibility": meta.get("visibility", "visible"),
        "message": message,
        "hint": meta.get("hint", ""),
        "more_hints": list(meta.get("more", [])),
        "duration_s": round(sum(raw.get(s, {}).get("duration", 0.0)
                                for s in ("setup", "call", "teardown")), 4),
        "_verdict": verdict,
        "_needs": list(meta.get("needs", [])),
        "_own": status != "passed" and bool(meta.get("about_property")),
    }


def block(tests):
    """A check whose `needs` (the basic checks of what it relies on) did not pass is blocked:
    it cannot judge its own property, so it gives no points and names the failure instead. A
    check that saw its own property broken (an input changed in place, a warning, a loop) can
    judge whatever the values: that failure stands as it is."""
    by_name = {t["name"]: t for t in tests}
    changed = True
    while changed:  # a blocked check may block others in turn
        changed = False
        for t in tests:
            if t["status"] == "not_started" or "blocked_by" in t:
                continue
            failing = [n for n in t["_needs"] if by_name.get(n, {}).get("status") != "passed"]
            if t["_own"] and not any(by_name[n]["_own"] for n in failing):
                continue  # it saw its own property broken: that stands
            if failing:
                first = by_name[failing[0]]
                t.update(points=0, status="failed", blocked_by=first["name"],
                         message=f"Not judged yet: this check needs {about(first['name'])} "
                                 f"({report_title(first)}) to pass first, and it fails. Fix "
                                 "that one; this check counts once it passes.")
                changed = True


def report_title(t):
    """`Task 3.2 softmax, test_softmax_matches_exp_over_row_sum`."""
    return f"{task_title(t['task'])}, {t['name']}"


def test_status(raw, verdict):
    """passed, failed, error, timeout or not_started; skips and xfails never pass."""
    if raw["outcome"] == "passed":
        return "passed"
    if "Timeout" in crash(raw):
        return "timeout"
    if verdict in ("failed", "not_started", "timeout", "error"):
        return verdict
    if verdict in BLOCKING or raw["outcome"] in ("skipped", "xfailed", "xpassed"):
        return "failed"
    return "failed" if crash(raw).startswith("AssertionError") else "error"


def test_message(raw, meta, status, name, hidden):
    """What the learner reads; hidden checks say only what they check."""
    if status == "timeout" and not meta.get("message"):
        return "This check took too long and was stopped: look for a loop that never ends."
    if hidden and meta.get("status") in ("timeout", "error"):  # the kit's words, not the test's
        return f"A hidden check ({about(name)}) was stopped: {meta['message']}"
    if hidden and meta.get("status") not in ("not_started", *BLOCKING):
        why = meta.get("hidden_message")
        return f"A hidden check failed: {about(name)}." + (f" {why}" if why else "")
    if meta.get("message"):
        return meta["message"]
    if raw["outcome"] in ("skipped", "xfailed", "xpassed"):
        return f"This check did not run to the end ({raw['outcome']}), so it does not count."
    return f"The grader could not finish this check: {crash(raw)}"


def crash(raw):
    """The one-line failure of a test, from whichever stage failed."""
    for stage in ("setup", "call", "teardown"):
        c = raw.get(stage, {}).get("crash")
        if c:
            return c.get("message", "")
    return ""


def about(name):
    """test_relu_is_max_of_zero_and_z -> relu is max of zero and z."""
    return re.sub(r"^test_", "", name).replace("_", " ")


def day_status(tests, score, max_score):
    """passed, partial, failed or not_started."""
    if max_score and score == max_score:
        return "passed"
    if score > 0:
        return "partial"
    if tests and all(t["status"] in ("not_started", "passed") for t in tests):
        return "not_started"
    return "failed"


def day_message(status, tests, blocking):
    """One line for the whole day."""
    if blocking:
        return blocking[1]
    if status == "passed":
        return "Every check passed."
    nxt = next_task(tests)
    if status == "not_started":
        return f"Not started yet: begin with {task_title(nxt)} (the first TODO in the file)."
    return f"Next: {task_title(nxt)}." if nxt else ""


def next_task(tests):
    """The task of the first check that did not pass, or None."""
    return next((t["task"] for t in tests if t["status"] != "passed"), None)
