"""The student kit (no solutions, no hidden checks) and the Gradescope autograder."""
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import ENV, EXERCISES, REFERENCE, ROOT, run_graders
from graders import gradescope, submission


HIDDEN = ROOT / "graders" / "hidden"
SCHEMA = json.loads((ROOT / "graders" / "gradescope.schema.json").read_text())


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """`student-kit` and `autograder` built into a temporary dist/."""
    out = tmp_path_factory.mktemp("dist")
    for command in ("student-kit", "autograder"):
        done = run_graders(command, "--out", out)
        assert done.returncode == 0, done.stderr + done.stdout
    return out


def bodies(source):
    """ast dumps of every function body (docstring left out) in a Python source."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            if body:
                found.add(ast.dump(ast.Module(body=body, type_ignores=[])))
    return found


def solution_bodies():
    """Bodies of the reference that the stubs do not already give (e.g. Value.__repr__)."""
    given = set().union(*(bodies(f.read_text()) for f in EXERCISES.glob("day*.py")))
    return set().union(*(bodies(f.read_text()) for f in REFERENCE.glob("day*.py"))) - given


def hidden_test_names():
    """Names of the tests defined in graders/hidden/."""
    return {node.name for f in HIDDEN.glob("*.py") for node in ast.walk(ast.parse(f.read_text()))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def unzip(path, dest):
    with zipfile.ZipFile(path) as z:
        z.extractall(dest)
        for info in z.infolist():  # extractall drops the mode bits
            os.chmod(dest / info.filename, info.external_attr >> 16 & 0o777 or 0o644)
    return dest


def test_the_student_kit_holds_exercises_public_graders_engine_and_a_readme(dist):
    names = set(zipfile.ZipFile(dist / "student-kit.zip").namelist())
    for day in range(1, 8):
        assert {f"student-kit/exercises/day{day}.py",
                f"student-kit/graders/public/test_day{day}.py"} <= names
    assert {"student-kit/graders/engine.py", "student-kit/graders/pytest.ini",
            "student-kit/graders/report.schema.json", "student-kit/Makefile",
            "student-kit/pyproject.toml", "student-kit/README.md",
            "student-kit/graders/expected.npz"} <= names
    assert not [n for n in names if re.match(r"student-kit/(reference|tests|graders/hidden)/", n)]
    on_disk = {f"student-kit/{p.relative_to(dist / 'student-kit').as_posix()}"
               for p in (dist / "student-kit").rglob("*") if p.is_file()}
    assert on_disk == names
    readme = (dist / "student-kit" / "README.md").read_text()
    assert readme == (ROOT / "graders" / "STUDENT_README.md").read_text()
    assert "make grade DAY=1" in readme and "make test" not in readme
    assert ".venv/bin/python exercises/day7.py" in readme
    for part in ("## Every day", "## Reading a failure", "## What to submit"):
        assert part in readme
    makefile = (dist / "student-kit" / "Makefile").read_text()
    assert makefile == (ROOT / "graders" / "student.mk").read_text()


def test_the_student_kit_holds_no_solution_and_no_hidden_test_name(dist):
    solutions, names = solution_bodies(), hidden_test_names()
    assert solutions and names
    with zipfile.ZipFile(dist / "student-kit.zip") as z:
        for name in z.namelist():
            if name.endswith(".npz"):
                continue  # expected values, as numbers (the paste test below covers them)
            text = z.read(name).decode("utf-8")
            if name.endswith(".py"):
                assert not bodies(text) & solutions, f"{name} holds a reference body"
            leaked = sorted(n for n in names if re.search(rf"\b{n}\b", text))
            assert not leaked, f"{name} names hidden tests {leaked}"


def test_the_student_kit_grades_a_day_on_its_own(dist, tmp_path):
    kit = unzip(dist / "student-kit.zip", tmp_path) / "student-kit"
    done = run_graders("grade", "--day", 1, "--submission", "exercises", "--out", "reports",
                       "--seed", 1, cwd=kit)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "not_started" in done.stdout and "hidden checks" in done.stdout, done.stdout
    report = json.loads((kit / "reports" / "day1.json").read_text())
    assert report["status"] == "not_started" and report["tests"]
    assert {t["visibility"] for t in report["tests"]} == {"visible"}


def test_the_autograder_zip_has_gradescope_layout(dist):
    with zipfile.ZipFile(dist / "autograder.zip") as z:
        infos = {i.filename: i for i in z.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert infos[script].external_attr >> 16 & 0o111, f"{script} is not executable"
    assert "graders/hidden/test_day3.py" in infos and "graders/public/test_day3.py" in infos
    assert not [n for n in infos if n.startswith(("tests/", "exercises/"))]
    assert {f"reference/day{d}.py" for d in range(1, 8)} <= set(infos)  # for charging once
    script = zipfile.ZipFile(dist / "autograder.zip").read("run_autograder").decode()
    assert "AUTOGRADER_DAYS:-1-7}" in script
    assert "AUTOGRADER_HIDDEN_VISIBILITY:-after_published}" in script


def fake_root(dist, root, files, folder=""):
    """A fake /autograder at `root`: the autograder in source/, `files` uploaded."""
    unzip(dist / "autograder.zip", root / "source")
    (root / "submission" / folder).mkdir(parents=True)
    for f in files:
        (root / "submission" / folder / f.name).write_bytes(f.read_bytes())
    return root


def run_autograder(root, **env):
    """Start ROOT/source/run_autograder with this repo's Python."""
    return subprocess.Popen([root / "source" / "run_autograder"], cwd=root,
                            env=dict(ENV, AUTOGRADER_ROOT=str(root),
                                     AUTOGRADER_PYTHON=sys.executable, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def results_of(proc, root):
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err + out
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    return results


def test_the_autograder_gives_the_reference_full_marks_and_the_stubs_zero(dist, tmp_path):
    names = hidden_test_names()
    # Both run at once to save time: the reference in a folder, the stubs at the top level
    # without day7.py and with hidden checks hidden for good.
    ref = run_autograder(fake_root(dist, tmp_path / "ref", REFERENCE.glob("day*.py"), "week1"))
    stubs = run_autograder(fake_root(dist, tmp_path / "stubs", EXERCISES.glob("day[1-6].py")),
                           AUTOGRADER_HIDDEN_VISIBILITY="hidden")
    full = results_of(ref, tmp_path / "ref")
    zero = results_of(stubs, tmp_path / "stubs")

    assert full["score"] == sum(t["max_score"] for t in full["tests"]) > 100
    assert {t["status"] for t in full["tests"]} == {"passed"}
    assert full["stdout_visibility"] == "hidden" and full["execution_time"] >= 0
    numbers = [t["number"] for t in full["tests"]]
    assert len(set(numbers)) == len(numbers) and "3.2.1" in numbers
    assert {t["number"].split(".")[0] for t in full["tests"]} == {str(d) for d in range(1, 8)}
    hidden = [t for t in full["tests"] if t["visibility"] != "visible"]
    assert hidden and {t["visibility"] for t in hidden} == {"after_published"}

    assert zero["score"] == 0 and len(zero["tests"]) == len(full["tests"])
    assert {t["status"] for t in zero["tests"]} == {"failed"}
    assert all(t["output"] for t in zero["tests"])
    assert "Hint: " in zero["tests"][0]["output"]
    assert "day7.py was not uploaded" in zero["output"]
    assert {t["visibility"] for t in zero["tests"]} == {"visible", "hidden"}
    assert sum(t["max_score"] for t in zero["tests"]) == full["score"]
    for t in zero["tests"]:
        if t["visibility"] == "hidden":
            assert not [n for n in names if n in t["output"]], t["output"]


@pytest.mark.parametrize("args, env, words", [
    (["--days", "9"], {}, "days '9'"),
    ([], {"AUTOGRADER_HIDDEN_VISIBILITY": "never"}, "hidden visibility 'never'"),
    ([], {}, "no submission folder"),
])
def test_gradescope_usage_errors_exit_2_with_one_line(args, env, words, tmp_path):
    done = run_graders("gradescope", "--root", tmp_path, *args, env=env, timeout=60)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr + done.stdout


def test_the_gradescope_schema_rejects_what_gradescope_would():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"tests": [{"name": "x", "status": "ok", "score": 1}]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"tests": [{"name": "x", "max_score": 1}]}, SCHEMA)


