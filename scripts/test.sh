#!/usr/bin/env bash
# Runs chanbench's whole test suite, as CI does: formatting, go vet, and
# every test with the race detector (the queues, the driver and the harness
# are concurrent code). The integration tests build the chanbench binary and
# run real trials under small memory budgets.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l . | grep -v '^examples/.*/vendor/' || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -count=1 -timeout 15m "$@" ./...
