"""A learner's submission as the grader sees it: the day files, read once (each found by
`names.resolve`, so `Day1.py` is day1.py); their hashes; the modules they import; what the
learner is told about the names; and what keeps a day from being graded (a missing,
unparsable or forbidden file, a link, a file too large). A day may be a notebook,
`dayN.ipynb`: read the same way, its definitions become the day file (`notebook_source`), and
the learner is told what was left out."""
import ast
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from graders import escaping, limits, names, notebook_source, policy, switches
from graders.failures import Failure, PolicyViolation, Ungradable

DAYS = range(1, 8)
DAY_MODULE = re.compile(r"day[1-7]")


@dataclass
class Submission:
    """What grading one day of a folder needs to know about its files."""
    folder: Path
    day: int
    files: dict  # {"day3.py": bytes} for every day file of the folder
    blocked: Failure | None  # the day cannot be graded, and why
    modules: set  # top-level names of every module the graded files import
    choices: dict  # {day: names.Choice}: which file was taken as each day's
    notebooks: dict = field(default_factory=dict)  # {"day3.py": ("day3.ipynb", [notices])}

    @property
    def notices(self):
        """What the learner is told about the files this day grades (its own and the earlier
        days it imports): a name taken loosely, a file left out; and the lines of this day's
        notebook that were left out."""
        days = {self.day} | {int(m[3:]) for m in self.modules if DAY_MODULE.fullmatch(m)}
        said = [n for d in sorted(days) if (n := self.choices[d].notice())]
        return said + self.notebooks.get(f"day{self.day}.py", (None, []))[1]

    @property
    def made_from(self):
        """{"day3.py": "day3.ipynb"} for the graded files made from a notebook."""
        days = {self.day} | {int(m[3:]) for m in self.modules if DAY_MODULE.fullmatch(m)}
        return {f"day{d}.py": self.notebooks[f"day{d}.py"][0] for d in days
                if f"day{d}.py" in self.notebooks}

    @property
    def uses_sklearn(self):
        return "sklearn" in self.modules

    def hashes(self):
        """sha256 of the files that grading this day may import (days 1 to N)."""
        return digest(self.files, self.day)


def read(folder, day):
    """The Submission of `day` in `folder`."""
    folder = Path(folder)
    files, refused, found, notebooks = scan(folder)
    blocked, modules = precheck(files, refused, found, day)
    return Submission(folder, day, files, blocked, modules, found, notebooks)


def read_files(folder):
    """{"dayN.py": bytes} of the day files of `folder` that can be read (see `scan`)."""
    return scan(folder)[0]


def choices(folder):
    """{day: names.Choice}: which file of `folder` is taken as each day's."""
    try:
        return names.resolve(os.listdir(folder))
    except OSError:  # gone, or not a folder: no file is any day's
        return names.resolve([])


def locate(folder, day):
    """The path of the file taken as `day`'s in `folder` (dayN.py when there is none)."""
    return Path(folder) / (choices(folder)[day].name or names.canonical(day))


def scan(folder):
    """({"dayN.py": bytes}, {"dayN.py": why not}, {day: names.Choice}, {"dayN.py": (notebook,
    [notices])}) of the day files in `folder`, each read from the file `names.resolve` takes
    for its day; a notebook's bytes are the day file made from it."""
    files, refused, found, notebooks = {}, {}, choices(folder), {}
    for n, choice in found.items():
        if choice.name is None:
            continue
        path, key = Path(folder) / choice.name, names.canonical(n)
        if path.suffix.lower() == ".ipynb":
            data, why, notes = read_notebook(path)
            notebooks[key] = (choice.name, notes)
        else:
            data, why = read_day(path)
        if data is not None:
            files[key] = data
        elif why:
            refused[key] = why
    return files, refused, found, notebooks


