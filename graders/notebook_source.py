"""A notebook as a day file: the code of its cells (a saved `dayN.ipynb`, or the cells a kernel
has run), rebuilt into the text of `dayN.py` that grading imports.

Only definitions are kept: imports, functions, classes and constant assignments (a value built
from literals, names and NumPy/math calls, never a call of the learner's own functions). The
rest (a training run at the top level, prints, plots, `!pip` and `%magic` lines) is left out,
and the learner is told which lines. When a name is defined twice, the later definition wins,
as in the kernel. Each kept statement is preceded by a comment naming its cell and line, so a
line of the rebuilt file can be traced back (`origin`). Imports only `ast`, `json`, `re`.
"""
import ast
import json
import re

MARK = re.compile(r"# @kit (.+), line (\d+)")  # the comment above each kept statement
NUMERIC = {"numpy", "math"}  # calls into these modules may build a constant
BUILTINS = {"int", "float", "bool", "str", "complex", "tuple", "list", "dict", "set",
            "frozenset", "range", "abs", "round", "min", "max", "len", "sum", "sorted"}
KIT = {"graders"}  # the kit's own import in a notebook (`from graders.notebook import check`)
QUIET = {"check"}  # calls left out without a word: grading the notebook itself
SHOWN = 12  # notices listed one by one; the rest are counted


class NotANotebook(ValueError):
    """The bytes are not a notebook that can be read; the message is for the learner, and says
    what to do about it."""

    def __init__(self, message):
        super().__init__(f"{message} Open it in Jupyter and save it again (File > Save), or hand "
                         "in your code as a .py file instead.")


def from_notebook(data, name):
    """(text of the day file, [notices]) from the bytes of a saved .ipynb file."""
    try:
        import nbformat  # the format's own reader: every nbformat version, validated
        book = nbformat.reads(data.decode("utf-8"), as_version=4)
        cells = [(f"cell {i}", cell_text(c.source)) for i, c in enumerate(book.cells, 1)
                 if c.cell_type == "code"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotANotebook(f"{name} is not a notebook that can be read ({exc}).") from None
    except (RecursionError, MemoryError):
        raise NotANotebook(f"{name} is not a notebook that can be read (nested too deeply).") \
            from None
    except Exception as exc:  # nbformat's own errors: not JSON of a notebook, a bad version
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise NotANotebook(f"{name} is not a notebook that can be read ({first}).") from None
    return from_cells(cells, name)


def cell_text(source):
    """A cell's source: a string, or (in the files of some tools) a list of lines."""
    return "".join(source) if isinstance(source, list) else str(source)


def from_cells(cells, name):
    """(text, notices) from [(label, source)] in the order they ran: the definitions kept, the
    later of two definitions of a name winning."""
    kept, dropped = [], []  # kept: (label, line, node, text)
    for label, source in cells:
        source, shell = without_magic(source)
        dropped += [(label, line, line, text) for line, text in shell]
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            line = getattr(exc, "lineno", None) or 1
            dropped.append((label, line, line, f"does not parse: {getattr(exc, 'msg', exc)}"))
            continue
        lines = source.splitlines()
        for node in tree.body:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            try:
                keep = keeps(node)
            except RecursionError:  # an expression nested too deeply to judge: not run
                dropped.append((label, first, node.end_lineno or first, "nested too deeply"))
                continue
            if keep:
                kept.append((label, first, node, segment(source, lines, node, first)))
            elif not quiet(node):
                snippet = (segment(source, lines, node, first) or "").strip().split("\n")[0]
                dropped.append((label, first, node.end_lineno or first, f"`{snippet[:60]}`"))
    text = "\n".join(f"# @kit {label}, line {line}\n{body}\n"
                     for label, line, _, body in latest(kept))
    header = f"# Made from {name} by the kit: its definitions, the later of two winning.\n"
    return header + text, notices(dropped, name)


def without_magic(source):
    """The source with IPython-only lines blanked (kept as empty lines, so line numbers hold):
    `%magic`, `!shell`, `%%cell magic` cells. Returns (source, [(line, the line)])."""
    lines, shell = source.splitlines(), []
    if lines and lines[0].lstrip().startswith("%%"):
        return "", [(1, f"`{lines[0].strip()[:60]}` (a cell magic: the whole cell)")]
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("%", "!")):
            shell.append((i + 1, f"`{line.strip()[:60]}`"))
            lines[i] = ""
    return "\n".join(lines), shell


