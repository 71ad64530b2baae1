"""What the README claims about the kit holds: each test fails when its feature is turned off
(the tripwire, the sha256 of the graded files, grade-class's exit status, the corpus counts)."""
import hashlib
import re
import tomllib

import pytest

from conftest import REFERENCE, ROOT, compose, grade, run_graders

README = (ROOT / "README.md").read_text()


def test_a_kit_file_that_changes_while_grading_stops_the_grading(tmp_path, monkeypatch):
    """The tripwire: the graders and the reference are hashed before and after the checks;
    here the second reading differs (a probe file appeared), as if something wrote there.
    (The real folder is left alone: other tests grade from it at the same time.)"""
    from graders import engine
    real, calls = engine.manifest, []

    def manifest():
        calls.append(1)
        found = real()
        if len(calls) == 2:
            found[str(engine.HERE / "tripwire_probe.txt")] = "0" * 64
        return found

    monkeypatch.setattr(engine, "manifest", manifest)
    with pytest.raises(engine.GradingError, match="tripwire_probe.txt changed while grading"):
        engine.grade(1, REFERENCE, tmp_path, 1, "process")
    assert not (tmp_path / "day1.json").exists()  # no report from a grading that was stopped


def test_the_tripwire_covers_every_file_of_the_graders_and_the_reference():
    from graders import engine
    files = {str(p) for d in (engine.HERE, REFERENCE) for p in d.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    assert files and set(engine.manifest()) == files


def test_the_report_holds_the_sha256_of_every_graded_file(tmp_path):
    report = grade(3, REFERENCE, tmp_path)
    want = {f"day{k}.py": hashlib.sha256((REFERENCE / f"day{k}.py").read_bytes()).hexdigest()
            for k in (1, 2, 3)}
    assert report["submission"]["files"] == want


def test_grade_class_exits_3_when_the_kit_fails_on_a_learner(tmp_path):
    """A sitecustomize (on PYTHONPATH of the learner processes) makes the kit's own grading
    fail for one learner: the batch goes on and the command says so with exit status 3."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import os\n"
        "if os.environ.get('KIT_TEST_BREAK_ENGINE'):\n"
        "    import graders.engine as e\n"
        "    real = e.grade\n"
        "    def grade(day, folder, *a, **k):\n"
        "        if 'broken' in str(folder):\n"
        "            raise e.GradingError('the graders of day %s could not run' % day)\n"
        "        return real(day, folder, *a, **k)\n"
        "    e.grade = grade\n")
    subs = tmp_path / "subs"
    subs.mkdir()
    compose(subs / "broken")
    compose(subs / "fine")
    done = run_graders("grade-class", "--submissions", subs, "--out", tmp_path / "out",
                       "--days", "1", "--jobs", 1,
                       env={"PYTHONPATH": str(hooks), "KIT_TEST_BREAK_ENGINE": "1"})
    assert done.returncode == 3, done.stderr + done.stdout
    assert "the kit could not grade 1 learner-day(s), e.g. broken" in done.stderr
    assert (tmp_path / "out" / "fine" / "day1.json").is_file()


def counted(pattern):
    """The number the README states in `pattern` (one group), everywhere it says it."""
    found = {int(n) for n in re.findall(pattern, README)}
    assert len(found) == 1, (pattern, found)
    return found.pop()


def test_the_readme_counts_the_corpora_as_they_are():
    tests = ROOT / "tests"
    mutants = sum(len(tomllib.loads(p.read_text())["mutant"])
                  for p in (tests / "mutants").glob("day*.toml"))
    valid = len([p for p in (tests / "valid").iterdir() if p.is_dir()])
    hostile = len([p for p in (tests / "hostile").iterdir() if p.is_dir()])
    assert counted(r"`dayN\.toml`, (\d+) mutants") == mutants
    assert counted(r"\((\d+) folders\); each must score full marks") == valid
    assert counted(r"(\d+) attacks") == hostile
