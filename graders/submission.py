"""A learner's submission as the grader sees it: the day files, read once; their hashes; the
modules they import; and what keeps a day from being graded (a missing, unparsable or
forbidden file)."""
import ast
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graders import policy
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

    @property
    def uses_sklearn(self):
        return "sklearn" in self.modules

    def hashes(self):
        """sha256 of the files that grading this day may import (days 1 to N)."""
        return digest(self.files, self.day)


def read(folder, day):
    """The Submission of `day` in `folder`."""
    folder = Path(folder)
    files = read_files(folder)
    blocked, modules = precheck(files, folder, day)
    return Submission(folder, day, files, blocked, modules)


def read_files(folder):
    """{"dayN.py": bytes} of the day files in `folder` (regular files only)."""
    found = {}
    for n in DAYS:
        path = Path(folder) / f"day{n}.py"
        if path.is_file() and not path.is_symlink():
            found[path.name] = path.read_bytes()
    return found


def digest(files, day):
    """sha256 of days 1 to `day` among `files`."""
    return {f"day{k}.py": hashlib.sha256(files[f"day{k}.py"]).hexdigest()
            for k in range(1, day + 1) if f"day{k}.py" in files}


def precheck(files, folder, day):
    """(failure or None, modules imported): missing, unparsable or forbidden files among day N
    and the siblings it imports, and every module those files import."""
    todo, seen, modules = [f"day{day}"], set(), set()
    while todo:
        name = todo.pop()
        seen.add(name)
        if f"{name}.py" not in files:
            who = "" if name == f"day{day}" else f" (imported by the day {day} file)"
            return Ungradable(f"{name}.py is missing from {folder}{who}."), modules
        try:
            tree = ast.parse(files[f"{name}.py"], filename=f"{name}.py")
        except SyntaxError as exc:
            return Ungradable(f"{name}.py does not parse: {exc.msg} (line {exc.lineno})."), modules
        except ValueError as exc:  # e.g. null bytes
            return Ungradable(f"{name}.py does not parse: {exc}."), modules
        for line, module in policy.violations(tree):
            return PolicyViolation(f"{name}.py line {line} imports {module}: "
                                   f"{policy.RULE}."), modules
        modules |= imports(tree)
        todo += [m for m in modules if DAY_MODULE.fullmatch(m) and m not in seen]
    return None, modules


def imports(tree):
    """The top-level names of the modules a parsed file imports."""
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return {m.split(".")[0] for m in names}
