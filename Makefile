# Two commands do all the set-up:  `make run` starts the workshop, `make test` checks it.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8501
BIN    := $(VENV)/bin
AXE    := tests/browser/node_modules/axe-core/axe.min.js
# Test processes: one a core and one more, for the time browser and server tests wait;
# idle ones take over waiting tests (worksteal). Two a core took the same time on two
# cores and a fifth more CPU, as processes starved each other's browsers and servers.
WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")

.PHONY: run prepare test translations screenshots clean

run: $(VENV)/.installed-run
	@echo ""
	@echo "  Participants open:  $$($(BIN)/python -m workshop.network $(PORT))"
	@echo "  (on this laptop:    http://localhost:$(PORT))"
	@echo ""
	$(BIN)/python -m workshop.serve --port $(PORT)

# Optional, e.g. the day before: work out every scenario's simulations now (kept in var/cache)
prepare: $(VENV)/.installed-run
	$(BIN)/python -m workshop.warm_up

test: $(VENV)/.installed-dev $(AXE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

# Every message people see, extracted into locales/messages.pot and merged into each
# language's catalogue (translate the new entries in locales/cy/LC_MESSAGES/messages.po)
translations: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k N_ --add-location=file --sort-by-file \
		--project=policing-ai-workshop --copyright-holder="the workshop's authors" \
		-o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --previous

# Refresh docs/screenshots/ on purpose (the tests never write there)
screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# axe-core, for the accessibility checks in the browser tests (skipped without npm)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund; \
	else echo "npm not found: browser accessibility checks will fail"; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
