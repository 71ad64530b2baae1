"""`grade-class`: grade every learner of a folder in parallel, within a budget each, resuming
what an earlier run already graded; then the gradebook and the class summary.

Each learner is graded in a subprocess of its own (`python -m graders.classroom ...`), which is
killed with all its workers when the learner's wall-clock budget runs out.
"""
import os
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from graders import (cli, crossday, engine, escaping, feedback, gradebook, intake, limits,
                     processes, render, submission)

KIT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


def add_arguments(parser, name):
    """The options of `grade-class`."""
    parser.add_argument("--submissions", required=True,
                        help="folder holding one folder or .zip per learner")
    parser.add_argument("--out", default="reports", help="folder for reports, gradebook, summary")
    parser.add_argument("--days", default="1-7", help="days to grade: 1-7, 3 or 1,3,5")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="learners graded at once (default: the number of cores)")
    parser.add_argument("--budget", type=float, default=limits.LEARNER_BUDGET_S,
                        help="wall-clock seconds per learner, all days together (default "
                             f"{limits.LEARNER_BUDGET_S})")
    parser.add_argument("--seed", type=int,
                        help="the course seed: each learner's inputs derive from it and their "
                             "files (default: the one kept in OUT/course.json, else a new one)")
    parser.add_argument("--force", action="store_true",
                        help="regrade learners whose reports are up to date")
    cli.add_sandbox(parser)


def run(args, parser):
    """Grade the class; 0 when the batch ran, 3 when the kit itself failed on some learner."""
    root = Path(args.submissions)
    if not root.is_dir():
        parser.error(f"no submissions folder {root}")
    days = cli.days(parser, args.days)
    if args.jobs < 1 or args.budget <= 0:
        parser.error("--jobs and --budget must be positive")
    out = Path(args.out).resolve()
    learners = intake.find_learners(root, out)
    if not learners:
        parser.error(f"no learners in {root}: expected one folder or .zip per learner")
    sandbox = cli.sandbox_of(args, parser)
    out.mkdir(parents=True, exist_ok=True)
    course = course_seed(out, args.seed)
    with tempfile.TemporaryDirectory(prefix="kit-class-") as work:
        batch = Batch(args, days, out, Path(work), sandbox, course)
        try:
            results = batch.grade_all(learners)
        except KeyboardInterrupt:
            print("graders: stopped; run the same command again to resume", file=sys.stderr)
            return 130
    summary = gradebook.summarize(results, days, course, engine.kit_version())
    gradebook.write_outputs(out, summary)
    feedback.write(out, summary, results, taken=gradebook.OUTPUTS)
    counts = {a: sum(r["action"] == a for r in results.values())
              for a in ("graded", "skipped", "refused")}
    print(f"Graded {counts['graded']}, skipped {counts['skipped']} (up to date), "
          f"refused {counts['refused']}.")
    print(f"Gradebook: {out / 'gradebook.csv'}\nSummary: {out / 'summary.html'}\n"
          f"Feedback: {out / '<learner>' / feedback.NAME}")
    errors = [p for p in summary["problems"] if p["status"] == "error" and not p["check"]]
    if errors:
        print(escaping.printable(f"graders: the kit could not grade "
                                 f"{sum(len(p['days']) for p in errors)} learner-day(s), "
                                 f"e.g. {errors[0]['learner']}: {errors[0]['message']}"),
              file=sys.stderr)
        return 3
    return 0


