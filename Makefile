# wtcheck: the two commands a new user needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/wtcheck
SAMPLE   := fixtures/sample

.PHONY: all build run test generate vet staticcheck unit selftest browser-test screenshot docs fmt-check bench fuzz clean release release-binary release-check image postgres pg-test bench-memory web web-test web-screenshot

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
test: fmt-check vet staticcheck unit selftest browser-test web-test pg-test

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

# wtcheck in the browser (web/, README "In the browser"): the engine compiled to WebAssembly
# in one static page, web/dist/, which works opened from disk or from any static web server.
# The budget is on what a browser is sent: a council's web proxy or mail filter may scan,
# hold or refuse a large download, and a laptop on a slow link waits for all of it before the
# page can check anything. The wasm compressed is about 7 MB (excelize, for the Excel report,
# is a good part of it); the page in all, the wasm as base64 inside wtcheck-wasm.js so that
# file:// works, about 9.4 MB. The budgets leave about 15% for growth: a change that passes
# them should say in its commit what it costs and why it is worth it.
# 8 MiB for the wasm after gzip -9; 11 MiB for everything in web/dist.
WEB_MAX_GZIP  ?= 8388608
WEB_MAX_TOTAL ?= 11534336
WEB_VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
web:
	@mkdir -p web/dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags '-s -w -X main.version=$(WEB_VERSION)' -o web/dist/wtcheck.wasm ./web/wasm
	$(GO) run ./web/bundle -wasm web/dist/wtcheck.wasm -wasm-exec "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" \
		-static web/static -out web/dist -max-gzip $(WEB_MAX_GZIP) -max-total $(WEB_MAX_TOTAL)
	@rm -f web/dist/wtcheck.wasm   # it travels inside wtcheck-wasm.js

# The page in headless Chromium, from a local web server and from disk (web/web_test.go):
# the sample cases and the shared fake census return give the command line's counts, no
# request leaves the page, a download is made, axe-core finds nothing serious, it fits 375px.
web-test: web $(AXE)
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "installing chromium for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		{ echo "could not install chromium (apt-get); the browser test needs it"; exit 1; }; }
	WTCHECK_BROWSER=1 WTCHECK_AXE=$(CURDIR)/$(AXE) $(GO) test -count=1 -run TestPageInBrowser -v ./web

# docs/web.png, the README's picture of the page, taken by the browser test.
web-screenshot: web $(AXE)
	WTCHECK_BROWSER=1 WTCHECK_AXE=$(CURDIR)/$(AXE) WTCHECK_WEB_SCREENSHOT=$(CURDIR)/docs/web.png $(GO) test -count=1 -run TestPageInBrowser ./web

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

# The rule reference is generated from the packs, the man pages (docs/man) from the commands
# and help topics; a test fails when either is out of date.
docs: build
	$(BIN) rules list --format markdown > docs/rules.md
	$(GO) test -count=1 -run TestManPagesAreUpToDate ./cmd/wtcheck -update

# The rules' status functions (checker/statusfuncs_gen.go) are Go generated from the shipped
# packs; a test fails when they are out of date. Run after changing a pack's case rules.
generate:
	$(GO) test -count=1 -run TestStatusFuncsUpToDate ./checker -update

# Benchmarks: see docs/performance.md for how the numbers quoted there were measured. The
# whole-process figures (cases/s, MB/s, peak memory, share of validate's throughput) come from
# tools/bench/bench.sh on BENCH_CASES generated cases, cached in the git-ignored .cache/bench;
# then go test -bench for the decoder, the calendar, whole batches and each rule. The commands
# run in turn, BENCH_RUNS rounds, and the medians are printed: the machines are shared and noisy.
BENCH_CASES ?= 1000000
BENCH_RUNS ?= 3
bench: build
	tools/bench/bench.sh $(BIN) $(BENCH_CASES) $(BENCH_RUNS)
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./checker/... ./record/... ./source/... | tee bench.out
	$(GO) test -run '^$$' -bench 'Rule/' -benchmem ./rules | tee -a bench.out

# Peak memory of `check --format json|csv` on a million generated cases (cached in .cache/,
# about 1.3 GB), under 300 MB: docs/performance.md. WTCHECK_BENCH_CASES=100000 for a quicker run.
WTCHECK_BENCH_CASES ?= 1000000
bench-memory:
	WTCHECK_BENCH_CASES=$(WTCHECK_BENCH_CASES) $(GO) test ./cmd/wtcheck -run '^$$' -bench PeakMemory -benchtime 1x -timeout 3h -v

