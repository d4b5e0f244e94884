# Two commands for a fresh machine with Python >= 3.11: `make demo` and `make test`.
# The virtual environment is (re)installed only when pyproject.toml changed.

PYTHON ?= python3
VENV ?= .venv
CORE_VENV ?= .venv-core
PY := $(VENV)/bin/python
ARGS ?=
PYTEST_ARGS ?=

.PHONY: demo test test-core lint bench clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Slim Maatwerk needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-gui: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[gui]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[gui,dev]'
	@touch $@ $(VENV)/.installed-gui

demo: $(VENV)/.installed-gui
	$(PY) -m slimmaatwerk demo $(ARGS)

# The whole suite: core, storage on SQLite (and PostgreSQL when SLIM_TEST_POSTGRES_URL is set),
# a real mosquitto, and the Qt GUI offscreen; then the architecture contract.
test: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)
	$(VENV)/bin/lint-imports --config pyproject.toml

# The core tests in an environment without PySide6: proves the core never needs Qt.
$(CORE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CORE_VENV)/bin/python -m pip install --quiet -e . pytest pytest-timeout hypothesis
	@touch $@

test-core: $(CORE_VENV)/.installed
	@! $(CORE_VENV)/bin/python -c 'import PySide6' 2>/dev/null || (echo "PySide6 must not be installed in $(CORE_VENV)"; exit 1)
	$(CORE_VENV)/bin/python -m pytest -p no:pytestqt --ignore=tests/gui $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check slimmaatwerk tests
	$(VENV)/bin/lint-imports --config pyproject.toml

clean:
	rm -rf $(VENV) $(CORE_VENV) build dist *.egg-info

# The Linux desktop bundle (dist/slimmaatwerk/slimmaatwerk) and its tarball; see packaging/README.md.
.PHONY: package
package: $(VENV)/.installed-gui
	$(PY) -m pip install --quiet -e '.[gui,package]'
	PYTHON=$(PY) packaging/build.sh
