# The kit's commands. The first `make` creates .venv and installs what pyproject.toml lists.
PYTHON ?= python3
PY := .venv/bin/python
SUBMISSION ?= exercises
REPORTS ?= reports
DAY ?=

.PHONY: grade progress test setup
.DEFAULT_GOAL := grade

setup: .venv/ready

.venv/ready: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

grade: .venv/ready  ## grade one day (DAY=N) or every day, then show progress
	@$(PY) -m graders grade $(if $(DAY),--day $(DAY)) --submission $(SUBMISSION) --out $(REPORTS)

progress: .venv/ready  ## all seven days from the latest reports
	@$(PY) -m graders progress --out $(REPORTS)

test: .venv/ready  ## the kit's own test suite
	$(PY) -m pytest
