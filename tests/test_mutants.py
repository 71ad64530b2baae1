"""The graders blame truly: every mutant of the reference (one realistic bug) fails the checks
about its bug, each on its own, and no other check, except the genuine consequences it lists
in `may_fail` (with the reason) and the checks those failures block."""
import ast
import tomllib
from pathlib import Path

import pytest

from conftest import grade

MUTANTS = Path(__file__).parent / "mutants"
GRADERS = MUTANTS.parents[1] / "graders"


def mutants():
    for path in sorted(MUTANTS.glob("day*.toml")):
        day = int(path.stem[3:])
        for m in tomllib.loads(path.read_text())["mutant"]:
            yield pytest.param(day, m, id=f"day{day}-{m['name']}")


def check_names():
    """Every grader check's name, public and hidden."""
    return {n.name for f in GRADERS.glob("*/test_day*.py") for n in ast.parse(f.read_text()).body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def blame(report, mutant):
    """What is wrong with the verdicts a mutant got: checks about its bug that pass (or fail
    only because another check blocks them), and checks it should not have cost."""
    tests = {t["name"]: t for t in report["tests"]}
    must, may = mutant["must_fail"], mutant.get("may_fail", {})
    problems = [f"names a check that does not exist: {n}" for n in [*must, *may]
                if n not in tests]
    for name in must:
        t = tests.get(name, {})
        if t.get("status") == "passed":
            problems.append(f"passed {name}, a check about its bug")
        elif "blocked_by" in t:
            problems.append(f"{name} fails only because {t['blocked_by']} blocks it")
    failing = {n for n, t in tests.items() if t["status"] != "passed"}
    for name in sorted(failing - set(must) - set(may)):
        t = tests[name]
        if t.get("blocked_by") in failing:
            continue  # charged as blocked by a failure the mutant owns
        problems.append(f"also charged {name}: {t['message'][:200]}")
    return problems


@pytest.mark.parametrize("day, mutant", list(mutants()))
def test_mutant_fails_the_checks_about_its_bug_and_no_other(day, mutant, submission, tmp_path):
    folder = submission()
    path = folder / f"day{day}.py"
    source = path.read_text()
    assert source.count(mutant["old"]) == 1, f"'old' must occur once in reference/day{day}.py"
    path.write_text(source.replace(mutant["old"], mutant["new"]))
    # process mode: verdicts do not depend on the sandbox (test_valid grades every valid
    # solution in both modes, test_hostile every attack), and it starts a worker 0.2 s sooner
    report = grade(day, folder, tmp_path / "out", sandbox="process")
    problems = blame(report, mutant)
    assert not problems, f"{mutant['name']} ({mutant['bug']}):\n" + "\n".join(problems)
    assert report["score"] < report["max_score"]


def test_the_corpus_is_large_and_every_mutant_names_a_check_and_every_reason():
    found = [p.values[1] for p in mutants()]
    assert len(found) >= 100
    for m in found:
        assert m["must_fail"] and m["bug"], m["name"]
        assert all(isinstance(why, str) and len(why) > 10 for why in m.get("may_fail", {}).values())


# Checks that harder inputs make of their function's basic check, where every realistic bug
# already fails the basic check (so they are blocked, never failed on their own). They stay:
# they guard against a function written for the basic check's inputs only.
UNTARGETED = {
    "test_grad_f_is_right_for_many_random_inputs":
        "the basic check already takes a random point; no bug found that depends on the range",
    "test_layer_forward_adds_each_bias_to_its_neuron_in_every_row":
        "the basic check already has distinct biases and non-square shapes",
    "test_backward_gradients_are_right_for_a_batch_of_40":
        "the basic checks already have N, D, H, C all different",
}


def test_every_grader_check_is_the_target_of_a_mutant():
    named = {t for p in mutants() for t in p.values[1]["must_fail"]}
    assert not sorted(check_names() - named - set(UNTARGETED)), \
        "checks that no mutant of their property fails"
    assert not sorted(named & set(UNTARGETED)), "UNTARGETED lists a check that has a mutant now"
