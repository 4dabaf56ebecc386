# The README's two first commands are `make run` and `make test`; everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test e2e bench-crypto bench-vault bench-structures clean translations-extract

$(STAMP): setup.cfg setup.py $(wildcard */__init__.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

MO_FILES := $(patsubst %.po,%.mo,$(wildcard webapp/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(STAMP) $(MO_FILES)

# Refresh the catalogue after changing interface strings; then translate the new entries.
translations-extract: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location -o webapp/translations/messages.pot .
	$(BIN)/pybabel -q update -i webapp/translations/messages.pot -d webapp/translations --no-fuzzy-matching

# The embedded default: SQLite, local blobs and sessions, the key service in-process, on PORT (8000).
run: install
	$(BIN)/python -m webapp serve

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Browser journeys in Debian's Chromium; keeps the screenshots in docs/screenshots.
e2e: install
	SAVE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e

bench-crypto: install
	$(BIN)/python bench/crypto.py

bench-vault: install
	$(BIN)/python bench/vault.py

bench-structures: install
	$(BIN)/python bench/structures.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