def test_a_broken_autograder_still_writes_results_and_exits_3(dist, tmp_path):
    fake_root(dist, tmp_path, [EXERCISES / "day1.py"])
    for folder in ("public", "hidden"):
        (tmp_path / "source" / "graders" / folder / "test_day1.py").unlink()
    proc = run_autograder(tmp_path, AUTOGRADER_DAYS="1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3 and "no grader tests for day 1" in err, err + out
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    assert results["score"] == 0 and "tell your instructor" in results["output"]


def test_gradescope_never_follows_a_link_in_an_upload_and_says_so(tmp_path):
    uploaded = tmp_path / "submission"
    uploaded.mkdir()
    (uploaded / "day1.py").write_text("x = 1\n")
    (uploaded / "week1").symlink_to(REFERENCE)  # a linked folder holding every solution
    (uploaded / "day2.py").symlink_to(REFERENCE / "day2.py")
    (uploaded / "notes").mkdir()
    (uploaded / "notes" / "day3.py").symlink_to("/etc/passwd")
    deep = uploaded / "deep"
    for _ in range(1100):  # folders nested past Python's recursion limit
        deep /= "d"
        deep.mkdir(parents=True)
    (deep / "day4.py").write_text("x = 4\n")
    try:
        found, links = gradescope.gather(uploaded, tmp_path / "copied")
    finally:  # pytest's own cleanup of tmp_path recurses: remove the deep folders here
        subprocess.run(["rm", "-rf", uploaded / "deep"], check=True)
    assert found == {"day1.py": "day1.py", "day4.py": "deep" + "/d" * 1100 + "/day4.py"}
    assert links == ["day2.py", "notes/day3.py", "week1"]
    assert sorted(p.name for p in (tmp_path / "copied").iterdir()) == ["day1.py", "day4.py"]
    report = {"day": 2, "score": 0, "max_score": 19, "status": "ungradable", "message": "",
              "tests": []}
    choices = submission.choices(tmp_path / "copied")
    output = gradescope.build([report], choices, "hidden", 1.0, 7, links)["output"]
    assert "links are never followed: day2.py, notes/day3.py, week1" in output
    assert "day2.py was not uploaded" in output


# -- the student kit: built from the stubs only, no solution inside, honest about its scores --

KIT_TARGETS = {"grade", "watch", "hint", "progress", "setup", "help"}


def kit_copy(dist, tmp_path):
    """The built kit, unzipped, with .venv standing for this repo's venv (`make ... PY=`)."""
    kit = unzip(dist / "student-kit.zip", tmp_path) / "student-kit"
    (kit / ".venv").mkdir()
    (kit / ".venv" / "ready").touch()
    return kit


def make(kit, *args, timeout=300):
    """`make ARGS` in the kit, its Python being this repo's venv."""
    return subprocess.run(["make", "--no-print-directory", *args, f"PY={sys.executable}"],
                          cwd=kit, env=ENV, capture_output=True, text=True, timeout=timeout)


def test_the_recorded_stubs_are_the_stubs_of_exercises():
    from graders import package
    assert package.STUBS.read_text() == package.stub_manifest(), \
        "exercises/ changed: after a deliberate change of a stub, run " \
        "`python -m graders student-kit --record-stubs`"


@pytest.mark.parametrize("change, words", [
    ("solved", "exercises/day5.py differs from the stub"),
    ("removed", "exercises/day7.py is missing"),
    ("added", "exercises/day8.py is not one of the stubs"),
])
def test_the_student_kit_is_refused_unless_exercises_holds_the_pristine_stubs(change, words,
                                                                             tmp_path):
    copy = tmp_path / "repo"  # a copy without .git, as from a tarball
    for part in ("graders", "exercises", "reference"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy)
    if change == "solved":  # the README's way to try Day 5's picture early
        shutil.copy(REFERENCE / "day5.py", copy / "exercises" / "day5.py")
    elif change == "removed":
        (copy / "exercises" / "day7.py").unlink()
    else:
        (copy / "exercises" / "day8.py").write_text("x = 1\n")
    done = run_graders("student-kit", "--out", copy / "dist", cwd=copy, timeout=120)
    assert done.returncode == 3 and words in done.stderr, done.stderr + done.stdout
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (copy / "dist").exists()


def test_no_function_of_the_kits_graders_earns_points_pasted_into_a_learners_file(dist,
                                                                                 tmp_path):
    """Every def in the kit's graders (top level and nested), pasted in turn as each task
    function of an otherwise complete submission, passes no check of that task that the stub
    fails; the reference's own function, pasted the same way, does (the probe sees points)."""
    kit = unzip(dist / "student-kit.zip", tmp_path) / "student-kit"
    out = tmp_path / "probe.json"
    # bubblewrap: pasted grader functions include ones that limit or kill processes
    # (the kit's repo and its venv are bound again after the tmpfs: a clone may live in /tmp)
    command = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
               "--tmpfs", "/tmp", "--ro-bind", ROOT, ROOT, "--ro-bind", sys.prefix, sys.prefix,
               "--bind", tmp_path, tmp_path, "--unshare-pid",
               "--unshare-net", "--die-with-parent", "--new-session", "--chdir", kit,
               sys.executable, Path(__file__).parent / "paste_probe.py", REFERENCE, out]
    done = subprocess.run(list(map(str, command)), env=dict(ENV, MPLCONFIGDIR="/tmp/mpl"),
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]
    probe = json.loads(out.read_text())
    assert probe["functions"] > 300 and not probe["unpasteable"], probe["unpasteable"]
    targets = probe["targets"]
    assert len(targets) == 33 and all(t["pasted"] for t in targets.values())
    unseen = sorted(name for name, t in targets.items() if not t["control"])
    assert unseen == NOT_REACHED, unseen
    assert not probe["gains"], "grader functions that solve a task:\n" + "\n".join(
        f"{where} pasted as {target} passes {checks}" for target, where, checks in probe["gains"])


