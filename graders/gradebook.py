"""A class's results on paper: the gradebook, the summary data, the summary page and chart."""
import csv
import html
import io
import math
import os
import statistics
from urllib.parse import quote

from graders import engine, escaping, render, report

OUTPUTS = ("gradebook.csv", "summary.json", "summary.html", "summary.png", "course.json")
FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width
PROBLEMS = ("ungradable", "timeout", "policy_violation", "error")  # a day that was not graded
GRADED = ("passed", "partial", "failed")  # a day whose checks judged the learner's code
CHECK_PROBLEMS = ("timeout", "error")  # a check stopped or crashed inside a graded day


def learner_order(name):
    """Gradebook order: case-insensitive (ann, Bob, carol), then exact."""
    return name.casefold(), name


def kind(row):
    """How a day counts in the pass rates: `graded`, or why not (missing, not_started,
    ungradable, policy_violation, timeout, error)."""
    if row.get("missing"):
        return "missing"
    return "graded" if row["status"] in GRADED else row["status"]


def check_kind(test):
    """How a check of a graded day counts: `graded`, `not_started` (the learner has not
    begun its task) or `blocked` (not judged: a check it needs fails)."""
    if test["status"] == "not_started":
        return "not_started"
    return "blocked" if test.get("blocked_by") else "graded"


def summarize(results, days, course_seed=None, kit_version=report.KIT_VERSION):
    """The class summary: every learner's rows (each day's seed among them) in gradebook
    order, per-day statistics, every check's pass rate over the learners it judged, problems."""
    maxima = {d: max((r["days"][d]["max_score"] or 0 for r in results.values()), default=0)
              for d in days}
    tests = {(day, t["name"]): {"day": day, "name": t["name"], "task": t["task"],
                                "hint": t["hint"], "visibility": t["visibility"], "passed": 0,
                                "graded": 0, "not_graded": {}}
             for r in results.values() for day, row in r["days"].items() for t in row["tests"]}
    learners, problems = {}, []
    for name in sorted(results, key=learner_order):
        rows, result = {}, results[name]
        for day, row in result["days"].items():
            rows[str(day)] = {"score": row["score"], "max_score": row["max_score"] or maxima[day],
                              "status": row["status"], "kind": kind(row),
                              "message": row["message"], "seed": row.get("seed")}
            problems += problems_of(name, day, row)
            count(tests, day, row)
        learners[name] = {"total": sum(r["score"] for r in rows.values()), "days": rows}
    order = {key: i for i, key in enumerate(tests)}  # file order breaks ties
    for entry in tests.values():
        entry["not_graded"] = dict(sorted(entry["not_graded"].items()))
        entry["pass_rate"] = round(entry["passed"] / entry["graded"], 4) if entry["graded"] \
            else None
    per_day = []
    for day in days:
        rows = [learners[n]["days"][str(day)] for n in learners]
        scores, statuses = [r["score"] for r in rows], [r["status"] for r in rows]
        kinds = [r["kind"] for r in rows]
        per_day.append({"day": day, "max_score": maxima[day], "scores": scores,
                        "mean": round(statistics.mean(scores), 2) if scores else 0,
                        "median": statistics.median(scores) if scores else 0,
                        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
                        "graded": kinds.count("graded"),
                        "not_graded": {k: kinds.count(k) for k in sorted(set(kinds) - {"graded"})}})
    return {"kit_version": kit_version, "course_seed": course_seed, "days": days,
            "learner_count": len(learners),
            "max_total": sum(maxima.values()), "per_day": per_day,
            "tests": sorted(tests.values(), key=lambda t: (t["pass_rate"] is None,
                                                           t["pass_rate"] or 0,
                                                           order[(t["day"], t["name"])])),
            "problems": merge(problems), "learners": learners}


