"""`make progress`: all seven days at a glance, from the latest reports."""
import json
import sys

from graders import engine, escaping, render, report
from graders.submission import DAYS


def rows(out):
    """(day, score, status, next) of all seven days from the reports in `out`; in the student
    kit the score says what the day is out of, hidden checks included (`3/9 of 20`)."""
    found = []
    for day in DAYS:
        try:
            r = json.loads((out / f"day{day}.json").read_text())
            score = f"{r['score']:g}/{r['max_score']:g}"
            hidden = engine.hidden_points(day) if engine.STUDENT_KIT else None
            if hidden is not None:
                score += f" of {render.points(r['max_score'] + hidden)}"
        except (OSError, ValueError, KeyError, TypeError):
            found.append((f"Day {day}", "-", "not graded", f"make grade DAY={day}"))
            continue
        nxt = report.task_title(r["next_task"]) if r.get("next_task") else "done"
        found.append((f"Day {day}", score, escaping.printable(r.get("status", "?")), nxt))
    return found


def show(out):
    """The progress table: with colours on a terminal, plain text otherwise."""
    if not sys.stdout.isatty():
        print(render.progress(rows(out)))
        return
    from rich.console import Console
    from rich.table import Table

    colour = {"passed": "green", "partial": "yellow", "not graded": "dim", "not_started": "dim"}
    table = Table("Day", "Score", "Status", "Next", title="Your progress")
    for day, score, status, nxt in rows(out):
        table.add_row(day, score, f"[{colour.get(status, 'red')}]{status}[/]", nxt)
    Console().print(table)
