# The README's two first commands are `make run` and `make test`; everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench-crypto keyservice clean

$(STAMP): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python -m keyservice serve

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench-crypto: install
	$(BIN)/python bench/crypto.py

keyservice: install
	$(BIN)/python -m keyservice serve

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
