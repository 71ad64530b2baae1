"""grade-class: a synthetic class graded in parallel; gradebook, summary, resume, hostile zips."""
import csv
import html
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

from conftest import EXERCISES, REFERENCE, compose, run_graders
from graders import feedback, intake, render, switches
from test_outputs import EVIL, SHOWN, hidden_code_lines, leaks, raw_in_json, raw_text


DAYS = (1, 2, 3)
XSS = "<img src=x onerror=alert(1)>"  # a learner id that must come out escaped
EXPECTED = {  # learner -> status of days 1-3
    "escapes": ["ungradable", "passed", "passed"],
    "hangs": ["timeout"] * 3,
    "linked": ["ungradable"] * 3,
    "mutant": ["passed", "passed", "partial"],
    "ref": ["passed"] * 3,
    "ref_zip": ["passed"] * 3,
    "stubs": ["not_started"] * 3,
    "unparsable": ["passed", "ungradable", "ungradable"],
    "zip_slip": ["ungradable"] * 3,
    XSS: ["ungradable"] * 3,
}


def mutate(folder, day, old, new):
    """Replace `old` by `new` in dayN.py of `folder`."""
    path = folder / f"day{day}.py"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def zip_folder(folder, archive, inside=""):
    """A .zip of the day files of `folder`, at its top or inside the folder `inside`."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(Path(folder).glob("day*.py")):
            z.write(f, f"{inside}{f.name}")


def build_class(root):
    """Reference, stubs, a mutant, an unparsable file, a hang, zips good and hostile."""
    root.mkdir()
    compose(root / "ref")
    compose(root / "stubs", base=EXERCISES)
    mutant = compose(root / "mutant_src")
    mutate(mutant, 3, "e / e.sum(axis=-1, keepdims=True)", "e / e.sum()")
    zip_folder(mutant, root / "mutant.zip", inside="mutant/")
    shutil.rmtree(mutant)
    mutate(compose(root / "unparsable"), 2, "def layer_forward(X, W, B):",
           "def layer_forward(X, W, B:")
    mutate(compose(root / "hangs"), 1, "    x = np.asarray(x, dtype=np.float64)\n",
           "    import time\n    time.sleep(3600)\n")  # never returns (asleep: the budget is
    # under test, and a loop would take a core from the other tests for the whole budget)
    zip_folder(REFERENCE, root / "ref_zip.zip")
    (root / "linked").symlink_to(REFERENCE)  # a link to a folder that scores full marks
    day1 = compose(root / "escapes") / "day1.py"  # learner text that drives a terminal
    day1.write_text(day1.read_text() + f"\nraise RuntimeError({EVIL!r})\n")
    with zipfile.ZipFile(root / "zip_slip.zip", "w") as z:
        z.writestr("day1.py", "x = 1\n")
        z.writestr("../../escaped.py", "x = 1\n")
    with zipfile.ZipFile(root / f"{XSS}.zip", "w") as z:
        link = zipfile.ZipInfo("day1.py")
        link.external_attr = 0o120777 << 16
        z.writestr(link, "/etc/passwd")
    return root


# A check's time limit in the small class (10 s when grading learners): its loop that never
# ends is stopped sooner, and what is tested does not depend on the limit.
SHORT = {switches.TEST_CHECK_S: "3"}


def grade_class(subs, out, *args):
    """`grade-class` of `subs` into `out` with two jobs in process mode (what is tested here
    does not depend on the sandbox; a worker starts sooner); it must exit 0."""
    done = run_graders("grade-class", "--submissions", subs, "--out", out, "--jobs", 2,
                       "--sandbox", "process", *args)
    assert done.returncode == 0, done.stderr + done.stdout
    return done


def mtimes(out):
    """{path: mtime} of every day file written under `out`."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("day*.json")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded three times: first, again (all up to date), again with --force."""
    root = tmp_path_factory.mktemp("class")
    subs, out = build_class(root / "submissions"), root / "reports"
    runs = {"first": grade_class(subs, out, "--days", "1-3", "--budget", 10)}
    with open(out / "gradebook.csv", newline="") as f:
        book = list(csv.DictReader(f))
    summary = json.loads((out / "summary.json").read_text())
    reports = {(p.parent.name, int(p.name[3])): json.loads(p.read_text())
               for p in out.glob("*/day?.json")}
    times = [mtimes(out)]
    runs["again"] = grade_class(subs, out, "--days", "1-3", "--budget", 10)
    times.append(mtimes(out))
    runs["force"] = grade_class(subs, out, "--days", "1", "--budget", 6, "--force")
    times.append(mtimes(out))
    return {"out": out, "runs": runs, "book": book, "summary": summary, "reports": reports,
            "mtimes": times}


