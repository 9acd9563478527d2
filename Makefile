# Social media strategy workbook. `make` alone lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CLIENT ?= demo
KERNEL := social-workbook
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help env report test check lab lint format docs demo-data b2b-data clean clean-reports batch bench browser

help: ## list the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

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

batch: $(STAMP) ## run every client in parallel (CLIENTS="a b" for some, WORKERS=n), then a summary
	$(BIN)/workbook batch $(if $(CLIENTS),$(CLIENTS),--all) $(if $(WORKERS),--workers $(WORKERS),)

bench: $(STAMP) ## wall time, peak memory: warm report vs naive series, big inputs, runs, batches
	$(BIN)/python -m bench.bench $(BENCH_ARGS)

test: $(STAMP) ## run the whole test suite (unit, notebooks end to end, deliverables in Chromium)
	$(BIN)/python -m pytest

check: $(STAMP) ## the inner loop: lint, notebook outputs, unit tests (tests/unit)
	$(BIN)/ruff check .
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb
	$(BIN)/python -m pytest -q tests/unit

# Headless Chromium (Debian's package) for the browser tests and `workbook run --pdf`; Playwright
# drives it and never downloads a browser of its own. Installed with apt-get when root, else advised.
browser: ## install Debian's chromium (browser tests, --pdf) when it is missing
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
	  echo "chromium: $$(command -v chromium || echo /usr/bin/chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium with apt-get (browser tests, PDF)..."; \
	  { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium fonts-liberation >/dev/null; } \
	  || echo "chromium could not be installed: the browser tests will be skipped, saying why"; \
	else \
	  echo "chromium not found: 'sudo apt-get install chromium' to run the browser tests (skipped until then)"; \
	fi

lab: $(STAMP) ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

lint: $(STAMP) ## ruff and the notebook-output check
	$(BIN)/ruff check .
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb

format: $(STAMP) ## format the code and strip notebook outputs
	$(BIN)/ruff format helpers tests bench
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

docs: $(STAMP) ## write docs/kpis.md, the KPI reference, from the KPI registry (helpers/kpis/registry.yaml)
	$(BIN)/python -m helpers.kpis.docs

demo-data: $(STAMP) ## regenerate the demo client's data, then its follow-up scenario (byte-identical unless a generator changed)
	$(BIN)/python -m tools.demo
	$(BIN)/python -m tools.demo.followup

b2b-data: $(STAMP) ## regenerate the second test client, brightlane (UK B2B; byte-identical unless its generator changed)
	$(BIN)/python -m tools.clients.b2b

clean-reports: ## WARNING: deletes every run folder under reports/
	@echo "Deleting reports/*/ (run folders) in 3 s, Ctrl-C to keep them"; sleep 3
	find reports -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

clean: ## remove the local environment and caches (reports are kept)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
