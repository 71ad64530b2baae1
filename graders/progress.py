"""`make progress`: all seven days at a glance, from the latest reports."""
import sys
from pathlib import Path

from graders import engine, escaping, render, report
from graders.submission import DAYS


def add_arguments(parser, name):
    """--out and --submission."""
    parser.add_argument("--out", default="reports", help="folder of the JSON reports")
    parser.add_argument("--submission", default="exercises",
                        help="folder holding dayN.py files (to tell a report that is out of date)")


def run(args, parser):
    """The progress table; 0."""
    show(Path(args.out), Path(args.submission))
    return 0


def most(day):
    """The points a day is graded out of here: public checks only in the student kit."""
    public, hidden = report.POINTS[day]
    return public + (0 if engine.STUDENT_KIT else hidden)


def out_of(score, mx, extra):
    """`3/9`, or in the student kit `3/9 of 20` (hidden checks included)."""
    return f"{score:g}/{mx:g}" + (f" of {render.points(mx + extra)}" if extra else "")


def rows(out, folder):
    """(day, score, status, next) of all seven days from the reports in `out`, then the total.
    A day whose files changed since its report says so; in the student kit a score says what
    the day is out of, hidden checks included."""
    found, got, top, hidden = [], 0, 0, 0
    for day in DAYS:
        r = engine.load_report(out / f"day{day}.json")
        extra = engine.hidden_points(day) if engine.STUDENT_KIT else 0
        hidden += extra
        try:
            score, mx = float(r["score"]), float(r["max_score"])
        except (KeyError, TypeError, ValueError):
            found.append((f"Day {day}", "-", "not graded", f"make grade DAY={day}"))
            top += most(day)
            continue
        got, top = got + score, top + mx
        if not engine.is_current(r, folder):
            found.append((f"Day {day}", out_of(score, mx, extra), "out of date",
                          f"make grade DAY={day} (your files changed since this report)"))
            continue
        nxt = report.task_title(r["next_task"]) if r.get("next_task") else "done"
        found.append((f"Day {day}", out_of(score, mx, extra),
                      escaping.printable(r.get("status", "?")), nxt))
    found.append(("Total", out_of(got, top, hidden), "", ""))
    return found


def show(out, folder):
    """The progress table: with colours on a terminal, plain text otherwise."""
    if not sys.stdout.isatty():
        print(render.progress(rows(out, folder)))
        return
    from rich.console import Console
    from rich.table import Table

    colour = {"passed": "green", "partial": "yellow", "not graded": "dim", "not_started": "dim",
              "out of date": "yellow", "": ""}
    table = Table("Day", "Score", "Status", "Next", title="Your progress")
    for day, score, status, nxt in rows(out, folder):
        table.add_row(day, score, f"[{colour.get(status, 'red')}]{status}[/]" if status else "",
                      nxt)
    Console().print(table)
