"""The graders are fair: correct solutions written differently score full marks."""
from pathlib import Path

import pytest

from conftest import grade

VALID = Path(__file__).parent / "valid"
CASES = [pytest.param(folder, int(f.stem[3:]), id=f"{folder.name}-{f.stem}")
         for folder in sorted(p for p in VALID.iterdir() if p.is_dir())
         for f in sorted(folder.glob("day*.py"))]


@pytest.mark.parametrize("folder, day", CASES)
@pytest.mark.parametrize("seed, sandbox", [(1, None), (2, "process")], ids=["1", "2"])
def test_valid_solution_scores_full_marks(folder, day, seed, sandbox, submission, tmp_path):
    """Two seeds: the first in the sandbox `auto` picks (bwrap where it runs), the second in
    process mode."""
    report = grade(day, submission(folder), tmp_path / "out", seed=seed, sandbox=sandbox)
    failed = {t["name"]: t["message"] for t in report["tests"] if t["status"] != "passed"}
    assert report["status"] == "passed", failed


def test_the_corpus_has_eight_solutions():
    assert len({c.values[0] for c in CASES}) >= 8
