# The README's two first commands are `make run` and `make test`; everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench-crypto clean

$(STAMP): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# Until the web app exists, `make run` serves the key service with a caller token kept in instance/.
TOKEN_FILE := instance/keyservice.token

$(TOKEN_FILE):
	mkdir -p -m 700 instance
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(32))" > $@

run: install $(TOKEN_FILE)
	KEYSERVICE_TOKEN="$$(cat $(TOKEN_FILE))" $(BIN)/python -m keyservice serve

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench-crypto: install
	$(BIN)/python bench/crypto.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
