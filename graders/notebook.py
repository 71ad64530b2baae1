"""Grading from inside a notebook: `from graders.notebook import check`, then `check(3)` grades
Day 3 from the cells this kernel has run (`check("3.2")` shows one task), in the same isolated
worker as `make grade`, without saving anything; the result shows as a table in the notebook
and as text anywhere else.

The cells are rebuilt into a day file with `notebook_source` (definitions only, the later of
two winning); the other days come from the notebook's folder (`dayK.py`, or `dayK.ipynb` as
saved). Importing this module also lets a notebook's `from day3 import softmax` find
`day3.ipynb` of that folder, and gives `show`, which draws a picture inline.
"""
import contextlib
import html
import importlib.abc
import importlib.util
import io
import re
import sys
import tempfile
from pathlib import Path

from graders import (crossday, engine, escaping, limits, notebook_source, render, report,
                     sandbox, submission)


def check(day, folder=".", out="reports", seed=None, mode="auto"):
    """Grade `day` (3, or "3.2" for one task) from the cells run in this kernel; the other
    days from `folder`. Returns a Result, which a notebook shows as a table."""
    day, task = which(day)
    shell = ipython()
    if shell is None:
        return Result.problem(f"check({day}) grades the cells run in a notebook; outside one, "
                              f"grade the file with `make grade DAY={day}`.")
    cells = [(f"In [{i}]", src) for i, src in enumerate(shell.user_ns.get("_ih", [])) if i]
    text, notices = notebook_source.from_cells(cells, "this notebook")
    code = text.encode("utf-8", errors="backslashreplace")
    said = io.StringIO()
    with contextlib.redirect_stderr(said):  # the sandbox's notice, shown with the result
        try:
            chosen = sandbox.choose(mode)
        except RuntimeError as exc:
            return Result.problem(str(exc))
    notices = [line.removeprefix("graders: ") for line in said.getvalue().splitlines()] + notices
    with tempfile.TemporaryDirectory(prefix="kit-notebook-") as tmp:
        folder, work = Path(folder), Path(tmp) / "submission"
        gather(folder, day, work)
        (work / f"day{day}.py").write_bytes(code)
        try:
            result = crossday.grade(day, work, out, seed, chosen)
        except engine.GradingError as exc:
            return Result.problem(f"The kit could not grade: {exc}")
    result["submission"]["folder"] = str(folder)
    notebook_source.annotate(result, {f"day{day}.py": code}, {f"day{day}.py": "this notebook"},
                             [*notices, *result.get("notices", [])])
    engine.write_json(Path(out) / f"day{day}.json", result)
    return Result(result, task, first_todo(text) if result["status"] == "not_started" else "")


def which(day):
    """3 -> (3, None); "3.2" -> (3, "3.2"); anything else: a one-line ValueError."""
    text = str(day).strip()
    found = re.fullmatch(r"([1-7])(?:\.([0-9]+))?", text)
    if not found or (found.group(2) and text not in report.TASKS):
        raise ValueError(f"check({day!r}): give a day from 1 to 7, e.g. check(3), or a task, "
                         "e.g. check(\"3.2\")")
    return int(found.group(1)), text if found.group(2) else None


def ipython():
    """The running IPython shell, or None (plain Python)."""
    module = sys.modules.get("IPython")
    return module.get_ipython() if module else None


def gather(folder, day, work):
    """The other days of `folder` into `work`, read the way grading reads them (never through a
    link, capped): a notebook as its .ipynb, so its lines are named by cell."""
    work.mkdir()
    for k in submission.DAYS:
        if k == day:
            continue
        for name, cap in ((f"day{k}.py", limits.DAY_FILE_BYTES),
                          (f"day{k}.ipynb", limits.NOTEBOOK_BYTES)):
            data, why = submission.read_day(folder / name, cap)
            if data is not None:
                (work / name).write_bytes(data)
                break
            if why:
                break  # refused (a link, too large): grading says why


