# The README's quick start: `make run` (the site with demo content) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist: one test worker per core. Tests are handed out in collection order, where pytest-django puts the
# transactional ones (which empty the database when they end) after the others, on every worker.
TEST_WORKERS ?= auto

.PHONY: install run test api-check lint format bench bench-imports bench-pages bench-instructions superuser lock check messages clean

$(BIN)/activate: requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(BIN)/activate

install: $(BIN)/activate  ## Create .venv with the pinned dependencies

# Links in e-mails and printed by commands use the address the site is served on.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: install  ## Migrate the SQLite database, load the demo content if it is empty, serve on 127.0.0.1:8000 (HOST, PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_site --demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install  ## Lint, system checks, migrations check and the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=ssn4psi.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=ssn4psi.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

api-check: install  ## The open-data API against a live server with the demo content: schemathesis over every GET operation
	$(PY) -m opendata.live_check

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install  ## Uncached page CPU at three catalogue sizes (bench/pages.py), pages from the cache against /healthz (bench/page_cache.py), the matcher on a synthetic network (bench/matcher.py), registrations under load (bench/registrations.py), the site search with 10,000 solutions (bench/search.py), the importers (bench/imports.py)
	$(PY) bench/pages.py $(PAGES_ARGS)
	$(PY) bench/page_cache.py
	$(PY) bench/matcher.py
	$(PY) bench/registrations.py
	$(PY) bench/search.py
	$(PY) bench/imports.py

bench-imports: install  ## The importers: the seeds' catalogue, the DPG registry, a synthetic network of 1,000 members and 5,000 solutions added to them (bench/imports.py)
	$(PY) bench/imports.py

bench-pages: install  ## The uncached page benchmark alone: demo + DPG, then +300 and +5,300 synthetic solutions (PAGES_ARGS="--sizes ''" for the first only)
	$(PY) bench/pages.py $(PAGES_ARGS)

bench-instructions: install  ## The main pages in CPU instructions (valgrind's callgrind): the same from run to run, to tell whether a change helped
	$(PY) bench/instructions.py $(INSTRUCTIONS_ARGS)

superuser: install  ## Create the first admin account (asks for a user name and password)
	$(PY) manage.py createsuperuser

messages: install  ## Update the French, Spanish and Arabic message catalogues and compile them
	$(PY) manage.py makemessages --locale fr --locale es --locale ar --ignore '.venv/*' --ignore 'static/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py compile_translations

lock:  ## Re-pin constraints.txt from what is installed in .venv
	$(PY) -m pip freeze --exclude-editable | sed '1i # Exact versions installed by `make install`. Regenerate with `make lock`.' > constraints.txt

clean:
	rm -rf $(VENV) static db.sqlite3*
