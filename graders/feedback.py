"""One feedback file per learner, ready to send back: `REPORTS/<learner>/feedback.md` holds
each day's score and, for every check that failed, its message and hint (worded as on the
learner's terminal, by `render`). Every text is escaped (`escaping.printable`); a message or a
name sits in a fenced block or a code span, and the kit's own words are escaped for Markdown
(`plain`), so that no Markdown viewer reads learner text as a link or as HTML."""
import html
import re

from graders import engine, escaping, render

NAME = "feedback.md"


def write(out, summary, results, taken=()):
    """REPORTS/<learner>/feedback.md for every learner of the summary, except a name that
    `taken` (the class outputs) holds."""
    for name, learner in summary["learners"].items():
        if name not in taken:
            engine.write_file(out / name / NAME, text(name, learner, results[name]["days"],
                                                      summary))


def text(name, learner, rows, summary):
    """The feedback file of one learner."""
    lines = [f"# Feedback for {code(name)}", "",
             f"Week 1 exercise kit {summary['kit_version']}: the public checks you can run "
             "yourself, and hidden checks of the same functions. Total: "
             f"**{render.points(learner['total'])} of {render.points(summary['max_total'])}** "
             "points.", "", "| Day | Score | Status |", "| --- | --- | --- |"]
    for day in summary["days"]:
        d = learner["days"][str(day)]
        lines.append(f"| {day} | {render.points(d['score'])}/{render.points(d['max_score'])} "
                     f"| {d['status'].replace('_', ' ')} |")
    for day in summary["days"]:
        lines += ["", *day_text(day, learner["days"][str(day)], rows[day])]
    return "\n".join(lines) + "\n"


def day_text(day, d, row):
    """One day: its score, its message, every failed check with its message and hint, and the
    command that shows it again."""
    lines = [f"## Day {day}: {render.points(d['score'])}/{render.points(d['max_score'])} "
             f"({d['status'].replace('_', ' ')})", ""]
    if d["message"] and d["kind"] in ("graded", "not_started"):
        lines += [plain(d["message"]), ""]  # the kit's words: what to do next
    elif d["message"]:
        lines += [*fenced(d["message"]), ""]  # why it was not graded: may quote the learner
    if d["status"] in ("partial", "failed"):
        failed = [t for t in row["tests"] if t["status"] != "passed"]
        for t in failed:
            if not t.get("blocked_by"):
                lines += [f"### {render.check_line(t)}", "", *fenced(t["message"]), "",
                          f"Hint: {plain(t['hint'])}", ""]
        for first in dict.fromkeys(t["blocked_by"] for t in failed if t.get("blocked_by")):
            lines += [f"Not judged yet: these checks need {first} to pass first, and count "
                      "once it passes.", ""]
            lines += [f"- {render.check_line(t)}. Hint: {plain(t['hint'])}" for t in failed
                      if t.get("blocked_by") == first] + [""]
    if d["seed"] is not None and d["kind"] in ("graded", "not_started", "timeout"):
        lines += [f"To see this day again with the same inputs: `make grade DAY={day} "
                  f"SEED={d['seed']}` (hidden checks run only when your instructor grades)."]
    return lines


def plain(text):
    """Text as a Markdown paragraph: escaped, with nothing a viewer reads as HTML or a link."""
    text = html.escape(escaping.printable(text), quote=False)
    return re.sub(r"([\\`*\[\]])", r"\\\1", text)


def code(text):
    """Learner text as a Markdown code span: escaped, on one line, read as text only."""
    text = escaping.printable(text)
    tick = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{tick}{pad}{text}{pad}{tick}"


def fenced(text):
    """Learner text as a fenced Markdown block, with a fence longer than any run of backticks
    it holds."""
    text = escaping.printable(text, lines=True)
    fence = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    return [fence + "text", *text.splitlines(), fence]