def test_the_gradebook_has_a_row_per_learner_matching_the_reports(graded):
    book, reports = graded["book"], graded["reports"]
    assert [row["learner"] for row in book] == sorted(EXPECTED, key=str.casefold)
    for row in book:
        name = row["learner"]
        assert [row[f"day{d}_status"] for d in DAYS] == EXPECTED[name], row
        scores = [float(row[f"day{d}"]) for d in DAYS]
        for day, score in zip(DAYS, scores):
            expected = reports[(name, day)]["score"] if (name, day) in reports else 0
            assert score == expected, (name, day)
        assert float(row["total"]) == sum(scores)
    ref = {(d, r["score"]) for (n, d), r in reports.items() if n == "ref"}
    assert ref == {(d, r["max_score"]) for (n, d), r in reports.items() if n == "ref"}
    assert {(d, r["score"]) for (n, d), r in reports.items() if n == "ref_zip"} == ref


def test_the_summary_pass_rates_match_the_reports(graded):
    reports, tests = graded["reports"], graded["summary"]["tests"]
    for t in tests:  # over the learners each check judged: the day graded, the task begun
        outcomes = [x["status"] == "passed" for (_, day), r in reports.items()
                    if day == t["day"] and r["status"] in ("passed", "partial", "failed")
                    for x in r["tests"] if x["name"] == t["name"]
                    and x["status"] != "not_started" and not x.get("blocked_by")]
        assert (t["passed"], t["graded"]) == (sum(outcomes), len(outcomes)), t["name"]
        assert t["hint"]
    rates = [t["pass_rate"] for t in tests]
    assert rates == sorted(rates) and rates[0] < 1
    assert len(tests) == len({(d, x["name"]) for (_, d), r in reports.items()
                              for x in r["tests"]})


def test_the_hanging_learner_times_out_and_the_batch_goes_on(graded):
    assert "hangs" in graded["runs"]["first"].stdout
    problems = [p for p in graded["summary"]["problems"] if p["learner"] == "hangs"]
    assert [(p["days"], p["status"], p["check"]) for p in problems] == [([1, 2, 3], "timeout",
                                                                         None)]
    assert "budget" in problems[0]["message"]


@pytest.mark.parametrize("learner, words", [("zip_slip", "holds a path outside its folder"),
                                            (XSS, "holds a link")])
def test_hostile_zips_are_refused_with_a_clear_status(graded, learner, words):
    problem = next(p for p in graded["summary"]["problems"] if p["learner"] == learner)
    assert problem["status"] == "ungradable" and words in problem["message"]
    assert not (graded["out"].parent / "escaped.py").exists()
    assert not list(graded["out"].rglob("escaped.py"))


def test_a_second_run_skips_every_learner_and_force_regrades(graded):
    first, again, force = graded["mtimes"]
    assert "Graded 0, skipped 7 (up to date), refused 3." in graded["runs"]["again"].stdout
    assert again == first
    assert "Graded 7, skipped 0" in graded["runs"]["force"].stdout
    changed = {k for k in first if force.get(k) != first[k]}
    assert changed == {f"{n}/day1.json" for n in ("escapes", "mutant", "ref", "ref_zip", "stubs",
                                                  "unparsable")} | {"hangs/day1.timeout.json"}


