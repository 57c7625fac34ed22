# Pixels to Probabilities — the two commands a new user needs are `make book` and `make test`.
# Both create the virtual environment .venv first if it is missing or out of date.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Quiet TensorFlow's C++ log lines so notebook outputs stay stable.
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONWARNINGS ?= ignore::DeprecationWarning:jupyter_client.connect

.PHONY: help env book test colab browser-deps site-test bench doctor student lab lock clean

help:
	@echo "make book   build the book into _build/html (creates .venv first if needed)"
	@echo "make test   run the tests and every notebook with nbval (creates .venv first if needed)"
	@echo "make browser-deps  install Chromium, its driver (Debian) and axe-core (npm) for tests/browser"
	@echo "make site-test  after make book: the built pages in headless Chromium (make browser-deps)"
	@echo "make colab  run the tests and notebooks on Colab's package versions (builds .venv-colab)"
	@echo "make bench  time every notebook in a fresh kernel; updates the Course status page"
	@echo "make doctor pre-flight check for a workshop: versions, widgets, data, memory, speed"
	@echo "make student  regenerate the learners' notebooks (notebooks/student/, no solutions)"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make env    only create/update .venv from requirements/lock.txt"
	@echo "make lock   re-resolve requirements/lock.txt and environment.yml (needs internet)"

env: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ": run make with PYTHON=python3.12 (or another 3.11+)"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || \
		$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	$(BIN)/python scripts/check_site.py _build/html
	@echo "Open _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# The browser tests (tests/browser) need Chromium and chromedriver from Debian's packages and
# axe-core from npm (tests/browser/package-lock.json); without them they are skipped, unless
# P2P_REQUIRE_BROWSER=1 (CI) makes that an error.
browser-deps:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }
	command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	cd tests/browser && npm ci --silent --no-audit --no-fund

# Colab's own versions (requirements/colab-constraints.txt): unit tests, the first cell's install
# and every notebook with nbval, in a kernel that imports ipywidgets 7 at start-up as Colab's does.
colab:
	$(PYTHON) scripts/colab.py test

# The built site in a real browser: pages load cleanly, live widgets answer like the Python
# helpers, page weights, axe-core; screenshots go to _build/screenshots.
site-test: $(STAMP)
	P2P_SITE_DIR=_build/html $(BIN)/python -m pytest -o addopts="-ra -p no:cacheprovider" \
		-m site tests/browser

bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py

student: $(STAMP)
	$(BIN)/python scripts/make_student.py

doctor: $(STAMP)
	$(BIN)/python -m utils.doctor

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

lock:
	$(PYTHON) -m pip install --quiet "uv>=0.5"
	$(PYTHON) -m uv pip compile pyproject.toml --extra test --extra book --extra lab --universal \
		--python-version 3.11 --quiet -o requirements/lock.txt
	$(PYTHON) scripts/make_environment.py

clean:
	rm -rf _build