class Batch:
    """One run of grade-class: the options, and the learner processes running now."""

    def __init__(self, args, days, out, work, sandbox, course):
        self.args, self.days, self.out, self.work, self.sandbox = args, days, out, work, sandbox
        self.key = {"course_seed": course, "sandbox": sandbox,
                    "kit_version": engine.kit_version()}  # what a kept report must match
        self.lock = threading.Lock()
        self.procs = {}  # learner id -> its running grading process
        self.running = []  # learner ids shown on the bar
        self.stopping = False
        self.bar = self.task = None

    def grade_all(self, learners):
        """{learner id: {"action", "days": {day: row}}} in gradebook order: first what is
        already decided (refused, up to date), then the rest, `args.jobs` learners at once.
        The bar counts only the learners left to grade, and its time left their pace."""
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                   TextColumn)
        from rich.text import Text
        results, todo = {}, {}
        columns = (SpinnerColumn(), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[left]} left ·"),
                   TextColumn("{task.description}", markup=False))
        with Progress(*columns) as self.bar:
            for name, entries in learners.items():
                planned = self.safely(self.plan, name, entries)
                if isinstance(planned, tuple):
                    todo[name] = planned
                else:
                    results[name] = planned
                    self.bar.console.print(Text(line_of(name, planned)), soft_wrap=True)
            self.task = self.bar.add_task("", total=len(todo), left="-:--")
            pool = ThreadPoolExecutor(self.args.jobs)
            try:
                jobs = {pool.submit(self.safely, self.grade, name, *work): name
                        for name, work in todo.items()}
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
        return {name: results[name] for name in sorted(results, key=gradebook.learner_order)}

    def safely(self, step, name, *args):
        """step(name, *args), any failure of the kit recorded as an `error` of this learner."""
        try:
            return step(name, *args)
        except Exception as exc:  # noqa: BLE001 - one learner must never stop the batch
            return {"action": "graded", "days": {d: problem("error", f"{type(exc).__name__}: "
                                                            f"{exc}") for d in self.days}}

    def plan(self, name, entries):
        """The result of a learner already decided: refused (a bad entry, or no day file at
        all) or every day up to date; else (its folder, the days to grade)."""
        out, empty = self.out / name, False
        try:
            folder = intake.folder_of(name, entries, self.work, taken=gradebook.OUTPUTS)
            if empty := not any(c.name or c.others for c in submission.choices(folder).values()):
                raise intake.Refused(f"{name} holds no day file (day1.py to day7.py): nothing "
                                     "to grade")
        except intake.Refused as exc:
            clear(out, self.days)
            return {"action": "refused", "days": {d: dict(problem("ungradable", str(exc)),
                                                          missing=empty) for d in self.days}}
        todo = [d for d in self.days if self.args.force or
                earlier(folder, out, d, self.args.budget, self.key) is None]
        return (folder, todo) if todo else {"action": "skipped",
                                            "days": self.rows(folder, out, None, "")}

    def grade(self, name, folder, todo):
        """Grade one learner's `todo` days within the budget; every day's row."""
        out = self.out / name
        clear(out, todo)
        code, said = self.run_learner(name, folder, out, todo)
        for day in todo:
            if code is None and earlier(folder, out, day, self.args.budget, self.key) is None:
                write_timeout(folder, out, day, self.args.budget, self.key)
        return {"action": "graded", "days": self.rows(folder, out, code, said)}

    def rows(self, folder, out, code, said):
        """{day: row} from the reports in `out`; a day without one is the kit's `error`. A
        row whose day file is missing says so (`missing`), for the summary."""
        files, refused = submission.scan(folder)[:2]
        return {day: dict(earlier(folder, out, day, self.args.budget, self.key) or problem(
            "error", said or f"the grading process ended with exit code {code}",
            seed_of(folder, day, self.key["course_seed"])[1]),
            missing=f"day{day}.py" not in files | refused) for day in self.days}

    def run_learner(self, name, folder, out, days):
        """Grade `days` in a subprocess; (exit code or None on timeout, its last stderr line)."""
        cmd = [sys.executable, "-m", "graders.classroom", str(folder), str(out), self.sandbox,
               str(self.key["course_seed"]), *map(str, days)]
        # stderr goes to a file: a pipe could be held open by a process that escaped
        with tempfile.TemporaryFile("w+", dir=self.work) as err:
            with self.lock:
                if self.stopping:
                    return 130, "stopped"
                proc = self.procs[name] = subprocess.Popen(
                    cmd, cwd=KIT, env=ENV, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=err)
                self.running.append(escaping.printable(name))
                self.bar.update(self.task, description=", ".join(self.running))
            try:
                proc.wait(timeout=self.args.budget)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                processes.kill_tree(proc.pid)
                proc.wait()
                code = None
            with self.lock:
                del self.procs[name]
                self.running.remove(escaping.printable(name))
                self.bar.update(self.task, description=", ".join(self.running))
            err.seek(0)
            last = (err.read().strip().splitlines() or [""])[-1]
        return code, last.removeprefix("graders: ")[:500]

    def stop_all(self):
        """Kill every learner process still running (after Ctrl-C)."""
        with self.lock:
            self.stopping = True
            for proc in self.procs.values():
                processes.kill_tree(proc.pid)


