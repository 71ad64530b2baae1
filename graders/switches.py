"""A switch for the kit's own tests: turn one defence off to show that an attack needs it
(GRADERS_TEST_DISABLE=landlock,seccomp,...). Never set in real grading."""
import os

from graders import limits

# What the test-only switch can turn off (GRADERS_TEST_DISABLE, comma-separated).
TEST_SWITCH = "GRADERS_TEST_DISABLE"
DEFENCES = {
    "rlimits": "the worker's resource limits",
    "landlock": "Landlock (process mode)",
    "seccomp": "the seccomp filter (process mode)",
    "userns": "the user namespace (process mode)",
    "netns": "the network namespace (process mode)",
    "ipcns": "the IPC namespace (process mode)",
    "pidns": "the PID namespace (process mode)",
    "bwrap-caps": "bubblewrap's --cap-drop ALL",
    "bwrap-site": "hiding the base Python's own site-packages (bubblewrap binds its stdlib whole)",
    "disk-cap": "the cap on the worker folder's size (sized tmpfs, or the watch)",
    "reaper": "killing the worker's whole process tree and every orphan",
    "cleanup": "removing the worker folder without recursion",
    "last-words-fd": "reading the worker's stderr through the grader's own descriptor",
    "fork-fds": "closing the fork server's descriptors in a worker it forks (process mode)",
    "import-guard": "the run-time import guard (learner side)",
    "sklearn-standin": "the kit's stand-in for sklearn's data functions in the worker",
    "no-pickle": "refusing pickled arrays on the wire",
    "parse-guard": "a day file the parser cannot build is ungradable, not a crash",
    "escaping": "escaping control characters and lone surrogates in learner text",
}


def disabled(defence):
    """True when the kit's tests turned `defence` off (never in real grading)."""
    return defence in os.environ.get(TEST_SWITCH, "").split(",")


# The kit's own tests may shorten the time limit of a check (the hang attacks wait it out).
TEST_CHECK_S = "GRADERS_TEST_CHECK_S"


def check_seconds():
    """The time limit of one check: limits.CHECK_S, or the shorter one the kit's tests set."""
    value = os.environ.get(TEST_CHECK_S, "")
    return float(value) if value.replace(".", "", 1).isdigit() else limits.CHECK_S
