"""The kit grades itself both ways: the reference scores full marks, the stubs score 0."""
import ast
import json

import jsonschema
import pytest

from conftest import EXERCISES, REFERENCE, ROOT, grade
from graders import pictures
from graders import report as report_module

SCHEMA = json.loads((ROOT / "graders" / "report.schema.json").read_text())
DAYS = range(1, 8)


@pytest.mark.parametrize("day", DAYS)
def test_reference_scores_full_marks_hidden_tests_included(day, tmp_path):
    learner = tmp_path / "day7_loss.png"  # what the learner's own `python day7.py` saved
    learner.write_bytes(b"the learner's picture")
    report = grade(day, REFERENCE, tmp_path, batch=False)
    jsonschema.validate(report, SCHEMA)
    failed = {t["name"]: t["message"] for t in report["tests"] if t["status"] != "passed"}
    assert report["status"] == "passed" and not failed, failed
    assert {t["visibility"] for t in report["tests"]} == {"visible", "hidden"}
    assert report["score"] == report["max_score"] > 0
    points = [sum(t["max_points"] for t in report["tests"] if t["visibility"] == v)
              for v in ("visible", "hidden")]
    assert tuple(points) == report_module.POINTS[day]  # what progress and the kit count on
    assert learner.read_bytes() == b"the learner's picture"  # the grader's go to OUT/grader/
    assert sorted(tmp_path.rglob("*.png")) == sorted(
        [learner] + [tmp_path / "grader" / name for name in (pictures.NAMES if day == 7 else ())])


@pytest.mark.parametrize("day", DAYS)
def test_untouched_stubs_score_zero_not_started(day, tmp_path):
    report = grade(day, EXERCISES, tmp_path, batch=False)
    jsonschema.validate(report, SCHEMA)
    assert (report["score"], report["status"]) == (0, "not_started")
    crashed = [(t["name"], t["message"]) for t in report["tests"] if t["status"] != "not_started"]
    assert not crashed, "every check must fail with NotImplementedError on the stubs"
    assert all("NotImplementedError" in t["message"] or "None" in t["message"]
               for t in report["tests"])
    assert report["duration_s"] < 15  # quickly, on a busy machine too (make bench times it)
    for t in report["tests"]:
        assert t["task"].startswith(f"{day}.") and len(t["hint"]) > 10, t["name"]



def returns_none(source):
    """A stub whose every `raise NotImplementedError(...)` became `return None`."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                setattr(node, field, [ast.Return(ast.Constant(None))
                                      if isinstance(s, ast.Raise) and "NotImplementedError"
                                      in ast.unparse(s) else s for s in block])
    return ast.unparse(ast.fix_missing_locations(tree))


@pytest.mark.parametrize("day", DAYS)
def test_functions_that_return_nothing_score_zero(day, submission, tmp_path):
    folder = submission(base=EXERCISES)
    for k in DAYS:
        path = folder / f"day{k}.py"
        path.write_text(returns_none(path.read_text()))
    report = grade(day, folder, tmp_path / "out")
    passed = [t["name"] for t in report["tests"] if t["status"] == "passed"]
    assert report["score"] == 0 and not passed, passed
