"""The README's performance tables, written from bench/results.json (never typed by hand).

`python -m bench.readme` rewrites the part of README.md between the two markers;
`python -m bench.readme --check` exits 1 when README.md does not hold what results.json gives.
"""
import json
import sys

from bench.common import ROOT
from bench.verdicts import judge

RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
START = "<!-- bench:start: written by python -m bench.readme from bench/results.json -->"
END = "<!-- bench:end -->"


def s(x):
    return f"{x:.2f} s"


def pct(x):
    return f"{x:.2%}"


def ratio(x):
    return f"{x:.2f}x"


def verdict(v):
    return {True: "holds", False: "**missed**", None: "not measured"}[v["holds"]]


def measured(key, r):
    """The 'measured' cell of a target's row."""
    lat, iso, cls, vs = r["latency"], r["isolation"], r["class"], r["day7_vs_sklearn"]
    g = lat["grade_s"]
    if key in ("days", "stubs"):
        who, days = ("reference", range(1, 7)) if key == "days" else ("exercises", range(1, 8))
        sec, day = max((g[str(d)][who], d) for d in days)
        over = [str(d) for d in days if g[str(d)][who] >= (1.5 if key == "days" else 1.0)]
        return (f"at most {s(sec)} (Day {day})"
                + (f"; over the limit: Day {', '.join(over)}" if over else ""))
    if key == "day7":
        return (f"{s(g['7']['reference'])} against {s(lat['training_s'])} of training: "
                f"{ratio(g['7']['reference'] / lat['training_s'])}")
    if key.startswith("isolation_"):
        mode = key.split("_", 1)[1]
        if mode not in iso["warm"]["median_s"]:
            return "bubblewrap cannot run on this machine"
        w = iso["warm"]["median_s"]
        return (f"days 1-6 in one warm process: {s(w[mode])} against {s(w['none'])} "
                f"in-process: {ratio(w[mode] / w['none'])}")
    if key == "watch":
        if "watch" not in r:
            return "not measured yet (`python -m bench --only-watch`)"
        sec, day = max((v, int(d)) for d, v in r["watch"]["median_s"].items())
        return f"at most {s(sec)} (Day {day}), median of {r['watch']['saves']} saves"
    if key == "class":
        return f"{cls['median_s']['2']:.0f} s"
    if key == "speedup":
        m = cls["median_s"]
        return f"{m['1']:.0f} s at JOBS=1, {m['2']:.0f} s at JOBS=2: {ratio(cls['speedup'])}"
    ours, theirs = vs["full_ours"], vs["full_sklearn"]
    return (f"full fits: {pct(ours['test_accuracy'])} in {s(ours['s'])} ({ours['epochs']:.0f} "
            f"epochs) against {pct(theirs['test_accuracy'])} in {s(theirs['s'])} "
            f"({theirs['epochs']:.0f} epochs): {ratio(ours['s'] / theirs['s'])} the time")


def over(g, days, who, limit):
    """The days of `days` whose grade of `who` is not under `limit`, as words."""
    return ", ".join(str(d) for d in days if g[str(d)][who] >= limit)