def keeps(node):
    """True for a statement grading keeps: an import (not of the kit), a function, a class, an
    assignment of a constant to plain names."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return not kit_import(node)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign):
        return all(plain(t) for t in node.targets) and constant(node.value)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and (node.value is None or constant(node.value))
    return False


def kit_import(node):
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    return any(n.split(".")[0] in KIT for n in names)


def quiet(node):
    """Statements left out without a word: the kit's import, `check(...)`, a bare string, pass."""
    if isinstance(node, (ast.Import, ast.ImportFrom)) or isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Constant):
            return True
        return isinstance(value, ast.Call) and getattr(value.func, "id", None) in QUIET
    return False


def plain(target):
    """A name, or a tuple/list of names: never an attribute or an item of an object."""
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, ast.Starred):
        return plain(target.value)
    return isinstance(target, (ast.Tuple, ast.List)) and all(plain(e) for e in target.elts)


def constant(node):
    """True when evaluating `node` calls nothing but NumPy, math and a few builtins (a lambda's
    body is not evaluated when it is defined)."""
    if isinstance(node, ast.Lambda):
        return all(constant(d) for d in node.args.defaults + node.args.kw_defaults if d)
    if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
        return False
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            allowed = func.id in BUILTINS
        else:
            while isinstance(func, ast.Attribute):
                func = func.value
            allowed = isinstance(func, ast.Name) and (func.id in NUMERIC or func.id == "np")
        if not allowed:
            return False
    return all(constant(child) for child in ast.iter_child_nodes(node))


def segment(source, lines, node, first):
    """The exact text of a top-level statement (a decorated one from its first decorator)."""
    if first < node.lineno:
        return "\n".join(lines[first - 1:node.end_lineno])
    return ast.get_source_segment(source, node)


def bound(node):
    """The names a kept statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name.split(".")[0]) if a.name != "*" else f"*{id(node)}"
                for a in node.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return {f"*{id(node)}"}  # binds no name of its own: always kept


def latest(kept):
    """The kept statements that are the last to bind at least one of their names, in order."""
    last = {}
    for i, (_, _, node, _) in enumerate(kept):
        for name in bound(node):
            last[name] = i
    wanted = set(last.values())
    return [k for i, k in enumerate(kept) if i in wanted]


def notices(dropped, name):
    """What was left out, for the learner: one line per statement, the rest counted."""
    if not dropped:
        return []
    where = [f"{label} line {a}" + (f"-{b}" if b != a else "") + f" {text}"
             for label, a, b, text in dropped]
    more = f"; and {len(where) - SHOWN} more" if len(where) > SHOWN else ""
    return [f"{name}: only imports, functions, classes and constants are graded; left out "
            f"(not run): " + "; ".join(where[:SHOWN]) + more + "."]


def origin(text, line):
    """Where line `line` of a rebuilt day file came from: 'cell 4, line 3' (None for a line
    the kit wrote)."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)) - 1, -1, -1):
        found = MARK.fullmatch(lines[number])
        if found:
            if number + 1 == line:
                return None
            return f"{found.group(1)}, line {int(found.group(2)) + line - number - 2}"
    return None


def place(message, texts):
    """A message with every `dayN.py line L` of a rebuilt notebook followed by its cell and line
    (`texts`: {"day3.py": (the rebuilt text, "day3.ipynb")})."""
    def where(found):
        name, line = found.group(1), int(found.group(2))
        if name not in texts:
            return found.group(0)
        text, source = texts[name]
        cell = origin(text, line)
        return f"{found.group(0)}, {source} {cell}" if cell else found.group(0)
    return re.sub(r"(day[1-7]\.py) line (\d+)", where, message)


def annotate(result, files, notebooks, notices):
    """A day's report, for days made from notebooks: each `dayN.py line L` of a message also
    names its cell; the notices (what was left out) in `notices`."""
    texts = {name: (files[name].decode("utf-8", errors="replace"), source)
             for name, source in notebooks.items() if name in files}
    if texts:
        result["message"] = place(result["message"], texts)
        for t in result["tests"]:
            t["message"] = place(t["message"], texts)
    if notices:
        result["notices"] = list(notices)
    return result
