"""The verdicts a check can raise. Each carries the message a learner reads and the status the
report gives the check (SPEC section 6)."""


class Failure(AssertionError):
    """A check failed; the message is for the learner. `hidden` is what a hidden check may
    show of it: the cause without the expected values (None: only the check's name)."""
    status = "failed"

    def __init__(self, message="", hidden=None, about_property=False):
        super().__init__(message)
        self.hidden = hidden
        self.about_property = about_property  # the check saw its own property broken


def told(message, about_property=False):
    """A Failure whose whole message may be shown by a hidden check too (it holds what the
    learner's code did, never an expected value)."""
    return Failure(message, hidden=message, about_property=about_property)


class NotStarted(Failure):
    """The learner's code still raises NotImplementedError."""
    status = "not_started"


class Timeout(Failure):
    """A call ran past its deadline."""
    status = "timeout"


class Crash(Failure):
    """The learner's process died during a call."""
    status = "error"


class Ungradable(Failure):
    """The submission file is missing, does not parse, or fails on import."""
    status = "ungradable"


class PolicyViolation(Failure):
    """The submission imports something the rules forbid."""
    status = "policy_violation"
