# Safeboard: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Chromium for browser tests; Pango and HarfBuzz for WeasyPrint (PDF);
# poppler-utils to read PDFs in tests; python3-venv for the virtual environment.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core poppler-utils python3-venv
RUN_ENV := DEBUG=1 DEMO=1
FRONTEND_SOURCES := $(shell find frontend -type f -not -name _modules.scss 2>/dev/null) \
	$(shell find safeboard -path "*/styles/*.scss" 2>/dev/null)

.PHONY: install system-deps run serve test test-fast lint typecheck migrations-check check bench \
	demo clean

install: $(BIN)/.installed safeboard/static/dist/.built

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "Installing system packages:" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/.installed: pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@$(MAKE) --no-print-directory system-deps
	npm ci --no-audit --no-fund
	@touch $@

safeboard/static/dist/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run build

run: install
	$(RUN_ENV) $(BIN)/python -m safeboard migrate --noinput -v0
	$(RUN_ENV) $(BIN)/python -m safeboard demo load --if-empty
	@echo
	@echo "Safeboard is starting at http://127.0.0.1:8000 (press Ctrl+C to stop)."
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/python -m safeboard db_worker --interval 2 >/dev/null 2>&1 & \
	$(RUN_ENV) $(BIN)/python -m safeboard runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n 2 --dist loadgroup

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy safeboard

migrations-check: install
	$(BIN)/python -m safeboard makemigrations --check --dry-run

check: lint typecheck migrations-check test

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules safeboard/static/dist staticfiles