# Task functions that no public check calls on its own (the Value check multiplies only): a
# paste there cannot earn a public point, so the probe has nothing to compare.
NOT_REACHED = ["Value.__add__", "Value.__radd__", "Value.__rmul__"]


def test_the_kit_says_what_hidden_checks_add_to_each_day(dist, tmp_path):
    kit = kit_copy(dist, tmp_path)
    done = make(kit, "grade")
    assert done.returncode == 0, done.stderr + done.stdout
    from graders import report
    for day in range(1, 8):
        full = run_graders("grade", "--day", day, "--submission", EXERCISES, "--out",
                           tmp_path / "full", "--seed", 1)
        assert full.returncode == 0, full.stderr
        whole = json.loads((tmp_path / "full" / f"day{day}.json").read_text())["max_score"]
        here = json.loads((kit / "reports" / f"day{day}.json").read_text())["max_score"]
        assert report.POINTS[day][1] == whole - here > 0  # what the kit says hidden checks add
        assert f"Day {day} · 0/{here:g} of {whole:g} not started" in done.stdout, done.stdout
        assert f"0/{here:g} of {whole:g}" in done.stdout.split("Day  ")[-1]  # the progress table
    one = make(kit, "grade", "DAY=3")  # a day graded alone: every line, and what hidden adds
    assert "Score here: 0/9 (not_started)" in one.stdout and ("Day 3 is out of 20: 9 here, 11 "
                                                              "more from hidden checks when your "
                                                              "instructor grades.") in one.stdout
    assert "Score: " not in done.stdout + one.stdout


