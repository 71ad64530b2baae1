"""The README's performance tables are bench/results.json written out: regenerated here from the
committed results (the benchmark itself is not run), they must equal what README.md holds, so a
hand edit or a table left stale by a new run fails."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import readme  # noqa: E402
from bench.verdicts import judge  # noqa: E402

RESULTS = json.loads(readme.RESULTS.read_text())
TEXT = readme.README.read_text()


def test_the_readme_holds_the_tables_written_from_results_json():
    assert TEXT.count(readme.START) == 1 and TEXT.count(readme.END) == 1
    assert readme.current(TEXT) == readme.render(RESULTS), \
        "README.md's performance tables differ from bench/results.json: run python -m bench.readme"


def test_every_target_of_issues_6_and_13_has_a_verdict_in_the_readme():
    block = readme.current(TEXT)
    keys = {v["key"] for v in judge(RESULTS)}
    assert keys == {"days", "stubs", "day7", "isolation_process", "isolation_bwrap", "class",
                    "speedup", "sklearn", "watch"}
    for v in judge(RESULTS):
        if v["holds"] is not None:
            assert f"| {v['target']} |" in block
            assert block.split(f"| {v['target']} |")[1].split("\n")[0].rstrip().endswith(
                "| holds |" if v["holds"] else "| **missed** |")


def test_a_changed_number_changes_the_tables():
    changed = json.loads(json.dumps(RESULTS))
    changed["latency"]["grade_s"]["1"]["reference"] += 0.5
    assert readme.render(changed) != readme.current(TEXT)


def test_the_targets_are_those_first_set_in_issues_6_and_13():
    from bench.common import TARGETS
    assert TARGETS == {"day_s": 1.5, "stub_s": 1.0, "day7_over_training": 1.5, "isolation": 1.5,
                       "class_s": 240, "speedup": 1.7, "accuracy": 0.97, "watch_s": 0.5}


def test_a_slow_watch_is_a_miss_and_a_quick_one_holds():
    r = json.loads(json.dumps(RESULTS))
    r["watch"] = {"saves": 3, "date": "2026-11-30", "load": [0.1, 0.1],
                  "median_s": {str(d): 0.3 for d in range(1, 7)}}
    assert {v["key"]: v["holds"] for v in judge(r)}["watch"] is True
    r["watch"]["median_s"]["4"] = 0.6
    assert {v["key"]: v["holds"] for v in judge(r)}["watch"] is False
    assert "Watch (measured on" in readme.render(r)


def test_a_slow_day_7_stub_and_a_slow_warm_worker_are_misses():
    r = json.loads(json.dumps(RESULTS))
    r["latency"]["grade_s"]["7"]["exercises"] = 1.2
    r["isolation"]["warm"]["ratio"]["process"] = 1.6
    verdicts = {v["key"]: v["holds"] for v in judge(r)}
    assert verdicts["stubs"] is False and verdicts["isolation_process"] is False
    r["latency"]["grade_s"]["7"]["exercises"] = 0.9
    r["isolation"]["warm"]["ratio"]["process"] = 1.4
    r["latency"]["grade_s"].update({d: {"reference": 0.5, "exercises": 0.5} for d in "123456"})
    verdicts = {v["key"]: v["holds"] for v in judge(r)}
    assert verdicts["stubs"] is True and verdicts["isolation_process"] is True
