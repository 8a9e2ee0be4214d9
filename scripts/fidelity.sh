#!/usr/bin/env bash
# Fidelity check: chanbench's figures for Go's channel against a plain Go
# program sending the same messages through the same channel
# (reference/plainchan), run interleaved on the same machine. Everything
# chanbench puts around the channel costs something: the queue interface
# and the chan queue's wrapper, the checks on every message, the latency
# stamps, the memory sampling. The ratio says how much, all together.
set -euo pipefail

usage() {
	cat <<'EOF2'
Usage: scripts/fidelity.sh [options]

Builds chanbench and reference/plainchan from this checkout, then for each
shape runs chanbench's chan and the plain Go program one after the other,
--count times (A B A B …), with the same producers, consumers, capacity,
messages and value size, and prints each one's median throughput and the
ratio chanbench / plain Go.

Shapes (producers × consumers, capacity, messages per run):
  steady      4×1, capacity 1024, 10M  chanbench's steady workload
  spsc        1×1, capacity 1024, 10M
  mpmc        4×4, capacity 1024, 10M  chanbench's mpmc workload
  capacity-1  4×1, capacity 1,    4M
  capacity-0  4×1, capacity 0,    4M   an unbuffered channel
  huge        4×1, capacity 8M,   4M   a buffer that never fills
The huge shape's buffer is allocated whole: above 32-byte values its
capacity shrinks to keep it within 256 MB (256 MB / value size), with
messages half the capacity (64 bytes: 4M and 2M; 1024 bytes: 250k and
125k).

Options:
  --count N        runs of each program per shape (default 5)
  --shape LIST     the shapes to run, comma-separated (default all)
  --value-bytes N  the size of the values sent: 16, 32, 64, 128, 256 or
                   1024 (default 16, chanbench's default without a
                   payload); chanbench run --value-bytes, plainchan
                   -value-bytes

A shape that chanbench refuses (exit 2) is reported with chanbench's error
line, and the other shapes still run. Results go to a temporary directory,
removed at the end.

Exit status: 0 every shape ran or was refused, 1 a run failed (a chanbench
trial that did not end ok, or a message plainchan did not receive), 2 bad
input or a build that failed.

Examples:
  scripts/fidelity.sh
  scripts/fidelity.sh --count 9 --shape steady,capacity-0
  scripts/fidelity.sh --value-bytes 64 --shape steady,huge
EOF2
}

die() {
	echo "fidelity: $*" >&2
	exit 2
}

names="steady spsc mpmc capacity-1 capacity-0 huge"
count=5
value_bytes=16
only=""
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--count | --shape | --value-bytes)
		[ $# -ge 2 ] || die "$1 needs a value (see --help)"
		opt=$1 val=$2
		shift 2
		;;
	--count=* | --shape=* | --value-bytes=*)
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
	--shape)
		IFS=, read -r -a asked <<<"$val"
		[ ${#asked[@]} -gt 0 ] || die "--shape: empty"
		for n in "${asked[@]}"; do
			[[ " $names " == *" $n "* ]] || die "--shape $n: want one of ${names// /, }"
		done
		only=",$val,"
		;;
	--value-bytes)
		[[ "$val" =~ ^(16|32|64|128|256|1024)$ ]] || die "--value-bytes $val: want one of 16, 32, 64, 128, 256, 1024"
		value_bytes=$val
		;;
	esac
done

# The huge shape's capacity: 8M, or as many values as fit in 256 MB.
huge_capacity=$((256000000 / value_bytes))
[ "$huge_capacity" -le 8000000 ] || huge_capacity=8000000

# name producers consumers capacity messages
shapes=(
	"steady 4 1 1024 10000000"
	"spsc 1 1 1024 10000000"
	"mpmc 4 4 1024 10000000"
	"capacity-1 4 1 1 4000000"
	"capacity-0 4 1 0 4000000"
	"huge 4 1 $huge_capacity $((huge_capacity / 2))"
)

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fidelity.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "fidelity: building chanbench and reference/plainchan" >&2
# Functions aligned to 64 bytes, not Go's default 32 (see the README's
# "Code layout"): where a hot loop of the harness falls relative to a cache
# line otherwise changes chanbench's figures by up to a third from one build
# to the next.
ldflags=-ldflags=-funcalign=64
go build -C "$root" "$ldflags" -o "$tmp/chanbench" ./cmd/chanbench || die "cannot build chanbench"
go build -C "$root" "$ldflags" -o "$tmp/plainchan" ./reference/plainchan || die "cannot build reference/plainchan"

# stats prints the median of its arguments, then the lowest, the highest,
# and half the range as a percentage of the median.
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ x[NR] = $1 }
		END {
			m = NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2
			printf "%.6g %.6g %.6g %.0f\n", m, x[1], x[NR], (m > 0 ? (x[NR] - x[1]) / 2 / m * 100 : 0)
		}'
}

