"""What the kit shows on a terminal: one module, so every command words a check the same way.
Every view comes out through `escaping.printable`: learner text never drives the terminal."""
import re
from pathlib import Path

from graders import escaping, notebook_source, pictures, report, submission


def points(x):
    """20.0 -> 20; 20.5 -> 20.5."""
    return int(x) if float(x).is_integer() else round(x, 2)


def indent(text, pad="    "):
    """Every line of text indented (messages may hold multi-line arrays)."""
    return "\n".join(pad + line for line in str(text).splitlines())


def check_line(t):
    """✗ test_softmax_rows_sum_to_one (Task 3.2 softmax, failed)."""
    mark = "✓" if t["status"] == "passed" else "✗"
    return f"{mark} {t['name']} ({report.task_title(t['task'])}, {t['status']})"


def failure(t):
    """A failed check: its line, the message, the hint."""
    return [check_line(t), indent(t["message"]), f"    Hint: {t['hint']}"]


def first_failing(result):
    """The first check of a report that did not pass, or None."""
    return next((t for t in result["tests"] if t["status"] != "passed"), None)


def day(result, path, hidden=None):
    """The view of one graded day: a line per check, then failures with hints, the total and
    the next task; the pictures it drew and the report's path. `hidden`: in the student kit,
    the points of the day's hidden checks, which only the instructor's grading runs."""
    n, folder = result["day"], Path(result["submission"]["folder"])
    lines = [f"Day {n} · {folder} · seed {result['seed']}"]
    lines += notes(result)
    width = max((len(t["name"]) for t in result["tests"]), default=0)
    for t in result["tests"]:
        mark = "✓" if t["status"] == "passed" else "✗"
        lines.append(f"  {mark} {t['name']:<{width}}  {t['points']}/{t['max_points']}")
    failed = [t for t in result["tests"] if t["status"] != "passed"]
    if failed and result["status"] not in report.BLOCKING + ("not_started",):
        lines.append("")
        for t in failed:
            lines += failure(t)
    here = "Score here" if hidden is not None else "Score"
    lines += ["", f"{here}: {result['score']:g}/{result['max_score']:g} ({result['status']})"]
    if hidden is not None:
        lines.append(f"Day {n} is out of {points(result['max_score'] + hidden)}: "
                     f"{points(result['max_score'])} here, {points(hidden)} more from hidden "
                     "checks when your instructor grades.")
    lines.append(result["message"])
    if result["status"] == "not_started":
        lines.append(f"    {first_todo(folder, n)}")
    elif failed and result["status"] not in report.BLOCKING:
        lines.append(f"Stuck? `make hint DAY={n}` gives a more explicit hint, one at a time.")
    since = path.stat().st_mtime - result["duration_s"] - 1 if path.is_file() else 0
    lines += [f"Picture: {p}" for p in pictures.saved(n, path.parent, since)]
    lines.append(f"Report: {path}")
    return escaping.printable("\n".join(lines), lines=True)


def untouched(result, hidden=None):
    """One line for a day not started yet: `Day 5 · 0/21 not started · exercises/day5.py ...`
    (in the student kit `0/10 of 21`: `hidden`, the points of its hidden checks)."""
    n, folder, mx = result["day"], Path(result["submission"]["folder"]), result["max_score"]
    of = f" of {points(mx + hidden)}" if hidden is not None else ""
    return escaping.printable(f"Day {n} · 0/{mx:g}{of} not started · {first_todo(folder, n)}",
                              lines=True)


def notes(result):
    """The report's notices (a file name taken loosely, notebook lines left out), a line each."""
    return [f"Note: {n}" for n in result.get("notices", [])]


def first_todo(folder, n):
    """Where the first TODO of a day's file is: `exercises/day3.py line 40: # TODO(3.1): ...`."""
    path = submission.locate(folder, n)  # never through a link, never a huge file
    notebook = path.suffix.lower() == ".ipynb"
    data, why = submission.read_notebook(path)[:2] if notebook else submission.read_day(path)
    if data is None:
        return why or f"{path} is missing."
    text = data.decode(errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(r"#\s*TODO\(", line):
            cell = notebook_source.origin(text, number) if notebook else None
            return f"{path} {cell or f'line {number}'}: {line.strip()}"
    return f"{path}: no TODO left; look for a `raise NotImplementedError`."


def progress(rows):
    """A plain-text table of (day, score, status, next) rows."""
    rows = [("Day", "Score", "Status", "Next")] + rows
    width = max(9, *(len(s) for _, s, _, _ in rows))
    table = "\n".join(f"{d:<7}{s:>{width}}  {st:<17}{n}" for d, s, st, n in rows)
    return escaping.printable(table, lines=True)
