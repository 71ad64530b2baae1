"""The learner's side: watch mode, tiered hints, messages that teach, progress (pictures:
test_pictures.py)."""
import ast
import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib

import pytest

from conftest import ENV, EXERCISES, REFERENCE, ROOT, run_graders
from graders import engine


def marker_tiers(day):
    """{test name: [hint, more...]} read from the `grade` markers of a day's grader tests."""
    found = {}
    for path in engine.test_files(day):
        for node in ast.parse(path.read_text()).body:
            for mark in getattr(node, "decorator_list", []):
                if isinstance(mark, ast.Call) and ast.unparse(mark.func).endswith("mark.grade"):
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in mark.keywords}
                    more = kwargs.get("more", ())
                    found[node.name] = [kwargs["hint"], *([more] if isinstance(more, str)
                                                          else more)]
    return found


def mutate(path, old, new):
    """Replace the one occurrence of old in the file at path."""
    source = path.read_text()
    assert source.count(old) == 1, old
    path.write_text(source.replace(old, new))


class Output:
    """The lines a running process prints, read by a thread, waited for by content."""

    def __init__(self, proc):
        self.lines, self.new = [], queue.Queue()
        threading.Thread(target=self.read, args=(proc.stdout,), daemon=True).start()

    def read(self, stream):
        for line in stream:
            self.new.put(line)

    def wait_for(self, text, timeout=30):
        """The output since the last wait, up to the line where `text` appears."""
        start, deadline = len(self.lines), time.monotonic() + timeout
        while not any(text in line for line in self.lines[start:]):
            try:
                self.lines.append(self.new.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"no {text!r} within {timeout} s; output:\n{''.join(self.lines)}")
        return "".join(self.lines[start:])


