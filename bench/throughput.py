"""Class throughput: a synthetic class of learners x 7 days graded by `grade-class` at JOBS=1 and
JOBS=2, the two settings alternated (1, 2, 2, 1, ...) so a change in the machine's load hits both
alike; medians of the rounds."""
import random
import shutil
import time
import tomllib

from bench.common import ROOT, median, python, run, say

# The mix of a class at the end of the week (fractions of the class; mutants fill the rest):
# most learners finished every day, half of them with a bug or two, some stopped early, a couple
# never started, a few hand in a file that cannot be graded at all.
MIX = {"reference": 0.25, "partial": 0.125, "stubs": 0.05, "broken": 0.075}
BROKEN = (  # (day, what is done to its file): one of each, in turn
    (4, "syntax"),     # a file cut off in the middle of a function
    (5, "missing"),    # a day file left out of the hand-in
    (3, "forbidden"),  # scipy's softmax instead of one's own
)


def mutants():
    """{day: [mutant]} from tests/mutants/dayN.toml."""
    return {int(p.stem[3:]): tomllib.loads(p.read_text())["mutant"]
            for p in sorted((ROOT / "tests" / "mutants").glob("day*.toml"))}


def plan(size, seed=0):
    """What each learner hands in: [{day: state}], a state being reference, stubs, missing,
    syntax, forbidden or ("mutant", name). Fixed by `seed`."""
    rng = random.Random(seed)
    counts = {kind: round(size * share) for kind, share in MIX.items()}
    kinds = [k for k, n in counts.items() for _ in range(n)]
    kinds += ["mutants"] * (size - len(kinds))
    rng.shuffle(kinds)
    found, learners, broken = mutants(), [], 0
    for kind in kinds:
        days = {d: "reference" for d in range(1, 8)}
        if kind == "stubs":
            days = dict.fromkeys(days, "stubs")
        elif kind == "partial":  # stopped after day 2 to 6, maybe with a bug on the way
            stop = rng.randint(2, 6)
            days.update({d: "stubs" for d in range(stop + 1, 8)})
            if rng.random() < 0.5:
                d = rng.randint(1, stop)
                days[d] = ("mutant", rng.choice(found[d])["name"])
        elif kind == "mutants":  # one bug, sometimes two, on any day
            for d in rng.sample(range(1, 8), rng.choice((1, 1, 2))):
                days[d] = ("mutant", rng.choice(found[d])["name"])
        elif kind == "broken":
            day, how = BROKEN[broken % len(BROKEN)]
            broken += 1
            days[day] = how
        learners.append(days)
    return learners


def write(folder, learners):
    """The learners' folders under `folder`."""
    found = {d: {m["name"]: m for m in ms} for d, ms in mutants().items()}
    for i, days in enumerate(learners):
        dest = folder / f"learner{i:02d}"
        dest.mkdir(parents=True)
        for day, state in days.items():
            name = f"day{day}.py"
            if state == "missing":
                continue
            source = (ROOT / ("exercises" if state == "stubs" else "reference") / name).read_text()
            if isinstance(state, tuple):
                m = found[day][state[1]]
                source = source.replace(m["old"], m["new"])
            elif state == "syntax":
                source = source[:len(source) // 2]
            elif state == "forbidden":
                source = source.replace("import numpy as np",
                                        "import numpy as np\nfrom scipy.special import softmax", 1)
            (dest / name).write_text(source)


def census(learners):
    """How many day files of the class are in each state."""
    counts = {}
    for days in learners:
        for state in days.values():
            key = state[0] if isinstance(state, tuple) else state
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def order(rounds):
    """JOBS settings in ABBA order: 1, 2, 2, 1, 1, 2, ..."""
    return [j for r in range(rounds) for j in ((1, 2) if r % 2 == 0 else (2, 1))]


def measure(tmp, size, rounds):
    learners = plan(size)
    subs = tmp / "class"
    write(subs, learners)
    seconds = {1: [], 2: []}
    for i, jobs in enumerate(order(rounds)):
        say(f"class of {size}, JOBS={jobs} ({i + 1} of {2 * rounds})")
        out = tmp / f"reports{i}"
        start = time.perf_counter()
        run(python("-m", "graders", "grade-class", "--submissions", subs, "--out", out,
                   "--jobs", jobs, "--seed", 1, "--force"))
        seconds[jobs].append(time.perf_counter() - start)
        shutil.rmtree(out)
    med = {j: median(s) for j, s in seconds.items()}
    return {
        "learners": size, "days": 7, "rounds": rounds, "order": order(rounds),
        "day_files": census(learners),
        "seconds": seconds,
        "median_s": med,
        "learners_per_minute": {j: 60 * size / s for j, s in med.items()},
        "speedup": med[1] / med[2],
    }
