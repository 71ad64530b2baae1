"""`make notebooks`: `notebooks/dayN.ipynb` made from `exercises/dayN.py`, so the two never
drift (tests/test_notebooks.py makes them again and compares). A notebook holds the day's goal,
tasks and reading (the file's docstring) as text, one code cell per stub or group of constants
(the file's own text: signatures, docstrings, TODOs), the day's experiment with its pictures
where it has one, and a last cell that grades: `check(N)`.
"""
import ast
import re
import sys
from pathlib import Path

import nbformat

from graders import engine, report

ROOT = engine.HERE.parent
SECTION = re.compile(r"(Goal|Focus|Concepts|Tasks|Reading|Grade it)\b[^:]*:")
SETUP = ("from graders.notebook import check, show  # check(N) grades the cells you have run\n"
         "import numpy as np")
WORKING = """## How to work in this notebook

Fill in each code cell below in order (replace `raise NotImplementedError(...)` with your code),
run it with Shift-Enter, and grade with the last cell: `check({day})` grades the cells you have
run in this notebook, with the same checks as `make grade DAY={day}`; `check("{day}.1")` shows one
task. Run the first cell first.{earlier}"""
EARLIER = ("\n\nThis day imports your earlier days (`{imports}`): they come from the notebooks "
           "(or `dayN.py` files) beside this one, as last saved. After you change an earlier "
           "day, save it and restart this notebook's kernel.")
EXPERIMENTS = {
    2: ("## Experiment: the shapes of one layer\n\nA batch `X` of 3 samples with 4 features "
        "times a layer of 5 neurons: each picture is one array, one square per number.",
        """X = random_batch(3, 4)
W, B = init_layer(4, 5)
Z = layer_forward(X, W, B)
print(f"X {X.shape} @ W {W.shape} + B {B.shape} = Z {Z.shape}; "
      f"output_shape says {output_shape(X.shape, W.shape)}")

from matplotlib.figure import Figure

fig = Figure(figsize=(10, 2.6), layout="constrained")
for k, (name, array) in enumerate([("X", X), ("W", W), ("B", B), ("Z = X @ W + B", Z)]):
    ax = fig.add_subplot(1, 4, k + 1)
    ax.imshow(array, cmap="coolwarm")
    ax.set(title=f"{name} {array.shape}", xticks=[], yticks=[])
show(fig)"""),
    5: ("## Experiment: the learning rate\n\nGradient descent on f(w) = w² from w = 1: at "
        "0.1 `w` slides to 0, at 100 it explodes.",
        """runs = {}
for learning_rate in (0.1, 100):
    iterates = gradient_descent(lambda w: 2 * w, 1.0, learning_rate, steps=10)
    print(f"learning rate {learning_rate}: " + ", ".join(f"{w:.3g}" for w in iterates))
    runs[learning_rate] = iterates
save_learning_rates(runs)
show("reports/day5_learning_rates.png")"""),
    7: ("## Experiment: train, then look at the mistakes\n\n`main()` trains for 1000 epochs "
        "(a few seconds); then the loss of every epoch, the test digits it misread and the "
        "confusion matrix (which digit is taken for which).",
        """model, losses = main()
save_pictures(model, losses)
for name in ("loss", "mistakes", "confusion"):
    show(f"reports/day7_{name}.png")"""),
}


