"""A class's results on paper: the gradebook, the summary data, the summary page and chart."""
import csv
import html
import io
import statistics

from graders import engine, escaping, render, report

OUTPUTS = ("gradebook.csv", "summary.json", "summary.html", "summary.png")
FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width
PROBLEMS = ("ungradable", "timeout", "policy_violation", "error")


def summarize(results, days, course_seed=None, kit_version=report.KIT_VERSION):
    """The class summary: every learner's rows (each day's seed among them), per-day
    statistics, tests, problems."""
    maxima = {d: max((r["days"][d]["max_score"] or 0 for r in results.values()), default=0)
              for d in days}
    learners, problems, tests = {}, [], {}
    for name, result in results.items():
        rows = {}
        for day, row in result["days"].items():
            rows[str(day)] = {"score": row["score"], "max_score": row["max_score"] or maxima[day],
                              "status": row["status"], "message": row["message"],
                              "seed": row.get("seed")}
            if row["status"] in PROBLEMS:
                problems.append({"learner": name, "day": day, "status": row["status"],
                                 "message": row["message"]})
            for t in row["tests"]:
                entry = tests.setdefault((day, t["name"]), {
                    "day": day, "name": t["name"], "task": t["task"], "hint": t["hint"],
                    "visibility": t["visibility"], "passed": 0, "graded": 0})
                entry["passed"] += t["status"] == "passed"
                entry["graded"] += 1
        learners[name] = {"total": sum(r["score"] for r in rows.values()), "days": rows}
    order = {key: i for i, key in enumerate(tests)}  # file order breaks ties
    for entry in tests.values():
        entry["pass_rate"] = round(entry["passed"] / entry["graded"], 4)
    per_day = []
    for day in days:
        scores = [learners[n]["days"][str(day)]["score"] for n in learners]
        statuses = [learners[n]["days"][str(day)]["status"] for n in learners]
        per_day.append({"day": day, "max_score": maxima[day], "scores": scores,
                        "mean": round(statistics.mean(scores), 2),
                        "median": statistics.median(scores),
                        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))}})
    return {"kit_version": kit_version, "course_seed": course_seed, "days": days,
            "learner_count": len(learners),
            "max_total": sum(maxima.values()), "per_day": per_day,
            "tests": sorted(tests.values(), key=lambda t: (t["pass_rate"],
                                                           order[(t["day"], t["name"])])),
            "problems": problems, "learners": learners}


def write_outputs(out, summary):
    """gradebook.csv, summary.json, summary.png and summary.html in `out`, each written
    whole or not at all."""
    days = summary["days"]
    f = io.StringIO()
    book = csv.writer(f)
    book.writerow(["learner", *(f"day{d}" for d in days), "total",
                   *(f"day{d}_status" for d in days), *(f"day{d}_seed" for d in days)])
    for name, learner in summary["learners"].items():
        rows = [learner["days"][str(d)] for d in days]
        book.writerow([cell(name), *(render.points(r["score"]) for r in rows),
                       render.points(learner["total"]), *(cell(r["status"]) for r in rows),
                       *("" if r.get("seed") is None else r["seed"] for r in rows)])
    engine.write_file(out / "gradebook.csv", f.getvalue())
    engine.write_json(out / "summary.json", summary)
    engine.write_file(out / "summary.png", chart(summary["per_day"]))
    engine.write_file(out / "summary.html", page(summary))


def cell(text):
    """Learner text for a spreadsheet: escaped, and never read as a formula."""
    text = escaping.printable(text)
    return "'" + text if text.startswith(FORMULA) else text


def chart(per_day):
    """The score distribution of every day (percent of the day's maximum): PNG bytes."""
    import numpy as np
    from matplotlib.figure import Figure  # no pyplot: the Agg canvas, no display needed
    fig = Figure(figsize=(2 + 1.1 * len(per_day), 3.6), layout="constrained")
    ax = fig.add_subplot()
    jitter = np.random.default_rng(0)
    for i, day in enumerate(per_day, 1):
        if not day["max_score"]:
            continue
        pct = [100 * s / day["max_score"] for s in day["scores"]]
        ax.boxplot([pct], positions=[i], widths=0.5, showfliers=False)
        ax.scatter(i + jitter.uniform(-0.15, 0.15, len(pct)), pct, s=14, alpha=0.6)
    ax.set_xticks(range(1, len(per_day) + 1), [f"Day {d['day']}" for d in per_day])
    ax.set_xlim(0.4, len(per_day) + 0.6)
    ax.set_ylim(-5, 105)
    ax.set_ylabel("score (% of the day's points)")
    ax.set_title("Scores per day")
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=100)
    return png.getvalue()


def page(summary):
    """summary.html: one static page, every learner-controlled text escaped."""
    day_rows = "".join(tr(f"Day {d['day']}", render.points(d["max_score"]), d["mean"], render.points(d["median"]),
                          ", ".join(f"{k} {v}" for k, v in d["statuses"].items()))
                       for d in summary["per_day"])
    test_rows = "".join(tr(f"{round(100 * t['pass_rate'])}%", f"{t['passed']}/{t['graded']}",
                           report.task_title(t["task"]),
                           t["name"] + (" (hidden)" if t["visibility"] == "hidden" else ""),
                           t["hint"]) for t in summary["tests"])
    problem_rows = "".join(tr(p["learner"], p["day"], p["status"], p["message"])
                           for p in summary["problems"])
    problems = (f"<table><tr><th>Learner</th><th>Day</th><th>Status</th><th>Why</th></tr>"
                f"{problem_rows}</table>" if problem_rows else "<p>None.</p>")
    days = ", ".join(str(d) for d in summary["days"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class summary</title>
<style>
body {{ font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ text-align: left; padding: .25em .7em; border-bottom: 1px solid #ddd;
          vertical-align: top; }}
</style></head><body>
<h1>Class summary</h1>
<p>{summary['learner_count']} learners, days {days}, kit {html.escape(summary['kit_version'])}.
The gradebook is <a href="gradebook.csv">gradebook.csv</a>; every learner's reports are in
the folder named after them.</p>
<h2>Scores per day</h2>
<img src="summary.png" alt="Score distribution per day">
<table><tr><th>Day</th><th>Max</th><th>Mean</th><th>Median</th><th>Statuses</th></tr>
{day_rows}</table>
<h2>Checks, hardest first</h2>
<p>The share of the learners graded on a day who passed each check.</p>
<table><tr><th>Pass rate</th><th>Passed</th><th>Task</th><th>Check</th><th>Hint</th></tr>
{test_rows}</table>
<h2>Learners whose days could not be graded</h2>
<p>Days that are <code>ungradable</code>, <code>timeout</code>,
<code>policy_violation</code> or <code>error</code> (the kit failed).</p>
{problems}
</body></html>
"""


def tr(*cells):
    """One HTML table row; every cell is escaped (HTML, and characters no page should hold)."""
    return "<tr>" + "".join(f"<td>{html.escape(escaping.printable(c, lines=True))}</td>"
                            for c in cells) + "</tr>\n"
