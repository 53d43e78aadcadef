# wtcheck: the two commands a new user needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/wtcheck
SAMPLE   := fixtures/sample

.PHONY: all build run test vet staticcheck unit selftest browser-test postgres pg-test screenshot docs fmt-check bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/wtcheck

# Check the bundled sample cases under every shipped edition. Exit status 1 means breaches
# were found (in every format, the audit reports included), which is what the sample is for;
# only 2 (could not run) fails the target.
run: build
	@$(BIN) check $(SAMPLE); status=$$?; [ $$status -le 1 ] || exit $$status
	@$(BIN) report --format html -o report.html $(SAMPLE); status=$$?; [ $$status -le 1 ] || exit $$status
	@$(BIN) report --format xlsx -o report.xlsx $(SAMPLE); status=$$?; [ $$status -le 1 ] || exit $$status

# vet, staticcheck, the unit, fixture and golden tests with the race detector, and the
# rule-pack self-test.
test: fmt-check vet staticcheck unit selftest browser-test pg-test

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi

vet:
	$(GO) vet ./...

# staticcheck is pinned in go.mod as a tool dependency, so `go tool` fetches the same version
# everywhere from the module proxy: nothing to install by hand.
staticcheck:
	$(GO) tool staticcheck ./...

unit:
	$(GO) test -race -count=1 -timeout 20m ./...   # the race detector is slow on a shared 2-core machine
	$(GO) test -count=1 -run 'StaysWithin' ./cmd/wtcheck   # tests of size, without the race detector (large_test.go)

# The rule packs' own examples: every rule breaches, is met, and is pending or not applicable.
selftest: build
	$(BIN) lint
	$(BIN) test

# The HTML report opened in headless Chromium: no console errors, the summary numbers equal
# the report's, no page wider than a desktop or a phone, no serious or critical accessibility
# violation found by axe-core, and a screenshot (docs/report.png with `make screenshot`).
# Debian's chromium is installed here when missing, and axe-core from the npm registry into
# the git-ignored .cache/, so a fresh machine needs nothing by hand.
CHROMIUM ?= /usr/bin/chromium
AXE_VERSION ?= 4.14.1
AXE_DIR := .cache/axe-core-$(AXE_VERSION)
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js
browser-test: $(AXE)
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "installing chromium for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		{ echo "could not install chromium (apt-get); the browser test needs it"; exit 1; }; }
	WTCHECK_BROWSER=1 WTCHECK_AXE=$(CURDIR)/$(AXE) $(GO) test -count=1 -run TestHTMLInBrowser ./checker/report

$(AXE):
	@command -v npm >/dev/null 2>&1 || { echo "installing npm for axe-core"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || \
		{ echo "could not install npm (apt-get); the browser test needs it for axe-core"; exit 1; }; }
	@echo "installing axe-core $(AXE_VERSION) for the browser test"
	@mkdir -p $(AXE_DIR)
	@npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION) || \
		{ echo "could not install axe-core from the npm registry; the browser test needs it"; exit 1; }

# The tests that read a real PostgreSQL (internal/pgtest starts a throwaway cluster in a
# temporary directory, on a Unix socket, and removes it after). Debian's postgresql is installed
# here when its server binaries are missing, so a fresh machine needs nothing by hand; with
# WTCHECK_POSTGRES=1 a missing server fails these tests instead of skipping them.
PG_INITDB = $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgres:
	@[ -n "$(PG_INITDB)" ] || { echo "installing postgresql for the database tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || \
		{ echo "could not install postgresql (apt-get); the database tests need it"; exit 1; }; }

pg-test: postgres
	WTCHECK_POSTGRES=1 $(GO) test -count=1 -run Postgres ./...

screenshot: browser-test
	WTCHECK_BROWSER=1 WTCHECK_AXE=$(CURDIR)/$(AXE) WTCHECK_SCREENSHOT=$(CURDIR)/docs/report.png $(GO) test -count=1 -run TestHTMLInBrowser ./checker/report

# The rule reference is generated from the packs; a test fails when it is out of date.
docs: build
	$(BIN) rules list --format markdown > docs/rules.md

# Benchmarks: see docs/performance.md for how the numbers quoted there were measured.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./checker/... | tee bench.out

fuzz:
	$(GO) test ./checker -run '^$$' -fuzz FuzzParseDate -fuzztime 30s
	$(GO) test ./checker/batch -run '^$$' -fuzz FuzzDecode -fuzztime 30s
	$(GO) test ./checker/importer/cincensus -run '^$$' -fuzz FuzzRead -fuzztime 30s

clean:
	rm -rf bin bench.out