def test_every_make_target_of_the_kit_works_there_and_no_other(dist, tmp_path):
    kit = kit_copy(dist, tmp_path)
    phony = re.search(r"^\.PHONY:(.*)$", (kit / "Makefile").read_text(), re.M)[1].split()
    assert set(phony) == KIT_TARGETS
    listed = make(kit, "help")
    assert listed.returncode == 0 and all(f"make {t}" in listed.stdout
                                          for t in KIT_TARGETS - {"help"}), listed.stdout
    assert make(kit).stdout == listed.stdout  # `make` alone lists the commands
    for target in ("test", "test-fast", "autograder", "grade-class", "bench", "student-kit"):
        missing = make(kit, target)
        assert missing.returncode != 0 and "No rule to make target" in missing.stderr

    from graders import expected
    graded = make(kit, "grade", "DAY=3")
    assert graded.returncode == 0 and "Score here: 0/9" in graded.stdout, graded.stderr
    seed = json.loads((kit / "reports" / "day3.json").read_text())["seed"]
    assert seed in expected.SEEDS  # random, but one the kit holds expected values for
    again = make(kit, "grade", "DAY=3", "SEED=7")
    assert again.returncode == 0 and "seed 7" in again.stdout
    other = make(kit, "grade", "DAY=3", "SEED=12345")
    assert other.returncode == 2 and "seeds 1 to 20 only" in other.stderr
    assert other.stderr.count("graders:") == 1 and "Traceback" not in other.stderr
    hint = make(kit, "hint", "DAY=3")
    assert hint.returncode == 0 and "test_relu_is_max_of_zero_and_z" in hint.stdout, hint.stdout
    table = make(kit, "progress")
    assert table.returncode == 0 and "0/9 of 20" in table.stdout, table.stdout

    watch = subprocess.Popen(["make", "--no-print-directory", "watch", "DAY=3",
                              f"PY={sys.executable}"], cwd=kit, env=ENV, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True)
    try:
        seen = ""
        deadline = time.monotonic() + 120
        while "Day 3" not in seen and time.monotonic() < deadline:
            seen += watch.stdout.readline()
        assert "Day 3" in seen and "Traceback" not in seen, seen
    finally:
        os.killpg(watch.pid, signal.SIGINT)  # our own make and the watcher it started
        try:
            watch.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(watch.pid, signal.SIGKILL)
            watch.wait()


