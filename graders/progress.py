"""`make progress`: all seven days at a glance, from the latest reports."""
import json
import sys

from graders import escaping, render, report
from graders.submission import DAYS


def rows(out):
    """(day, score, status, next) of all seven days from the reports in `out`."""
    found = []
    for day in DAYS:
        try:
            r = json.loads((out / f"day{day}.json").read_text())
            score = f"{r['score']:g}/{r['max_score']:g}"
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