def count(tests, day, row):
    """Add one learner's day to the pass rates of its checks: a check counts only when its day
    was graded and it judged the code; otherwise it counts apart, under the reason why not."""
    seen = {t["name"]: t for t in row["tests"]}
    why_day = kind(row)
    for (d, name), entry in tests.items():
        if d != day or (why_day == "graded" and name not in seen):
            continue
        why = why_day if why_day != "graded" else check_kind(seen[name])
        if why == "graded":
            entry["graded"] += 1
            entry["passed"] += seen[name]["status"] == "passed"
        else:
            entry["not_graded"][why] = entry["not_graded"].get(why, 0) + 1


def problems_of(name, day, row):
    """The problems of one learner's day: the day itself when it was not graded; otherwise
    every check that was stopped (timeout) or crashed (error), with its own message."""
    if row["status"] in PROBLEMS:
        return [{"learner": name, "days": [day], "check": None, "task": None,
                 "status": row["status"], "message": row["message"]}]
    if row["status"] not in GRADED:
        return []
    return [{"learner": name, "days": [day], "check": t["name"], "task": t["task"],
             "status": t["status"], "message": t["message"]}
            for t in row["tests"] if t["status"] in CHECK_PROBLEMS]


def stopped(row):
    """{"timeout": 2}: the checks of a day that were stopped or crashed, by status."""
    found = [t["status"] for t in row["tests"] if t["status"] in CHECK_PROBLEMS]
    return {s: found.count(s) for s in CHECK_PROBLEMS if s in found}


def merge(problems):
    """One row for the days of a learner that share one problem (a refused zip, an empty
    folder, a budget that ran out): the same status and message on each."""
    merged = []
    for p in problems:
        last = merged[-1] if merged else None
        if last and p["check"] is None and last["check"] is None and \
                all(last[k] == p[k] for k in ("learner", "status", "message")):
            last["days"] = last["days"] + p["days"]
        else:
            merged.append(p)
    return merged


def day_list(days):
    """[1, 2, 3, 5] -> `1-3, 5`."""
    runs = []
    for d in days:
        if runs and d == runs[-1][1] + 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


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
    totals = [learner["total"] for learner in summary["learners"].values()]
    engine.write_file(out / "summary.png", chart(totals, summary["max_total"]))
    engine.write_file(out / "summary.html", page(summary))


def cell(text):
    """Learner text for a spreadsheet: escaped, and never read as a formula."""
    text = escaping.printable(text)
    return "'" + text if text.startswith(FORMULA) else text


def histogram(totals, max_total):
    """(edges, counts) of the learners' totals: about ten bars of whole points over
    0..max_total, the last one holding the full marks too."""
    width = max(1, math.ceil(max_total / 10))
    edges = [i * width for i in range(max(1, math.ceil(max_total / width)) + 1)]
    counts = [sum(a <= t < b or (b == edges[-1] and t == b) for t in totals)
              for a, b in zip(edges, edges[1:])]
    return edges, counts


def chart(totals, max_total):
    """A histogram of the learners' totals, each bar labelled with its count: PNG bytes."""
    from matplotlib.figure import Figure  # no pyplot: the Agg canvas, no display needed
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    edges, counts = histogram(totals, max_total)
    bars = ax.bar(edges[:-1], counts, width=edges[1] - edges[0], align="edge",
                  color="#4c72b0", edgecolor="white")
    ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=2)
    ax.set_xticks(edges)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, max(max(counts), 1) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(f"total points (of {render.points(max_total)})")
    ax.set_ylabel("learners")
    ax.set_title(f"Totals of the class ({len(totals)} learners)")
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=100, metadata={"Software": None})
    return png.getvalue()


def counts(kinds):
    """{"missing": 2, "not_started": 1} -> `2 missing, 1 not started`."""
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in kinds.items()) or "-"


def feedback_link(name):
    """The link to a learner's feedback file (none for a name the class outputs hold)."""
    try:
        path = os.fsencode(name)
    except UnicodeEncodeError:  # no folder has this name (only a name handed in by a test)
        return ""
    if name in OUTPUTS:
        return ""
    href = html.escape(quote(path, safe="") + "/feedback.md")
    return f'<a href="{href}">feedback.md</a>'