def why(key, r):
    """A sentence on a missed target, with the numbers that show why."""
    lat, iso, cls, vs = r["latency"], r["isolation"], r["class"], r["day7_vs_sklearn"]
    g = lat["grade_s"]
    startup = ("a grade starts a fresh Python, pytest and a worker, and the machine is shared "
               f"(load average {r['load'][0]:.1f} at the start of the run)")
    if key == "days":
        return f"Days {over(g, range(1, 7), 'reference', 1.5)}: {startup}."
    if key == "stubs":
        old = r["settings"].get("tracebacks") != "line"  # measured before one-line tracebacks
        return (f"Stubs of days {over(g, range(1, 8), 'exercises', 1.0)}: {startup}"
                + ("; every check of a stub fails, and in this run pytest still quoted the "
                   "grader's source in a traceback for each failure (about 0.05 s a check; "
                   "the kit keeps one-line tracebacks since)." if old else "."))
    if key == "day7":
        return ("Day 7 grading trains the learner's network once (1000 epochs, one run serves "
                "the gate, the loss checks and `main()`), and around it starts pytest and a "
                "worker, loads the digits, runs the short training calls of the other checks "
                f"and draws the pictures: {s(g['7']['reference'])} against "
                f"{s(lat['training_s'])} for one bare training.")
    if key.startswith("isolation_"):
        w, e = iso["warm"]["median_s"], iso["end_to_end"]
        mode = key.split("_", 1)[1]
        return (f"Isolation ({mode}): every grade gets a worker of its own, " + (
                    "a fresh Python that imports NumPy and the day's files inside new "
                    "namespaces and mounts" if mode == "bwrap" else
                    "forked (from the second on) by a fork server that has NumPy loaded, "
                    "confined, and stopped with its whole process tree after the grade")
                + f": {(w[mode] - w['none']) / 6:.2f} s a day more than calling the "
                "reference in the grader's own process. End to end, where both sides also "
                f"start Python and pytest, the ratio is {ratio(e['ratio'][mode])} "
                f"({s(e['median_s'][mode])} against {s(e['median_s']['none'])}); the target "
                "is judged on the warm comparison, as first set.")
    if key == "watch":
        w, wt = r["watch"], iso["warm"]["median_s"]
        return (f"Watch (measured on {w['date']}, load average {w['load'][0]:.1f}): a save "
                "is seen within milliseconds, then the watching process grades the day as "
                "`make grade` does, a fresh worker and a fresh pytest session each time; one "
                f"such grade of the reference costs {wt.get(lat['sandbox'], wt['process']) / 6:.2f}"
                f" s a day in a warm process ({lat['sandbox']} mode) and "
                f"{wt['none'] / 6:.2f} s in-process.")
    if key in ("class", "speedup"):
        return (f"Class: {cls['median_s']['1']:.0f} s at JOBS=1 and "
                f"{cls['median_s']['2']:.0f} s at JOBS=2 (rounds: "
                + "; ".join(f"JOBS={j}: " + ", ".join(f"{x:.0f} s" for x in cls['seconds'][j])
                            for j in ("1", "2"))
                + f"); the machine is shared with other work (load average "
                f"{r['load'][0]:.1f} at the start of the run, {r['load'][1]:.1f} at the end), "
                "and the second core is only as free as that work leaves it.")
    ours, theirs = vs["full_ours"], vs["full_sklearn"]
    n = len(vs["seeds"])

    def early(x):
        return (f"takes {s(x['s'])} ({x['reached']} of {n} seeds reach it)"
                if x["s"] is not None else
                f"reaches it in only {x['reached']} of {n} seeds, so it has no median time")

    return ("Day 7 against scikit-learn: the reference trains by full-batch gradient descent, "
            "one step an epoch for the 1000 epochs SPEC sets "
            f"({1000 * ours['s'] / ours['epochs']:.2f} ms an epoch); `MLPClassifier` takes "
            f"Adam steps on batches of 200 rows ({1000 * theirs['s'] / theirs['epochs']:.2f} ms "
            f"an epoch) and stops after {theirs['epochs']:.0f} epochs (its default limit is "
            "200). Stopped by the same rule instead (97% validation accuracy, checked every "
            f"epoch): the reference {early(vs['early_ours'])}; `MLPClassifier` "
            f"{early(vs['early_sklearn'])}.")


