# `make` builds the editions; `make test` runs the tests. Both create .venv on first use.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
MANUSCRIPT ?= manuscript/kratom-and-depression.md
SLUG       := $(basename $(notdir $(MANUSCRIPT)))
OUT        ?= dist
PDF        := $(OUT)/$(SLUG).pdf
EPUB       := $(OUT)/$(SLUG).epub
HTML       := $(OUT)/$(SLUG).html
INDEX      := $(OUT)/index.html

# What each edition is made from: the manuscript and what sits beside it, the code and templates,
# and that edition's own stylesheet. Touching epub.css rebuilds only the EPUB.
SOURCES    := $(MANUSCRIPT) $(filter-out $(MANUSCRIPT),$(shell find manuscript -type f 2>/dev/null))
CODE       := pyproject.toml $(shell find src/publish -type f \( -name '*.py' -o -name '*.j2' -o -name '*.txt' -o -name '*.yaml' \) 2>/dev/null)
PRINT_CSS  := styles/print.css styles/fonts.css $(shell find styles/fonts -type f 2>/dev/null)
EPUB_CSS   := styles/epub.css
HTML_CSS   := styles/html.css styles/fonts.css $(shell find styles/fonts -type f 2>/dev/null)

.PHONY: all pdf epub html index check test lint proof bench clean distclean

all: pdf epub html index

pdf: $(PDF)
epub: $(EPUB)
html: $(HTML)
index: $(INDEX)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

$(PDF): $(SOURCES) $(CODE) $(PRINT_CSS) | $(STAMP)
	$(BIN)/publish build $(MANUSCRIPT) --format pdf -o $(OUT)

$(EPUB): $(SOURCES) $(CODE) $(EPUB_CSS) | $(STAMP)
	$(BIN)/publish build $(MANUSCRIPT) --format epub -o $(OUT)

$(HTML): $(SOURCES) $(CODE) $(HTML_CSS) | $(STAMP)
	$(BIN)/publish build $(MANUSCRIPT) --format html -o $(OUT)

# The download page describes the editions as built (sizes, page count), so it follows them.
$(INDEX): $(PDF) $(EPUB) $(HTML) | $(STAMP)
	$(BIN)/publish build $(MANUSCRIPT) --format index -o $(OUT)

# One report on the built editions: EPUBCheck, Ace, PDF structure, lint, text parity.
check: $(PDF) $(EPUB) $(HTML) | $(STAMP)
	$(BIN)/publish check $(MANUSCRIPT) -o $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Pages a designer looks at, as PNG: the manuscript's, and a fixture's with a table and a footnote.
PROOF_FIXTURE := tests/fixtures/furniture/furniture.md
proof: $(PDF) | $(STAMP)
	$(BIN)/python tools/proof.py $(PDF) build/proof/$(SLUG)
	$(BIN)/publish build $(PROOF_FIXTURE) --format pdf -o build/proof-pdf
	$(BIN)/python tools/proof.py build/proof-pdf/furniture.pdf build/proof/furniture

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Timings against pandoc and bare WeasyPrint, by hand only (never part of `make test`).
bench: $(STAMP)
	$(BIN)/python bench/run.py --write bench/README.md

clean:
	rm -rf $(OUT) build

distclean: clean
	rm -rf $(VENV)
