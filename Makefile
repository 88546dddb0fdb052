# Working Together? — build, test and use the book.
#   make book    install everything into .venv and build the HTML book into _build/html
#   make test    install (if needed) and run every test: lint, unit and property tests,
#                nbval over the chapters, a strict build, browser tests of the built site
# Both work on a fresh machine with Python 3.11; `make test` needs Chromium at
# /usr/bin/chromium for the browser tests (.ci/run installs it from Debian).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: install book clean-book clean serve lab test lint unit notebooks build browser outputs constraints bench student

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet -e ".[cluster]" -c constraints.txt
	@touch $(STAMP)

install: $(STAMP)

# Strict build: any warning or notebook error fails it. Unchanged notebooks come from
# the execution cache, which only knows the notebooks' own code: when the library, its
# data or the book's extension change, the cache is dropped and every page rebuilt; when
# only the book's static files change, every page is written again from the cache.
LIB_HASH = $(shell cat $(sort $(wildcard lib/coopmodels/*.py lib/coopmodels/data/*) \
             $(wildcard book/_ext/*.py)) _config.yml | sha1sum | cut -c1-16)
STATIC_HASH = $(shell cat $(sort $(wildcard book/_static/*.*)) | sha1sum | cut -c1-16)

# While the book is built, explorers carry the kernel-free HTML view the book shows; in
# Jupyter they carry a live widget and a PNG instead (coopmodels.frontends.jupyter).
build student: export COOPBOOK_BUILD = 1

build: install
	@if [ "$$(cat _build/.lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
	  echo "Library or configuration changed: executing every notebook again."; \
	  rm -rf _build/.jupyter_cache _build/.doctrees _build/html; fi
	@all=""; if [ "$$(cat _build/.static-hash 2>/dev/null)" != "$(STATIC_HASH)" ]; then all="--all"; fi; \
	  $(BIN)/jupyter-book build . $(JB_FLAGS) $$all
	@echo "$(LIB_HASH)" > _build/.lib-hash
	@echo "$(STATIC_HASH)" > _build/.static-hash

book: build
	@echo ""
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html"
	@echo "or run 'make serve' and visit http://localhost:$(PORT)/"

# The book without exercise solutions, for handing out (see book/_ext/coopbook.py).
# (The config is written next to _config.yml, so its relative paths still hold.)
student: install
	sed 's/^  config:$$/  config:\n    coopbook_hide_solutions: true/' _config.yml > _config.student.yml
	$(BIN)/jupyter-book build . --config _config.student.yml \
	  --path-output _build/student $(JB_FLAGS); status=$$?; rm -f _config.student.yml; \
	  exit $$status
	@echo "Student edition (no solutions): $(CURDIR)/_build/student/_build/html/index.html"

clean-book:
	rm -rf _build

clean: clean-book
	rm -rf $(VENV) book/_static/vendor bench/_work .pytest_cache .hypothesis .ruff_cache

serve:
	@test -f _build/html/index.html || (echo "No book yet: run 'make book' first" && exit 1)
	@echo "Serving the book at http://localhost:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# JupyterLab on the chapters, for classrooms: works as root and offline, no news pop-up,
# MyST prose rendered (jupyterlab-myst); settings in tools/lab.py. LAB_ARGS=... adds
# JupyterLab options, e.g. LAB_ARGS="--ip=0.0.0.0 --no-browser" in a container.
lab: install
	$(BIN)/python -m tools.lab $(LAB_ARGS)

lint: install
	$(BIN)/ruff check lib tests tools bench book/_ext

unit: install
	$(BIN)/python -m pytest -q -m "not browser" tests

notebooks: install
	$(BIN)/python -m pytest -q --nbval-lax book/

browser: install
	$(BIN)/python -m pytest -q -m browser tests

test: lint unit notebooks build browser
	@echo "All tests passed."

# Benchmarks against the design budgets: writes bench/results.json and bench/results.md.
# BENCH_ARGS=--skip-make-test leaves out timing `make test`.
bench: install
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt -c constraints.txt
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Re-run chapters and store the outputs of `# NBVAL_CHECK_OUTPUT` cells (review the diff).
outputs: install
	$(BIN)/python tools/refresh_outputs.py

constraints: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^coopmodels' \
	  | sed '1i # Every package of the tested environment, pinned (pip freeze). Used as `pip install -c`.\n# Regenerate after changing requirements.txt: make constraints' > constraints.txt
