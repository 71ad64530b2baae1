"""`make hint DAY=N`: the next, more explicit hint for the first failing check of a day."""
import json
from pathlib import Path

from graders import cli, crossday, engine, escaping, expected, render, report

STATE = "hints.json"  # in the reports folder: {"day3/test_name": the last tier shown}


def add_arguments(parser, name):
    """--day, --out, --submission, --sandbox."""
    parser.add_argument("--day", nargs="?", help="the day, 1 to 7")
    parser.add_argument("--out", default="reports", help="folder of the JSON reports")
    parser.add_argument("--submission", default="exercises",
                        help="folder holding dayN.py files (graded again when newer than the "
                             "report)")
    cli.add_sandbox(parser)


def tiers(check):
    """Every hint of a check of a report: the first, then the more explicit ones."""
    return [check["hint"], *check.get("more_hints", [])]


def load_state(path):
    """The hint state, or {} when there is none yet (or it is unreadable)."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def run(args, parser):
    """Show the next hint tier of the first failing check; 0 when a report was found."""
    day = cli.day(parser, args.day or "", "hint")
    out, folder = Path(args.out), Path(args.submission)
    result = engine.load_report(out / f"day{day}.json")
    if not engine.is_current(result, folder):
        if not folder.is_dir():
            parser.error(f"no submission folder {folder}")
        said = "has no report yet" if not result else "changed since its last report"
        print(f"Day {day} {said}: grading it first...", flush=True)
        try:
            seed = result.get("seed")  # the inputs of the last grading, when it had a seed
            fits = type(seed) is int and 0 <= seed < 2**31 and (
                not engine.STUDENT_KIT or seed in expected.SEEDS)
            result = crossday.grade(day, folder, out, seed if fits else None,
                                    cli.sandbox_of(args, parser))
        except engine.GradingError as exc:
            say(f"graders: {exc}")
            return 3
    check = render.first_failing(result)
    if result["status"] in report.BLOCKING:
        say(f"Day {day} could not be graded ({result['status']}): {result['message']}\n"
            f"Fix that first, then run `make grade DAY={day}` again.")
        return 0
    if check is None:
        say(f"Day {day}: every check passed ({result['score']}/{result['max_score']}). "
            "No hint needed!")
        return 0
    levels = tiers(check)
    state = load_state(out / STATE)
    key = f"day{day}/{check['name']}"
    shown = min(int(state.get(key, 1)) + 1, len(levels))  # tier 1 came with the failure
    state[key] = shown
    (out / STATE).write_text(json.dumps(state, indent=2) + "\n")
    lines = [f"Day {day}, first failing check: {render.check_line(check)[2:]}",
             render.indent(check["message"]), ""]
    lines += [f"Hint {n} of {len(levels)}: {levels[n - 1]}" for n in range(1, shown + 1)]
    lines.append("")
    if shown < len(levels):
        lines.append(f"Run `make hint DAY={day}` again for hint {shown + 1} of {len(levels)}.")
    else:
        lines.append(f"That is the last hint for this check. Still stuck? Re-read "
                     f"{report.task_title(check['task'])} in day{day}.py (its docstring and "
                     "TODO) and the day's reading, print the shapes of your arrays, try a tiny "
                     "input you can check by hand, or ask for help.")
    say("\n".join(lines))
    return 0


def say(text):
    """Print text from a report, learner text escaped."""
    print(escaping.printable(text, lines=True))
