"""`gradescope`: grade ROOT/submission with every check, write ROOT/results/results.json."""
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from graders import cli, crossday, engine, escaping, names, report, submission

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
WHEN = {"hidden": "are shown to your instructor only",
        "after_due_date": "appear after the due date",
        "after_published": "appear when grades are published",
        "visible": "are shown above"}


def add_arguments(parser, name):
    """--root, --days, --hidden-visibility (each also an environment variable), --seed."""
    env = os.environ.get
    parser.add_argument("--root", default=env("AUTOGRADER_ROOT", "/autograder"),
                        help="Gradescope's folder (env AUTOGRADER_ROOT; default /autograder)")
    parser.add_argument("--days", default=env("AUTOGRADER_DAYS", "1-7"),
                        help="days to grade: 3, 1-7 or 1,2,3 (env AUTOGRADER_DAYS; default "
                             "1-7); a day whose file was not uploaded scores 0")
    parser.add_argument("--hidden-visibility", choices=VISIBILITIES,
                        default=env("AUTOGRADER_HIDDEN_VISIBILITY", "after_published"),
                        help="when learners see hidden checks (env "
                             "AUTOGRADER_HIDDEN_VISIBILITY; default after_published)")
    seed = env("AUTOGRADER_SEED")
    parser.add_argument("--seed", type=int, default=int(seed) if (seed or "").isdigit() else None,
                        help="the course seed (env AUTOGRADER_SEED, written into run_autograder "
                             "when it is built): each day's inputs derive from it and the "
                             "uploaded files, so a regrade gives the same result")
    cli.add_sandbox(parser)


def run(args, parser):
    """Grade, write results.json; 0 when grading ran, 3 when the kit itself could not run."""
    root = Path(args.root)
    if args.hidden_visibility not in VISIBILITIES:  # a bad environment variable
        parser.error(f"hidden visibility {args.hidden_visibility!r}: choose one of "
                     + ", ".join(VISIBILITIES))
    days = cli.days(parser, args.days)
    if not (root / "submission").is_dir():
        parser.error(f"no submission folder {root / 'submission'}")
    sandbox = cli.sandbox_of(args, parser)
    seed = engine.new_seed() if args.seed is None else args.seed
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        folder = Path(tmp) / "submission"
        links = gather(root / "submission", folder)[1]
        files, choices = submission.read_files(folder), submission.choices(folder)
        try:
            reports = [crossday.grade(day, folder, Path(tmp) / "reports",
                                      engine.derive_seed(seed, submission.digest(files, day)),
                                      sandbox, batch=True, reference=True) for day in days]
        except engine.GradingError as exc:
            # The details may name hidden checks: they go to the stdout only instructors see.
            write(root, {"score": 0, "execution_time": round(time.monotonic() - start),
                         "output": "The autograder could not run. This is not your fault: "
                                   "please tell your instructor.",
                         "stdout_visibility": "hidden", "tests": []})
            print(escaping.printable(f"graders: {exc}"), file=sys.stderr)
            return 3
    results = build(reports, choices, args.hidden_visibility, time.monotonic() - start, seed,
                    links)
    write(root, results)
    print(results["output"])  # Gradescope's stdout, which only the instructor sees
    return 0


def gather(uploaded, dest):
    """Copy the uploaded day files (any name `names.day_of` knows: `Day1.py` too, and
    `dayone.py` for the message), at the top or in folders, side by side into `dest`. Links,
    to files or folders, are never followed.

    Returns ({file name: where it was found}, [the links met]); the shallowest copy of a name
    wins.
    """
    dest.mkdir()
    todo, candidates, links = [Path()], [], []
    while todo:  # no recursion: any depth of folders
        inside = todo.pop()
        try:
            with os.scandir(uploaded / inside) as entries:
                for e in entries:
                    if e.is_symlink():
                        links.append((inside / e.name).as_posix())
                    elif e.is_dir() and not e.name.startswith((".", "__")):  # __MACOSX, .git
                        todo.append(inside / e.name)
                    elif names.day_of(e.name) and e.is_file():
                        candidates.append(inside / e.name)
        except OSError:  # unreadable, or a path too long for the system
            continue
    found = {}
    for path in sorted(candidates, key=lambda p: (len(p.parts), str(p))):
        if path.name not in found:
            found[path.name] = path.as_posix()
            shutil.copyfile(uploaded / path, dest / path.name, follow_symlinks=False)
    return found, sorted(links)


def build(reports, choices, hidden_visibility, seconds, seed, links=()):
    """Gradescope's results.json from the kit's day reports and the file taken as each day's
    ({day: names.Choice}) (learner text escaped)."""
    tests = [entry(r, t, number, hidden_visibility)
             for r in reports for t, number in numbered(r["tests"])]
    tests.sort(key=lambda t: [int(n) for n in t["number"].split(".") if n.isdigit()])
    lines = [day_line(r, choices[r["day"]]) for r in reports]
    missing = [names.canonical(r["day"]) for r in reports
               if choices[r["day"]].name is None and not choices[r["day"]].others]
    notices = list(dict.fromkeys(n for r in reports for n in r.get("notices", [])))
    if notices:  # once each, though a later day's report repeats the days it imports
        lines += ["", *(f"Note: {n}" for n in notices)]
    if links:
        lines += ["", f"Not graded, because links are never followed: {', '.join(links)}. "
                      "Upload the files themselves."]
    if missing:
        lines += ["", f"Not uploaded: {', '.join(missing)} (0 points each). Upload your "
                      "dayN.py files (or dayN.ipynb notebooks) at the top level or "
                      "together in one folder."]
    hidden = sum(t["visibility"] != "visible" for t in tests)
    if hidden:
        lines += ["", f"{hidden} of the {len(tests)} checks are hidden: their results "
                      f"{WHEN[hidden_visibility]}."]
    score = round(sum(t["score"] for t in tests), 4)
    total = round(sum(t["max_score"] for t in tests), 4)
    return escaping.clean({
        "score": score, "execution_time": round(seconds),
        "output": "\n".join([f"Score: {score:g}/{total:g} (course seed {seed})", *lines]),
        "stdout_visibility": "hidden", "tests": tests})


def numbered(tests):
    """Each test with its number: the task, then its place within the task (3.2.1, 3.2.2)."""
    seen = {}
    for t in tests:
        seen[t["task"]] = seen.get(t["task"], 0) + 1
        yield t, f"{t['task']}.{seen[t['task']]}"


def entry(r, t, number, hidden_visibility):
    """One Gradescope test from one check of a day report."""
    passed = t["status"] == "passed"
    hint = "" if passed or r["status"] in report.BLOCKING or not t["hint"] \
        else f"\nHint: {t['hint']}"
    return {"name": f"{report.about(t['name'])} ({report.task_title(t['task'])})",
            "number": number,
            "score": t["points"],
            "max_score": t["max_points"],
            "status": "passed" if passed else "failed",
            "output": "" if passed else t["message"] + hint,
            "visibility": hidden_visibility if t["visibility"] == "hidden" else "visible"}


def day_line(r, choice):
    """Day 3: 18/20 (partial) Next: Task 3.3 cross_entropy."""
    head = f"Day {r['day']}: {r['score']:g}/{r['max_score']:g} ({r['status']}, seed {r.get('seed')})"
    if choice.name is None:
        return f"{head} {choice.missing(f'{choice.canonical} was not uploaded')}"
    return f"{head} {r['message']}".rstrip()




def write(root, results):
    """ROOT/results/results.json, atomically."""
    engine.write_json(root / "results" / "results.json", results)
