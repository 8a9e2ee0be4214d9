#!/usr/bin/env bash
# End to end against the queue alone: what `chanbench run --workload spsc`
# reports for a queue, beside what BenchmarkQueue (impls/, a bare loop with
# int values and nothing else) gives the same queue on the same shape, run
# alternately on the same machine. The ratio is everything chanbench puts
# around the queue: the child process, the driver's checks and stamps, the
# sampling, the 16-byte value in place of an int.
set -euo pipefail

usage() {
	cat <<'EOF2'
Usage: scripts/end-to-end.sh [options]

Builds chanbench and the impls benchmarks from this checkout, then for each
queue runs BenchmarkQueue's spsc case (one producer, one consumer, capacity
1024, int values) and `chanbench run --workload spsc` (the same shape, 16-byte
values, 1 s) one after the other, --count times (A B A B …), and prints each
one's median msg/s and the median of the per-pair ratios run / benchmark.

Options:
  --count N    pairs per queue (default 5)
  --impl LIST  queues, comma-separated (default spsc,ring,chan)

Exit status: 0 done, 1 a run or benchmark failed, 2 bad input or a build
that failed.

Example:
  scripts/end-to-end.sh --count 9 --impl spsc
EOF2
}

die() {
	echo "end-to-end: $*" >&2
	exit 2
}

count=5
impls=spsc,ring,chan
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--count | --impl)
		[ $# -ge 2 ] || die "$1 needs a value (see --help)"
		opt=$1 val=$2
		shift 2
		;;
	--count=* | --impl=*)
		opt=${1%%=*} val=${1#*=}
		shift
		;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
	case "$opt" in
	--count)
		[[ "$val" =~ ^[1-9][0-9]*$ ]] || die "--count $val: want a positive number"
		count=$val
		;;
	--impl)
		[[ "$val" =~ ^[a-z0-9-]+(,[a-z0-9-]+)*$ ]] || die "--impl $val: want queue names, comma-separated"
		impls=$val
		;;
	esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/end-to-end.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "end-to-end: building chanbench and the impls benchmarks" >&2
# Functions aligned to 64 bytes, not Go's default 32 (see the README's
# "Code layout"): where a hot loop of the harness falls relative to a cache
# line otherwise changes chanbench's figures by up to a third from one build
# to the next.
ldflags=-ldflags=-funcalign=64
go build -C "$root" "$ldflags" -o "$tmp/chanbench" ./cmd/chanbench || die "cannot build chanbench"
go test -C "$root" "$ldflags" -c -o "$tmp/impls.test" ./impls || die "cannot build the impls benchmarks"
IFS=, read -r -a names <<<"$impls"
for name in "${names[@]}"; do
	"$tmp/chanbench" run --workload spsc --impl "$name" --dry-run >/dev/null ||
		die "--impl $name: chanbench cannot run it on the spsc workload"
done

# median prints the median of its arguments, then the lowest and the highest.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ x[NR] = $1 }
		END { printf "%.6g %.6g %.6g\n", NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2, x[1], x[NR] }'
}

rows=()
for name in "${names[@]}"; do
	bench=() run=() ratios=()
	for ((i = 1; i <= count; i++)); do
		b=$("$tmp/impls.test" -test.run '^$' -test.bench "^BenchmarkQueue\$/^impl=$name\$/^case=spsc\$" \
			-test.benchtime 4000000x | awk '{ for (f = 2; f < NF; f++) if ($(f + 1) == "msgs/s") print $f }')
		[ -n "$b" ] || {
			echo "end-to-end: $name: BenchmarkQueue gave no figure" >&2
			exit 1
		}
		out="$tmp/$name-$i"
		"$tmp/chanbench" run --workload spsc --impl "$name" --quiet --no-charts --out "$out" >/dev/null || {
			echo "end-to-end: $name: chanbench run failed" >&2
			exit 1
		}
		r=$("$tmp/chanbench" export "$out" | awk '/^BenchmarkRun/ { for (f = 2; f < NF; f++) if ($(f + 1) == "msg/s") print $f }')
		[ -n "$r" ] || {
			echo "end-to-end: $name: the run's trial did not end ok" >&2
			exit 1
		}
		bench+=("$b") run+=("$r")
		ratios+=("$(awk -v a="$r" -v b="$b" 'BEGIN { print a / b }')")
		echo "end-to-end: $name $i/$count: run $(awk -v r="$r" 'BEGIN { printf "%.1fM", r / 1e6 }'), benchmark $(awk -v r="$b" 'BEGIN { printf "%.1fM", r / 1e6 }') msg/s" >&2
	done
	read -r bm _ _ <<<"$(median "${bench[@]}")"
	read -r rm _ _ <<<"$(median "${run[@]}")"
	read -r ratio lo hi <<<"$(median "${ratios[@]}")"
	rows+=("$(awk -v n="$name" -v r="$rm" -v b="$bm" -v m="$ratio" -v lo="$lo" -v hi="$hi" \
		'BEGIN { printf "%-8s %10.1fM %12.1fM   %.2fx  %.2f-%.2f", n, r / 1e6, b / 1e6, m, lo, hi }')")
done

echo "chanbench run --workload spsc against BenchmarkQueue (case spsc): $count pairs, interleaved"
printf '%-8s %11s %13s   %s\n' queue "run msg/s" "bench msg/s" "ratio  range"
printf '%s\n' "${rows[@]}"
echo
echo "msg/s: medians. ratio: the median of the per-pair ratios run / benchmark,"
echo "  then the lowest and the highest."