def first_todo(text):
    """Where the first TODO of the cells run is: `In [5], line 12: # TODO(3.2): ...`."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(r"#\s*TODO\(", line):
            return f"{notebook_source.origin(text, number) or ''}: {line.strip()}"
    return "no TODO left; look for a `raise NotImplementedError`."


class Result:
    """A graded day as a notebook shows it: an HTML table, or text (`print`, a terminal)."""

    def __init__(self, report_, task=None, todo=""):
        self.report, self.task, self.todo = report_, task, todo

    @classmethod
    def problem(cls, message):
        return cls({"problem": message})

    @property
    def tests(self):
        tests = self.report.get("tests", [])
        return [t for t in tests if t["task"] == self.task] if self.task else tests

    @property
    def score(self):
        return sum(t["points"] for t in self.tests)

    @property
    def max_score(self):
        return sum(t["max_points"] for t in self.tests)

    def summary(self):
        """`Day 3: 12/20 (partial)`, or for one task `Task 3.2 softmax: 4/6`."""
        r = self.report
        if self.task:
            return f"{report.task_title(self.task)}: {self.score:g}/{self.max_score:g}"
        return f"Day {r['day']}: {r['score']:g}/{r['max_score']:g} ({r['status']})"

    def next_line(self):
        r = self.report
        if r["status"] == "not_started":
            return f"{r['message']} First TODO: {self.todo}"
        if r.get("next_task"):
            return f"{r['message']} Next: {report.task_title(r['next_task'])}."
        return r["message"]

    def __repr__(self):
        r = self.report
        if "problem" in r:
            return escaping.printable(r["problem"])
        lines = [self.summary(), *(f"Note: {n}" for n in r.get("notices", []))]
        for t in self.tests:
            lines.append(render.check_line(t) + f"  {render.points(t['points'])}/"
                         f"{render.points(t['max_points'])}")
            if t["status"] != "passed" and r["status"] not in report.BLOCKING + ("not_started",):
                lines += [render.indent(t["message"]), f"    Hint: {t['hint']}"]
        lines.append(self.next_line())
        return escaping.printable("\n".join(lines), lines=True)

    __str__ = __repr__

    def _repr_html_(self):
        r = self.report
        e = lambda text: html.escape(escaping.printable(str(text), lines=True))  # noqa: E731
        if "problem" in r:
            return f"<p><b>✗</b> {e(r['problem'])}</p>"
        show = r["status"] not in report.BLOCKING + ("not_started",)
        rows = "".join(
            f"<tr><td>{'✓' if t['status'] == 'passed' else '✗'}</td>"
            f"<td>{e(report.task_title(t['task']))}</td><td>{e(words(t['name']))}</td>"
            f"<td>{render.points(t['points'])}/{render.points(t['max_points'])}</td>"
            f"<td style='white-space:pre-wrap;text-align:left'>"
            f"{e(t['message']) if show and t['status'] != 'passed' else ''}</td>"
            f"<td style='text-align:left'>"
            f"{e(t['hint']) if show and t['status'] != 'passed' else ''}</td></tr>"
            for t in self.tests)
        notes = "".join(f"<p><small>Note: {e(n)}</small></p>" for n in r.get("notices", []))
        return (f"<div><p><b>{e(self.summary())}</b></p>{notes}<table>"
                "<tr><th></th><th>task</th><th>check</th><th>points</th><th>message</th>"
                f"<th>hint</th></tr>{rows}</table><p>{e(self.next_line())}</p></div>")


def words(name):
    """test_softmax_rows_sum_to_one -> softmax rows sum to one."""
    return name.removeprefix("test_").replace("_", " ")


def show(picture):
    """Draw a picture in the notebook: a matplotlib Figure, or the path of a saved image."""
    from IPython.display import Image, display
    if isinstance(picture, (str, Path)):
        data = Path(picture).read_bytes()
    else:
        buffer = io.BytesIO()
        picture.savefig(buffer, format="png")
        data = buffer.getvalue()
    display(Image(data=data, format="png"))


class DayNotebooks(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`import day3` in a notebook finds `day3.ipynb` of the current folder when there is no
    `day3.py`: its definitions, read and rebuilt the way grading reads them."""

    def find_spec(self, name, path=None, target=None):
        notebook = Path.cwd() / f"{name}.ipynb"
        if path is not None or not submission.DAY_MODULE.fullmatch(name) \
                or not notebook.is_file():
            return None
        return importlib.util.spec_from_loader(name, self, origin=str(notebook))

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        path = Path(module.__spec__.origin)
        data, why, _ = submission.read_notebook(path)
        if data is None:
            raise ImportError(why, name=module.__name__)
        module.__file__ = str(path)
        exec(compile(data, str(path), "exec"), module.__dict__)


if not any(isinstance(f, DayNotebooks) for f in sys.meta_path):
    sys.meta_path.append(DayNotebooks())  # after the usual finders: a dayK.py wins