def read_notebook(path):
    """(the day file's bytes made from a notebook, None, [notices]); (None, None, []) when it
    is missing; (None, why, []) when it cannot be read or is not a notebook."""
    data, why = read_day(path, limits.NOTEBOOK_BYTES)
    if data is None:
        return None, why, []
    try:
        text, notices = notebook_source.from_notebook(data, path.name)
    except notebook_source.NotANotebook as exc:
        return None, escaping.printable(str(exc)), []
    code = text.encode("utf-8", errors="backslashreplace")  # a lone surrogate, as an escape
    if len(code) > limits.DAY_FILE_BYTES:
        return None, (f"the code kept from {names.shown(path.name)} is too large to grade "
                      f"({len(code) >> 10} KiB; at most {limits.DAY_FILE_BYTES >> 10} KiB)."), []
    return code, None, notices


def read_day(path, limit=limits.DAY_FILE_BYTES):
    """(bytes, None) of a day file, (None, None) when it is missing, (None, why) when it is
    not read: a link (never followed), not a regular file, or larger than `limit`."""
    name = names.shown(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            return None, f"{name} cannot be read ({exc.strerror})."
        try:
            target = f" (to {escaping.printable(os.readlink(path))[:200]})"
        except OSError:
            target = ""
        return None, (f"{name} is a link{target}: links are not graded; copy the file itself "
                      "into the folder.")
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"{name} is not a regular file: save your code as a plain file."
        data = f.read(limit + 1)
    if len(data) > limit:
        kind = "notebook" if name.endswith(".ipynb") else "day file"
        return None, (f"{name} is too large to grade ({max(info.st_size, len(data)) >> 10} KiB; "
                      f"a {kind} may be at most {limit >> 10} KiB).")
    return data, None


def digest(files, day):
    """sha256 of days 1 to `day` among `files`."""
    return {f"day{k}.py": hashlib.sha256(files[f"day{k}.py"]).hexdigest()
            for k in range(1, day + 1) if f"day{k}.py" in files}


def precheck(files, refused, found, day):
    """(failure or None, modules imported): missing, unreadable, unparsable or forbidden files
    among day N and the siblings it imports, and every module those files import. `found`
    ({day: names.Choice}) words a missing file: what the folder holds instead."""
    todo, seen, modules = [f"day{day}"], set(), set()
    while todo:
        name = todo.pop()
        seen.add(name)
        if f"{name}.py" in refused:
            why = refused[f"{name}.py"]
            return Ungradable(why if name == f"day{day}" else
                              f"The day {day} file imports {name}, but {why}"), modules
        if f"{name}.py" not in files:
            who = "" if name == f"day{day}" else f" (imported by the day {day} file)"
            return Ungradable(found[int(name[3:])].missing(f"{name}.py is missing{who}")), \
                modules
        tree = parse(files[f"{name}.py"], f"{name}.py")
        if isinstance(tree, Failure):
            return tree, modules
        for line, module in policy.violations(tree):
            return PolicyViolation(f"{name}.py line {line} imports {module}: "
                                   f"{policy.RULE}."), modules
        modules |= imports(tree)
        todo += [m for m in modules if DAY_MODULE.fullmatch(m) and m not in seen]
    return None, modules


def parse(source, name):
    """The syntax tree of a day file, or Ungradable: whatever Python's parser raises on it (a
    syntax error, null bytes, an expression nested too deeply for the parser's memory)."""
    try:
        return ast.parse(source, filename=name)
    except SyntaxError as exc:
        return Ungradable(f"{name} does not parse: {exc.msg} (line {exc.lineno}).")
    except ValueError as exc:  # e.g. null bytes
        return Ungradable(f"{name} does not parse: {exc}.")
    except (MemoryError, RecursionError):
        if switches.disabled("parse-guard"):
            raise
        return Ungradable(f"{name} does not parse: an expression is nested too deeply for "
                          "Python (split it into smaller steps).")


def imports(tree):
    """The top-level names of the modules a parsed file imports."""
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return {m.split(".")[0] for m in names}
