"""Helpers of the kit's own tests: build submissions, grade them in a fresh process."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "reference"
EXERCISES = ROOT / "exercises"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def run_graders(*args, cwd=ROOT, env=None, timeout=600):
    """`python -m graders ARGS` in a fresh process (ENV plus `env`); the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "graders", *map(str, args)], cwd=cwd,
                          env=dict(ENV, **(env or {})), capture_output=True, text=True,
                          timeout=timeout)


def grade(day, folder, out, seed=1, sandbox=None):
    """Grade one day of `folder` (with `--sandbox sandbox` when given); returns the report."""
    done = run_graders("grade", "--day", day, "--submission", folder, "--out", out,
                       "--seed", seed, *(["--sandbox", sandbox] if sandbox else []))
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads((Path(out) / f"day{day}.json").read_text())


def compose(dest, *overlays, base=REFERENCE):
    """A submission folder: a copy of `base`, then the files of each overlay folder on top."""
    dest = Path(dest)
    shutil.copytree(base, dest, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in overlays:
        for f in Path(folder).glob("day*.py"):
            shutil.copy(f, dest / f.name)
    return dest


@pytest.fixture
def submission(tmp_path):
    """compose() into this test's temporary folder."""
    return lambda *overlays, base=REFERENCE: compose(tmp_path / "sub", *overlays, base=base)
