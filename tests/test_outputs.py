"""What the kit shows and writes: learner text escaped on every path (terminal, reports,
gradebook, summary page, Gradescope), hidden checks' details kept out of every file, files
written whole or not at all, the worker's folder removed however deep."""
import csv
import io
import json
import re
import subprocess
import sys
import tomllib

from conftest import ENV, EXERCISES, ROOT, compose, run_graders
from graders import gradebook, gradescope, watch, worker
from graders.names import resolve

# Learner text that drives a terminal: erase the line, move up, forge a score, write the
# clipboard (OSC 52), reverse the text (U+202E), and lone surrogates that UTF-8 cannot hold.
EVIL = ("\x1b[2K\r\x1b[1AScore: 20/20 (passed)\x1b]52;c;cm0gLXJmIH4=\x07 \u202e "
        "\ud800 \udcff")
SHOWN = ("\\x1b[2K\\r\\x1b[1AScore: 20/20 (passed)\\x1b]52;c;cm0gLXJmIH4=\\x07 \\u202e "
         "\\ud800 \\udcff")  # how it must come out
UTF8 = {"PYTHONIOENCODING": "utf-8"}  # a UTF-8 terminal, whatever the locale of the machine


def raw_text(text):
    """Characters that must never reach a terminal or a file: any control character other than
    newline and tab, and any surrogate."""
    return [c for c in text if (not c.isprintable() and c not in "\n\t")]


def raw_in_json(data):
    """raw_text() of every string of a JSON file (JSON writes them as \\u escapes)."""
    return raw_text("".join(strings(json.loads(data))))


def evil_day3(folder):
    """A Day 3 whose relu raises EVIL (written with escapes: the file itself is plain ASCII)."""
    path = folder / "day3.py"
    path.write_text(path.read_text() + f"\n\ndef relu(z):\n    raise ValueError({EVIL!r})\n")
    assert path.read_text().isascii()


def test_learner_text_reaches_the_terminal_and_the_report_escaped(tmp_path):
    folder = compose(tmp_path / "sub", base=EXERCISES)
    evil_day3(folder)
    out = tmp_path / "out"
    done = run_graders("grade", "--day", 3, "--submission", folder, "--out", out, "--seed", 1,
                       env=UTF8)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert not raw_text(done.stdout + done.stderr)
    assert SHOWN in done.stdout
    data = (out / "day3.json").read_bytes()
    assert not raw_in_json(data)
    relu = next(t for t in json.loads(data)["tests"] if t["name"].startswith("test_relu_is"))
    assert SHOWN in relu["message"]


def test_hint_and_watch_escape_what_a_report_holds(tmp_path, capsys):
    report = {"day": 3, "score": 0, "max_score": 1, "status": "failed", "message": EVIL,
              "seed": 1, "next_task": "3.1", "submission": {"folder": str(tmp_path)},
              "tests": [{"name": "test_relu_is_max_of_zero_and_z", "task": "3.1", "points": 0,
                         "max_points": 1, "status": "failed", "visibility": "visible",
                         "message": EVIL, "hint": EVIL, "more_hints": [EVIL]}]}
    # an older kit's report (or one edited by hand) may hold raw learner text
    (tmp_path / "day3.json").write_text(json.dumps(report))
    done = run_graders("hint", "--day", 3, "--out", tmp_path, env=UTF8)
    assert done.returncode == 0, done.stderr
    assert not raw_text(done.stdout) and SHOWN in done.stdout
    watch.show(report, 3, tmp_path)
    shown = capsys.readouterr().out
    assert not raw_text(shown) and SHOWN in shown


def test_gradescope_results_hold_learner_text_escaped(tmp_path):
    report = json.loads(json.dumps({
        "day": 3, "score": 0, "max_score": 1, "status": "failed", "message": EVIL,
        "tests": [{"name": "test_relu_is_max_of_zero_and_z", "task": "3.1", "points": 0,
                   "max_points": 1, "status": "failed", "visibility": "visible",
                   "message": EVIL, "hint": "Compare with 0."}]}))
    gradescope.write(tmp_path, gradescope.build([report], resolve(["day3.py"]), "hidden",
                                                1.0, 7))
    data = (tmp_path / "results" / "results.json").read_bytes()
    assert not raw_in_json(data)
    results = json.loads(data)
    assert SHOWN in results["tests"][0]["output"] and SHOWN in results["output"]


def test_the_gradebook_and_summary_hold_learner_text_escaped_and_no_formula(tmp_path):
    row = {"score": 0, "max_score": 20, "status": "ungradable", "message": EVIL, "tests": []}
    names = [EVIL, "=HYPERLINK(\"http://x\",\"y\")", "\uff1dcmd", "alice"]
    summary = gradebook.summarize({n: {"action": "graded", "days": {1: row}} for n in names},
                                  [1])
    gradebook.write_outputs(tmp_path, summary)
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert page.endswith("</html>\n") and not raw_text(page) and SHOWN in page
    book = (tmp_path / "gradebook.csv").read_text(encoding="utf-8")
    assert not raw_text(book.replace("\r", ""))
    learners = [r["learner"] for r in csv.DictReader(io.StringIO(book))]
    assert learners == [SHOWN, "'=HYPERLINK(\"http://x\",\"y\")", "'\uff1dcmd", "alice"]
    assert not raw_in_json((tmp_path / "summary.json").read_bytes())