def notebook(day, exercises=ROOT / "exercises"):
    """The notebook of `day`, made from exercises/dayN.py."""
    source = (Path(exercises) / f"day{day}.py").read_text()
    tree = ast.parse(source)
    doc = ast.get_docstring(tree, clean=True) or f"Day {day}"
    body = [n for n in tree.body if not is_docstring(n) and not is_main(n)]
    imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
    earlier = sorted({n.module for n in imports if isinstance(n, ast.ImportFrom)
                      and re.fullmatch(r"day[1-7]", n.module or "")})
    cells = [markdown(intro(doc, day)),
             markdown(WORKING.format(day=day, earlier=EARLIER.format(
                 imports="`, `".join(f"from {m} import ..." for m in earlier)) if earlier else "")),
             code(SETUP + "".join(f"\n{chunk}" for chunk in texts(source, imports)
                                  if chunk.strip() != "import numpy as np"))]
    previous = None
    for group in groups(source, [n for n in body if n not in imports]):
        task = todo_task(group)
        if task != previous or task is None:
            tasks = sorted(set(re.findall(r"TODO\((\d\.\d+)\)", group)) | {task} - {None})
            cells.append(markdown(
                f"### {', '.join(map(report.task_title, tasks))}\n\nGrade "
                f"{'this task' if len(tasks) == 1 else 'one task'} alone: `check(\"{task}\")`."
                if task else "### Given code (not a task)\n\nRun this cell: the experiment "
                             "below uses it."))
        cells.append(code(group))
        previous = task
    if day in EXPERIMENTS:
        text, program = EXPERIMENTS[day]
        cells += [markdown(text), code(program)]
    cells += [markdown(f"## Grade Day {day}\n\nEvery check, its message and a hint; the score "
                       "and the next task."), code(f"check({day})")]
    book = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    for i, cell in enumerate(book.cells):
        cell["id"] = f"day{day}-{i:02d}"  # fixed ids: the same file every time
    nbformat.validate(book)
    return book


def is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def is_main(node):
    return isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)


def texts(source, nodes):
    """The text of each statement, with the comment lines just above it."""
    lines = source.splitlines()
    out = []
    for node in nodes:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        while first > 1 and lines[first - 2].startswith("#"):
            first -= 1
        out.append("\n".join(lines[first - 1:node.end_lineno]))
    return out


def groups(source, nodes):
    """Code cells: each function or class on its own; consecutive assignments together."""
    cells, previous = [], None
    for node, text in zip(nodes, texts(source, nodes)):
        constant = isinstance(node, (ast.Assign, ast.AnnAssign))
        if constant and previous == "constant" and todo_task(cells[-1]) == todo_task(text):
            cells[-1] += "\n" + text
        else:
            cells.append(text)
        previous = "constant" if constant else "definition"
    return cells


def todo_task(text):
    found = re.search(r"TODO\((\d\.\d+)\)|Task (\d\.\d+)", text)
    return (found.group(1) or found.group(2)) if found else None


def intro(doc, day):
    """The docstring as Markdown: the title, then its sections with their lists."""
    title, _, rest = doc.partition("\n")
    out = [f"# {title.rstrip('.')}"]
    for line in rest.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append("")
        elif stripped.startswith("Grade it:"):
            out.append(f"**Grade it:** run the last cell, `check({day})`.")
        elif SECTION.match(line):  # a section: "Goal: ..." or "Tasks:"
            head, _, tail = stripped.partition(":")
            out.append(f"**{head}:** {tail.strip()}".rstrip())
        elif stripped.startswith(("- ", "Task ")):
            out.append("- " + re.sub(r"^- ", "", re.sub(r"\s{2,}", ": ", stripped)))
        else:  # a continuation of the line above
            out[-1] += " " + stripped if out[-1] else stripped
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def markdown(text):
    return nbformat.v4.new_markdown_cell(text)


def code(text):
    return nbformat.v4.new_code_cell(text)


def text_of(book):
    """The file's text of a notebook (fixed: the same notebook, the same bytes)."""
    return nbformat.writes(book) + "\n"


def write_all(folder=ROOT / "notebooks", days=engine.DAYS, force=False):
    """Write notebooks/dayN.ipynb; one that exists is kept unless `force` (it may hold a
    learner's work). Returns [(path, written or kept)]."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for day in days:
        path, text = folder / f"day{day}.ipynb", text_of(notebook(day))
        if path.exists() and not force and path.read_text() != text:
            done.append((path, "kept (it differs: your work?); --force rewrites it"))
            continue
        path.write_text(text)
        done.append((path, "written"))
    return done


def add_arguments(parser, name):
    parser.add_argument("--out", default=str(ROOT / "notebooks"), help="folder of the notebooks")
    parser.add_argument("--force", action="store_true",
                        help="rewrite notebooks that differ (they may hold your work)")


def run(args, parser):
    for path, what in write_all(args.out, force=args.force):
        print(f"{path}: {what}", file=sys.stdout)
    return 0