# Every parser's fuzz target, FUZZTIME each (`make fuzz FUZZTIME=5m` for a longer run). `make
# test` runs their seeds and saved crashers (testdata/fuzz) as ordinary tests.
FUZZTIME ?= 30s
FUZZ_TARGETS := \
	./record:FuzzParseDate ./record:FuzzDecode ./checker:FuzzLoadPack ./checker:FuzzParseBaseline ./checker:FuzzParseHolidays \
	./source/casejson:FuzzDecode ./source/cincensus:FuzzRead \
	./source/annexa:FuzzReadWorkbook ./source/annexa:FuzzReadSheet ./internal/config:FuzzParse \
	./source/ssd:FuzzParseDate ./source/ssd:FuzzFolder ./source/dfeapi:FuzzRead
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "fuzz $$pkg $$name"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME); \
	done

clean:
	rm -rf bin bench.out dist web/dist

# Releases (docs/release.md): static binaries for five platforms with the packs and calendar
# embedded, a CycloneDX SBOM for each and SHA256SUMS, in $(DIST). The version, the commit and
# the commit's date (never the build's) are stamped into `wtcheck version`, and everything
# that could differ between two machines is fixed (paths, build id, VCS stamping, the
# toolchain go.mod names, the CPU level, GOFLAGS), so the same commit gives the same bytes.
DIST       ?= dist
PLATFORMS  := linux/amd64 linux/arm64 windows/amd64 darwin/amd64 darwin/arm64
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE       ?= $(shell git log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z)
RELEASE_TOOLCHAIN := go$(shell sed -n 's/^go //p' go.mod)
RELEASE_ENV := GOFLAGS= CGO_ENABLED=0 GOAMD64=v1 GOARM64=v8.0 GOTOOLCHAIN=$(RELEASE_TOOLCHAIN)
RELEASE_LDFLAGS := -s -w -buildid= -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

release:
	@[ -n "$(DIST)" ] && [ "$(DIST)" != / ] || { echo "DIST must name a directory"; exit 2; }
	@case "$(VERSION)" in *-dirty) echo "warning: uncommitted changes: $(VERSION) is not reproducible from its commit";; esac
	rm -rf $(DIST)
	mkdir -p $(DIST)
	@for p in $(PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		$(MAKE) --no-print-directory release-binary TARGETOS=$$os TARGETARCH=$$arch OUT=$(DIST)/wtcheck-$$os-$$arch$$ext \
			VERSION='$(VERSION)' COMMIT='$(COMMIT)' DATE='$(DATE)' || exit 1; \
	done
	env GOFLAGS= $(GO) run ./tools/release -version '$(VERSION)' -commit '$(COMMIT)' -date '$(DATE)' $(DIST)
	@echo "wrote $(DIST): $$(ls $(DIST) | wc -l | tr -d ' ') files; check them with: cd $(DIST) && sha256sum -c SHA256SUMS"

# One release binary, as the release and the container image build it (the names are
# Docker's build arguments; OS would clash with Windows' own environment variable):
# make release-binary TARGETOS=linux TARGETARCH=arm64 OUT=wtcheck
release-binary:
	@[ -n "$(TARGETOS)" ] && [ -n "$(TARGETARCH)" ] && [ -n "$(OUT)" ] || { echo "release-binary needs TARGETOS, TARGETARCH and OUT"; exit 2; }
	@echo "build $(OUT)"
	@env $(RELEASE_ENV) GOOS=$(TARGETOS) GOARCH=$(TARGETARCH) $(GO) build -trimpath -buildvcs=false \
		-ldflags '$(RELEASE_LDFLAGS)' -o $(OUT) ./cmd/wtcheck

# Builds the release twice from two fresh clones of HEAD and compares every byte; checks the
# binaries' headers (static ELF, PE console, Mach-O) and runs the host's `version`.
release-check:
	WTCHECK_RELEASE=1 $(GO) test -count=1 -run TestRelease ./tools/release

# The container image (Dockerfile): needs a container engine, which `make test` does not.
image:
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) --build-arg DATE=$(DATE) -t wtcheck:$(VERSION) .