def page(summary):
    """summary.html: one static page, every learner-controlled text escaped."""
    days = summary["days"]
    learner_rows = "".join(
        tr(name, *(day_cell(learner["days"][str(d)]) for d in days),
           render.points(learner["total"]), raw=feedback_link(name))
        for name, learner in summary["learners"].items())
    day_rows = "".join(tr(f"Day {d['day']}", render.points(d["max_score"]), d["mean"],
                          render.points(d["median"]), d["graded"], counts(d["not_graded"]))
                       for d in summary["per_day"])
    test_rows = "".join(tr("-" if t["pass_rate"] is None else f"{round(100 * t['pass_rate'])}%",
                           f"{t['passed']}/{t['graded']}", counts(t["not_graded"]),
                           report.task_title(t["task"]),
                           t["name"] + (" (hidden)" if t["visibility"] == "hidden" else ""),
                           t["hint"]) for t in summary["tests"])
    problem_rows = "".join(tr(p["learner"], day_list(p["days"]), p["check"] or "(the day)",
                              p["status"], p["message"]) for p in summary["problems"])
    problems = ("<table><tr><th>Learner</th><th>Days</th><th>Check</th><th>Status</th>"
                f"<th>Why</th></tr>\n{problem_rows}</table>" if problem_rows else "<p>None.</p>")
    day_heads = "".join(f"<th>Day {d}</th>" for d in days)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class summary</title>
<style>
body {{ font-family: sans-serif; max-width: 75em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ text-align: left; padding: .25em .7em; border-bottom: 1px solid #ddd;
          vertical-align: top; }}
</style></head><body>
<h1>Class summary</h1>
<p>{summary['learner_count']} learners, days {day_list(days)}, kit
{html.escape(summary['kit_version'])}, course seed {summary['course_seed']}. The gradebook
(with each day's seed) is <a href="gradebook.csv">gradebook.csv</a>; every learner's reports
and feedback file are in the folder named after them.</p>
<h2>Learners</h2>
<img src="summary.png" alt="Histogram of the learners' totals, with the count of each bar">
<table><tr><th>Learner</th>{day_heads}<th>Total (of {render.points(summary['max_total'])})</th>
<th>Feedback</th></tr>
{learner_rows}</table>
<h2>Days</h2>
<p>Mean and median over every learner. A day counts as graded when its checks judged the
learner's code; the others are counted apart, with the reason.</p>
<table><tr><th>Day</th><th>Max</th><th>Mean</th><th>Median</th><th>Graded</th>
<th>Not graded</th></tr>
{day_rows}</table>
<h2>Checks, hardest first</h2>
<p>Each check's pass rate over the learners it judged: their day was graded and they had
begun its task. Missing, ungradable, not started and blocked checks (a check they need fails
first) are counted apart.</p>
<table><tr><th>Pass rate</th><th>Passed</th><th>Not judged</th><th>Task</th><th>Check</th>
<th>Hint</th></tr>
{test_rows}</table>
<h2>Problems</h2>
<p>Days that are <code>ungradable</code>, <code>timeout</code>, <code>policy_violation</code>
or <code>error</code> (the kit failed), and every check stopped (<code>timeout</code>) or
crashed (<code>error</code>) inside a graded day.</p>
{problems}
</body></html>
"""


def day_cell(row):
    """A learner's day in the table: its score, and its status unless it was graded."""
    score = render.points(row["score"])
    return score if row["kind"] == "graded" else f"{score} ({row['kind'].replace('_', ' ')})"


def tr(*cells, raw=None):
    """One HTML table row; every cell is escaped (HTML, and characters no page should hold);
    `raw` is one last cell of the kit's own HTML."""
    return "<tr>" + "".join(f"<td>{html.escape(escaping.printable(c, lines=True))}</td>"
                            for c in cells) + ("" if raw is None else f"<td>{raw}</td>") \
        + "</tr>\n"
