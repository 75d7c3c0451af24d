# eqplan: `make plan` builds the action plan from the example workbook;
# `make test` runs the tests. Both set up their own virtualenv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= inputs/example-plan.xlsx
OUT    ?= outputs
LAYOUT ?= rag
# Your council's own framework (an id or a .yaml file): given to template, validate, plan,
# pdf and report. Unset, those read the framework the workbook names (template: eflg-2021).
FRAMEWORK ?=
FRAMEWORK_OPTION = $(if $(FRAMEWORK), --framework "$(FRAMEWORK)")
TEMPLATE ?= inputs/plan-template.xlsx
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install template validate plan pdf report serve example templates translations data test lint bench docs clean

install: $(STAMP)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "eqplan needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Never replaces an existing file: it may be a plan someone has filled in.
template: install
	@if [ -e "$(TEMPLATE)" ]; then \
		echo "$(TEMPLATE) already exists (it may be a filled-in plan), so it was not replaced."; \
		echo "Write a new one with: make template TEMPLATE=inputs/another-name.xlsx"; \
		exit 2; \
	fi
	$(BIN)/eqplan template --framework "$(or $(FRAMEWORK),eflg-2021)" -o "$(TEMPLATE)"

validate: install
	$(BIN)/eqplan validate $(INPUT)$(FRAMEWORK_OPTION)

plan: install
	$(BIN)/eqplan build $(INPUT) -o $(OUT) --layout $(LAYOUT)$(FRAMEWORK_OPTION)

pdf: install
	$(BIN)/eqplan build $(INPUT) -o $(OUT) --layout $(LAYOUT) --pdf$(FRAMEWORK_OPTION)

# The local web page (README, "The web page"); Ctrl+C stops it.
serve: install
	$(BIN)/eqplan serve --host $(HOST) --port $(PORT)$(FRAMEWORK_OPTION)

# The plan with its committee cover report (from the workbook's Report sheet).
report: install
	$(BIN)/eqplan build $(INPUT) -o $(OUT) --layout $(LAYOUT) --cover$(FRAMEWORK_OPTION)

example: install
	$(BIN)/python inputs/make_example.py

templates: install
	$(BIN)/python templates/make_templates.py
	$(BIN)/python templates/make_cover_report.py

# The Welsh catalogue (README, "Welsh"): collect the fixed text from the code, add new
# messages to pipeline/locale/cy/LC_MESSAGES/eqplan.po, then compile it to eqplan.mo.
LOCALE := pipeline/locale
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k T_ -k ngettext:1,2 -k counted:2,3 --no-location \
		--omit-header -o $(LOCALE)/eqplan.pot .
	$(BIN)/pybabel update -i $(LOCALE)/eqplan.pot -d $(LOCALE) -D eqplan -l cy --no-fuzzy-matching \
		--ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALE) -D eqplan -l cy --statistics

# The shipped YAML data files' JSON twins (pipeline/compiled_data.py), read instead of the
# YAML while they match it: run after editing pipeline/frameworks/*.yaml or
# pipeline/data/statutory.yaml (the tests fail until you do).
data: install
	$(BIN)/python -m pipeline.compiled_data

# The tests run on every core (pytest-xdist), a test file to a worker so each file's shared
# fixtures are made once; TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py

docs: install
	$(BIN)/eqplan problems --markdown > docs/problems.md
	$(BIN)/python -c 'import pathlib, re; from pipeline.problem_docs import table; p = pathlib.Path("README.md"); \
		p.write_text(re.sub(r"(<!-- problems:start -->\n).*?(<!-- problems:end -->)", lambda m: m.group(1) + table() + m.group(2), p.read_text(), flags=re.S))'

# Only what `make plan`, `pdf` and `report` write for INPUT: officers keep each report's
# documents in folders of their own under outputs/ (README, the quarterly cycle).
STEM := $(basename $(notdir $(INPUT)))
MADE := .docx -summary.xlsx -actions.csv .pdf .html -cover-report.docx -committee-pack.zip
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
	rm -f $(foreach suffix,$(MADE),"$(OUT)/$(STEM)$(suffix)")
