"""`grade-class`: grade every learner of a folder in parallel; reports, gradebook, class summary.

Each learner is graded in a subprocess of its own (`python -m graders.classroom ...`), which is
killed with all its workers when the learner's wall-clock budget runs out.
"""
import csv
import html
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path, PurePosixPath

from graders import engine, report, worker

KIT = Path(__file__).resolve().parents[1]
DAY_FILE = re.compile(r"day[1-7]\.py")
MAX_UNPACKED = 50 << 20  # bytes a learner's zip may unpack to
MAX_RATIO = 100  # unpacked / packed size of one entry beyond which it is a zip bomb
MAX_ENTRIES = 2000
OUTPUTS = ("gradebook.csv", "summary.json", "summary.html", "summary.png")
PROBLEMS = ("ungradable", "timeout", "policy_violation", "error")
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


class Refused(Exception):
    """A learner's entry that cannot be graded at all (a hostile or broken zip, a clash)."""


def add_arguments(parser, name):
    """The options of `grade-class`."""
    parser.add_argument("--submissions", required=True,
                        help="folder holding one folder or .zip per learner")
    parser.add_argument("--out", default="reports", help="folder for reports, gradebook, summary")
    parser.add_argument("--days", default="1-7", help="days to grade: 1-7, 3 or 1,3,5")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="learners graded at once (default: the number of cores)")
    parser.add_argument("--budget", type=float, default=300,
                        help="wall-clock seconds per learner, all days together (default 300)")
    parser.add_argument("--seed", type=int, help="seed of the random inputs (default: random)")
    parser.add_argument("--force", action="store_true",
                        help="regrade learners whose reports are up to date")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "process"),
                        help="where learner code runs (auto: bubblewrap where it works)")


def run(args, parser):
    """Grade the class; 0 when the batch ran, 3 when the kit itself failed on some learner."""
    root = Path(args.submissions)
    if not root.is_dir():
        parser.error(f"no submissions folder {root}")
    days = parse_days(parser, args.days)
    if args.jobs < 1 or args.budget <= 0:
        parser.error("--jobs and --budget must be positive")
    out = Path(args.out).resolve()
    learners = find_learners(root, out)
    if not learners:
        parser.error(f"no learners in {root}: expected one folder or .zip per learner")
    try:
        sandbox = worker.choose_sandbox(args.sandbox)
    except RuntimeError as exc:
        parser.error(str(exc))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kit-class-") as work:
        batch = Batch(args, days, out, Path(work), sandbox)
        try:
            results = batch.grade_all(learners)
        except KeyboardInterrupt:
            print("graders: stopped; run the same command again to resume", file=sys.stderr)
            return 130
    summary = summarize(results, days)
    write_outputs(out, summary)
    counts = {a: sum(r["action"] == a for r in results.values())
              for a in ("graded", "skipped", "refused")}
    print(f"Graded {counts['graded']}, skipped {counts['skipped']} (up to date), "
          f"refused {counts['refused']}.")
    print(f"Gradebook: {out / 'gradebook.csv'}\nSummary: {out / 'summary.html'}")
    errors = [p for p in summary["problems"] if p["status"] == "error"]
    if errors:
        print(f"graders: the kit could not grade {len(errors)} learner-day(s), e.g. "
              f"{printable(errors[0]['learner'])}: {errors[0]['message']}", file=sys.stderr)
        return 3
    return 0


def parse_days(parser, text):
    """'1-7' -> [1, ..., 7], '1,3' -> [1, 3], '4' -> [4]; anything else is a usage error."""
    days = set()
    try:
        for part in text.split(","):
            first, dash, last = part.partition("-")
            lo, hi = int(first), int(last if dash else first)
            if not min(engine.DAYS) <= lo <= hi <= max(engine.DAYS):
                raise ValueError
            days.update(range(lo, hi + 1))
    except ValueError:
        parser.error(f"bad --days {text!r}: give days from 1 to 7, like 1-7, 3 or 1,3,5")
    return sorted(days)


