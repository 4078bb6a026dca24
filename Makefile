# Two commands are all a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
MODEL  := models/current.tar.gz
# No usage data leaves the machine: every rasa command below runs with telemetry off.
export RASA_TELEMETRY_ENABLED := false

# the tokenizer in config.yml is our code: a change to it changes the model
TRAINING_INPUTS := config.yml domain.yml $(shell find data -type f -name '*.yml' 2>/dev/null | sort) \
	rasa_components/folding_tokenizer.py bot/understanding/text.py

# CPython 3.10: python3.10 on PATH, else pyenv's 3.10 (installed but not on PATH on our machines).
PYTHON310 := $(shell command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null && command -v python3.10)
ifeq ($(PYTHON310),)
PYTHON310 := $(shell p=$$(pyenv prefix 3.10 2>/dev/null | head -n1); [ -x "$$p/bin/python3.10" ] && echo "$$p/bin/python3.10")
endif

.PHONY: help install train run test bench validate clean eval walk lint

help:
	@echo "make run    - install, train if needed, start Rasa ($${RASA_PORT:-5005}), actions ($${ACTIONS_PORT:-5055}), web ($${WEB_PORT:-8080})"
	@echo "make test   - install, train if needed, run every test"
	@echo "make train  - train the model if data/, domain.yml or config.yml changed"
	@echo "make bench  - load benchmark, writes bench/results.json"
	@echo "make eval   - NLU and understanding figures per language, writes eval/results.json"
	@echo "make walk   - the every-path walker over all paths (make test walks a fixed-seed sample)"
	@echo "make lint   - ruff check (pyflakes + pycodestyle) and ruff format --check, also run by make test"

$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "ERROR: CPython 3.10 is required (Rasa 3.6 does not run on 3.11+)." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10.13' or your OS package python3.10 with venv, then re-run." >&2; \
	  exit 1; fi
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.3.1"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	$(PY) -m pip check
	@touch $@

# The chat widget (botfront's rasa-webchat, pinned in package-lock.json), served by the web service.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --omit=dev --loglevel=error
	@touch $@

# Debian's chromium for the browser tests (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests..."
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

install: $(VENV)/.installed node_modules/.installed

# Rasa is only retrained when its inputs change; fixed seeds in config.yml keep it reproducible.
$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed
	@mkdir -p models
	PYTHONWARNINGS=ignore SQLALCHEMY_SILENCE_UBER_WARNING=1 $(RASA) train --fixed-model-name current --out models --quiet
	@touch $@

train: $(MODEL)

validate: install
	$(RASA) data validate --fail-on-warnings

run: $(MODEL) node_modules/.installed
	$(PY) -m tools.stack

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(MODEL) node_modules/.installed $(CHROMIUM) lint
	$(PY) -m pytest -p no:cacheprovider

bench: $(MODEL)
	$(PY) -m tools.bench

# Every question x every kind of answer x four languages through the real model and actions (issue 12).
walk: $(MODEL)
	WALK=all $(PY) -m pytest -p no:cacheprovider tests/test_every_path.py -q -s

# Per language: intents (shipped model and a linear baseline), understanding, fallback threshold.
eval: $(MODEL)
	$(PY) -m tools.eval

clean:
	rm -rf $(VENV) models/*.tar.gz .rasa results run node_modules
