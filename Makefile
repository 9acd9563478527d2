# Social media strategy workbook. `make` alone lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CLIENT ?= demo
KERNEL := social-workbook
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help env report test lab lint format demo-data clean clean-reports

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The environment is rebuilt when pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (social workbook)"
	@touch $(STAMP)

env: $(STAMP) ## create or update the local environment (.venv) and its Jupyter kernel

report: $(STAMP) ## run the whole series for the demo client (CLIENT=name for another) into reports/
	$(BIN)/workbook run $(CLIENT)

test: $(STAMP) ## run the test suite (unit, notebooks end to end, hygiene)
	$(BIN)/python -m pytest

lab: $(STAMP) ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

lint: $(STAMP) ## ruff and the notebook-output check
	$(BIN)/ruff check .
	$(BIN)/nbstripout --verify notebooks/*.ipynb

format: $(STAMP) ## format the code and strip notebook outputs
	$(BIN)/ruff format helpers tests
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

demo-data: $(STAMP) ## regenerate the demo client's tables (byte-identical unless the generator changed)
	$(BIN)/python -m helpers.demo

clean-reports: ## WARNING: deletes every run folder under reports/
	@echo "Deleting reports/*/ (run folders) in 3 s, Ctrl-C to keep them"; sleep 3
	find reports -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

clean: ## remove the local environment and caches (reports are kept)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
