"""Notebooks: the generated notebooks match the day files; run headless in a real kernel they
grade themselves (`check(N)`): the reference pasted in gets full marks, the stubs 0 and the
first TODO; a notebook submission is graded from its definitions only (a training loop at the
top level is not run), in `make grade`, `grade-class` and Gradescope alike."""
import ast
import json
import re
import shutil
import zipfile

import nbformat
import pytest

from conftest import EXERCISES, REFERENCE, ROOT, grade, run_graders
from graders import notebook_maker, notebook_source, sandbox, submission
from graders.notebook import Result, which

DAYS = range(1, 8)
TRAINING_LOOP = """w = 1.0
for epoch in range(10**12):  # would never end if it ran
    w = w - 0.1 * 2 * w
print("trained", w)"""


def book_of(folder, day, cells=()):
    """The generated notebook of `day` made from `folder`'s file, with extra code cells."""
    book = notebook_maker.notebook(day, folder)
    book.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    return book


def write(book, path):
    path.write_text(nbformat.writes(book))
    return path


def kept(tree):
    """The definitions of a day file, as grading keeps them from a notebook."""
    return sorted(ast.dump(n) for n in tree.body if notebook_source.keeps(n)
                  and not (isinstance(n, ast.Import) and n.names[0].name == "numpy"))


@pytest.mark.parametrize("day", DAYS)
def test_each_notebook_is_made_from_its_day_file_and_matches_it(day):
    committed = (ROOT / "notebooks" / f"day{day}.ipynb").read_text()
    assert committed == notebook_maker.text_of(notebook_maker.notebook(day)), \
        f"notebooks/day{day}.ipynb differs from exercises/day{day}.py: run make notebooks FORCE=1"
    book = nbformat.reads(committed, as_version=4)
    experiment = notebook_maker.EXPERIMENTS.get(day, ("", None))[1]
    text, _ = notebook_source.from_cells([(c.id, c.source) for c in book.cells if
                                          c.cell_type == "code" and c.source != experiment],
                                         f"day{day}.ipynb")
    day_file = ast.parse((EXERCISES / f"day{day}.py").read_text())
    assert kept(ast.parse(text)) == kept(day_file)  # every stub, exactly as in the file
    assert book.cells[-1].source == f"check({day})"
    stub_cells = [c.source for c in book.cells if "TODO(" in c.source and c.cell_type == "code"]
    todos = re.findall(r"TODO\(\d\.\d+\)", (EXERCISES / f"day{day}.py").read_text())
    assert re.findall(r"TODO\(\d\.\d+\)", "".join(stub_cells)) == todos


def kernel_run(folder, days, tmp_path, name):
    """Every day's notebook from `folder` run in turn in ONE kernel (history and day modules
    reset between days, as in a fresh notebook); returns {day: the executed notebook cells}."""
    from nbclient import NotebookClient
    work = tmp_path / name
    work.mkdir()
    for day in DAYS:
        write(book_of(folder, day), work / f"day{day}.ipynb")
    big = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3",
                                                              "display_name": "Python 3"}})
    spans = {}
    for day in days:
        big.cells.append(nbformat.v4.new_code_cell(
            "import sys\nfor k in range(1, 8):\n    sys.modules.pop(f'day{k}', None)\n"
            "get_ipython().reset(new_session=True)  # a fresh notebook: no history"))
        start = len(big.cells)
        big.cells += book_of(folder, day).cells
        spans[day] = (start, len(big.cells))
    NotebookClient(big, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    return {day: big.cells[a:b] for day, (a, b) in spans.items()}, work


def outputs(cells, kind):
    return [o for c in cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.output_type == kind]


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    return kernel_run(REFERENCE, DAYS, tmp_path_factory.mktemp("kernel"), "reference")


@pytest.fixture(scope="module")
def stubs_run(tmp_path_factory):
    return kernel_run(EXERCISES, DAYS, tmp_path_factory.mktemp("kernel"), "stubs")


@pytest.mark.parametrize("day", DAYS)
def test_the_reference_pasted_into_a_notebook_gets_full_marks_from_check(reference_run, day):
    cells, work = reference_run
    assert not outputs(cells[day], "error"), outputs(cells[day], "error")
    shown = cells[day][-1]["outputs"][-1]["data"]
    report = json.loads((work / "reports" / f"day{day}.json").read_text())
    assert report["status"] == "passed" and report["score"] == report["max_score"] > 0
    assert f"Day {day}: {report['score']:g}/{report['max_score']:g} (passed)" in shown["text/plain"]
    assert "<table>" in shown["text/html"] and "✓" in shown["text/html"]
    assert "✗" not in shown["text/html"]


def test_the_experiments_draw_their_pictures_inline(reference_run):
    cells, _ = reference_run
    pictures = {day: len([o for o in outputs(cells[day], "display_data")
                          if "image/png" in o["data"]]) for day in DAYS}
    assert pictures == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 3}


