"""`make hint DAY=N`: the next, more explicit hint for the first failing check of a day."""
import ast
import json
from pathlib import Path

from graders import engine, report

STATE = "hints.json"  # in the reports folder: {"day3/test_name": the last tier shown}


def add_arguments(parser, name):
    """--day and --out."""
    parser.add_argument("--day", nargs="?", help="the day, 1 to 7")
    parser.add_argument("--out", default="reports", help="folder of the JSON reports")


def day_of(args, parser):
    """args.day as an int; a usage error when it is missing or not a day."""
    text = args.day or ""
    if not text:
        parser.error(f"which day? e.g. make {args.command} DAY=3")
    if not text.isdigit() or int(text) not in engine.DAYS:
        parser.error(f"unknown day {text!r}: choose a day from 1 to 7")
    return int(text)


def tiers(day):
    """{test name: [hint, more...]} from the `grade` markers of a day's grader tests.

    Read from the source with ast, so no test and no learner code runs.
    """
    found = {}
    for path in engine.test_files(day):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for mark in node.decorator_list:
                if isinstance(mark, ast.Call) and ast.unparse(mark.func).endswith("mark.grade"):
                    kwargs = {k.arg: k.value for k in mark.keywords}
                    try:
                        first = ast.literal_eval(kwargs["hint"])
                        more = ast.literal_eval(kwargs["more"]) if "more" in kwargs else ()
                    except (KeyError, ValueError):
                        continue
                    found[node.name] = [first, *([more] if isinstance(more, str) else more)]
    return found


def first_failing(result):
    """The first check of a report that did not pass, or None."""
    return next((t for t in result["tests"] if t["status"] != "passed"), None)


def indent(text, pad="    "):
    """Every line of text indented (messages may hold multi-line arrays)."""
    return "\n".join(pad + line for line in str(text).splitlines())


def load_state(path):
    """The hint state, or {} when there is none yet (or it is unreadable)."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def run(args, parser):
    """Show the next hint tier of the first failing check; 0 when a report was found."""
    day = day_of(args, parser)
    out = Path(args.out)
    try:
        result = json.loads((out / f"day{day}.json").read_text())
    except (OSError, ValueError):
        parser.error(f"no report of Day {day} in {out}/: run `make grade DAY={day}` first")
    check = first_failing(result)
    if result["status"] in report.BLOCKING:
        print(f"Day {day} could not be graded ({result['status']}): {result['message']}\n"
              f"Fix that first, then run `make grade DAY={day}` again.")
        return 0
    if check is None:
        print(f"Day {day}: every check passed ({result['score']}/{result['max_score']}). "
              "No hint needed!")
        return 0
    levels = tiers(day).get(check["name"]) or [check["hint"]]
    state = load_state(out / STATE)
    key = f"day{day}/{check['name']}"
    shown = min(int(state.get(key, 1)) + 1, len(levels))  # tier 1 came with the failure
    state[key] = shown
    (out / STATE).write_text(json.dumps(state, indent=2) + "\n")
    print(f"Day {day}, first failing check: {check['name']} "
          f"({report.task_title(check['task'])}, {check['status']})")
    print(indent(check["message"]))
    print()
    for n in range(1, shown + 1):
        print(f"Hint {n} of {len(levels)}: {levels[n - 1]}")
    print()
    if shown < len(levels):
        print(f"Run `make hint DAY={day}` again for hint {shown + 1} of {len(levels)}.")
    else:
        print(f"That is the last hint for this check. Still stuck? Re-read "
              f"{report.task_title(check['task'])} in day{day}.py (its docstring and TODO) and "
              "the day's reading, print the shapes of your arrays, try a tiny input you can "
              "check by hand, or ask for help.")
    return 0
