"""Every limit of the kit in one table: what a learner's code may use, and how long grading may
take. Generous on purpose: a correct solution never meets one. Imported on both sides of the
door (it imports nothing), so the worker and the grader read the same numbers."""

# The worker process (rlimits set before the learner's code starts).
ADDRESS_SPACE_MB = 2048
CPU_S = 600
FILE_SIZE_MB = 16
OPEN_FILES = 256
PROCESSES = 64
DISK_MB = 64                 # all the worker's files together (bwrap: a tmpfs of this size)
DISK_ENTRIES = 10_000        # files and folders in the worker's folder
DISK_DEPTH = 64              # levels of folders in it
DISK_CHECK_S = 0.5           # process mode: how often the folder's size is checked in a call
REAP_S = 5                   # killing and waiting for a worker's escaped processes, at most

# What one call may send back across the door.
OUTPUT_CHARS = 64_000        # learner stdout or stderr kept per call
ERROR_CHARS = 2_000          # of a learner exception's message
WARNINGS = 20                # warnings recorded per call
GENERATOR_ITEMS = 100_000    # items taken from a returned generator
NESTING = 20                 # depth of nested lists/tuples/dicts converted to data
MESSAGE_BYTES = 1 << 30      # one message on the wire

# Time.
CHECK_S = 10                 # one grader check (pytest-timeout)
CALL_MARGIN_S = 1.0          # a call ends this long before its check's limit (at most half of
# it), so that the worker is stopped and the failure reported before pytest-timeout fires
TRAINING_CHECK_S = 120       # a Day 7 check that waits for the shared training run
TRAINING_CALL_S = 100        # the learner's train() or main(), each

# A class.
LEARNER_BUDGET_S = 300       # all days of one learner in grade-class
ZIP_UNPACKED_BYTES = 50 << 20
ZIP_RATIO = 100              # unpacked / packed size of one entry beyond which it is a bomb
ZIP_ENTRIES = 2000

# A learner's files.
DAY_FILE_BYTES = 256 << 10   # a day file larger than this is not read (ungradable)
NOTEBOOK_BYTES = 16 << 20   # a dayN.ipynb (pictures included); the code kept from it: as above
