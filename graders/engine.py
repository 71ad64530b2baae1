"""Grade one day of a submission: run the day's grader tests with pytest, write the report."""
import contextlib
import functools
import hashlib
import io
import json
import os
import secrets
import tempfile
import time
from pathlib import Path

import pytest
from pytest_jsonreport.plugin import JSONReport

from graders import escaping, expected, notebook_source, report, submission, switches
from graders.plugin import Grading

HERE = Path(__file__).resolve().parent
DAYS = submission.DAYS
STUDENT_KIT = not (HERE / "hidden").is_dir()  # the learners' copy: no hidden checks


class GradingError(Exception):
    """The kit itself could not grade (a broken grader install, not the learner's fault)."""


def new_seed():
    """A fresh seed for the random inputs of a grading run (in the student kit, one of the
    seeds whose expected values it holds)."""
    return secrets.choice(expected.SEEDS) if STUDENT_KIT else secrets.randbelow(2**31)


def hidden_points(day):
    """The points of a day's hidden checks (the student kit does not hold them)."""
    return report.POINTS[day][1]


def derive_seed(course_seed, files):
    """A learner's seed for one day, from the course seed and the sha256 of the files that day
    grades: the same files always get the same inputs, so regrading gives the same report."""
    text = json.dumps([int(course_seed), sorted(files.items())])
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 2**31


@functools.cache
def kit_version():
    """The kit's version and a digest of its graders and reference: a report graded by other
    graders is never taken for an up-to-date one."""
    digest = hashlib.sha256(json.dumps(sorted(
        (Path(f).relative_to(HERE.parent).as_posix(), h) for f, h in manifest().items()))
        .encode()).hexdigest()[:12]
    return f"{report.KIT_VERSION}+{digest}"


def test_files(day, public_only=False):
    """The grader test files of a day: public first, then hidden where present."""
    return [p for p in (HERE / "public" / f"test_day{day}.py",
                        None if public_only else HERE / "hidden" / f"test_day{day}.py")
            if p is not None and p.is_file()]


def manifest():
    """sha256 of every file of the graders and the reference (the tripwire)."""
    files = sorted(p for d in (HERE, HERE.parent / "reference") if d.is_dir()
                   for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def grade(day, folder, out, seed=None, sandbox="process", batch=False, keep_raw=False,
          public_only=False):
    """Run the checks of `day` on the folder `folder`; write and return OUT/dayN.json.

    `sandbox` is bwrap, process, or none (in-process: for measurement only). `batch` (a class,
    Gradescope): no pictures. `public_only`: the public checks alone (to build the student
    kit). `keep_raw` also writes OUT/dayN.raw.json,
    pytest-json-report's own output: the grader's tracebacks and the full messages of hidden
    checks, expected values included (for debugging the kit, never for a learner).
    """
    seed = new_seed() if seed is None else seed
    if not test_files(day):
        raise GradingError(f"no grader tests for day {day} in {HERE}")
    if STUDENT_KIT and seed not in expected.SEEDS:
        raise GradingError(f"the student kit grades with the seeds {expected.SEEDS[0]} to "
                           f"{expected.SEEDS[-1]} only, not {seed}")
    start = time.perf_counter()
    sub = submission.read(folder, day)
    grading = Grading(sub, seed, sandbox, Path(out), batch)  # the worker starts loading now
    raw = JSONReport()
    # Only the plugins grading needs (no others that happen to be installed; not pytest's
    # watch on exceptions no one raised, whose two garbage collections cost 20 ms), no assertion
    # rewriting (checks raise Failure): a third of a second less per grade. Tracebacks of one
    # line (the report reads only the failure itself): pytest's source-quoting tracebacks cost
    # ~0.05 s per failed check (a stub of Day 7: 2.5 s against 1.1 s); --raw keeps them.
    args = [*map(str, test_files(day, public_only)), "-c", str(HERE / "pytest.ini"),
            "--rootdir", str(HERE),
            "--disable-plugin-autoload", "-p", "pytest_timeout", "-p", "pytest_jsonreport.plugin",
            "-p", "graders.plugin", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
            "-p", "no:threadexception", "--assert=plain",
            "--import-mode=importlib", "-o", f"timeout={switches.check_seconds()}",
            "--json-report-file=none", "-q", f"--tb={'short' if keep_raw else 'line'}"]
    before = manifest()
    said = io.StringIO()
    try:
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = pytest.main(args, plugins=[raw, grading])
    finally:
        grading.close()  # when pytest never reached its session end
    after = manifest()
    changed = [f for f in before.keys() | after.keys() if before.get(f) != after.get(f)]
    if changed:
        raise GradingError(f"grading was stopped: {sorted(changed)[0]} changed while "
                           "grading; the kit's files must not change")
    if raw.report is None or code not in (0, 1):
        raise GradingError(f"the graders of day {day} could not run (pytest exit {code}): "
                           + said.getvalue().strip()[-500:])
    result = report.build(raw.report, day=day, seed=seed, folder=folder, files=sub.hashes(),
                          duration_s=time.perf_counter() - start, sandbox=sandbox,
                          kit_version=kit_version(), notices=sub.notices)
    notebook_source.annotate(result, sub.files, sub.made_from, ())
    out = Path(out)
    write_json(out / f"day{day}.json", result)
    if keep_raw:
        write_json(out / f"day{day}.raw.json", raw.report)
    return result


def is_current(result, folder):
    """True when `result` was graded by these graders from the files now in `folder`."""
    day, sub = result.get("day"), result.get("submission")
    return (type(day) is int and day in DAYS and result.get("kit_version") == kit_version()
            and isinstance(sub, dict)
            and sub.get("files") == submission.digest(submission.read_files(folder), day))


def load_report(path):
    """A JSON object from `path`, or {} when it is missing or broken."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path, data):
    """Write JSON atomically, every string printable (learner text escaped)."""
    write_file(path, json.dumps(escaping.clean(data), indent=2) + "\n")


def write_file(path, data):
    """Write bytes, or text as UTF-8, atomically: a reader sees the old file or the new one,
    never half of one (and a failure leaves the old one)."""
    if isinstance(data, str):  # text comes escaped; a lone surrogate left is written escaped
        data = data.encode("utf-8", errors="backslashreplace")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