def test_the_summary_page_shows_the_chart_and_escapes_learner_text(graded):
    out = graded["out"]
    page = (out / "summary.html").read_text()
    assert '<img src="summary.png"' in page
    assert (out / "summary.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "timeout" in page and "holds a link" in page


def test_a_linked_learner_is_refused_naming_the_link(graded):
    problems = [p for p in graded["summary"]["problems"] if p["learner"] == "linked"]
    assert [(p["status"], p["days"]) for p in problems] == [("ungradable", [1, 2, 3])]
    assert f"linked is a link (to {REFERENCE}): links are not graded" in problems[0]["message"]
    assert [p.name for p in (graded["out"] / "linked").iterdir()] == ["feedback.md"]
    assert "links are not graded" in (graded["out"] / "linked" / "feedback.md").read_text()


def test_learner_text_is_escaped_on_the_terminal_and_in_every_class_file(graded):
    out = graded["out"]
    problem = next(p for p in graded["summary"]["problems"] if p["learner"] == "escapes")
    assert problem["status"] == "ungradable" and SHOWN in problem["message"]
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.endswith("</html>\n") and SHOWN in page
    assert SHOWN in (out / "escapes" / "feedback.md").read_text(encoding="utf-8")
    for path in [p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"]:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")  # (the CSV's lines)
        assert not (raw_in_json(text) if path.suffix == ".json" else raw_text(text)), path
    for run in graded["runs"].values():
        assert not raw_text(run.stdout + run.stderr)


def test_no_class_file_holds_a_hidden_check_s_details(graded):
    assert not list(graded["out"].rglob("*.raw.json"))
    secrets = set().union(*(hidden_code_lines(d) for d in DAYS)) | {"hidden/test_day"}
    assert not leaks(graded["out"], secrets)


@pytest.mark.parametrize("args, words", [
    (["--submissions", "no/such/folder"], "no submissions folder"),
    (["--submissions", ".", "--days", "1-9"], "bad --days '1-9'"),
    (["--submissions", ".", "--days", "three"], "bad --days 'three'"),
    (["--submissions", ".", "--days", "3-1"], "bad --days '3-1'"),
    (["--submissions", ".", "--jobs", "0"], "must be positive"),
    ([], "required: --submissions"),
])
def test_usage_errors_exit_2_with_one_line(args, words, tmp_path):
    done = run_graders("grade-class", "--out", tmp_path, *args)
    assert done.returncode == 2
    assert words in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_an_empty_submissions_folder_is_a_usage_error(tmp_path):
    (tmp_path / "subs").mkdir()
    done = run_graders("grade-class", "--submissions", tmp_path / "subs", "--out", tmp_path)
    assert done.returncode == 2 and "no learners in" in done.stderr



@pytest.mark.parametrize("entries, words", [
    ({"/tmp/day1.py": "x = 1\n"}, "holds a path outside its folder: '/tmp/day1.py'"),
    ({"work/../../day1.py": "x = 1\n"}, "holds a path outside its folder"),
    ({"C:\\day1.py": "x = 1\n"}, "holds a path outside its folder"),
    ({"day1.py": "\0" * (20 << 20)}, "looks like a zip bomb"),
    ({"a/day1.py": "x = 1\n", "b/day2.py": "x = 1\n"}, "day files in more than one folder"),
])
def test_a_bad_zip_is_refused_with_the_reason(entries, words, tmp_path):
    archive = tmp_path / "learner.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in entries.items():
            z.writestr(name, text)
    with pytest.raises(intake.Refused, match=re.escape(words)):
        intake.unpack(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_zip_too_large_unpacked_or_not_a_zip_is_refused(tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("day1.py", b"#" * (51 << 20))
    with pytest.raises(intake.Refused, match="unpacks to 51 MB; at most 50 MB"):
        intake.unpack(archive, tmp_path / "out")
    (tmp_path / "fake.zip").write_text("not a zip")
    with pytest.raises(intake.Refused, match="not a zip file that can be read"):
        intake.unpack(tmp_path / "fake.zip", tmp_path / "out")


def test_day_files_at_the_top_or_in_one_folder_are_unpacked(tmp_path):
    for layout in ("", "alice/week1/"):
        archive = tmp_path / "alice.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr(f"{layout}day1.py", "x = 1\n")
            z.writestr(f"{layout}notes.txt", "hello\n")
            z.writestr("__MACOSX/._day1.py", "junk")
        dest = tmp_path / layout.replace("/", "_") / "out"
        intake.unpack(archive, dest)
        assert sorted(p.name for p in dest.iterdir()) == ["day1.py"]


def without_durations(report):
    """A report without its timings (the only part that may differ between two gradings)."""
    return {k: v if k != "tests" else [{a: b for a, b in t.items() if a != "duration_s"}
                                       for t in v]
            for k, v in report.items() if k != "duration_s"}


def test_regrading_a_class_gives_byte_identical_gradebooks_and_the_same_reports(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    compose(subs / "ref")
    mutate(compose(subs / "mutant"), 2, "return X @ W + B", "return X @ W")
    books, reports = [], []
    for _ in range(2):
        grade_class(subs, tmp_path / "out", "--days", "1-2", "--force")
        books.append((tmp_path / "out" / "gradebook.csv").read_bytes())
        reports.append({p.relative_to(tmp_path / "out").as_posix():
                        without_durations(json.loads(p.read_text()))
                        for p in (tmp_path / "out").glob("*/day?.json")})
    assert books[0] == books[1]
    assert reports[0] == reports[1] and len(reports[0]) == 4
    book = {row["learner"]: row for row in csv.DictReader(books[0].decode().splitlines())}
    for name, day in (("mutant", 2), ("ref", 1)):
        assert int(book[name][f"day{day}_seed"]) == reports[0][f"{name}/day{day}.json"]["seed"]


def test_a_report_is_kept_only_while_files_seed_sandbox_and_graders_are_the_same(graded):
    from graders import classroom, engine
    out, folder = graded["out"], graded["out"].parent / "submissions" / "ref"
    key = {"course_seed": json.loads((out / "course.json").read_text())["course_seed"],
           "sandbox": graded["reports"][("ref", 1)]["sandbox"], "kit_version": engine.kit_version()}
    assert classroom.earlier(folder, out / "ref", 2, 15, key) is not None
    for change in ({"course_seed": key["course_seed"] + 1}, {"sandbox": "none"},
                   {"kit_version": key["kit_version"] + "-other-graders"}):
        assert classroom.earlier(folder, out / "ref", 2, 15, dict(key, **change)) is None, change


def test_a_later_day_loses_nothing_to_an_earlier_days_bug(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    mutate(compose(subs / "learner"), 3, "return e / e.sum(axis=-1, keepdims=True)",
           "return e / e.sum()")
    grade_class(subs, tmp_path / "out", "--days", "3,6")
    day3, day6 = (json.loads((tmp_path / "out" / "learner" / f"day{d}.json").read_text())
                  for d in (3, 6))
    assert day3["status"] == "partial"
    assert day6["score"] == day6["max_score"] and day6["graded_with_reference"] == [3]
    assert "charged there, not here" in day6["message"]


# -- what the class reports show: every problem, fair pass rates, a table per learner, a
# feedback file each, and a progress bar that counts only the work left after a resume

SMALL = ["ann", "bob", "crashes", "Dan Smith", "empty", "loops"]  # gradebook order


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Six learners, days 1-2, graded, then graded again after one of them changed a file."""
    root = tmp_path_factory.mktemp("small")
    subs, out = root / "submissions", root / "reports"
    subs.mkdir()
    compose(subs / "Dan Smith")  # everything right; sorts after "bob" and "crashes"
    (compose(subs / "ann") / "day2.py").unlink()  # Day 2 missing
    compose(subs / "bob", base=EXERCISES)  # not started
    (subs / "empty").mkdir()
    mutate(compose(subs / "crashes"), 1, '    """\n    return sigmoid(np.dot(',
           '    """\n    import os; os._exit(3)\n    return sigmoid(np.dot(')
    mutate(compose(subs / "loops"), 2, "    return X @ W + B", "    while True:\n        pass")
    runs = {"first": run_graders("grade-class", "--submissions", subs, "--out", out, "--jobs", 2,
                                 "--days", "1-2", env=SHORT)}
    shutil.copy(REFERENCE / "day1.py", subs / "bob" / "day1.py")
    runs["resumed"] = run_graders("grade-class", "--submissions", subs, "--out", out,
                                  "--jobs", 2, "--days", "1-2", env=SHORT)
    for run in runs.values():
        assert run.returncode == 0, run.stderr + run.stdout
    reports = {(p.parent.name, int(p.name[3])): json.loads(p.read_text())
               for p in out.glob("*/day?.json")}
    return {"out": out, "runs": runs, "summary": json.loads((out / "summary.json").read_text()),
            "page": (out / "summary.html").read_text(), "reports": reports}


def test_every_timeout_and_crash_inside_a_graded_day_is_listed(small):
    problems = {(p["learner"], p["check"]): p for p in small["summary"]["problems"]}
    for learner, day, status in (("loops", 2, "timeout"), ("crashes", 1, "error")):
        report = small["reports"][(learner, day)]
        assert report["status"] == "partial"  # the day itself is not a problem
        stopped = [t for t in report["tests"] if t["status"] == status]
        assert stopped
        for t in stopped:
            p = problems[(learner, t["name"])]
            assert (p["days"], p["status"], p["message"]) == ([day], status, t["message"])
            assert html.escape(t["name"]) in small["page"]
        said = f"day{day} partial, {len(stopped)} check(s) {status}"
        assert said in small["runs"]["first"].stdout


def test_pass_rates_count_only_the_learners_a_check_judged(small):
    tests = {t["name"]: t for t in small["summary"]["tests"]}
    product = tests["test_layer_forward_is_x_times_w_plus_b"]  # loops fails it
    assert (product["passed"], product["graded"], product["pass_rate"]) == (2, 3, 0.6667)
    # ann's Day 2 is missing, empty holds nothing, bob has not started Day 2
    assert product["not_graded"] == {"missing": 2, "not_started": 1}
    sigmoid = tests["test_sigmoid_of_minus_1000_and_1000_is_0_and_1"]
    assert (sigmoid["passed"], sigmoid["graded"], sigmoid["pass_rate"]) == (5, 5, 1)
    assert sigmoid["not_graded"] == {"missing": 1}
    day2 = small["summary"]["per_day"][1]
    assert (day2["graded"], day2["not_graded"]) == (3, {"missing": 2, "not_started": 1})
    for t in small["summary"]["tests"]:  # checks blocked by a failure are counted apart
        judged = [x["status"] == "passed" for (n, d), r in small["reports"].items()
                  if d == t["day"] and r["status"] in ("passed", "partial", "failed")
                  for x in r["tests"] if x["name"] == t["name"] and x["status"] != "not_started"
                  and not x.get("blocked_by")]
        assert (t["passed"], t["graded"]) == (sum(judged), len(judged)), t["name"]


def test_the_page_has_a_row_per_learner_with_totals_and_a_histogram_of_totals(small):
    page, learners = small["page"], small["summary"]["learners"]
    rows = re.findall(r"<tr><td>([^<]*)</td>(.*?)</tr>", page.split("<h2>Learners</h2>")[1]
                      .split("<h2>")[0])
    assert [html.unescape(name) for name, _ in rows] == SMALL
    for name, cells in rows:
        total = render.points(learners[html.unescape(name)]["total"])
        assert f"<td>{total}</td>" in cells
        assert f'href="{name.replace(" ", "%20")}/feedback.md"' in cells
    assert '<img src="summary.png" alt="Histogram of the learners' in page
    assert (small["out"] / "summary.png").read_bytes().startswith(b"\x89PNG")


def test_the_histogram_counts_every_total_once():
    from graders import gradebook
    edges, counts = gradebook.histogram([0, 3.5, 20, 36, 39, 39], 39)
    assert edges == list(range(0, 41, 4)) and sum(counts) == 6
    assert counts[0] == 2 and counts[5] == 1 and counts[-1] == 3  # full marks in the last bar
    assert gradebook.histogram([7, 7], 7) == (list(range(8)), [0] * 6 + [2])
    assert gradebook.histogram([], 0) == ([0, 1], [0])


def test_each_learner_gets_a_feedback_file_with_every_failed_check_and_its_hint(small):
    out, reports = small["out"], small["reports"]
    for name in ("loops", "crashes"):
        text = (out / name / "feedback.md").read_text()
        for day in (1, 2):
            report = reports[(name, day)]
            assert f"## Day {day}: {report['score']}/{report['max_score']} ({report['status']})" \
                in text
            for t in report["tests"]:
                line, hint = render.check_line(t), feedback.plain(t["hint"])
                if t["status"] == "passed":
                    assert f"{t['name']} (" not in text
                elif t.get("blocked_by"):  # one line each, under the check they wait for
                    assert f"- {line}. Hint: {hint}\n" in text
                    assert f"these checks need {t['blocked_by']} to pass first" in text
                else:
                    shown = text.split(f"### {line}\n")[1].split("### ")[0]
                    assert t["message"].splitlines()[0] in shown and f"Hint: {hint}" in shown
    dan = (out / "Dan Smith" / "feedback.md").read_text()
    assert dan.startswith("# Feedback for `Dan Smith`") and "✗" not in dan
    assert "Every check passed." in dan and "make grade DAY=2 SEED=" in dan
    assert "holds no day file" in (out / "empty" / "feedback.md").read_text()
    assert "day2.py is missing" in (out / "ann" / "feedback.md").read_text()


def test_the_gradebook_is_sorted_case_insensitively_with_every_graded_day_s_seed(small):
    with open(small["out"] / "gradebook.csv", newline="") as f:
        book = list(csv.DictReader(f))
    assert [row["learner"] for row in book] == SMALL
    for row in book:
        for day in (1, 2):
            report = small["reports"].get((row["learner"], day))
            assert row[f"day{day}_seed"] == (str(report["seed"]) if report else ""), row


def test_an_empty_folder_is_one_problem_row(small):
    rows = [p for p in small["summary"]["problems"] if p["learner"] == "empty"]
    assert len(rows) == 1 and rows[0]["days"] == [1, 2] and rows[0]["status"] == "ungradable"
    assert "empty holds no day file" in rows[0]["message"]
    assert small["page"].count("<tr><td>empty</td><td>1-2</td>") == 1


def test_after_a_resume_the_bar_counts_only_the_learners_left_to_grade(small):
    resumed = small["runs"]["resumed"].stdout
    assert re.search(r" 1/1 0:00 left", resumed), resumed
    assert not re.search(r" \d+/6 ", resumed)
    assert "Graded 1, skipped 4 (up to date), refused 1." in resumed
    assert re.search(r" 5/5 0:00 left", small["runs"]["first"].stdout)  # empty: refused first


def test_the_time_left_is_the_pace_of_the_learners_graded_so_far():
    from types import SimpleNamespace
    from graders import classroom
    assert classroom.time_left(SimpleNamespace(elapsed=30, total=5, completed=1)) == "2:00"
    assert classroom.time_left(SimpleNamespace(elapsed=90, total=3, completed=3)) == "0:00"


def test_a_class_takes_loose_names_from_folders_and_zips_and_names_the_rest(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    ref, stub = (REFERENCE / "day1.py").read_bytes(), (EXERCISES / "day1.py").read_bytes()
    learners = {  # learner: ({file: contents}, day 1's status, words of its message or notice)
        "Day1": ({"Day1.py": ref}, "passed", "Graded Day1.py as day1.py"),
        "copy_zip": ({"alice/day1 (1).py": ref}, "passed", "Graded day1 (1).py as day1.py"),
        "day01_zip": ({"day01.py": ref}, "passed", "Graded day01.py as day1.py"),
        "exact": ({"day1.py": stub, "Day1.py": ref}, "not_started",
                  "Graded day1.py; Day1.py is not graded"),
        "two": ({"Day1.py": ref, "day1 (1).py": ref}, "ungradable",
                "day1.py is missing; found Day1.py and day1 (1).py: keep one and name it "
                "day1.py."),
        "dayone_zip": ({"week1/dayone.py": ref}, "ungradable",
                       "day1.py is missing; found dayone.py: rename it to day1.py."),
        "txt": ({"day1.txt": ref}, "ungradable", "found day1.txt: rename it to day1.py."),
        "pytxt_zip": ({"day1.py.txt": ref}, "ungradable", "found day1.py.txt: rename it"),
    }
    subs.mkdir()
    for name, (files, _, _) in learners.items():
        if name.endswith("_zip"):
            with zipfile.ZipFile(subs / f"{name}.zip", "w") as z:
                for path, data in files.items():
                    z.writestr(path, data)
        else:
            (subs / name).mkdir()
            for path, data in files.items():
                (subs / name / path).write_bytes(data)
    nn = compose(subs / "nn")  # Day 6 under the curriculum's name
    (nn / "day6.py").rename(nn / "neural_net.py")
    grade_class(subs, out, "--days", "1,6")
    for name, (_, status, words) in learners.items():
        day1 = json.loads((out / name / "day1.json").read_text())
        assert day1["status"] == status, (name, day1["message"])
        assert words in " ".join([day1["message"], *day1.get("notices", [])]), (name, day1)
    day6 = json.loads((out / "nn" / "day6.json").read_text())
    assert day6["status"] == "passed" and day6["notices"] == [
        "Graded neural_net.py as day6.py, the kit's name for Day 6: rename it to day6.py."]
    reports = [json.loads(p.read_text()) for p in out.glob("*/day?.json")]
    said = [s for r in reports
            for s in [r["message"], *r.get("notices", []), *(t["message"] for t in r["tests"])]]
    said += [p["message"] for p in json.loads((out / "summary.json").read_text())["problems"]]
    assert not [s for s in said if tempfile.gettempdir() in s]  # no folder of the kit's
