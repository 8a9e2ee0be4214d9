#!/usr/bin/env bash
# Runs chanbench's whole test suite, as CI does: formatting, go vet, and
# every test with the race detector (the queues, the driver and the harness
# are concurrent code), then the fuzzers for a few seconds each. The
# integration tests build the chanbench binary and run real trials under
# small memory budgets (256 MiB at most).
#
# Before each stage it says on stderr what runs and about how long it takes,
# as measured on a 2-core machine; go test's own output is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { echo "test.sh: $*" >&2; }

stage "gofmt -l . (a second)"
unformatted=$(gofmt -l . | grep -v '^examples/.*/vendor/' || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" >&2
	echo "$unformatted" >&2
	exit 1
fi
stage "go vet ./... (seconds; over a minute with a cold build cache)"
go vet ./...
stage "go test -race ./... (about 2 min; each package says ok when done)"
go test -race -count=1 -timeout 15m "$@" ./...

# The fuzzers, briefly: the queues against a reference queue, and the
# workload parser against arbitrary bytes. Their seed corpora already ran
# above as ordinary tests. CHANBENCH_FUZZTIME=0 skips them.
fuzztime=${CHANBENCH_FUZZTIME:-10s}
if [ "$fuzztime" != 0 ]; then
	stage "fuzzing the queues, FuzzQueue, for $fuzztime (+30 s to build the first time)"
	go test -run '^$' -fuzz '^FuzzQueue$' -fuzztime "$fuzztime" -fuzzminimizetime 2s ./impls/
	stage "fuzzing the workload parser, FuzzParse, for $fuzztime (+10 s the first time)"
	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime "$fuzztime" -fuzzminimizetime 2s ./workloads/
fi
stage "passed in $((SECONDS / 60))m$((SECONDS % 60))s"
