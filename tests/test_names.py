"""Forgiving file names (`make grade`): `Day1.py`, `day1 (1).py`, `day01.py` and Day 6's
`neural_net.py` are graded with a notice; an exact `dayN.py` always wins; two candidates, or a
name that only looks like a day file's, leave the day missing with a message naming them.
grade-class and Gradescope: tests/test_classroom.py and tests/test_package.py."""
import shutil

import pytest

from conftest import EXERCISES, REFERENCE, grade, run_graders
from graders import names, render


@pytest.mark.parametrize("name, found", [
    ("day1.py", (1, "exact")),
    ("Day1.py", (1, "loose")),
    ("day1 (1).py", (1, "loose")),
    ("day01.py", (1, "loose")),
    ("DAY_7 (12).PY", (7, "loose")),
    ("day1.PY", (1, "loose")),
    ("neural_net.py", (6, "loose")),
    ("neural_net (1).py", (6, "loose")),
    ("dayone.py", (1, "near")),
    ("Day_Six.py", (6, "near")),
    ("day1.txt", (1, "near")),
    ("day1.py.txt", (1, "near")),
    ("day1_final.py", (1, "near")),
    ("neural_network.py", (6, "near")),
    ("day10.py", None),
    ("day8.py", None),
    ("today1.py", None),
    ("._day1.py", None),  # macOS's shadow of day1.py in a zip
    (".day1.py.swp", None),
    ("notes.py", None),
])
def test_one_function_maps_a_file_name_to_its_day(name, found):
    assert names.day_of(name) == found


@pytest.mark.parametrize("files, day, graded, said", [
    (["Day1.py"], 1, "Day1.py", "Graded Day1.py as day1.py, the kit's name for Day 1: rename "
                                "it to day1.py."),
    (["day1.py", "Day1.py", "day1 (1).py"], 1, "day1.py",
     "Graded day1.py; Day1.py and day1 (1).py are not graded: move what you need into day1.py "
     "and delete them."),
    (["day6.py", "neural_net.py"], 6, "day6.py", "Graded day6.py; neural_net.py is not graded"),
    (["Day1.py", "dayone.py", "day1.txt"], 1, "Day1.py", "Graded Day1.py as day1.py"),
    (["day1.py", "day1.txt"], 1, "day1.py", None),  # a look-alike beside the file: not a word
    (["day1.py"], 1, "day1.py", None),
])
def test_the_exact_name_wins_else_the_one_loose_name(files, day, graded, said):
    choice = names.resolve(files)[day]
    assert choice.name == graded
    assert (choice.notice() or "").startswith(said or "") and bool(choice.notice()) == bool(said)


@pytest.mark.parametrize("files, said", [
    (["Day1.py", "day1 (1).py"], "day1.py is missing; found Day1.py and day1 (1).py: keep one "
                                 "and name it day1.py."),
    (["dayone.py"], "day1.py is missing; found dayone.py: rename it to day1.py."),
    (["day1.txt", "day1.py.txt"], "day1.py is missing; found day1.py.txt and day1.txt: rename "
                                  "the one to grade to day1.py."),
    (["Day1.py", "day1 (1).py", "dayone.py"], "found Day1.py and day1 (1).py: keep one"),
    (["day2.py", "notes.txt"], "day1.py is missing."),
])
def test_a_missing_day_names_what_was_found(files, said):
    choice = names.resolve(files)[1]
    assert choice.name is None and said in choice.missing()


def test_learner_text_in_a_name_is_escaped():
    choice = names.resolve(["Day1\x1b[2J.py", "day1 (1).py"])[1]
    assert "\x1b" not in choice.missing() and "\\x1b[2J" in choice.missing()


# -- make grade -------------------------------------------------------------------------------

def renamed(folder, day, name, data=None):
    """The day's file of `folder` renamed to `name` (or `data` written under `name`)."""
    source = folder / f"day{day}.py"
    (folder / name).write_bytes(source.read_bytes() if data is None else data)
    if data is None:
        source.unlink()
    return folder


