"""The kit's command line: `python -m graders COMMAND`.

grade, progress, watch, hint: a learner's loop. grade-class, student-kit, autograder,
gradescope: an instructor's. Each command lives in the module named in COMMANDS, which gives
its options (`add_arguments`) and runs it (`run`).
"""
import os
import sys
from pathlib import Path

from graders import (classroom, cli, crossday, engine, escaping, gradescope, hints,
                     notebook_maker, package, progress, render, watch)


def add_arguments(parser, name):
    """The options of `grade`."""
    parser.add_argument("--day", help="1 to 7; leave out to grade every day")
    parser.add_argument("--submission", default="exercises", help="folder holding dayN.py files")
    parser.add_argument("--out", default="reports", help="folder for the JSON reports")
    parser.add_argument("--seed", type=int, help="seed of the random inputs (default: random)")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless the score is full")
    parser.add_argument("--raw", action="store_true",
                        help="also write dayN.raw.json, pytest's own output with the grader's "
                             "tracebacks and hidden checks' expected values: for debugging the "
                             "kit, never for learners")
    cli.add_sandbox(parser)


def grade(args, parser):
    """Grade one day, or every day then the progress table; 3 when the kit could not grade."""
    days = list(engine.DAYS) if args.day in (None, "") else [cli.day(parser, args.day)]
    folder = Path(args.submission)
    if not folder.is_dir():
        parser.error(f"no submission folder {folder}")
    sandbox = cli.sandbox_of(args, parser)
    seed = None if args.seed is None else cli.seed(parser, args.seed)
    full = True
    for day in days:
        try:
            result = crossday.grade(day, folder, args.out, seed, sandbox, keep_raw=args.raw)
        except engine.GradingError as exc:
            print(escaping.printable(f"graders: {exc}", lines=True), file=sys.stderr)
            return 3
        hidden = engine.hidden_points(day) if engine.STUDENT_KIT else None
        if len(days) > 1 and result["status"] == "not_started":  # untouched: one line
            print(render.untouched(result, hidden))
        else:
            print(render.day(result, Path(args.out) / f"day{day}.json", hidden))
            print()
        full &= result["score"] == result["max_score"]
    if len(days) > 1:
        print()
        progress.show(Path(args.out), folder)
    return 1 if args.strict and not full else 0


# name: (add_arguments, run, help)
COMMANDS = {
    "grade": (add_arguments, grade, "grade one day, or every day when --day is left out"),
    "progress": (progress.add_arguments, progress.run, "all seven days from the latest reports"),
    "watch": (watch.add_arguments, watch.run, "re-grade a day every time its file is saved"),
    "hint": (hints.add_arguments, hints.run, "the next, more explicit hint for the first "
                                             "failing check"),
    "notebooks": (notebook_maker.add_arguments, notebook_maker.run, "write notebooks/dayN.ipynb "
                                                                   "from exercises/dayN.py"),
    "grade-class": (classroom.add_arguments, classroom.run, "grade a whole class in parallel: "
                                                            "gradebook, summary"),
    "student-kit": (package.add_arguments, package.run, "write dist/student-kit/ and "
                                                        "dist/student-kit.zip"),
    "autograder": (package.add_arguments, package.run, "write dist/autograder.zip for "
                                                       "Gradescope"),
    "gradescope": (gradescope.add_arguments, gradescope.run, "grade /autograder/submission "
                                                             "into results.json"),
}


def main(argv=None):
    parser = cli.Parser(prog="graders", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=cli.Parser)
    for name, (add, _, text) in COMMANDS.items():
        add(sub.add_parser(name, help=text), name)
    args = parser.parse_args(argv)
    return COMMANDS[args.command][1](args, parser)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the output was piped into a command that stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