# -- hidden checks: no file the kit writes holds their expected values or the grader's traceback

def hidden_code_lines(day):
    """Code lines of a hidden test file (not strings: hints are shown on purpose) that no
    public test file has."""
    public = {line.strip() for p in (ROOT / "graders" / "public").glob("*.py")
              for line in p.read_text().splitlines()}
    lines = (ROOT / "graders" / "hidden" / f"test_day{day}.py").read_text().splitlines()
    return {s for s in (line.strip() for line in lines) if len(s) >= 20 and s not in public
            and not re.match(r"""(f?["']|more=|hint=|#)""", s)}


def leaks(out, secrets):
    """(file, secret) for every secret text found in a file under `out`, JSON files read as
    their strings."""
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_text(errors="replace")
        if path.suffix == ".json":
            text += "\n".join(strings(json.loads(text)))
        found += [(path.name, s[:80]) for s in secrets if s in text]
    return found


def strings(data):
    """Every string in JSON data."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [k, *strings(v)]]
    return [s for v in data for s in strings(v)] if isinstance(data, list) else []


def test_no_file_written_for_a_learner_holds_hidden_details_unless_asked_with_raw(tmp_path):
    mutants = tomllib.loads((ROOT / "tests" / "mutants" / "day3.toml").read_text())["mutant"]
    mutant = next(m for m in mutants if m["name"] == "softmax_sums_over_first_axis")
    folder = compose(tmp_path / "sub")
    day3 = folder / "day3.py"
    day3.write_text(day3.read_text().replace(mutant["old"], mutant["new"]))
    outs = {}
    for name, extra in (("plain", []), ("raw", ["--raw"])):
        outs[name] = tmp_path / name
        done = run_graders("grade", "--day", 3, "--submission", folder, "--out", outs[name],
                           "--seed", 1, *extra)
        assert done.returncode == 0, done.stderr
    raw = json.loads((outs["raw"] / "day3.raw.json").read_text())
    failed = [t for t in raw["tests"] if "/hidden/" in "/" + t["nodeid"]
              and t["outcome"] != "passed"]
    assert failed, "the mutant must fail a hidden check"
    secrets = {t["metadata"].get("message") for t in failed} - {None}  # with expected values
    secrets |= hidden_code_lines(3) | {"hidden/test_day3.py"}  # tracebacks name file and lines
    assert leaks(outs["raw"], secrets), "the secrets must be found where they are"
    assert not leaks(outs["plain"], secrets)
    assert not list(outs["plain"].glob("*.raw.json"))


# -- files written whole or not at all -----------------------------------------------------

FULL_DISK = """
import json, resource, signal, sys
from pathlib import Path
from graders import gradebook, gradescope
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
out = Path(sys.argv[1])
row = {"score": 1, "max_score": 20, "status": "partial", "message": "x" * 3000, "tests": []}
for write in (lambda: gradescope.write(out, {"score": 1, "output": "x" * 3000, "tests": []}),
              lambda: gradebook.write_outputs(out, gradebook.summarize(
                  {f"learner{n:03}": {"action": "graded", "days": {1: row}} for n in range(300)},
                  [1]))):
    try:
        write()
        print("written")
    except OSError as exc:
        print("refused", exc.errno)
"""


def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path):
    old = {tmp_path / "results" / "results.json": '{"score": 20}\n',
           tmp_path / "gradebook.csv": "learner,day1\nalice,20\n",
           tmp_path / "summary.json": '{"learner_count": 1}\n'}
    (tmp_path / "results").mkdir()
    for path, text in old.items():
        path.write_text(text)
    done = subprocess.run([sys.executable, "-B", "-c", FULL_DISK, tmp_path], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n")[:2] == ["refused 27", "refused 27"], done.stdout + done.stderr
    for path, text in old.items():
        assert path.read_text() == text, path
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no temporary file left


# -- the worker's folder ---------------------------------------------------------------------

def test_the_worker_folder_is_removed_however_deep_never_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the worker's")
    home = tmp_path / "kit-worker-x"
    deep = home
    home.mkdir()
    for _ in range(1100):  # past Python's recursion limit
        deep /= "d"
        deep.mkdir()
    (deep / "f").write_text("x")
    (home / "link").symlink_to(outside)
    (home / "also").symlink_to(outside / "keep.txt")
    (home / "locked").mkdir()
    (home / "locked" / "f").write_text("x")
    (home / "locked").chmod(0)
    try:
        worker.remove_tree(home)
        assert not home.exists()
        assert (outside / "keep.txt").read_text() == "not the worker's"
    finally:  # should it fail: pytest's own cleanup of tmp_path recurses, and would fail too
        subprocess.run(["rm", "-rf", home], check=True)