def find_learners(root, out):
    """{learner id: [its entries]} for the folders and .zip files of `root`, in name order."""
    found = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.resolve() == out:
            continue
        if entry.is_dir():
            found.setdefault(entry.name, []).append(entry)
        elif entry.suffix.lower() == ".zip":
            found.setdefault(entry.stem, []).append(entry)
        else:
            print(f"graders: ignored {printable(entry.name)}: not a folder or a .zip",
                  file=sys.stderr)
    return found


class Batch:
    """One run of grade-class: the options, and the learner processes running now."""

    def __init__(self, args, days, out, work, sandbox):
        self.args, self.days, self.out, self.work, self.sandbox = args, days, out, work, sandbox
        self.lock = threading.Lock()
        self.procs = {}  # learner id -> its running grading process
        self.running = []  # learner ids shown on the bar
        self.stopping = False
        self.bar = self.task = None

    def grade_all(self, learners):
        """{learner id: {"action", "days": {day: row}}}, grading `args.jobs` learners at once."""
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                   TextColumn)
        from rich.text import Text
        results = {}
        columns = (SpinnerColumn(), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[left]} left ·"),
                   TextColumn("{task.description}", markup=False))
        with Progress(*columns) as self.bar:
            self.task = self.bar.add_task("", total=len(learners), left="-:--")
            pool = ThreadPoolExecutor(self.args.jobs)
            try:
                jobs = {pool.submit(self.grade_safely, name, entries): name
                        for name, entries in learners.items()}
                for job in as_completed(jobs):
                    name = jobs[job]
                    results[name] = job.result()
                    self.bar.advance(self.task)
                    self.bar.update(self.task, left=time_left(self.bar.tasks[0]))
                    self.bar.console.print(Text(line_of(name, results[name])), soft_wrap=True)
            except KeyboardInterrupt:
                self.stop_all()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown()
        return dict(sorted(results.items()))

    def grade_safely(self, name, entries):
        """grade(), with any failure of the kit recorded as an `error` of this learner only."""
        try:
            return self.grade(name, entries)
        except Exception as exc:  # noqa: BLE001 - one learner must never stop the batch
            return {"action": "graded", "days": {d: problem("error", f"{type(exc).__name__}: "
                                                            f"{exc}") for d in self.days}}

    def grade(self, name, entries):
        """One learner: unpack, skip what is up to date, grade the rest within the budget."""
        out = self.out / name
        try:
            folder = self.folder_of(name, entries)
        except Refused as exc:
            clear(out, self.days)
            return {"action": "refused", "days": {d: problem("ungradable", str(exc))
                                                  for d in self.days}}
        budget = self.args.budget
        todo = [d for d in self.days if self.args.force or earlier(folder, out, d, budget) is None]
        code, said = None, ""
        if todo:
            clear(out, todo)
            code, said = self.run_learner(name, folder, out, todo)
            for day in todo:
                if code is None and earlier(folder, out, day, budget) is None:
                    write_timeout(folder, out, day, budget)
        rows = {}
        for day in self.days:
            rows[day] = earlier(folder, out, day, budget) or problem(
                "error", said or f"the grading process ended with exit code {code}")
        return {"action": "graded" if todo else "skipped", "days": rows}

    def folder_of(self, name, entries):
        """The folder to grade: the learner's own, or its zip unpacked into the work folder."""
        if name in OUTPUTS:
            raise Refused(f"the name {name!r} is taken by the class outputs: rename it")
        if len(entries) > 1:
            raise Refused(f"{' and '.join(e.name for e in entries)} are both named "
                          f"{name!r}: keep one")
        entry = entries[0]
        if entry.is_dir():
            return entry.resolve()
        dest = Path(tempfile.mkdtemp(dir=self.work)) / "submission"
        unpack(entry, dest)
        return dest

    def run_learner(self, name, folder, out, days):
        """Grade `days` in a subprocess; (exit code or None on timeout, its last stderr line)."""
        cmd = [sys.executable, "-m", "graders.classroom", str(folder), str(out), self.sandbox,
               "" if self.args.seed is None else str(self.args.seed), *map(str, days)]
        # stderr goes to a file: a pipe could be held open by a process that escaped
        with tempfile.TemporaryFile("w+", dir=self.work) as err:
            with self.lock:
                if self.stopping:
                    return 130, "stopped"
                proc = self.procs[name] = subprocess.Popen(
                    cmd, cwd=KIT, env=ENV, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=err)
                self.running.append(printable(name))
                self.bar.update(self.task, description=", ".join(self.running))
            try:
                proc.wait(timeout=self.args.budget)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                kill_tree(proc.pid)
                proc.wait()
                code = None
            with self.lock:
                del self.procs[name]
                self.running.remove(printable(name))
                self.bar.update(self.task, description=", ".join(self.running))
            err.seek(0)
            last = (err.read().strip().splitlines() or [""])[-1]
        return code, last.removeprefix("graders: ")[:500]

    def stop_all(self):
        """Kill every learner process still running (after Ctrl-C)."""
        with self.lock:
            self.stopping = True
            for proc in self.procs.values():
                kill_tree(proc.pid)