def render(r):
    """The block between the markers (without them)."""
    lat, iso, cls, vs = r["latency"], r["isolation"], r["class"], r["day7_vs_sklearn"]
    m = r["machine"]
    verdicts = judge(r)
    out = [f"Run of {r['date']}: `make bench` took {r['duration_s'] / 60:.0f} minutes on "
           f"{m['cores']} cores ({m['cpu']}), Python {m['python']}, NumPy {m['numpy']}, "
           f"scikit-learn {vs['sklearn']}, BLAS on one thread; load average "
           f"{r['load'][0]:.1f} at the start, {r['load'][1]:.1f} at the end.", "",
           "| target, as first set (issue 6) | measured | verdict |", "| --- | --- | --- |"]
    out += [f"| {v['target']} | {measured(v['key'], r)} | {verdict(v)} |" for v in verdicts]
    missed = [v["key"] for v in verdicts if v["holds"] is False]
    if "class" in missed and "speedup" in missed:
        missed.remove("class")
    if missed:
        out += ["", "Why the misses:", ""] + [f"- {why(k, r)}" for k in missed]

    g = lat["grade_s"]
    out += ["", f"**Feedback latency**: `python -m graders grade --day N --seed 1`, sandbox "
            f"`{lat['sandbox']}` (what `auto` picks here), median of {lat['runs']} runs.", "",
            "| day | the reference | the untouched stubs |", "| --- | --- | --- |"]
    out += [f"| {d} | {s(g[str(d)]['reference'])} | {s(g[str(d)]['exercises'])} |"
            for d in range(1, 8)]
    out += ["", f"Bare training of the reference (its `train()` with the defaults, 1000 epochs, "
            f"median of {lat['runs']}): {s(lat['training_s'])}. Importing what a Day 7 file "
            f"imports from scikit-learn, in a fresh Python: {s(lat['sklearn_import_s'])}."]

    if "watch" in r:
        wm = r["watch"]["median_s"]
        out += ["", f"**Watch latency** (measured on {r['watch']['date']}): from an editor's "
                "save (a new file renamed over the day's file) to the whole new view of "
                f"`make watch`, median of {r['watch']['saves']} saves alternating the stub and "
                "the reference.", "", "| day | " + " | ".join(sorted(wm)) + " |",
                "| --- |" + " --- |" * len(wm),
                "| save to screen | " + " | ".join(s(wm[d]) for d in sorted(wm)) + " |"]

    w, e = iso["warm"], iso["end_to_end"]
    out += ["", f"**The cost of isolation**: the grader tests of days 1-6 on the reference, "
            f"the six grades summed; median of {len(w['samples_s']['none'])} rounds (warm) and "
            f"{len(e['samples_s']['none'])} rounds (end to end).", "",
            "| mode | warm: one Python process | against in-process | end to end: a fresh "
            "process per day | against in-process |", "| --- | --- | --- | --- | --- |"]
    names = {"none": "in-process (`none`, measurement only)", "process": "`process`",
             "bwrap": "`bwrap`"}
    for mode in iso["modes"]:
        rw = w["ratio"].get(mode, 1.0)
        re_ = e["ratio"].get(mode, 1.0)
        out.append(f"| {names[mode]} | {s(w['median_s'][mode])} | {ratio(rw)} | "
                   f"{s(e['median_s'][mode])} | {ratio(re_)} |")
    if not iso["bwrap_runs"]:
        out += ["", "bubblewrap could not run on this machine: no `bwrap` row."]

    files = ", ".join(f"{n} {k}" for k, n in cls["day_files"].items())
    out += ["", f"**A class** of {cls['learners']} learners x 7 days (day files: {files}), "
            f"`python -m graders grade-class`, JOBS in the order "
            f"{', '.join(map(str, cls['order']))}.", "",
            "| JOBS | each run | median | learners a minute |", "| --- | --- | --- | --- |"]
    out += [f"| {j} | {', '.join(f'{x:.0f} s' for x in cls['seconds'][j])} | "
            f"{cls['median_s'][j]:.0f} s | {cls['learners_per_minute'][j]:.1f} |"
            for j in ("1", "2")]

    rows = vs["rows"]
    fo, fs, eo, es = (vs[k] for k in ("full_ours", "full_sklearn", "early_ours",
                                      "early_sklearn"))
    n = len(vs["seeds"])

    def acc(x):
        return (f"{pct(x['test_accuracy'])} ({pct(x['test_accuracy_min'])} to "
                f"{pct(x['test_accuracy_max'])})")

    def maybe(x, fmt):
        return fmt(x) if x is not None else "not reached"

    out += ["", f"**Day 7 against scikit-learn**: the kit's split ({rows['train']} training "
            f"rows, {rows['test']} test rows) for both, BLAS on one thread for both, medians "
            f"over {n} seeds (test accuracy: median, lowest to highest). To 97%: a stratified "
            f"fifth of the training part ({rows['validation']} rows, drawn anew for each seed, "
            f"the same for both) is held out and checked after every epoch; both train on the "
            f"other {rows['fit']} rows, at most 1000 epochs; a seed that never gets there counts"
            " as the slowest. \"In one call\" trains a fresh model that many epochs "
            "(`MLPClassifier`: one `fit`, which shuffles in its own order); \"the checked run\""
            " is the one-epoch calls themselves (`partial_fit` checks its input on each call).",
            "", "| | the reference: `NeuralNetwork(64, 64, 10)` + `train` | "
            "`MLPClassifier(hidden_layer_sizes=(64,))` |", "| --- | --- | --- |",
            f"| full fit with its defaults: wall time | {s(fo['s'])} | {s(fs['s'])} |",
            f"| full fit: epochs | {fo['epochs']:.0f} | {fs['epochs']:.0f} |",
            f"| full fit: test accuracy | {acc(fo)} | {acc(fs)} |",
            f"| to 97% validation accuracy: seeds that get there | {eo['reached']} of {n} | "
            f"{es['reached']} of {n} |",
            f"| to 97%: epochs | {maybe(eo['epochs'], '{:.0f}'.format)} | "
            f"{maybe(es['epochs'], '{:.0f}'.format)} |",
            f"| to 97%: wall time in one call | {maybe(eo['s'], s)} | {maybe(es['s'], s)} |",
            f"| to 97%: wall time of the checked run | {maybe(eo['stepwise_s'], s)} | "
            f"{maybe(es['stepwise_s'], s)} |",
            f"| to 97%: test accuracy where it stopped | {acc(eo)} | {acc(es)} |",
            "", f"The reference's full fit runs at {vs['ours_gflops']:.1f} GFLOP/s against a "
            f"single-core float64 matrix-product peak of {vs['peak_gflops']:.1f} GFLOP/s "
            f"measured in the same run: its {rows['train']} x 64 x 64 products are too small "
            "to reach peak."]
    return "\n".join(out) + "\n"


def splice(text, block):
    """README text with `block` between the markers."""
    head, sep, rest = text.partition(START)
    if not sep or END not in rest:
        raise SystemExit(f"bench: README.md has no {START!r} ... {END!r} markers")
    return head + START + "\n" + block + END + rest.partition(END)[2]


def current(text):
    """What README text holds between the markers."""
    return text.partition(START)[2].partition(END)[0].removeprefix("\n")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    block = render(json.loads(RESULTS.read_text()))
    text = README.read_text()
    if "--check" in argv:
        if current(text) != block:
            print("bench: README.md's performance tables differ from bench/results.json; "
                  "run `python -m bench.readme`", file=sys.stderr)
            return 1
        return 0
    README.write_text(splice(text, block))
    return 0


if __name__ == "__main__":
    sys.exit(main())
