#!/usr/bin/env bash
# Runs the websocket interop tests: gorilla/websocket and coder/websocket
# (Go modules of this test module) and Node's ws package, which this script
# installs from the npm registry into node/node_modules when it is missing.
# make test runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if command -v node > /dev/null && command -v npm > /dev/null; then
	if [ ! -f node/node_modules/ws/package.json ]; then
		(cd node && npm install --no-audit --no-fund --no-package-lock --loglevel=error)
	fi
else
	echo "interop: node or npm not found: the Node ws peer tests will be skipped" >&2
fi
# The replace line makes the repository's own dependencies this module's
# too; -mod=mod lets go.sum follow them when the library's go.mod changes.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
go vet ./...
# Without -race: the package's own tests run under it; here 16 MiB messages
# would make the race detector the bulk of make test.
go test -count=1 "$@" ./...
