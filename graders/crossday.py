"""Across days: a later day runs the learner's earlier days (`from day3 import softmax`), so an
earlier day's bug shows up as failures there too. Here those failures get their real cause.

A learner (`make grade`) is told which earlier day to fix first. In a class or on Gradescope a
bug is charged once: a day whose imported earlier days do not pass is graded a second time with
the reference of those days, and a check that passes either way counts.
"""
import shutil
import tempfile
from pathlib import Path

from graders import engine, report, submission

REFERENCE = engine.HERE.parent / "reference"


def grade(day, folder, out, seed=None, sandbox="process", batch=False, reference=False,
          keep_raw=False):
    """engine.grade, then the earlier days' share of the failures: named for a learner, or
    (`reference`: a class, Gradescope) charged on the earlier day only."""
    seed = engine.new_seed() if seed is None else seed
    result = engine.grade(day, folder, out, seed, sandbox, batch, keep_raw=keep_raw)
    if result["status"] in ("passed", "not_started", *report.BLOCKING):
        return result
    if reference:
        return charge_once(result, folder, out, seed, sandbox)
    result = attribute(result, failing_earlier(folder, day, out, seed, sandbox))
    engine.write_json(Path(out) / f"day{day}.json", result)
    return result


def earlier_days(sub):
    """The earlier days the graded day imports, directly or through each other."""
    return sorted(int(m[3:]) for m in sub.modules
                  if submission.DAY_MODULE.fullmatch(m) and int(m[3:]) < sub.day)


def failing_earlier(folder, day, out, seed, sandbox):
    """{k: first failing check of day k} for the imported earlier days k that do not pass,
    from a report of the same files in `out`, or graded now (into a folder of its own)."""
    sub = submission.read(folder, day)
    if sub.blocked:
        return {}
    found = {}
    with tempfile.TemporaryDirectory(prefix="kit-earlier-") as tmp:
        for k in earlier_days(sub):
            r = engine.load_report(Path(out) / f"day{k}.json")
            if (r.get("submission") or {}).get("files") != submission.digest(sub.files, k):
                r = engine.grade(k, folder, Path(tmp) / f"day{k}", seed, sandbox, batch=True)
            if r["status"] != "passed":
                first = next((t for t in r["tests"] if t["status"] != "passed"), None)
                found[k] = first or {"task": f"{k}.1", "name": r["status"]}
    return found


def cause(failing):
    """'day3.py fails Task 3.2 softmax; day5.py fails ...': the earlier days to fix."""
    return "; ".join(f"day{k}.py fails {report.task_title(t['task'])}"
                     for k, t in sorted(failing.items()))


def attribute(result, failing):
    """Tell the learner, on every failed check of the day and in the day's message, that the
    day runs earlier days that fail and which to fix first."""
    if not failing or result["status"] in report.BLOCKING:
        return result
    first = min(failing)
    note = (f"This check runs code of earlier days, and your {cause(failing)}: fix Day "
            f"{first} first, then grade this day again.")
    for t in result["tests"]:
        if t["status"] != "passed" and "blocked_by" not in t:
            t["message"] = f"{t['message']}\n{note}"
            t["earlier_days"] = sorted(failing)
    result["message"] = (f"{result['message']} This day runs code of earlier days, and your "
                         f"{cause(failing)}: fix Day {first} first.").strip()
    return result


def with_reference(folder, days, dest):
    """A copy of the learner's day files in `dest` with the reference of `days` instead."""
    dest.mkdir(parents=True)
    for name, data in submission.read_files(folder).items():
        (dest / name).write_bytes(data)
    for k in days:
        shutil.copy(REFERENCE / f"day{k}.py", dest / f"day{k}.py")
    return dest


def charge_once(result, folder, out, seed, sandbox):
    """Class and Gradescope grading: when the day's imported earlier days fail, grade the day
    again against their reference; a check passes when it passes either way. The report says
    so. Returns the (possibly) updated result, also written to OUT/dayN.json."""
    day = result["day"]
    if result["status"] == "passed" or result["status"] in report.BLOCKING:
        return result
    failing = failing_earlier(folder, day, out, seed, sandbox)
    if not failing or not all((REFERENCE / f"day{k}.py").is_file() for k in failing):
        result = attribute(result, failing)
        engine.write_json(Path(out) / f"day{day}.json", result)
        return result
    with tempfile.TemporaryDirectory(prefix="kit-reference-") as tmp:
        mixed = with_reference(folder, failing, Path(tmp) / "submission")
        other = engine.grade(day, mixed, Path(tmp) / "out", seed, sandbox, batch=True)
    theirs = {t["name"]: t for t in other["tests"]}
    for t in result["tests"]:
        if t["status"] != "passed" and theirs.get(t["name"], {}).get("status") == "passed":
            t.update(status="passed", points=t["max_points"], message="")
            t.pop("blocked_by", None)
    report.total(result)
    result["graded_with_reference"] = sorted(failing)
    result["message"] = (f"{result['message']} Also graded against the reference of Day "
                         f"{', '.join(map(str, sorted(failing)))}, because your "
                         f"{cause(failing)}: that bug is charged there, not here (a check "
                         "that passes either way counts).").strip()
    engine.write_json(Path(out) / f"day{day}.json", result)
    return result
