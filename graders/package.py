"""`student-kit` and `autograder`: zips built from explicit lists of the repo's files."""
import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from graders import cli, engine, expected, gradescope

ROOT = Path(__file__).resolve().parents[1]
# What goes in, by construction. The student kit never lists reference/, graders/hidden/ or
# tests/. The autograder holds the reference: a later day is graded against it when an earlier
# day fails, so that bug is charged once (learner code never sees it: see the sandbox).
ENGINE = ["graders/*.py", "graders/*.json", "graders/pytest.ini", "graders/public/*.py"]
KIT = ["exercises/day*.py", "notebooks/day*.ipynb", *ENGINE, "pyproject.toml"]
AUTOGRADER = [*ENGINE, "graders/hidden/*.py", "reference/day*.py", "pyproject.toml"]
STAMP = (2024, 1, 1, 0, 0, 0)  # a fixed date: the same files give the same zip
# The sha256 of each pristine stub (`sha256sum -c` reads it). A manifest rather than git: the
# kit may be built from a copy without .git, and a manifest also refuses stubs that were
# changed and committed. After a deliberate change of a stub: `python -m graders student-kit
# --record-stubs`.
STUBS = ROOT / "graders" / "stubs.sha256"


class Refused(Exception):
    """The student kit cannot be built from this repo as it is."""


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the image: Python, bubblewrap, the kit's dependencies.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv
apt-get install -y -qq bubblewrap \\
  || echo "setup: no bubblewrap; learner code will run in a limited process instead"
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install --quiet --disable-pip-version-check "$ROOT/source"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade $ROOT/submission into $ROOT/results/results.json.
export AUTOGRADER_DAYS="${{AUTOGRADER_DAYS:-{days}}}"
export AUTOGRADER_HIDDEN_VISIBILITY="${{AUTOGRADER_HIDDEN_VISIBILITY:-{visibility}}}"
export AUTOGRADER_SEED="${{AUTOGRADER_SEED:-{seed}}}"  # the course seed: same files, same grade
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
cd "$ROOT/source" && exec "$PYTHON" -m graders gradescope --root "$ROOT"
"""


def add_arguments(parser, name):
    """--out; for the autograder, the settings written into run_autograder."""
    parser.add_argument("--out", default="dist", help="output folder (default: dist)")
    if name == "student-kit":
        parser.add_argument("--record-stubs", action="store_true",
                            help="for kit developers, after changing a stub on purpose: record "
                                 "the hashes of exercises/ as the pristine stubs")
    if name == "autograder":
        parser.add_argument("--days", default="1-7",
                            help="days to grade: 3, 1-7 or 1,2,3 (default 1-7)")
        parser.add_argument("--hidden-visibility", default="after_published",
                            choices=gradescope.VISIBILITIES,
                            help="when learners see hidden checks (default after_published)")
        parser.add_argument("--seed", type=int,
                            help="the course seed written into run_autograder (default: a new "
                                 "one); every learner's inputs derive from it and their files")


def run(args, parser):
    """Build what `args.command` names; exit 3 when a listed part of the repo is missing or
    exercises/ is not the pristine stubs."""
    out = Path(args.out)
    if args.command == "autograder":
        cli.days(parser, args.days)
    try:
        if args.command == "student-kit" and args.record_stubs:
            engine.write_file(STUBS, stub_manifest())
            print(f"Recorded the stubs of exercises/ in {STUBS.relative_to(ROOT)}")
        elif args.command == "student-kit":
            files = student_kit(out)
            print(f"Wrote {out / 'student-kit'}/ and {out / 'student-kit.zip'} "
                  f"({len(files)} files)")
        else:
            seed = engine.new_seed() if args.seed is None else args.seed
            files = autograder(out, args.days, args.hidden_visibility, seed)
            print(f"Wrote {out / 'autograder.zip'} ({len(files)} files): upload it to "
                  "Gradescope as the assignment's autograder")
    except (FileNotFoundError, Refused) as exc:
        print(f"graders: {exc}", file=sys.stderr)
        return 3
    return 0


def stub_manifest():
    """`sha256  exercises/dayN.py` lines for the files of exercises/ as they are now."""
    return "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n"
                   for name, path in select(["exercises/day*.py"]).items())


def check_stubs():
    """Refuse, in one line, when exercises/ is not exactly the recorded pristine stubs."""
    want = dict(line.split()[::-1] for line in STUBS.read_text().splitlines() if line.strip())
    have = dict(line.split()[::-1] for line in stub_manifest().splitlines())
    for name in sorted(want.keys() | have.keys()):
        if want.get(name) != have.get(name):
            why = "is missing" if name not in have else (
                "is not one of the stubs" if name not in want else "differs from the stub")
            raise Refused(f"{name} {why}: the student kit is built from the pristine stubs only "
                          "(git checkout exercises/ restores them)")


def select(patterns):
    """{path in the zip: file in the repo} for every pattern; each must match something."""
    files = {}
    for pattern in patterns:
        found = sorted(p for p in ROOT.glob(pattern) if p.is_file())
        if not found:
            raise FileNotFoundError(f"nothing in {ROOT} matches {pattern}")
        files.update((p.relative_to(ROOT).as_posix(), p) for p in found)
    return files


def student_kit(out):
    """dist/student-kit/ and dist/student-kit.zip: exercises, public graders, engine, the
    learner's Makefile and README, and the public checks' expected values as data."""
    check_stubs()
    files = select(KIT)
    files["Makefile"] = ROOT / "graders" / "student.mk"
    files["README.md"] = ROOT / "graders" / "STUDENT_README.md"
    with tempfile.TemporaryDirectory() as tmp:
        files["graders/expected.npz"] = record_expected(Path(tmp))
    folder = out / "student-kit"
    shutil.rmtree(folder, ignore_errors=True)
    for name, source in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content(source))
    write_zip(out / "student-kit.zip", {f"student-kit/{n}": s for n, s in files.items()})
    return files


def record_expected(tmp):
    """The expected values the public checks ask for with each seed of the kit (the bytes of
    an .npz): the reference graded in this process, the public checks only."""
    expected.recording = recorded = {}
    try:
        for seed in expected.SEEDS:
            for day in engine.DAYS:
                if "expected.value" not in engine.test_files(day)[0].read_text():
                    continue
                result = engine.grade(day, ROOT / "reference", tmp, seed, "none", batch=True,
                                      public_only=True)
                if result["score"] != result["max_score"]:
                    raise Refused(f"the reference fails public checks of day {day} with seed "
                                  f"{seed}, so their expected values cannot be recorded")
    finally:
        expected.recording = None
    expected.save(tmp / "expected.npz", recorded)
    return (tmp / "expected.npz").read_bytes()


def autograder(out, days="1-7", visibility="after_published", seed=0):
    """dist/autograder.zip in Gradescope's layout: setup.sh and run_autograder at the root."""
    files = select(AUTOGRADER)
    files.update({"setup.sh": SETUP_SH,
                  "run_autograder": RUN_AUTOGRADER.format(days=days, visibility=visibility,
                                                               seed=seed)})
    write_zip(out / "autograder.zip", files, executable={"setup.sh", "run_autograder"})
    return files


def content(source):
    """The bytes of a repo file, of generated text or generated bytes."""
    if isinstance(source, Path):
        return source.read_bytes()
    return source if isinstance(source, bytes) else source.encode()


def write_zip(path, files, executable=()):
    """A zip of {name: Path or text}; names in `executable` get mode 755."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, source in files.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.external_attr = (0o100755 if name in executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content(source))
