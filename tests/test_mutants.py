"""The graders catch real bugs: every mutant of the reference fails the checks it names."""
import ast
import tomllib
from pathlib import Path

import pytest

from conftest import grade

MUTANTS = Path(__file__).parent / "mutants"


def mutants():
    for path in sorted(MUTANTS.glob("day*.toml")):
        day = int(path.stem[3:])
        for m in tomllib.loads(path.read_text())["mutant"]:
            yield pytest.param(day, m, id=f"day{day}-{m['name']}")


@pytest.mark.parametrize("day, mutant", list(mutants()))
def test_mutant_fails_the_checks_it_names(day, mutant, submission, tmp_path):
    folder = submission()
    path = folder / f"day{day}.py"
    source = path.read_text()
    assert source.count(mutant["old"]) == 1, f"'old' must occur once in reference/day{day}.py"
    path.write_text(source.replace(mutant["old"], mutant["new"]))
    report = grade(day, folder, tmp_path / "out")
    status = {t["name"]: t["status"] for t in report["tests"]}
    missing = [n for n in mutant["must_fail"] if n not in status]
    assert not missing, f"must_fail names tests that do not exist: {missing}"
    passed = [n for n in mutant["must_fail"] if status[n] == "passed"]
    assert not passed, f"{mutant['name']} ({mutant['bug']}) passed {passed}"
    assert report["score"] < report["max_score"]


def test_the_corpus_is_large_and_every_mutant_names_a_check():
    found = list(mutants())
    assert len(found) >= 40
    assert all(p.values[1]["must_fail"] and p.values[1]["bug"] for p in found)


def test_every_grader_check_is_named_by_a_mutant():
    named = {t for p in mutants() for t in p.values[1]["must_fail"]}
    checks = {n.name for f in (MUTANTS.parents[1] / "graders").glob("*/test_day*.py")
              for n in ast.parse(f.read_text()).body
              if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    assert not sorted(checks - named), "checks that no mutant shows can fail"
