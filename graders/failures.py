"""The verdicts a check can raise. Each carries the message a learner reads and the status the
report gives the check (SPEC section 6)."""


class Failure(AssertionError):
    """A check failed; the message is for the learner."""
    status = "failed"


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
