"""`make watch DAY=N`: re-grade a day every time its file is saved."""
import re
import signal
import sys
import threading
import time
from pathlib import Path

import watchfiles

from graders import cli, crossday, engine, escaping, names, render, report, submission, worker

CLEAR = "\033[2J\033[H"  # clear the terminal, cursor to the top left
QUIET_MS = 50  # grade once the files have been quiet this long (an editor's save is a burst:
# write a temporary file, rename it over the old one; all within a few milliseconds)
WAKE_MS = 500  # the watcher wakes up this often; the first wake-up grades (nothing is missed)


def add_arguments(parser, name):
    """--day, --submission, --out, --seed, --sandbox."""
    parser.add_argument("--day", nargs="?", help="the day, 1 to 7")
    parser.add_argument("--submission", default="exercises", help="folder holding dayN.py files")
    parser.add_argument("--out", default="reports", help="folder for the JSON reports")
    parser.add_argument("--seed", type=int, help="seed of the random inputs (default: random, "
                                                 "then kept while watching)")
    cli.add_sandbox(parser)


def run(args, parser):
    """Grade now and after every save until Ctrl-C (or SIGTERM, SIGHUP); 0 when stopped so."""
    day = cli.day(parser, args.day or "", "watch")
    folder = Path(args.submission)
    if not folder.is_dir():
        parser.error(f"no submission folder {folder}")
    sandbox = cli.sandbox_of(args, parser)
    seed = cli.seed(parser, args.seed)
    where = folder.resolve()
    stop = threading.Event()

    def watched(_, path):  # days 1 to N (what it may import), however named (names.day_of)
        hit = names.day_of(Path(path).name)
        return hit is not None and hit[0] <= day and Path(path).parent.resolve() == where

    starting = threading.Event()  # a spare worker is being started: stop after, not midway

    def interrupted(signum, frame):
        stop.set()  # pytest swallows Ctrl-C during grading; this flag remembers it
        if not starting.is_set():  # (midway, its folder may exist with no name known yet)
            raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # Ctrl-C, kill, a closed
        signal.signal(sig, interrupted)  # terminal: each stops the spare worker, removes its folder
    watching = watchfiles.watch(folder, watch_filter=watched,
                                step=QUIET_MS, stop_event=stop, rust_timeout=WAKE_MS,
                                yield_on_timeout=True)
    first = True
    worker.keep_spares()  # a worker waits, started, for the next save
    try:
        for changes in watching:  # an empty set every WAKE_MS: grade the first time only
            if changes or first:
                first = False
                print(f"\nGrading Day {day}...", flush=True)
                show(grade(day, folder, args.out, seed, sandbox, stop), day, folder)
                starting.set()
                worker.refill()
                starting.clear()
                if stop.is_set():
                    raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    finally:
        worker.keep_spares(False)
    try:
        print(f"\nStopped watching Day {day}.", flush=True)
    except OSError:  # the terminal is gone
        pass
    return 0


def grade(day, folder, out, seed, sandbox, stop):
    """The report of one grading, or the GradingError when the kit could not grade."""
    try:
        result = crossday.grade(day, folder, out, seed, sandbox)
    except (engine.GradingError, OSError) as exc:
        result = exc
    if stop.is_set():
        raise KeyboardInterrupt
    return result


def show(result, day, folder):
    """Clear the screen (on a terminal) and print the view of one grading (learner text
    escaped)."""
    text = escaping.printable(view(result, day, folder), lines=True)
    if sys.stdout.isatty():
        print(CLEAR + text, flush=True)
    else:
        print(f"\n{'-' * 72}\n{text}", flush=True)


def view(result, day, folder):
    """Score, the first failing check with message and hint, or the congratulation."""
    head = (f"Day {day} · watching {folder / f'day{day}.py'} · graded at "
            f"{time.strftime('%H:%M:%S')} · Ctrl-C to stop")
    if isinstance(result, Exception):
        return f"{head}\n\nThe kit could not grade: {result}\n\nWaiting for your next save..."
    score, top = result["score"], result["max_score"]
    filled = round(20 * score / top) if top else 0
    lines = [head, "", f"Score: {score:g}/{top:g} ({result['status']})  "
                       f"[{'#' * filled}{'.' * (20 - filled)}]", *render.notes(result), ""]
    check = render.first_failing(result)
    if result["status"] == "passed":
        lines.append(congratulation(day, folder))
    elif result["status"] in report.BLOCKING:
        lines += [result["message"], *source_line(folder, result["message"])]
    else:
        if result["status"] == "not_started":
            lines += [result["message"], f"    {render.first_todo(folder, day)}", ""]
        lines += [*render.failure(check), "", f"More help: make hint DAY={day}"]
    return "\n".join(lines + ["", "Waiting for your next save..."])


def congratulation(day, folder):
    """Well done, and where to go next."""
    if day == 7:
        return ("Day 7 complete: every check passed. Your network reads handwritten digits. "
                f"Congratulations on finishing the week!\nRun `python {folder}/day7.py` to see "
                "your training pictures in reports/.")
    return (f"Day {day} complete: every check passed. Well done!\n"
            f"Next: open {folder / f'day{day + 1}.py'} and run `make watch DAY={day + 1}`.")


def source_line(folder, message):
    """The line of the file that a message names (`day3.py ... line 12`), as it reads now."""
    found = re.search(r"(day[1-7]\.py)[^\n]*?\bline (\d+)", message)
    if not found:
        return []
    data, _ = submission.read_day(submission.locate(folder, int(found[1][3])))  # no link
    try:
        text = (data or b"").decode(errors="replace").splitlines()[int(found[2]) - 1]
    except IndexError:
        return []
    return [f"    {found[1]} line {found[2]}:  {text.strip()}"]
