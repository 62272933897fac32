# pianodiff: the whole set-up. A newcomer types `make demo` or `make test`; nothing else by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    ?= $(VENV)/bin
# torch: a CPU build by default. On this project's machines `pip install torch==2.13.0` finds a local
# CPU wheel. Elsewhere, set TORCH_INDEX=https://download.pytorch.org/whl/cpu (CPU) or
# TORCH_SPEC=torch TORCH_INDEX= (CUDA, from PyPI); see the README. A torch already importable in
# the venv is kept as it is.
TORCH_SPEC  ?= torch==2.13.0
TORCH_INDEX ?=
INSTALLED := $(VENV)/.installed
DEV       := $(VENV)/.installed-dev

.PHONY: demo test docs install dev system-deps check-sync lint nbtest pytest clean help

help:
	@echo "make demo   - set up .venv and run the demo (writes into out/)"
	@echo "make test   - set up .venv with dev tools, check notebooks and module agree, run all tests"
	@echo "make docs   - build the docs (Quarto site, or a static preview in _site_preview/ without Quarto)"

# Debian's own python3 needs python3-venv for this; installed where we are root.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && rm -rf $(VENV) && apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import torch" 2>/dev/null \
	  || $(BIN)/pip install -q "$(TORCH_SPEC)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/pip install -q -e '.[book]'
	@touch $@

$(DEV): $(INSTALLED)
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(INSTALLED)
dev: $(DEV)

# FluidSynth (piano sound) and Chromium (the docs test) are system packages. Installed where we are
# root on Debian/Ubuntu; elsewhere the audio falls back to sine synthesis and the browser test skips.
system-deps:
	@if ldconfig -p 2>/dev/null | grep -q libfluidsynth && command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing system packages: fluidsynth chromium"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fluidsynth chromium >/dev/null) \
	    || echo "warning: apt-get could not install fluidsynth/chromium; audio falls back to sine synthesis, the browser test skips"; \
	else echo "note: not root on Debian: install FluidSynth and Chromium yourself for piano sound and the browser test"; fi

demo: $(INSTALLED) system-deps
	$(BIN)/pianodiff demo --out out

# The package is generated from the notebooks: exporting and cleaning must change nothing.
check-sync: $(DEV)
	@bash tools/check_sync.sh $(BIN)

# Undefined names and unused imports (pyflakes' rules) in everything that is not a notebook.
lint: $(DEV)
	$(BIN)/ruff check --select F pianodiff bench tests tools

nbtest: $(DEV)
	$(BIN)/nbdev-test --timing

pytest: $(DEV)
	$(BIN)/python -m pytest tests -q

test: $(DEV) system-deps check-sync lint nbtest pytest

docs: $(DEV)
	$(BIN)/nbdev-export
	@if command -v quarto >/dev/null; then $(BIN)/nbdev-docs; \
	else $(BIN)/python tools/build_docs.py; fi

clean:
	rm -rf _proc _docs _site_preview out .pytest_cache
