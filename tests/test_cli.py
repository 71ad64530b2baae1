"""Usage errors, files that cannot be graded, and the import policy."""
import ast

import pytest

from conftest import EXERCISES, REFERENCE, grade, run_graders
from graders import policy


@pytest.mark.parametrize("args, words", [
    (["grade", "--day", "9"], "unknown day '9'"),
    (["grade", "--day", "three"], "unknown day 'three'"),
    (["grade", "--day", "1", "--submission", "no/such/folder"], "no submission folder"),
    (["grade", "--bogus"], "unrecognized arguments"),
    ([], "required"),
])
def test_usage_errors_exit_2_with_one_line(args, words):
    done = run_graders(*args)
    assert done.returncode == 2
    assert words in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_strict_exits_1_unless_the_score_is_full(tmp_path):
    done = run_graders("grade", "--day", "1", "--submission", EXERCISES, "--out", tmp_path,
                       "--strict")
    assert done.returncode == 1 and "not_started" in done.stdout


@pytest.mark.parametrize("case, change, words", [
    ("missing", None, "day3.py is missing"),
    ("syntax", "def relu(z:\n", "does not parse: '(' was never closed (line"),
    ("crash_on_import", "import numpy as np\nraise RuntimeError('boom')\n",
     "RuntimeError: boom (day3.py line 2)"),
    ("missing_sibling", "from day2 import layer_forward\n", "day2.py is missing"),
    ("null_bytes", "x = 1\0\n", "does not parse"),
    ("unary_minus_bomb", "x = " + "-" * 200_000 + "1\n", "nested too deeply"),  # MemoryError
    ("deep_sum", "x = " + "1+" * 100_000 + "1\n", "nested too deeply"),  # RecursionError
    ("too_large", "#" * (300 << 10), "day3.py is too large to grade (300 KiB; a day file may "
                                     "be at most 256 KiB)"),
])
def test_files_that_cannot_be_graded_are_ungradable(case, change, words, submission, tmp_path):
    folder = submission()
    (folder / "day3.py").unlink()
    if case == "missing_sibling":
        (folder / "day2.py").unlink()
        (folder / "day3.py").write_text(change)
    elif change:
        (folder / "day3.py").write_text(change)
    report = grade(3, folder, tmp_path / "out")
    assert report["status"] == "ungradable" and report["score"] == 0
    assert words in report["message"], report["message"]
    assert report["tests"] and report["max_score"] > 0


@pytest.mark.parametrize("name, words", [
    ("day3.py", "day3.py is a link (to {target}): links are not graded; copy the file itself"),
    ("day2.py", "The day 3 file imports day2, but day2.py is a link (to {target})"),
])
def test_a_linked_day_file_is_refused_naming_the_link(name, words, submission, tmp_path):
    folder = submission()
    target = REFERENCE / name  # a link to a file the learner should not have
    (folder / name).unlink()
    (folder / name).symlink_to(target)
    report = grade(3, folder, tmp_path / "out")
    assert report["status"] == "ungradable" and report["score"] == 0
    assert words.format(target=target) in report["message"], report["message"]
    assert name not in report["submission"]["files"]  # never read, so never hashed


@pytest.mark.parametrize("day", range(1, 8))
@pytest.mark.parametrize("line", ["import torch", "x = __import__('scipy')"])
def test_a_forbidden_import_is_a_policy_violation_on_every_day(day, line, submission,
                                                                 tmp_path):
    folder = submission()
    path = folder / f"day{day}.py"
    path.write_text(path.read_text() + f"\n{line}\n")
    report = grade(day, folder, tmp_path / "out")
    assert (report["status"], report["score"]) == ("policy_violation", 0)
    lineno = len(path.read_text().splitlines())
    assert f"day{day}.py line {lineno} imports" in report["message"], report["message"]


@pytest.mark.parametrize("source", [
    "import numpy as np", "import math, random", "import matplotlib.pyplot as plt",
    "from sklearn.datasets import load_digits", "from sklearn import model_selection",
    "from sklearn.model_selection import train_test_split", "from day6 import NeuralNetwork",
    "import importlib\nimportlib.import_module('numpy.linalg')",
])
def test_allowed_imports_pass_the_policy(source):
    assert policy.violations(ast.parse(source)) == []


@pytest.mark.parametrize("source, module", [
    ("import torch", "torch"), ("import scipy.special", "scipy.special"),
    ("from sklearn.neural_network import MLPClassifier", "sklearn.neural_network"),
    ("from sklearn import linear_model", "sklearn.linear_model"), ("import sklearn", "sklearn"),
    ("import tensorflow as tf", "tensorflow"), ("from jax import numpy", "jax"),
    ("__import__('keras')", "keras"), ("importlib.import_module('torch.nn')", "torch.nn"),
    ("name = 'torch'\n__import__(name)", "__import__(<computed name>)"),
])
def test_forbidden_imports_are_named(source, module):
    assert [m for _, m in policy.violations(ast.parse(source))] == [module]