def unpack(archive, dest):
    """Check a learner's zip and unpack its day files into `dest`; Refused says what is wrong."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = z.infolist()
            check_zip(archive.name, infos)
            root = day_root(archive.name, infos)
            dest.mkdir(parents=True)
            for info in infos:
                path = PurePosixPath(info.filename.replace("\\", "/"))
                if path.parent == root and DAY_FILE.fullmatch(path.name) and not info.is_dir():
                    (dest / path.name).write_bytes(z.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            OSError, EOFError, ValueError) as exc:
        raise Refused(f"{archive.name} is not a zip file that can be read ({exc})") from None


def check_zip(name, infos):
    """Refused for paths outside the folder, links, and an absurd unpacked size."""
    if len(infos) > MAX_ENTRIES:
        raise Refused(f"{name} holds {len(infos)} files; at most {MAX_ENTRIES} are accepted")
    for info in infos:
        path = info.filename.replace("\\", "/")
        if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in path.split("/"):
            raise Refused(f"{name} holds a path outside its folder: {path[:100]!r}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise Refused(f"{name} holds a link, which is not accepted: {path[:100]!r}")
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * info.compress_size:
            raise Refused(f"{name} looks like a zip bomb: {path[:100]!r} unpacks "
                          f"{info.file_size // max(info.compress_size, 1)} times larger")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise Refused(f"{name} unpacks to {total >> 20} MB; at most {MAX_UNPACKED >> 20} MB "
                      "are accepted")


def day_root(name, infos):
    """The folder of the zip holding the day files: its top, or the one folder holding them."""
    folders = {PurePosixPath(i.filename.replace("\\", "/")).parent for i in infos
               if DAY_FILE.fullmatch(PurePosixPath(i.filename.replace("\\", "/")).name)}
    top = PurePosixPath(".")
    if top in folders or not folders:
        return top
    if len(folders) > 1:
        raise Refused(f"{name} holds day files in more than one folder: "
                      + ", ".join(sorted(f"{f}/" for f in folders))[:200])
    return folders.pop()


def earlier(folder, out, day, budget):
    """The row of `day` from an earlier run when still valid (same files and kit), or None."""
    files = report.hashes(folder, day)
    r = load(out / f"day{day}.json")
    if r.get("kit_version") == report.KIT_VERSION and \
            (r.get("submission") or {}).get("files") == files:
        return {k: r.get(k) for k in ("score", "max_score", "status", "message", "tests")}
    t = load(out / f"day{day}.timeout.json")
    if t.get("kit_version") == report.KIT_VERSION and t.get("files") == files and \
            t.get("budget_s", 0) >= budget:
        return problem("timeout", t.get("message", ""))
    return None


def write_timeout(folder, out, day, budget):
    """Remember that `day` was not reached within the budget, so a rerun does not retry it."""
    out.mkdir(parents=True, exist_ok=True)
    record = {"kit_version": report.KIT_VERSION, "files": report.hashes(folder, day),
              "budget_s": budget, "message": f"not graded: the learner's budget of "
                                               f"{budget:g} s ran out first"}
    (out / f"day{day}.timeout.json").write_text(json.dumps(record, indent=2) + "\n")


def clear(out, days):
    """Remove the earlier outputs of `days`, so that none of them outlives a regrade."""
    for day in days:
        for suffix in ("json", "raw.json", "timeout.json"):
            (out / f"day{day}.{suffix}").unlink(missing_ok=True)


def load(path):
    """A JSON object from `path`, or {} when it is missing or broken."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def problem(status, message):
    """The row of a day that has no report."""
    return {"score": 0, "max_score": None, "status": status, "message": message, "tests": []}


