"""What every command shares: one-line usage errors, and the options and values they all read
(a day, a set of days, the sandbox, a seed)."""
import argparse

from graders import engine, expected, sandbox
from graders.submission import DAYS


class Parser(argparse.ArgumentParser):
    """Usage errors are one line and exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message}\n")


def add_sandbox(parser):
    """The --sandbox option of every command that grades."""
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "process"),
                        help="where learner code runs (auto: bubblewrap where it works)")


def sandbox_of(args, parser):
    """The sandbox to use, or a usage error when the requested one cannot run."""
    try:
        return sandbox.choose(args.sandbox)
    except RuntimeError as exc:
        parser.error(str(exc))


def seed(parser, value):
    """--seed, or a fresh seed; the student kit grades only with the seeds it holds expected
    values for."""
    if value is None:
        return engine.new_seed()
    if engine.STUDENT_KIT and value not in expected.SEEDS:
        parser.error(f"SEED={value}: this student kit grades with the seeds "
                     f"{expected.SEEDS[0]} to {expected.SEEDS[-1]} only")
    return value


def day(parser, text, command="grade"):
    """'3' -> 3; a missing day or anything else is a usage error."""
    if not text:
        parser.error(f"which day? e.g. make {command} DAY=3")
    if not text.isdigit() or int(text) not in DAYS:
        parser.error(f"unknown day {text!r}: choose a day from 1 to 7")
    return int(text)


def parse_days(text):
    """'1-7' -> [1, ..., 7], '1,3' -> [1, 3], '4' -> [4]; None when not days of the week."""
    found = set()
    for part in text.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or not (last if dash else first).isdigit():
            return None
        lo, hi = int(first), int(last if dash else first)
        if not min(DAYS) <= lo <= hi <= max(DAYS):
            return None
        found.update(range(lo, hi + 1))
    return sorted(found)


def days(parser, text):
    """parse_days, or a usage error."""
    return parse_days(text) or parser.error(
        f"bad --days {text!r}: give days from 1 to 7, like 1-7, 3 or 1,3,5")