def test_watch_regrades_every_save_survives_a_syntax_error_and_stops_cleanly(tmp_path):
    folder = tmp_path / "sub"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.Popen([sys.executable, "-m", "graders", "watch", "--day", "1",
                             "--submission", folder, "--out", tmp_path / "out", "--seed", "1"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = Output(proc)
    try:
        out.wait_for("(not_started)")
        out.wait_for("Waiting for your next save")
        (folder / "day1.py").write_text("import numpy as np\n\ndef sigmoid(x)\n    return x\n")
        text = out.wait_for("Waiting for your next save")
        assert "Grading Day 1..." in text.split("Score:")[0], text  # said at once
        assert "(ungradable)" in text and "day1.py line 3:  def sigmoid(x)" in text, text
        saved = folder / ".day1.py.swp"  # an editor's save: a new file renamed over the old
        shutil.copy(REFERENCE / "day1.py", saved)
        saved.replace(folder / "day1.py")
        out.wait_for("(passed)")
        text = out.wait_for("Waiting for your next save")
        assert "Day 1 complete" in text and "Next: open" in text and "day2.py" in text
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
    out.wait_for("Stopped watching Day 1")
    text = "".join(out.lines)
    assert code == 0 and "Traceback" not in text and "KeyboardInterrupt" not in text, text


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_watch_stopped_by_a_signal_removes_its_spare_worker(sig, tmp_path):
    """Between saves a started worker waits (a spare); killed or hung up, watch still stops it
    and removes its folder, as on Ctrl-C."""
    folder, tmp = tmp_path / "sub", tmp_path / "tmp"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    tmp.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "graders", "watch", "--day", "1",
                             "--submission", folder, "--out", tmp_path / "out", "--seed", "1"],
                            cwd=ROOT, env=dict(ENV, TMPDIR=str(tmp)), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = Output(proc)
    try:
        out.wait_for("Waiting for your next save")
        deadline = time.monotonic() + 20
        while not list(tmp.glob("kit-worker-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(tmp.glob("kit-worker-*")), "no spare worker was started"
    finally:
        proc.send_signal(sig)
        code = proc.wait(timeout=20)
    out.wait_for("Stopped watching Day 1")
    assert code == 0 and not list(tmp.glob("kit-worker-*")), (code, list(tmp.iterdir()))


def test_hints_go_one_tier_further_per_call_and_stop_at_the_last(tmp_path):
    folder = tmp_path / "sub"
    shutil.copytree(REFERENCE, folder, ignore=shutil.ignore_patterns("__pycache__"))
    mutate(folder / "day3.py", "return e / e.sum(axis=-1, keepdims=True)",
           "return e / e.sum(axis=0, keepdims=True)")
    out = tmp_path / "out"
    assert run_graders("grade", "--day", 3, "--submission", folder, "--out", out).returncode == 0
    levels = marker_tiers(3)["test_softmax_rows_sum_to_one"]
    check = next(t for t in json.loads((out / "day3.json").read_text())["tests"]
                 if t["name"] == "test_softmax_rows_sum_to_one")
    assert [check["hint"], *check["more_hints"]] == levels  # the report keeps every tier
    said = []
    for _ in range(len(levels)):
        done = run_graders("hint", "--day", 3, "--submission", folder, "--out", out)
        assert done.returncode == 0, done.stderr
        said.append(done.stdout)
    assert "test_softmax_rows_sum_to_one" in said[0] and "sum to" in said[0]
    for n, text in enumerate(said, start=2):
        shown = min(n, len(levels))
        assert f"Hint {shown} of {len(levels)}: {levels[shown - 1]}" in text
    assert "again for hint 3" in said[0] and "last hint" in said[-1] and "last hint" in said[-2]
    assert '"day3/test_softmax_rows_sum_to_one": 3' in (out / "hints.json").read_text()
    table = run_graders("progress", "--submission", folder, "--out", out).stdout
    assert "Day 3" in table and "partial" in table and "Task 3.2 softmax" in table
    assert "make grade DAY=4" in table
    first = run_graders("hint", "--day", 4, "--submission", folder, "--out", out)
    assert first.returncode == 0 and "Day 4 has no report yet: grading it first" in first.stdout
    missing = run_graders("hint", "--day", 4, "--submission", tmp_path / "none", "--out",
                          tmp_path / "none")
    assert missing.returncode == 2 and "no submission folder" in missing.stderr
    assert missing.stderr.count("\n") == 1


@pytest.mark.parametrize("folder", ["public", "hidden"])
def test_every_grader_test_has_at_least_two_hint_tiers(folder):
    for day in engine.DAYS:
        path = ROOT / "graders" / folder / f"test_day{day}.py"
        names = [n.name for n in ast.parse(path.read_text()).body
                 if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
        levels = marker_tiers(day)
        short = [n for n in names if len(levels.get(n, [])) < 2]
        assert names and not short, f"{path.name}: add more= tiers to {short}"
        assert all(t.strip() for n in names for t in levels[n])


def test_each_kind_of_failure_says_what_was_called_and_what_came_back(submission, tmp_path):
    folder = submission()
    mutate(folder / "day3.py", "def relu(z):", "def rleu(z):")
    mutate(folder / "day3.py", "return e / e.sum(axis=-1, keepdims=True)",
           "return e / e.sum(axis=0, keepdims=True)")
    fourth = {m["name"]: m for m in tomllib.loads(
        (ROOT / "tests" / "mutants" / "day4.toml").read_text())["mutant"]}
    mutate(folder / "day4.py", fourth["numerical_gradient_forward_differences"]["old"],
           fourth["numerical_gradient_forward_differences"]["new"])
    day3, day4, stub = (run_graders("grade", "--day", day, "--submission", sub, "--out",
                                    tmp_path / f"out{k}").stdout
                        for k, (day, sub) in enumerate(((3, folder), (4, folder), (3, EXERCISES))))
    assert "has no `relu`" in day3
    assert "softmax(<array (4, 3)>) returned rows that sum to [" in day3
    assert "relative error" in day4 and "allowed 1e-06" in day4
    assert "Not started yet" in stub and "TODO(3.1)" in stub and "day3.py line" in stub


def test_a_failure_caused_by_an_earlier_day_names_that_day_and_task(submission, tmp_path):
    folder = submission()
    mutate(folder / "day3.py", "return e / e.sum(axis=-1, keepdims=True)", "return e / e.sum()")
    done = run_graders("grade", "--day", 6, "--submission", folder, "--out", tmp_path / "out")
    report = json.loads((tmp_path / "out" / "day6.json").read_text())
    failed = [t for t in report["tests"] if t["status"] != "passed" and "blocked_by" not in t]
    assert failed and all("your day3.py fails Task 3.2 softmax: fix Day 3 first" in t["message"]
                          and t["earlier_days"] == [3] for t in failed)
    assert "fix Day 3 first" in report["message"] and "fix Day 3 first" in done.stdout


def test_a_call_that_hangs_is_named_with_the_time_limit(submission, tmp_path, monkeypatch):
    from conftest import grade
    folder = submission()
    path = folder / "day3.py"
    path.write_text(path.read_text().replace("def relu(z):", "def relu(z):\n    while True:\n"
                                             "        pass", 1))
    monkeypatch.setenv("GRADERS_TEST_CHECK_S", "2")
    report = grade(3, folder, tmp_path / "out")
    timed_out = [t["message"] for t in report["tests"] if t["status"] == "timeout"]
    assert timed_out and timed_out[0].startswith("relu(<array"), timed_out
    assert "limit of 2 s" in timed_out[0] and "was stopped" in timed_out[0], timed_out[0]


def test_make_help_lists_every_target():
    done = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    phony = next(line for line in text.splitlines() if line.startswith(".PHONY:")).split()[1:]
    listed = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("  make ")]
    assert done.returncode == 0 and sorted(listed) == sorted(phony), done.stdout


def test_grading_every_day_gives_an_untouched_day_one_line_and_progress_a_total(tmp_path):
    folder = tmp_path / "sub"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REFERENCE / "day1.py", folder / "day1.py")
    done = run_graders("grade", "--submission", folder, "--out", tmp_path / "out", "--seed", "1")
    lines = done.stdout.splitlines()
    for day in range(2, 8):
        mine = [line for line in lines if line.startswith(f"Day {day} ·")]
        assert len(mine) == 1 and "not started" in mine[0] and f"day{day}.py line" in mine[0]
    assert not any("✗" in line for line in lines), "an untouched day lists its checks"
    assert "Day 1 complete" in done.stdout or "20/20" in done.stdout
    assert lines[-1].split()[:2] == ["Total", "20/145.5"], lines[-1]


def test_hint_and_progress_notice_a_file_newer_than_its_report(tmp_path):
    folder, out = tmp_path / "sub", tmp_path / "out"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    run_graders("grade", "--day", "1", "--submission", folder, "--out", out, "--seed", "1")
    shutil.copy(REFERENCE / "day1.py", folder / "day1.py")  # fixed after the last grade
    shown = run_graders("progress", "--submission", folder, "--out", out).stdout
    assert "out of date" in next(line for line in shown.splitlines() if line.startswith("Day 1"))
    hinted = run_graders("hint", "--day", "1", "--submission", folder, "--out", out).stdout
    assert "changed since its last report: grading it first" in hinted, hinted
    assert "every check passed" in hinted and "not_started" not in hinted, hinted
    shown = run_graders("progress", "--submission", folder, "--out", out).stdout
    assert "passed" in next(line for line in shown.splitlines() if line.startswith("Day 1"))


def test_a_broken_report_is_graded_again_not_a_crash(tmp_path):
    folder, out = tmp_path / "sub", tmp_path / "out"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    out.mkdir()  # e.g. edited by hand: a seed that is no number, a submission that is no object
    (out / "day3.json").write_text(json.dumps({"day": 3, "seed": "x", "submission": "oops",
                                               "kit_version": engine.kit_version(),
                                               "score": 0, "max_score": 20, "tests": []}))
    shown = run_graders("progress", "--submission", folder, "--out", out)
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert "out of date" in next(line for line in shown.stdout.splitlines()
                                 if line.startswith("Day 3"))
    hinted = run_graders("hint", "--day", 3, "--submission", folder, "--out", out)
    assert hinted.returncode == 0 and "Traceback" not in hinted.stderr, hinted.stderr
    assert "grading it first" in hinted.stdout and "not_started" in hinted.stdout
