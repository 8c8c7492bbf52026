# The everyday commands; README.md explains them.
#
#   make run            demo server: http://127.0.0.1:8080 and https://127.0.0.1:8443
#   make test           gofmt check, go vet, go test -race, the websocket interop tests
#   make bench          in-memory server benchmarks of this package (BENCHTIME=1s)
#   make bench-compare  the same workload against upstream fasthttp and net/http (COMPAREFLAGS=--quick,
#                       COMPAREFLAGS=--client for the client suite)
#   make fuzz           every Fuzz target of the module, FUZZTIME=60s each
#   make compat         scripts/compat.sh (suites of fasthttp users), when present

GO ?= go
BENCHTIME ?= 1s
FUZZTIME ?= 60s
COMPAREFLAGS ?=
COMPATFLAGS ?=

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

.PHONY: run test fmt-check vet race interop bench bench-compare fuzz compat

run:
	$(GO) run ./cmd/demo

test: fmt-check vet race interop

fmt-check:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l lists files needing gofmt -w:"; echo "$$unformatted"; exit 1; fi

vet:
	$(GO) vet ./...

race:
	$(GO) test -race ./...

# websocket/interop is a module of its own (gorilla/websocket, coder/websocket
# and Node's ws as peers); its script installs ws from npm when missing.
interop:
	websocket/interop/run.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) .

bench-compare:
	bench/compare.sh $(COMPAREFLAGS)

# Targets are listed by go test itself, so new ones are picked up: its output
# is each package's Fuzz names followed by that package's "ok <path>" line.
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...) || { echo "$$list"; exit 1; }; \
	targets=$$(echo "$$list" | awk '/^Fuzz/ { n[++k] = $$1; next } \
		/^ok / { for (i = 1; i <= k; i++) print $$2, n[i]; k = 0 }'); \
	if [ -z "$$targets" ]; then echo "no Fuzz targets found"; exit 0; fi; \
	while read -r pkg name; do \
		echo "== $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
	done <<< "$$targets"

compat:
	@if [ -x scripts/compat.sh ]; then scripts/compat.sh $(COMPATFLAGS); \
	elif [ -f scripts/compat.sh ]; then bash scripts/compat.sh $(COMPATFLAGS); \
	else echo "scripts/compat.sh is not in this checkout yet: nothing to run" >&2; fi
