"""`make bench`: feedback latency, the cost of isolation, class throughput, Day 7 against
scikit-learn, each judged on the targets of issue 6 exactly as first set.

Every compared number is measured in this one run (the machine is shared and noisy), BLAS pinned
to one thread. Writes bench/results.json, then the README's performance tables from it
(`bench/readme.py`), and prints them.

    python -m bench            the full run (what `make bench` does)
    python -m bench --quick    fewer repeats and a small class, for development: writes
                               bench/results.quick.json only, never the README
"""
import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import isolation, latency, readme, throughput, versus, watch
from bench.common import ROOT, say

FULL = {"latency_runs": 5, "warm_rounds": 5, "cold_rounds": 3, "class_size": 40,
        "class_rounds": 2, "seeds": 7, "watch_saves": 7}
QUICK = {"latency_runs": 1, "warm_rounds": 2, "cold_rounds": 1, "class_size": 6,
         "class_rounds": 1, "seeds": 2, "watch_saves": 3}


def cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def measure(p):
    """Every section, in one run; the results as JSON data."""
    start, load = time.perf_counter(), [os.getloadavg()[0]]
    results = {"date": datetime.date.today().isoformat(),
               "settings": {**p, "tracebacks": "line"}}  # how the graders report a failure
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        tmp = Path(tmp)
        results["latency"] = latency.measure(tmp / "latency", p["latency_runs"])
        results["isolation"] = isolation.measure(tmp / "isolation", p["warm_rounds"],
                                                 p["cold_rounds"])
        results["class"] = throughput.measure(tmp, p["class_size"], p["class_rounds"])
        results["watch"] = watched(tmp / "watch", p["watch_saves"])
    results["day7_vs_sklearn"] = versus.measure(range(p["seeds"]))
    load.append(os.getloadavg()[0])
    results.update({
        "load": load, "duration_s": time.perf_counter() - start,
        "machine": {"cores": os.cpu_count(), "cpu": cpu(), "python": platform.python_version(),
                    "numpy": np.__version__,
                    "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS")},
    })
    return json.loads(json.dumps(results))  # as bench/results.json will read back


def watched(tmp, saves):
    """The watch section, stamped with its own date and load (it may be measured alone)."""
    load = [os.getloadavg()[0]]
    found = watch.measure(tmp, saves)
    load.append(os.getloadavg()[0])
    return {**found, "date": datetime.date.today().isoformat(), "load": load}


def only_watch(p):
    """The watch section alone."""
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        return watched(Path(tmp), p["watch_saves"])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description="the benchmark suite: "
                                     "every target of issue 6 as first set")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats, a class of 6: bench/results.quick.json, no README")
    parser.add_argument("--only-watch", action="store_true",
                        help="measure the watch latency alone and put it, with its own date "
                             "and load, into bench/results.json (the other sections stay)")
    args = parser.parse_args(argv)
    if args.only_watch:
        results = json.loads(readme.RESULTS.read_text())
        results["watch"] = only_watch(QUICK if args.quick else FULL)
    else:
        results = measure(QUICK if args.quick else FULL)
    text = json.dumps(results, indent=2) + "\n"
    if args.quick:
        (ROOT / "bench" / "results.quick.json").write_text(text)
    else:
        readme.RESULTS.write_text(text)
        readme.main([])
        say("wrote bench/results.json and the README's performance tables")
    print(readme.render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