# rate prints a throughput in msg/s in millions, e.g. 6.12M.
rate() {
	awk -v r="$1" 'BEGIN { printf "%.2fM", r / 1e6 }'
}

# short prints a count in millions or thousands where that is exact, e.g.
# 10M, 250k, 1024.
short() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
		else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3
		else printf "%d", n
	}'
}

rows=()
notes=()
header=""
for shape in "${shapes[@]}"; do
	read -r name producers consumers capacity messages <<<"$shape"
	[ -z "$only" ] || [[ "$only" == *",$name,"* ]] || continue
	common=(--producers "$producers" --consumers "$consumers" --capacity "$capacity" --messages "$messages"
		--value-bytes "$value_bytes")
	cb=() plain=() ratios=() refused=""
	for ((i = 1; i <= count; i++)); do
		a=""
		if [ -z "$refused" ]; then
			out="$tmp/$name-$i" # chanbench refuses an --out that holds results
			rc=0
			err=$("$tmp/chanbench" run --workload steady --impl chan "${common[@]}" \
				--count 1 --quiet --no-charts --json --out "$out" 2>&1 >/dev/null) || rc=$?
			if [ "$rc" -eq 2 ]; then
				refused=$(printf '%s\n' "$err" | head -n 1)
			elif [ "$rc" -ne 0 ]; then
				echo "fidelity: $name: chanbench run failed (exit $rc): $err" >&2
				exit 1
			else
				# A chanbench that ignored --value-bytes would make the ratio
				# compare different values.
				grep -Eq "\"value_bytes\": *$value_bytes\b" "$out/results.json" ||
					die "$name: chanbench's results do not record value_bytes $value_bytes"
				a=$("$tmp/plainchan" -read-throughput "$out/results.json") || exit 1
				cb+=("$a")
			fi
		fi
		ref=$("$tmp/plainchan" "${common[@]}" -count 1) || exit 1
		if [ -z "$header" ]; then
			header=$(printf '%s\n' "$ref" | head -n 1)
		fi
		b=$(printf '%s\n' "$ref" | awk '$1 == "msg/s" { print $2 }')
		plain+=("$b")
		if [ -n "$a" ]; then
			ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { print a / b }')")
			echo "fidelity: $name $i/$count: chanbench $(rate "$a"), plain Go $(rate "$b") msg/s" >&2
		else
			echo "fidelity: $name $i/$count: plain Go $(rate "$b") msg/s" >&2
		fi
	done

	read -r pm _ _ ps <<<"$(stats "${plain[@]}")"
	plain_col="$(rate "$pm") ±$ps%"
	if [ -n "$refused" ]; then
		row=$(printf '%-11s %s×%s %5s %5s  %-17s %-18s %s' "$name" "$producers" "$consumers" \
			"$(short "$capacity")" "$(short "$messages")" "refused" "$plain_col" "-")
		notes+=("$name: chanbench refused ${producers}×${consumers} capacity $capacity: ${refused#chanbench: }")
	else
		read -r cm _ _ cs <<<"$(stats "${cb[@]}")"
		read -r ratio rlo rhi _ <<<"$(stats "${ratios[@]}")"
		row=$(printf '%-11s %s×%s %5s %5s  %-18s %-18s %s' "$name" "$producers" "$consumers" \
			"$(short "$capacity")" "$(short "$messages")" "$(rate "$cm") ±$cs%" "$plain_col" \
			"$(awk -v m="$ratio" -v lo="$rlo" -v hi="$rhi" 'BEGIN { printf "%.2fx  %.2f–%.2f", m, lo, hi }')")
	fi
	rows+=("$row")
done

runs="$count runs"
[ "$count" -ne 1 ] || runs="1 run"
echo "chanbench's chan against plain Go: $runs of each, interleaved, $value_bytes-byte values"
echo "${header#\# }" | sed 's/^[^,]*, [^,]*, [^,]*, //' # GOMAXPROCS and Go version
# printf pads bytes, and ± and × are two bytes each: the cells that hold
# one are given one byte more.
printf '%-11s %s %5s %5s  %-17s %-17s %s\n' shape "P×C" cap msgs "chanbench msg/s" "plain Go msg/s" "ratio  range"
printf '%s\n' "${rows[@]}"
echo
echo "msg/s: median, ± half the range as a share of it. ratio: median of the"
echo "  per-pair ratios chanbench / plain Go, then the lowest and the highest."
for n in "${notes[@]}"; do
	echo "$n"
done