def kill_tree(pid):
    """SIGKILL a process and every descendant (workers run in sessions of their own).

    Stop them all first, so that none can fork while the tree is collected."""
    tree = {pid}
    while True:
        for p in tree:
            signal_quietly(p, signal.SIGSTOP)
        grown = tree | {p for p, parent in parents().items() if parent in tree}
        if grown == tree:
            break
        tree = grown
    for p in tree:
        signal_quietly(p, signal.SIGKILL)


def parents():
    """{pid: parent pid} of every process we can see."""
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return {}
    return {int(p): int(parent) for p in pids if (parent := worker.parent_of(p))}


def signal_quietly(pid, sig):
    """os.kill, for a process that may be gone already."""
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def printable(text):
    """Learner-controlled text made safe for a terminal."""
    return "".join(c if c.isprintable() else "?" for c in text)


def line_of(name, result):
    """One terminal line per learner: action, total, and the days that need a look."""
    rows = result["days"]
    total = fmt(sum(r["score"] for r in rows.values()))
    notes = [f"day{d} {r['status']}" for d, r in rows.items() if r["status"] in PROBLEMS]
    if result["action"] == "refused":
        notes = [next(iter(rows.values()))["message"]]
    return printable(f"{result['action']:<8} {name}  {total} points  {'; '.join(notes)}")


def time_left(task):
    """The time left at the class's average pace so far, as m:ss."""
    left = round(task.elapsed * (task.total - task.completed) / task.completed)
    return f"{left // 60}:{left % 60:02d}"


def fmt(x):
    """20.0 -> 20; 20.5 -> 20.5."""
    return int(x) if float(x).is_integer() else round(x, 2)


def summarize(results, days):
    """The class summary: every learner's rows, per-day statistics, tests, problems."""
    maxima = {d: max((r["days"][d]["max_score"] or 0 for r in results.values()), default=0)
              for d in days}
    learners, problems, tests = {}, [], {}
    for name, result in results.items():
        rows = {}
        for day, row in result["days"].items():
            rows[str(day)] = {"score": row["score"], "max_score": row["max_score"] or maxima[day],
                              "status": row["status"], "message": row["message"]}
            if row["status"] in PROBLEMS:
                problems.append({"learner": name, "day": day, "status": row["status"],
                                 "message": row["message"]})
            for t in row["tests"]:
                entry = tests.setdefault((day, t["name"]), {
                    "day": day, "name": t["name"], "task": t["task"], "hint": t["hint"],
                    "visibility": t["visibility"], "passed": 0, "graded": 0})
                entry["passed"] += t["status"] == "passed"
                entry["graded"] += 1
        learners[name] = {"total": sum(r["score"] for r in rows.values()), "days": rows}
    order = {key: i for i, key in enumerate(tests)}  # file order breaks ties
    for entry in tests.values():
        entry["pass_rate"] = round(entry["passed"] / entry["graded"], 4)
    per_day = []
    for day in days:
        scores = [learners[n]["days"][str(day)]["score"] for n in learners]
        statuses = [learners[n]["days"][str(day)]["status"] for n in learners]
        per_day.append({"day": day, "max_score": maxima[day], "scores": scores,
                        "mean": round(statistics.mean(scores), 2),
                        "median": statistics.median(scores),
                        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))}})
    return {"kit_version": report.KIT_VERSION, "days": days, "learner_count": len(learners),
            "max_total": sum(maxima.values()), "per_day": per_day,
            "tests": sorted(tests.values(), key=lambda t: (t["pass_rate"],
                                                           order[(t["day"], t["name"])])),
            "problems": problems, "learners": learners}


def write_outputs(out, summary):
    """gradebook.csv, summary.json, summary.png and summary.html in `out`."""
    days = summary["days"]
    with open(out / "gradebook.csv", "w", newline="") as f:
        book = csv.writer(f)
        book.writerow(["learner", *(f"day{d}" for d in days), "total",
                       *(f"day{d}_status" for d in days)])
        for name, learner in summary["learners"].items():
            rows = [learner["days"][str(d)] for d in days]
            book.writerow([cell(name), *(fmt(r["score"]) for r in rows), fmt(learner["total"]),
                           *(r["status"] for r in rows)])
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    chart(out / "summary.png", summary["per_day"])
    (out / "summary.html").write_text(page(summary))