@pytest.mark.parametrize("day", DAYS)
def test_the_stubs_in_a_notebook_score_zero_and_show_the_first_todo(stubs_run, day):
    cells, work = stubs_run
    shown = cells[day][-1]["outputs"][-1]["data"]
    report = json.loads((work / "reports" / f"day{day}.json").read_text())
    assert report["status"] == "not_started" and report["score"] == 0
    first = re.search(r"TODO\(\d\.\d+\)", (EXERCISES / f"day{day}.py").read_text()).group(0)
    assert re.search(rf"First TODO: In \[\d+\], line \d+: # {re.escape(first)}",
                     shown["text/plain"]), shown["text/plain"]
    assert first in shown["text/html"]


def test_check_of_one_task_shows_only_that_task():
    report = {"day": 3, "score": 2, "max_score": 4, "status": "partial", "message": "m",
              "next_task": "3.2", "notices": [], "tests": [
                  {"name": "test_relu_a", "task": "3.1", "points": 2, "max_points": 2,
                   "status": "passed", "message": "", "hint": "h"},
                  {"name": "test_softmax_b", "task": "3.2", "points": 0, "max_points": 2,
                   "status": "failed", "message": "<b>bad</b>\x1b[2J", "hint": "sum rows"}]}
    one = Result(report, "3.2")
    assert "softmax b" in one._repr_html_() and "relu a" not in one._repr_html_()
    assert str(one).startswith("Task 3.2 softmax: 0/2") and "Hint: sum rows" in str(one)
    assert "&lt;b&gt;bad" in one._repr_html_() and "\x1b" not in one._repr_html_() + str(one)
    assert which(3) == (3, None) and which("3.2") == (3, "3.2")
    for bad in (0, 8, "3.9", "x"):
        with pytest.raises(ValueError, match="give a day from 1 to 7"):
            which(bad)


def test_check_outside_a_notebook_says_what_to_run_instead():
    from graders.notebook import check
    assert "make grade DAY=2" in str(check(2))


# -- notebook submissions: make grade, grade-class, Gradescope --------------------------------

def notebook_folder(tmp_path, day=1, cells=(), base=REFERENCE):
    folder = tmp_path / "sub"
    folder.mkdir()
    write(book_of(base, day, cells), folder / f"day{day}.ipynb")
    return folder


def test_a_notebook_with_a_training_loop_is_graded_without_running_it(tmp_path):
    folder = notebook_folder(tmp_path, cells=[TRAINING_LOOP, "!pip install torch\n%time 1"])
    report = grade(1, folder, tmp_path / "out")
    assert report["status"] == "passed" and report["score"] == report["max_score"]
    notice = " ".join(report["notices"])
    assert "for epoch in range(10**12)" in notice and "!pip install torch" in notice
    assert "print(\"trained\", w)" in notice and "%time 1" in notice
    assert report["duration_s"] < 60


def test_a_notebook_s_imports_follow_the_policy_and_its_lines_name_their_cell(tmp_path):
    folder = notebook_folder(tmp_path, cells=["import torch"])
    report = grade(1, folder, tmp_path / "out")
    assert report["status"] == "policy_violation"
    cell = len(book_of(REFERENCE, 1).cells) + 1
    assert re.search(rf"day1\.py line \d+, day1\.ipynb cell {cell}, line 1 imports torch",
                     report["tests"][0]["message"]), report["tests"][0]["message"]


def test_an_error_in_a_notebook_names_its_cell(tmp_path):
    broken = "def sigmoid(x):\n    y = 1\n    return x.nope"
    folder = notebook_folder(tmp_path, cells=[broken])
    report = grade(1, folder, tmp_path / "out")
    cell = len(book_of(REFERENCE, 1).cells) + 1
    failed = [t["message"] for t in report["tests"] if t["status"] != "passed"]
    placed = [m for m in failed if "day1.py line" in m]
    assert placed and all(f"day1.ipynb cell {cell}, line 3)" in m for m in placed), failed


@pytest.mark.parametrize("content, words", [
    (b"{not json", "day1.ipynb is not a notebook that can be read"),
    (b'{"cells": 3}', "day1.ipynb is not a notebook that can be read"),
    (b"[" * 100_000, "day1.ipynb is not a notebook that can be read"),
    (b'{"cells": [{"cell_type": "code", "source": ["x = 1", 7], "metadata": {}, "outputs": []}],'
     b' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
     "day1.ipynb is not a notebook that can be read"),
    (b" " * (16 << 20) + b"{}", "day1.ipynb is too large to grade"),
])
def test_a_notebook_that_cannot_be_read_is_ungradable_with_one_line(content, words, tmp_path):
    (tmp_path / "day1.ipynb").write_bytes(content)
    sub = submission.read(tmp_path, 1)
    assert sub.blocked and str(sub.blocked).startswith(words), str(sub.blocked)
    assert "\n" not in str(sub.blocked)
    if "cannot be read" in words or "can be read" in words:  # and what to do about it
        assert "save it again" in str(sub.blocked), str(sub.blocked)


def test_a_linked_notebook_is_not_followed(tmp_path):
    real = notebook_folder(tmp_path) / "day1.ipynb"
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "day1.ipynb").symlink_to(real)
    sub = submission.read(tmp_path / "linked", 1)
    assert "day1.ipynb is a link" in str(sub.blocked)


