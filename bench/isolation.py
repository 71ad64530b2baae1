"""The cost of isolation: the same grader tests on the reference (days 1-6) through the sandboxed
worker versus in-process calls (`engine.grade(..., sandbox="none")`, a mode only the benchmark
uses), in every mode: none, process, bwrap (where it runs). Two ways:

- warm: all modes in one warm Python process, rounds alternating the modes, after one untimed
  round of each (the comparison the target was set on);
- end to end: a fresh Python process per day and mode, as `make grade DAY=N` runs.

Day 7 is left out: in-process, main() cannot train on a second worker beside the gate, so the two
sides would not run the same schedule.
"""
import json

from bench.common import median, python, run, say, wall

DAYS = range(1, 7)

WARM = """
import json, sys, time
from graders import engine
modes, rounds, out = sys.argv[1].split(","), int(sys.argv[2]), sys.argv[3]
def once(mode, day):
    start = time.perf_counter()
    engine.grade(day, "reference", f"{out}/{mode}", 1, mode)
    return time.perf_counter() - start
for mode in modes:
    for day in range(1, 7):
        once(mode, day)
seconds = {m: [] for m in modes}
for r in range(rounds):
    for mode in (modes if r % 2 == 0 else modes[::-1]):
        seconds[mode].append(sum(once(mode, day) for day in range(1, 7)))
print(json.dumps(seconds))
"""

COLD = """
import sys
from graders import engine
engine.grade(int(sys.argv[3]), "reference", sys.argv[2], 1, sys.argv[1])
"""


def modes():
    """none, process, and bwrap where it runs on this machine."""
    from graders import sandbox
    return ["none", "process"] + (["bwrap"] if sandbox.bwrap_works() else [])


def measure(tmp, warm_rounds, cold_rounds):
    found = modes()
    say(f"isolation, warm: {warm_rounds} rounds of {', '.join(found)}")
    warm = json.loads(run(python("-c", WARM, ",".join(found), warm_rounds, tmp / "warm")))
    cold = {m: [] for m in found}
    for r in range(cold_rounds):
        say(f"isolation, end to end, round {r + 1} of {cold_rounds}")
        for mode in (found if r % 2 == 0 else found[::-1]):
            cold[mode].append(sum(wall(python("-c", COLD, mode, tmp / "cold", day))
                                  for day in DAYS))
    result = {"days": list(DAYS), "modes": found, "bwrap_runs": "bwrap" in found}
    for how, seconds in (("warm", warm), ("end_to_end", cold)):
        med = {m: median(s) for m, s in seconds.items()}
        result[how] = {"median_s": med, "ratio": {m: med[m] / med["none"] for m in found
                                                  if m != "none"},
                       "samples_s": seconds}
    return result
