# Your commands for the week (make help lists them). The first `make` creates .venv and
# installs NumPy, scikit-learn, matplotlib and the graders into it.
PYTHON ?= python3
PY := .venv/bin/python
SUBMISSION ?= exercises
REPORTS ?= reports
DAY ?=
SEED ?=

.PHONY: grade watch hint progress setup help
.DEFAULT_GOAL := help

help:  ## this list
	@echo "make grade DAY=N   grade Day N of your work in exercises/ (leave out DAY= for every day)"
	@echo "make watch DAY=N   grade Day N again every time you save its file (Ctrl-C stops)"
	@echo "make hint DAY=N    the next, more explicit hint for the first failing check of Day N"
	@echo "make progress      your score on every day, from your latest reports"
	@echo "make setup         create .venv (any other command does it first when needed)"
	@echo "Run your own files with .venv/bin/python, e.g. .venv/bin/python exercises/day7.py"

setup: .venv/ready

.venv/ready: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

grade: .venv/ready  ## grade one day (DAY=N) or every day, then show progress
	@$(PY) -m graders grade $(if $(DAY),--day $(DAY)) $(if $(SEED),--seed $(SEED)) \
		--submission $(SUBMISSION) --out $(REPORTS)

watch: .venv/ready  ## re-grade DAY=N on every save of its file
	@$(PY) -m graders watch --day $(DAY) --submission $(SUBMISSION) --out $(REPORTS)

hint: .venv/ready  ## the next hint for the first failing check of DAY=N
	@$(PY) -m graders hint --day $(DAY) --out $(REPORTS)

progress: .venv/ready  ## all seven days from the latest reports
	@$(PY) -m graders progress --out $(REPORTS)