def test_the_code_kept_from_a_notebook_is_capped_like_a_day_file(tmp_path):
    big = "BIG = '" + "x" * (300 << 10) + "'"
    folder = notebook_folder(tmp_path, cells=[big])
    assert "the code kept from day1.ipynb is too large" in str(submission.read(folder, 1).blocked)


def test_a_day_file_wins_over_its_notebook_and_says_so(tmp_path):
    folder = notebook_folder(tmp_path, cells=["import torch"])
    shutil.copy(REFERENCE / "day1.py", folder)
    sub = submission.read(folder, 1)
    assert sub.blocked is None and "Graded day1.py; day1.ipynb is not graded" in sub.notices[0]


def test_make_grade_of_stub_notebooks_shows_the_first_todo_by_cell(tmp_path):
    folder = notebook_folder(tmp_path, base=EXERCISES)
    done = run_graders("grade", "--day", 1, "--submission", folder, "--out", tmp_path / "out",
                       "--seed", 1)
    assert done.returncode == 0, done.stderr
    assert re.search(r"day1\.ipynb cell \d+, line \d+: # TODO\(1\.1\)", done.stdout), done.stdout


def test_grade_class_and_gradescope_grade_a_class_mixing_files_and_notebooks(tmp_path):
    subs = tmp_path / "class"
    (subs / "files").mkdir(parents=True)
    shutil.copy(REFERENCE / "day1.py", subs / "files")
    write(book_of(REFERENCE, 1, [TRAINING_LOOP]), (subs / "book").mkdir() or
          subs / "book" / "day1.ipynb")
    inside = tmp_path / "zipped"
    inside.mkdir()
    write(book_of(REFERENCE, 1, ["import torch"]), inside / "day1.ipynb")
    with zipfile.ZipFile(subs / "zipped.zip", "w") as z:
        z.write(inside / "day1.ipynb", "work/day1.ipynb")
    out = tmp_path / "out"
    done = run_graders("grade-class", "--submissions", subs, "--out", out, "--days", 1,
                       "--jobs", 2, "--seed", 1)
    assert done.returncode == 0, done.stderr + done.stdout
    book = {r["learner"]: r for r in csv_rows(out / "gradebook.csv")}
    assert book["files"]["day1"] == book["book"]["day1"] == "20", book
    assert book["zipped"]["day1_status"] == "policy_violation"
    assert "for epoch" in " ".join(json.loads((out / "book" / "day1.json").read_text())["notices"])

    for learner, expected in (("book", 20), ("zipped", 0)):  # day files: test_package.py
        root = tmp_path / f"gradescope-{learner}"
        (root / "submission").mkdir(parents=True)
        source = subs / learner if learner != "zipped" else inside
        for f in source.iterdir():
            shutil.copy(f, root / "submission")
        done = run_graders("gradescope", "--root", root, "--days", 1, "--seed", 1)
        assert done.returncode == 0, done.stderr
        results = json.loads((root / "results" / "results.json").read_text())
        assert results["score"] == expected, results["output"]
        assert "not uploaded" not in results["output"]
        if learner == "book":
            assert "Note: day1.ipynb: only imports" in results["output"]


def csv_rows(path):
    import csv
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


# -- where notebooks run: no bubblewrap, no Landlock, no namespaces ---------------------------

def test_without_bubblewrap_auto_picks_process_mode_with_a_one_line_notice(monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    monkeypatch.setenv("GRADERS_TEST_DISABLE", "landlock,seccomp,userns,netns,ipcns,pidns")
    assert sandbox.choose("auto") == "process"
    said = capsys.readouterr().err.strip()
    assert "\n" not in said and said.startswith("graders: bubblewrap not available")
    assert "not enforced here: Landlock's file and network rules, namespaces, seccomp" in said


def test_process_mode_grades_where_no_linux_technique_exists(monkeypatch, tmp_path):
    """As on a Mac: none of namespaces, seccomp or Landlock is tried; the limits still hold."""
    monkeypatch.setattr("sys.platform", "darwin")
    assert sandbox.missing()[:3] == ["Landlock's file and network rules", "namespaces",
                                     "seccomp"]
    report = grade(1, REFERENCE, tmp_path, sandbox="process")
    assert report["status"] == "passed" and report["sandbox"] == "process"


def test_the_student_kit_ships_every_notebook():
    from graders import package
    files = package.select(package.KIT)
    assert {f"notebooks/day{day}.ipynb" for day in DAYS} <= set(files)


def test_a_cell_nested_too_deeply_to_judge_is_left_out_not_a_crash():
    deep = "X = " + "(" * 5000 + "1" + ")" * 5000
    deeper = "X = " + "-" * 400 + "1"  # parses, but too deep to judge by recursion
    text, notices = notebook_source.from_cells([("cell 1", deep), ("cell 2", deeper),
                                                ("cell 3", "Y = 1")], "day1.ipynb")
    assert "Y = 1" in text and "X =" not in text
    assert "cell 1 line 1" in notices[0] and "cell 2 line 1" in notices[0]