@pytest.mark.parametrize("day, name", [(1, "Day1.py"), (1, "day1 (1).py"), (1, "day01.py"),
                                       (6, "neural_net.py"), (3, "Day3.PY")])
def test_make_grade_takes_a_loose_name_and_says_so(day, name, submission, tmp_path):
    report = grade(day, renamed(submission(), day, name), tmp_path / "out", batch=False)
    assert report["status"] == "passed", report["message"]
    assert report["notices"] == [f"Graded {name} as day{day}.py, the kit's name for Day {day}: "
                                 f"rename it to day{day}.py."]
    assert list(report["submission"]["files"]) == [f"day{k}.py" for k in range(1, day + 1)]
    shown = render.day(report, tmp_path / "out" / f"day{day}.json")
    assert f"Note: Graded {name} as day{day}.py" in shown


def test_make_grade_takes_the_exact_name_over_a_loose_one_and_names_it(submission, tmp_path):
    folder = submission(base=EXERCISES)  # the kit's stubs, the curriculum's neural_net.py
    (folder / "neural_net.py").write_bytes((REFERENCE / "day6.py").read_bytes())
    (folder / "Day1.py").write_bytes((REFERENCE / "day1.py").read_bytes())
    report = grade(6, folder, tmp_path / "out", batch=False)
    assert report["status"] == "not_started"  # day6.py, the stub, is graded
    assert report["notices"] == ["Graded day6.py; neural_net.py is not graded: move what you "
                                 "need into day6.py and delete it."]
    report = grade(1, folder, tmp_path / "out", batch=False)
    assert report["status"] == "not_started" and "Day1.py is not graded" in report["notices"][0]


@pytest.mark.parametrize("day, files, said", [
    (1, {"Day1.py": 1, "day1 (1).py": 1},
     "day1.py is missing; found Day1.py and day1 (1).py: keep one and name it day1.py."),
    (1, {"dayone.py": 1}, "day1.py is missing; found dayone.py: rename it to day1.py."),
    (1, {"day1.txt": 1}, "day1.py is missing; found day1.txt: rename it to day1.py."),
    (1, {"day1.py.txt": 1}, "day1.py is missing; found day1.py.txt: rename it to day1.py."),
    (3, {"day_two.py": 2}, "day2.py is missing (imported by the day 3 file); found day_two.py: "
                           "rename it to day2.py."),
])
def test_make_grade_names_what_it_found_when_a_day_is_missing(day, files, said, submission,
                                                              tmp_path):
    folder = submission()
    for name, k in files.items():
        (folder / name).write_bytes((folder / f"day{k}.py").read_bytes())
    for k in set(files.values()):
        (folder / f"day{k}.py").unlink()
    report = grade(day, folder, tmp_path / "out", batch=False)
    assert report["status"] == "ungradable" and report["message"] == said
    assert {t["message"] for t in report["tests"]} == {said}
    assert "notices" not in report


def test_the_terminal_shows_the_notice_and_the_names_found(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(REFERENCE / "day1.py", folder / "Day1.py")
    shutil.copy(REFERENCE / "day2.py", folder / "day2.txt")
    done = run_graders("grade", "--day", 1, "--submission", folder, "--out", tmp_path / "out",
                       "--seed", 1)
    assert done.returncode == 0, done.stderr
    assert "Score: 20/20 (passed)" in done.stdout
    assert "Note: Graded Day1.py as day1.py, the kit's name for Day 1: rename it to day1.py." \
        in done.stdout
    done = run_graders("grade", "--day", 2, "--submission", folder, "--out", tmp_path / "out",
                       "--seed", 1)
    assert "day2.py is missing; found day2.txt: rename it to day2.py." in done.stdout
    assert str(folder) not in done.stdout.split("\n", 1)[1]  # only the header names the folder
