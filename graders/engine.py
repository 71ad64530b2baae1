"""Grade one day of a submission: run the day's grader tests with pytest, write the report."""
import contextlib
import hashlib
import io
import json
import re
import secrets
import time
from pathlib import Path

import pytest
from pytest_jsonreport.plugin import JSONReport

from graders import pictures, plugin, report

HERE = Path(__file__).resolve().parent
DAYS = range(1, 8)


class GradingError(Exception):
    """The kit itself could not grade (a broken grader install, not the learner's fault)."""


def test_files(day):
    """The grader test files of a day: public first, then hidden where present."""
    return [p for p in (HERE / "public" / f"test_day{day}.py",
                        HERE / "hidden" / f"test_day{day}.py") if p.is_file()]


def manifest():
    """sha256 of every file of the graders and the reference."""
    files = sorted(p for d in (HERE, HERE.parent / "reference") if d.is_dir()
                   for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def grade(day, submission, out, seed=None, sandbox="process", batch=False):
    """Run the checks of `day` on the folder `submission`; write and return OUT/dayN.json.

    `sandbox` is bwrap, process, or none (in-process: for measurement only). `batch` (a class,
    Gradescope) trades a learner's comfort for throughput: no pictures, one worker at a time.
    """
    seed = secrets.randbelow(2**31) if seed is None else seed
    if not test_files(day):
        raise GradingError(f"no grader tests for day {day} in {HERE}")
    raw = JSONReport()
    args = [*map(str, test_files(day)), "-c", str(HERE / "pytest.ini"), "--rootdir", str(HERE),
            "-p", "graders.plugin", "-p", "no:cacheprovider", "--import-mode=importlib",
            "--submission", str(submission), "--day", str(day), "--seed", str(seed),
            "--sandbox", sandbox, "--out", str(out), *(["--batch"] if batch else []),
            "--json-report-file=none", "-q", "--tb=short"]
    start = time.perf_counter()
    if sandbox != "none":  # start the worker now: it loads while pytest starts up
        plugin.STARTED[Path(submission).resolve(), sandbox] = plugin.start_worker(
            Path(submission), day, sandbox, spare=not batch)
    before = manifest()
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = pytest.main(args, plugins=[raw])
    for leftover in plugin.STARTED.values():  # pytest never reached its session
        leftover.close()
    plugin.STARTED.clear()
    after = manifest()
    changed = [f for f in before.keys() | after.keys() if before.get(f) != after.get(f)]
    if changed:
        raise GradingError(f"grading was stopped: {sorted(changed)[0]} changed while "
                           "grading; the kit's files must not change")
    if raw.report is None or code not in (0, 1):
        raise GradingError(f"the graders of day {day} could not run (pytest exit {code}): "
                           + said.getvalue().strip()[-500:])
    result = report.build(raw.report, day=day, seed=seed, folder=submission,
                          duration_s=time.perf_counter() - start, sandbox=sandbox)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"day{day}.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / f"day{day}.raw.json").write_text(json.dumps(raw.report) + "\n")
    return result


def render(result, path):
    """The terminal view: a line per check, then failures with hints, total and next task."""
    day, folder = result["day"], Path(result["submission"]["folder"])
    lines = [f"Day {day} · {folder} · seed {result['seed']}"]
    width = max((len(t["name"]) for t in result["tests"]), default=0)
    for t in result["tests"]:
        mark = "✓" if t["status"] == "passed" else "✗"
        lines.append(f"  {mark} {t['name']:<{width}}  {t['points']}/{t['max_points']}")
    failed = [t for t in result["tests"] if t["status"] != "passed"]
    if failed and result["status"] not in report.BLOCKING + ("not_started",):
        lines.append("")
        for t in failed:
            message = str(t["message"]).replace("\n", "\n    ")  # arrays span several lines
            lines += [f"✗ {t['name']} ({report.task_title(t['task'])}, {t['status']})",
                      f"    {message}", f"    Hint: {t['hint']}"]
    lines += ["", f"Score: {result['score']:g}/{result['max_score']:g} ({result['status']})",
              result["message"]]
    if result["status"] == "not_started":
        lines.append(f"    {first_todo(folder, day)}")
    elif failed and result["status"] not in report.BLOCKING:
        lines.append(f"Stuck? `make hint DAY={day}` gives a more explicit hint, one at a time.")
    since = path.stat().st_mtime - result["duration_s"] - 1 if path.is_file() else 0
    lines += [f"Picture: {p}" for p in pictures.saved(day, path.parent, since)]
    lines.append(f"Report: {path}")
    if not (HERE / "hidden").is_dir():  # the student kit: hidden checks exist only at grading
        lines.append("When your instructor grades this day, hidden checks of the same functions "
                     "run too.")
    return "\n".join(lines)


def first_todo(folder, day):
    """Where the first TODO of a day's file is: `exercises/day3.py line 40: # TODO(3.1): ...`."""
    path = Path(folder) / f"day{day}.py"
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"{path} is missing."
    for number, line in enumerate(lines, 1):
        if re.search(r"#\s*TODO\(", line):
            return f"{path} line {number}: {line.strip()}"
    return f"{path}: no TODO left; look for a `raise NotImplementedError`."
