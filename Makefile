# `make` builds the editions; `make test` runs the tests. Both create .venv on first use.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
PUBLISH    ?= $(BIN)/publish
MANUSCRIPT ?= manuscript/kratom-and-depression.md
# A manuscript named index.md gets editions named index-book.*, since index.html is the download
# page (as `publish build` names them).
STEM       := $(basename $(notdir $(MANUSCRIPT)))
SLUG       := $(if $(filter index,$(STEM)),index-book,$(STEM))
OUT        ?= dist
PDF        := $(OUT)/$(SLUG).pdf
EPUB       := $(OUT)/$(SLUG).epub
HTML       := $(OUT)/$(SLUG).html
INDEX      := $(OUT)/index.html

# What the editions are made from: the manuscript and what sits beside it, the code and templates,
# and each edition's own stylesheet.
SOURCES    := $(MANUSCRIPT) $(filter-out $(MANUSCRIPT),$(shell find manuscript -type f 2>/dev/null))
CODE       := pyproject.toml $(shell find src/publish -type f \( -name '*.py' -o -name '*.j2' -o -name '*.txt' -o -name '*.yaml' \) 2>/dev/null)
PRINT_CSS  := styles/print.css styles/fonts.css $(shell find styles/fonts -type f 2>/dev/null)
EPUB_CSS   := styles/epub.css styles/cover.svg.j2
HTML_CSS   := styles/html.css styles/fonts.css $(shell find styles/fonts -type f 2>/dev/null)

.PHONY: all pdf epub html index check preview test lint proof bench clean distclean \
  build-packages test-packages

all: pdf epub html index

pdf: $(PDF)
epub: $(EPUB)
html: $(HTML)
index: $(INDEX)

# The system packages of tools/system-packages.txt: checked on every make (tens of milliseconds),
# installed with apt-get when missing and this user can (root, or sudo without a password);
# otherwise the build stops with the command to run, and the tests that need a missing tool
# skip. `make SYSTEM_PACKAGES=check` never installs.
SYSTEM_PACKAGES ?= install
NO_INSTALL := $(if $(filter check,$(SYSTEM_PACKAGES)),--no-install)
build-packages:
	@PYTHON='$(PYTHON)' VENV='$(VENV)' tools/system-packages ensure build $(NO_INSTALL)
test-packages: build-packages
	@tools/system-packages ensure test $(NO_INSTALL)

$(STAMP): pyproject.toml | build-packages
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# Each edition is judged on its own inputs: the manuscript and what sits beside it, the code, and
# that edition's stylesheet. The download page follows the editions it describes (sizes, pages).
# The EPUB's page list follows the PDF's pages, so the print stylesheet is an EPUB input too.
PDF_INPUTS   := $(SOURCES) $(CODE) $(PRINT_CSS)
EPUB_INPUTS  := $(SOURCES) $(CODE) $(EPUB_CSS) $(PRINT_CSS)
HTML_INPUTS  := $(SOURCES) $(CODE) $(HTML_CSS)
INDEX_INPUTS := $(SOURCES) $(CODE) $(HTML_CSS) $(PDF) $(EPUB) $(HTML)

# $(call stale,FILE,INPUTS): non-empty when FILE is missing or older than one of its INPUTS.
stale = $(if $(wildcard $1),$(shell find $2 -newer $1 -print -quit 2>/dev/null),missing)
# The editions asked for: those named on the command line, else all (the page needs them all).
WANTED = $(if $(filter-out pdf epub html,$(or $(MAKECMDGOALS),all)),pdf epub html index,$(MAKECMDGOALS))
STALE = $(filter $(WANTED),$(strip \
  $(if $(call stale,$(PDF),$(PDF_INPUTS)),pdf) \
  $(if $(call stale,$(EPUB),$(EPUB_INPUTS)),epub) \
  $(if $(call stale,$(HTML),$(HTML_INPUTS)),html)))
STALE_ALL = $(STALE) $(if $(filter index,$(WANTED)),$(if $(or $(STALE),$(call stale,$(INDEX),$(INDEX_INPUTS))),index))
comma := ,
empty :=
space := $(empty) $(empty)

# One process writes every out-of-date edition: one interpreter start and one reading of the
# manuscript instead of four, and the download page gets the PDF's page count without reading
# it back. It runs the editorial lint first (`--lint`, as `publish lint` would), and a lint error
# stops it before any edition is put in place. The recipe names only the stale editions, so
# touching epub.css rewrites the EPUB and the page that lists its size, and leaves the PDF and
# the HTML edition alone; when none is stale the recipe is empty and nothing runs.
$(PDF) $(EPUB) $(HTML) $(INDEX) &: $(sort $(PDF_INPUTS) $(EPUB_INPUTS) $(HTML_INPUTS)) | $(STAMP) build-packages
	$(eval FORMATS := $(strip $(STALE_ALL)))
	$(if $(FORMATS),$(PUBLISH) build $(MANUSCRIPT) --lint $(LINT_FLAGS) --format $(subst $(space),$(comma),$(FORMATS)) -o $(OUT))

# One report on the built editions: EPUBCheck, Ace, PDF structure, lint, text parity.
check: $(PDF) $(EPUB) $(HTML) | $(STAMP) test-packages
	$(BIN)/publish check $(MANUSCRIPT) -o $(OUT)

# Serves the HTML edition and the PDF on 127.0.0.1 and rebuilds them on every save.
preview: | $(STAMP)
	$(BIN)/publish preview $(MANUSCRIPT)

test: $(STAMP) | test-packages
	$(BIN)/python -m pytest

# Pages a designer looks at, as PNG: the manuscript's, and a fixture's with a table and a footnote.
PROOF_FIXTURE := tests/fixtures/furniture/furniture.md
proof: $(PDF) | $(STAMP) test-packages
	$(BIN)/python tools/proof.py $(PDF) build/proof/$(SLUG)
	$(BIN)/publish build $(PROOF_FIXTURE) --format pdf -o build/proof-pdf
	$(BIN)/python tools/proof.py build/proof-pdf/furniture.pdf build/proof/furniture

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Timings against pandoc and bare WeasyPrint, by hand only (never part of `make test`).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS) --write bench/README.md

clean:
	rm -rf $(OUT) build

distclean: clean
	rm -rf $(VENV)