def cell(text):
    """A learner id for a spreadsheet: never read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def chart(path, per_day):
    """The score distribution of every day (percent of the day's maximum) as a PNG."""
    import numpy as np
    from matplotlib.figure import Figure  # no pyplot: the Agg canvas, no display needed
    fig = Figure(figsize=(2 + 1.1 * len(per_day), 3.6), layout="constrained")
    ax = fig.add_subplot()
    jitter = np.random.default_rng(0)
    for i, day in enumerate(per_day, 1):
        if not day["max_score"]:
            continue
        pct = [100 * s / day["max_score"] for s in day["scores"]]
        ax.boxplot([pct], positions=[i], widths=0.5, showfliers=False)
        ax.scatter(i + jitter.uniform(-0.15, 0.15, len(pct)), pct, s=14, alpha=0.6)
    ax.set_xticks(range(1, len(per_day) + 1), [f"Day {d['day']}" for d in per_day])
    ax.set_xlim(0.4, len(per_day) + 0.6)
    ax.set_ylim(-5, 105)
    ax.set_ylabel("score (% of the day's points)")
    ax.set_title("Scores per day")
    fig.savefig(path, dpi=100)


def page(summary):
    """summary.html: one static page, every learner-controlled text escaped."""
    day_rows = "".join(tr(f"Day {d['day']}", fmt(d["max_score"]), d["mean"], fmt(d["median"]),
                          ", ".join(f"{k} {v}" for k, v in d["statuses"].items()))
                       for d in summary["per_day"])
    test_rows = "".join(tr(f"{round(100 * t['pass_rate'])}%", f"{t['passed']}/{t['graded']}",
                           report.task_title(t["task"]),
                           t["name"] + (" (hidden)" if t["visibility"] == "hidden" else ""),
                           t["hint"]) for t in summary["tests"])
    problem_rows = "".join(tr(p["learner"], p["day"], p["status"], p["message"])
                           for p in summary["problems"])
    problems = (f"<table><tr><th>Learner</th><th>Day</th><th>Status</th><th>Why</th></tr>"
                f"{problem_rows}</table>" if problem_rows else "<p>None.</p>")
    days = ", ".join(str(d) for d in summary["days"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class summary</title>
<style>
body {{ font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ text-align: left; padding: .25em .7em; border-bottom: 1px solid #ddd;
          vertical-align: top; }}
</style></head><body>
<h1>Class summary</h1>
<p>{summary['learner_count']} learners, days {days}, kit {html.escape(summary['kit_version'])}.
The gradebook is <a href="gradebook.csv">gradebook.csv</a>; every learner's reports are in
the folder named after them.</p>
<h2>Scores per day</h2>
<img src="summary.png" alt="Score distribution per day">
<table><tr><th>Day</th><th>Max</th><th>Mean</th><th>Median</th><th>Statuses</th></tr>
{day_rows}</table>
<h2>Checks, hardest first</h2>
<p>The share of the learners graded on a day who passed each check.</p>
<table><tr><th>Pass rate</th><th>Passed</th><th>Task</th><th>Check</th><th>Hint</th></tr>
{test_rows}</table>
<h2>Learners whose days could not be graded</h2>
<p>Days that are <code>ungradable</code>, <code>timeout</code>,
<code>policy_violation</code> or <code>error</code> (the kit failed).</p>
{problems}
</body></html>
"""


def tr(*cells):
    """One HTML table row; every cell is escaped."""
    return "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>\n"


def grade_learner(argv):
    """The learner process: FOLDER OUT SANDBOX SEED DAY...; one report per day."""
    folder, out, sandbox, seed, *days = argv
    for day in days:
        try:
            engine.grade(int(day), folder, out, int(seed) if seed else None, sandbox,
                         batch=True)
        except engine.GradingError as exc:
            print(f"graders: {exc}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(grade_learner(sys.argv[1:]))
