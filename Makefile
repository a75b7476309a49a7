# Two commands do all the set-up:  `make run` starts the workshop, `make test` checks it.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8501
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

run: $(VENV)/.installed-run
	@echo ""
	@echo "  Participants open:  $$($(BIN)/python -m workshop.network $(PORT))"
	@echo "  (on this laptop:    http://localhost:$(PORT))"
	@echo ""
	$(BIN)/streamlit run app.py --server.address 0.0.0.0 --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
