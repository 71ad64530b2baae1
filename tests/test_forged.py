"""Verdicts come from data the grader owns: a submission that patches the learner side's
report of a call, or answers the held-out digits by looking them up, earns nothing. Each
forgery is shown to win where the defence is missing (graded in-process, where the grader
believes what learner code reports, or with the learner's forward asked for the gate)."""
from pathlib import Path

import pytest

from conftest import compose, grade

FORGED = Path(__file__).parent / "forged"


def checks_of(report):
    return {t["name"]: t["status"] for t in report["tests"]}


@pytest.mark.parametrize("sandbox", ["process", "none"])
def test_a_patched_report_of_the_call_does_not_hide_an_input_written_in_place(sandbox, tmp_path):
    folder = compose(tmp_path / "sub", FORGED / "mutation_report")
    status = checks_of(grade(3, folder, tmp_path / "out", sandbox=sandbox))
    assert status["test_relu_is_max_of_zero_and_z"] == "passed"  # the values are right
    won = status["test_relu_leaves_its_input_unchanged"] == "passed"
    # In a worker the grader reads the input's bytes back itself; in-process it has only
    # the learner side's word, which the forgery rewrote: there the forgery wins.
    assert won == (sandbox == "none")


def test_the_gate_is_computed_from_the_weights_not_from_the_learners_forward(tmp_path,
                                                                             monkeypatch):
    from graders import training
    folder = compose(tmp_path / "sub", FORGED / "gate_lookup")
    gate = "test_trained_network_beats_85_percent_on_held_out_digits"
    assert checks_of(grade(7, folder, tmp_path / "out"))[gate] == "failed"
    # Without the defence (the gate asks the learner's forward), the lookup passes it.
    monkeypatch.setattr(training, "held_out_scores", lambda net, X: net.forward(X))
    assert checks_of(grade(7, folder, tmp_path / "out2"))[gate] == "passed"
