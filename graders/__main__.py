"""Command line: `python -m graders grade --day N --submission DIR --out DIR` and `progress`."""
import argparse
import importlib
import importlib.util
import json
import sys
from pathlib import Path

from graders import engine, report, worker


class Parser(argparse.ArgumentParser):
    """Usage errors are one line and exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message}\n")


# Commands that live in modules of their own: name -> (module, help).
MODULES = {
    "grade-class": ("graders.classroom", "grade a whole class in parallel: gradebook, summary"),
    "student-kit": ("graders.package", "write dist/student-kit/ and dist/student-kit.zip"),
    "autograder": ("graders.package", "write dist/autograder.zip for Gradescope"),
    "gradescope": ("graders.gradescope", "grade /autograder/submission into results.json"),
    "watch": ("graders.watch", "re-grade a day every time its file is saved"),
    "hint": ("graders.hints", "the next, more explicit hint for the first failing check"),
}


def main(argv=None):
    parser = Parser(prog="graders", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    g = sub.add_parser("grade", help="grade one day, or every day when --day is left out")
    g.add_argument("--day", help="1 to 7; leave out to grade every day")
    g.add_argument("--submission", default="exercises", help="folder holding dayN.py files")
    g.add_argument("--out", default="reports", help="folder for the JSON reports")
    g.add_argument("--seed", type=int, help="seed of the random inputs (default: random)")
    g.add_argument("--strict", action="store_true", help="exit 1 unless the score is full")
    add_sandbox(g)
    p = sub.add_parser("progress", help="show all seven days from the latest reports")
    p.add_argument("--out", default="reports", help="folder of the JSON reports")
    for name, (module, text) in MODULES.items():
        if importlib.util.find_spec(module):
            importlib.import_module(module).add_arguments(sub.add_parser(name, help=text), name)
    args = parser.parse_args(argv)
    if args.command == "progress":
        show_progress(Path(args.out))
        return 0
    if args.command in MODULES:
        return importlib.import_module(MODULES[args.command][0]).run(args, parser)
    days = list(engine.DAYS) if args.day in (None, "") else [parse_day(parser, args.day)]
    folder = Path(args.submission)
    if not folder.is_dir():
        parser.error(f"no submission folder {folder}")
    sandbox = sandbox_of(args, parser)
    full = True
    for day in days:
        try:
            result = engine.grade(day, folder, args.out, args.seed, sandbox)
        except engine.GradingError as exc:
            print(f"graders: {exc}", file=sys.stderr)
            return 3
        print(engine.render(result, Path(args.out) / f"day{day}.json"))
        print()
        full &= result["score"] == result["max_score"]
    if len(days) > 1:
        show_progress(Path(args.out))
    return 1 if args.strict and not full else 0


def add_sandbox(parser):
    """The --sandbox option, shared by every command that grades."""
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "process"),
                        help="where learner code runs (auto: bubblewrap where it works)")


def sandbox_of(args, parser):
    """The sandbox to use, or a usage error when the requested one cannot run."""
    try:
        return worker.choose_sandbox(args.sandbox)
    except RuntimeError as exc:
        parser.error(str(exc))


def parse_day(parser, text):
    """'3' -> 3; anything else is a usage error."""
    if not text.isdigit() or int(text) not in engine.DAYS:
        parser.error(f"unknown day {text!r}: choose a day from 1 to 7")
    return int(text)


def progress_rows(out):
    """(day, score, status, next) of all seven days from the reports in `out`."""
    rows = []
    for day in engine.DAYS:
        try:
            r = json.loads((out / f"day{day}.json").read_text())
            score = f"{r['score']:g}/{r['max_score']:g}"
        except (OSError, ValueError, KeyError, TypeError):
            rows.append((f"Day {day}", "-", "not graded", f"make grade DAY={day}"))
            continue
        nxt = report.task_title(r["next_task"]) if r.get("next_task") else "done"
        rows.append((f"Day {day}", score, r.get("status", "?"), nxt))
    return rows


def progress(out):
    """A plain-text table of all seven days from the reports in `out`."""
    rows = [("Day", "Score", "Status", "Next")] + progress_rows(out)
    return "\n".join(f"{d:<7}{s:>9}  {st:<17}{n}" for d, s, st, n in rows)


def show_progress(out):
    """The progress table: with colours on a terminal, plain text otherwise."""
    if not sys.stdout.isatty():
        print(progress(out))
        return
    from rich.console import Console
    from rich.table import Table

    colour = {"passed": "green", "partial": "yellow", "not graded": "dim", "not_started": "dim"}
    table = Table("Day", "Score", "Status", "Next", title="Your progress")
    for day, score, status, nxt in progress_rows(out):
        table.add_row(day, score, f"[{colour.get(status, 'red')}]{status}[/]", nxt)
    Console().print(table)


if __name__ == "__main__":
    sys.exit(main())
