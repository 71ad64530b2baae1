# The kit's commands. The first `make` creates .venv and installs what pyproject.toml lists.
PYTHON ?= python3
PY := .venv/bin/python
SUBMISSION ?= exercises
REPORTS ?= reports
DAY ?=
SEED ?=

SUBMISSIONS ?= submissions
DAYS ?=
JOBS ?=
BUDGET ?=
FORCE ?=

.PHONY: grade progress test test-fast setup grade-class student-kit autograder watch hint bench \
	notebooks help
.DEFAULT_GOAL := grade

setup: .venv/ready  ## create .venv and install what pyproject.toml lists

.venv/ready: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[notebook]"
	@touch $@

grade: .venv/ready  ## grade one day (DAY=N) or every day, then show progress
	@$(PY) -m graders grade $(if $(DAY),--day $(DAY)) $(if $(SEED),--seed $(SEED)) \
		--submission $(SUBMISSION) --out $(REPORTS)

progress: .venv/ready  ## all seven days from the latest reports
	@$(PY) -m graders progress --submission $(SUBMISSION) --out $(REPORTS)

# On every core: each test goes to a free worker, except four files run whole by one (the
# hostile corpus shares fixed ports and folders, the others costly module fixtures): see
# tests/conftest.py. One BLAS thread per process: two tests already share two cores.
test: .venv/ready  ## the kit's own test suite, on every core
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -n auto

test-fast: .venv/ready  ## the inner loop: a sample of every corpus, under a minute
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -n auto --fast

grade-class: .venv/ready  ## grade every learner of SUBMISSIONS=dir (DAYS=1-7 JOBS=n)
	@$(PY) -m graders grade-class --submissions $(SUBMISSIONS) --out $(REPORTS) \
		$(if $(DAYS),--days $(DAYS)) $(if $(JOBS),--jobs $(JOBS)) \
		$(if $(BUDGET),--budget $(BUDGET)) $(if $(FORCE),--force)

notebooks: .venv/ready  ## notebooks/dayN.ipynb from exercises/dayN.py (FORCE=1 rewrites)
	@$(PY) -m graders notebooks $(if $(FORCE),--force)

student-kit: .venv/ready  ## dist/student-kit/ and dist/student-kit.zip
	@$(PY) -m graders student-kit

autograder: .venv/ready  ## dist/autograder.zip for Gradescope
	@$(PY) -m graders autograder

watch: .venv/ready  ## re-grade DAY=N on every save of its file
	@$(PY) -m graders watch --day $(DAY) --submission $(SUBMISSION) --out $(REPORTS)

hint: .venv/ready  ## the next hint for the first failing check of DAY=N
	@$(PY) -m graders hint --day $(DAY) --submission $(SUBMISSION) --out $(REPORTS)

bench: .venv/ready  ## the benchmark suite: writes bench/results.json and the README tables
	@OPENBLAS_NUM_THREADS=1 $(PY) -m bench

help:  ## this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)
