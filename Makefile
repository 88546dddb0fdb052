# Working Together? — build, test and use the book.
#   make book    install everything into .venv and build the HTML book into _build/html
#   make test    install (if needed) and run every test: lint, unit and property tests,
#                nbval over the chapters, a strict build, browser tests of the built site,
#                of its zip opened from file:// (make dist), of the PDF (make pdf) and of
#                the classroom pack (student and instructor editions, assignments)
# Both work on a fresh machine with only Python 3.11 and make: `make test` installs
# Chromium from Debian when it is missing (see tools/need-chromium.sh).

# Python 3.11 for .venv: python3.11, else python3 when it is 3.11 (tools/find-python.sh).
PYTHON ?=
# Chromium for the browser tests and the PDF (Debian's; Playwright never downloads one).
CHROMIUM ?= /usr/bin/chromium
export COOPBOOK_CHROMIUM := $(CHROMIUM)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: chromium dist dist-student pdf install book clean-book clean serve lab test lint unit notebooks build browser outputs constraints bench student instructor assignments classroom

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  python=$$(PYTHON="$(PYTHON)" sh tools/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$python"; \
	  $$python -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "Could not create $(VENV): install Python's venv module" \
	         "(Debian: sudo apt-get install python3.11-venv), then run make again." >&2; \
	    exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet -e ".[cluster]" -c constraints.txt
	@touch $(STAMP)

install: $(STAMP)

# Strict build: any warning or notebook error fails it. Unchanged notebooks come from
# the execution cache, which only knows the notebooks' own code: when the library, its
# data or the book's extension change, the cache is dropped and every page rebuilt; when
# only the book's static files change, every page is written again from the cache.
LIB_HASH = $(shell cat $(sort $(wildcard lib/coopmodels/*.py lib/coopmodels/*/*.py \
             lib/coopmodels/*/*.js lib/coopmodels/data/*) $(wildcard book/_ext/*.py)) \
             _config.yml | sha1sum | cut -c1-16)
STATIC_HASH = $(shell cat $(sort $(wildcard book/_static/*.*)) | sha1sum | cut -c1-16)

# While the book is built, explorers carry the kernel-free HTML view the book shows (the
# book's extension sets COOPBOOK_BUILD for the kernels); in Jupyter they carry a live
# widget and a PNG instead (coopmodels.frontends.jupyter).

build: install
	@if [ "$$(cat _build/.lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
	  echo "Library or configuration changed: executing every notebook again."; \
	  rm -rf _build/.jupyter_cache _build/.doctrees _build/html; \
	  mkdir -p _build && echo "$(LIB_HASH)" > _build/.lib-hash; fi
	@all=""; if [ "$$(cat _build/.static-hash 2>/dev/null)" != "$(STATIC_HASH)" ]; then all="--all"; fi; \
	  $(BIN)/jupyter-book build . $(JB_FLAGS) $$all
	@echo "$(LIB_HASH)" > _build/.lib-hash
	@echo "$(STATIC_HASH)" > _build/.static-hash

book: build
	@echo ""
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html"
	@echo "or run 'make serve' and visit http://localhost:$(PORT)/"

# Classroom editions from the same source (book/_ext/classroom.py, tools/classroom/). Both
# reuse the book's execution cache (nothing is executed again) and are built fresh:
#   student     no solution by any route, no instructor pages; each page offers its
#               student notebook (notebooks/<chapter>.student.ipynb, student-notebooks.zip)
#   instructor  the answer key: solutions open, plus the instructor pages
#   assignments per chapter with code exercises, otter-grader notebooks and autograder zip
#               in _build/assignments/<chapter>/dist/{student,autograder}/
student: build
	$(BIN)/python -m tools.classroom.editions student $(JB_FLAGS)

instructor: build
	$(BIN)/python -m tools.classroom.editions instructor $(JB_FLAGS)

assignments: build
	$(BIN)/python -m tools.classroom.assignments

# The built book as one zip that works offline from file:// (a USB stick, a school
# server): _build/dist/working-together-<edition>.zip; the student edition too.
dist: build
	$(BIN)/python -m tools.dist

dist-student: student
	$(BIN)/python -m tools.dist --student

# The printed edition: _build/pdf/working-together-<edition>.pdf (exercises without
# solutions) and …-answer-key.pdf, printed by Chromium from the built pages.
pdf: build chromium
	$(BIN)/python -m tools.pdf

clean-book:
	rm -rf _build

clean: clean-book
	rm -rf $(VENV) book/_static/vendor bench/_work .pytest_cache .hypothesis .ruff_cache

# make serve EDITION=student (or instructor) serves that edition instead of the book.
EDITION ?= book
SITE_DIR = $(if $(filter book,$(EDITION)),_build/html,_build/$(EDITION)/_build/html)
serve:
	@test -f $(SITE_DIR)/index.html || (echo "No $(EDITION) edition yet: run 'make $(EDITION)' first" && exit 1)
	$(BIN)/python -m tools.site --port $(PORT) $(SITE_DIR)

# JupyterLab on the chapters, for classrooms: works as root and offline, no news pop-up,
# MyST prose rendered (jupyterlab-myst); settings in tools/lab.py. LAB_ARGS=... adds
# JupyterLab options, e.g. LAB_ARGS="--ip=0.0.0.0 --no-browser" in a container.
lab: install
	$(BIN)/python -m tools.lab $(LAB_ARGS)

lint: install
	$(BIN)/ruff check lib tests tools bench book/_ext

# Tests run on up to four cores (pytest-xdist), each test file on one worker, so that a
# file's costly fixtures (the JupyterLab server, a served site) start once. The classroom
# tests are one file: there, the tests that share a costly fixture carry one xdist_group
# (the student notebooks' runs, the autograder) and the rest spread out.
# TEST_JOBS=0 runs every test in one process.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile

unit: install
	$(PYTEST) -m "not browser and not classroom" tests

notebooks: install
	$(PYTEST) --nbval-lax book/

# Chromium at $(CHROMIUM), installed from Debian when missing (sudo when not root);
# elsewhere this stops at once with the command to run.
chromium:
	@CHROMIUM="$(CHROMIUM)" sh tools/need-chromium.sh

browser: install chromium
	$(PYTEST) -m browser tests

# The classroom pack as teachers and students get it (tests/test_classroom.py).
classroom: student instructor assignments
	$(PYTEST) --dist loadgroup -m classroom tests

test: chromium lint unit notebooks build dist pdf browser classroom
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