def test_make_setup_in_the_kit_creates_its_venv(dist, tmp_path):
    kit = unzip(dist / "student-kit.zip", tmp_path) / "student-kit"
    # pip without its byte-compiling of every installed module (14 of its 24 s here; Python
    # compiles what it imports): PIP_NO_COMPILE=0 means --no-compile (pip issue 5735)
    try:
        done = subprocess.run(["make", "setup"], cwd=kit, env=dict(ENV, PIP_NO_COMPILE="0"),
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-2000:]
        script = "import graders, numpy, sklearn; print(graders.__file__)"
        found = subprocess.run([kit / ".venv" / "bin" / "python", "-c", script], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
        assert found.returncode == 0 and str(kit / "graders") in found.stdout, found.stderr
    finally:  # 300 MB: removed now, beside the other tests, not by pytest at the end of a
        shutil.rmtree(kit / ".venv", ignore_errors=True)  # later run, when nothing else runs


def strings(data):
    """Every string inside a JSON value."""
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return [data] if isinstance(data, str) else []


def test_gradescope_takes_loose_names_names_the_rest_and_no_temporary_path(dist, tmp_path):
    root = tmp_path / "root"
    uploads = {"Day1.py": 1, "week1/day2 (1).py": 2, "day3.py": 3, "Day3.py": 1,
               "day4 (1).py": 4, "day4 (2).py": 4, "dayfive.py": 5, "neural_net.py": 6}
    fake_root(dist, root, [])
    for name, day in uploads.items():
        (root / "submission" / name).parent.mkdir(exist_ok=True)
        (root / "submission" / name).write_bytes((REFERENCE / f"day{day}.py").read_bytes())
    results = results_of(run_autograder(root), root)
    internal = ("/tmp", "gradescope-", "kit-worker", "kit-", str(root), tempfile.gettempdir())
    leaked = [s for s in strings(results) for word in internal if word in s]
    assert not leaked, leaked[:3]
    days = {}
    for t in results["tests"]:
        days.setdefault(t["number"].split(".")[0], set()).add(t["status"])
    assert {d: days[d] for d in "12367"} == {"1": {"passed"}, "2": {"passed"}, "3": {"passed"},
                                             "6": {"passed"}, "7": {"failed"}}
    output = results["output"]
    for words in ("Graded Day1.py as day1.py, the kit's name for Day 1: rename it to day1.py.",
                  "Graded day2 (1).py as day2.py",
                  "Graded day3.py; Day3.py is not graded: move what you need into day3.py",
                  "Graded neural_net.py as day6.py",
                  "day4.py was not uploaded; found day4 (1).py and day4 (2).py: keep one and "
                  "name it day4.py.",
                  "day5.py was not uploaded; found dayfive.py: rename it to day5.py.",
                  "day7.py was not uploaded.", "Not uploaded: day7.py (0 points each)"):
        assert output.count(words) == 1, (words, output)
    day4 = {t["output"].split("\nHint")[0] for t in results["tests"]
            if t["number"].startswith("4.")}
    assert day4 == {"day4.py is missing; found day4 (1).py and day4 (2).py: keep one and name "
                    "it day4.py."}
