#!/usr/bin/env bash
# Runs chanbench's whole test suite, as CI does: formatting, go vet, and
# every test with the race detector (the queues, the driver and the harness
# are concurrent code), then the fuzzers for a few seconds each. The
# integration tests build the chanbench binary and run real trials under
# small memory budgets (256 MiB at most).
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

# The fuzzers, briefly: the queues against a reference queue, and the
# workload parser against arbitrary bytes. Their seed corpora already ran
# above as ordinary tests. CHANBENCH_FUZZTIME=0 skips them.
fuzztime=${CHANBENCH_FUZZTIME:-10s}
if [ "$fuzztime" != 0 ]; then
	go test -run '^$' -fuzz '^FuzzQueue$' -fuzztime "$fuzztime" -fuzzminimizetime 2s ./impls/
	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime "$fuzztime" -fuzzminimizetime 2s ./workloads/
fi