# -- resuming: what an earlier run graded stays while the files and the kit are the same -------

def course_seed(out, given):
    """The course seed: the one given, else the one kept in OUT/course.json, else a new one;
    kept in OUT/course.json so that the next run derives the same seeds."""
    kept = engine.load_report(out / "course.json").get("course_seed")
    seed = given if given is not None else kept if isinstance(kept, int) else engine.new_seed()
    if seed != kept:
        engine.write_json(out / "course.json", {"course_seed": seed})
    return seed


def seed_of(folder, day, course):
    """(sha256 of the files `day` grades, the seed they get from the course seed)."""
    files = submission.digest(submission.read_files(folder), day)
    return files, engine.derive_seed(course, files)


def earlier(folder, out, day, budget, key):
    """The row of `day` from an earlier run when still valid (the same files, seed, sandbox and
    kit), or None."""
    files, seed = seed_of(folder, day, key["course_seed"])
    r = engine.load_report(out / f"day{day}.json")
    if (r.get("submission") or {}).get("files") == files and r.get("seed") == seed and \
            r.get("sandbox") == key["sandbox"] and r.get("kit_version") == key["kit_version"]:
        return {k: r.get(k) for k in ("score", "max_score", "status", "message", "tests", "seed")}
    t = engine.load_report(out / f"day{day}.timeout.json")
    if t.get("files") == files and t.get("key") == key and t.get("budget_s", 0) >= budget:
        return problem("timeout", t.get("message", ""), seed)
    return None


def write_timeout(folder, out, day, budget, key):
    """Remember that `day` was not reached within the budget, so a rerun does not retry it."""
    files, _ = seed_of(folder, day, key["course_seed"])
    engine.write_json(out / f"day{day}.timeout.json", {
        "key": key, "files": files, "budget_s": budget,
        "message": f"not graded: the learner's budget of {budget:g} s ran out first"})


def clear(out, days):
    """Remove the earlier outputs of `days`, so that none of them outlives a regrade."""
    for day in days:
        for suffix in ("json", "raw.json", "timeout.json"):
            (out / f"day{day}.{suffix}").unlink(missing_ok=True)


def problem(status, message, seed=None):
    """The row of a day that has no report."""
    return {"score": 0, "max_score": None, "status": status, "message": message, "tests": [],
            "seed": seed}


def line_of(name, result):
    """One terminal line per learner: action, total, and the days that need a look."""
    rows = result["days"]
    total = render.points(sum(r["score"] for r in rows.values()))
    notes = [f"day{d} {r['status']}" + "".join(f", {n} check(s) {s}" for s, n in
                                               gradebook.stopped(r).items())
             for d, r in rows.items() if r["status"] in gradebook.PROBLEMS or gradebook.stopped(r)]
    if result["action"] == "refused":
        notes = [next(iter(rows.values()))["message"]]
    return escaping.printable(f"{result['action']:<8} {name}  {total} points  {'; '.join(notes)}")


def time_left(task):
    """The time left at the class's average pace so far, as m:ss."""
    left = round(task.elapsed * (task.total - task.completed) / task.completed)
    return f"{left // 60}:{left % 60:02d}"


def grade_learner(argv):
    """The learner process: FOLDER OUT SANDBOX COURSE_SEED DAY...; one report per day, each
    with the seed its files derive from the course seed."""
    folder, out, sandbox, course, *days = argv
    for day in map(int, days):
        try:
            crossday.grade(day, folder, out, seed_of(folder, day, int(course))[1], sandbox,
                           batch=True, reference=True)
        except engine.GradingError as exc:
            print(escaping.printable(f"graders: {exc}"), file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(grade_learner(sys.argv[1:]))
