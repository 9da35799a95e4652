# Two commands on a fresh machine:
#   make run    install everything, ingest corpus/ into ./archive, serve the UI on :5000
#   make test   install everything plus test tools, lint, run the whole test suite
# Debian packages are installed only when missing (with sudo when not root).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARCHIVE ?= archive
APT_RUN  := tesseract-ocr tesseract-ocr-vie fonts-liberation2 fonts-dejavu-core hunspell-vi manpages-vi
APT_TEST := chromium postgresql

.PHONY: run test system-packages system-packages-test clean

run: $(VENV)/.installed system-packages
	$(BIN)/congvan ingest corpus --archive $(ARCHIVE)
	$(BIN)/congvan serve --archive $(ARCHIVE)

test: $(VENV)/.installed-test system-packages-test
	$(BIN)/ruff check .
	$(BIN)/pytest -n 0

system-packages:
	@./.ci/apt-install $(APT_RUN)

system-packages-test:
	@./.ci/apt-install $(APT_RUN) $(APT_TEST)

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
