#!/usr/bin/env bash
# A/B performance check: builds chanbench at a base commit and at the
# working tree, runs both on the same machine interleaved (A B A B …), and
# asks `chanbench compare` whether any queue got significantly worse.
# Interleaving puts both builds under the same machine noise, which makes
# this far more trustworthy than comparing with a baseline stored from
# another machine. Needs only git and Go.
#
# Everything that can be checked is checked before the slow part (building
# the base, then the runs) and before anything is written under --out, so
# that a mistake costs seconds, not a half-filled results directory. The
# usage below says what it writes and what each exit status means.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/perf-check.sh [options] [BASE_REF]

Builds chanbench at BASE_REF (default: the merge base of HEAD with main) and
at the working tree, runs the steady workload (and any --workload given)
with both, alternating base and candidate one repetition at a time, then
compares them with chanbench compare and exits with its verdict.

Options:
  --workload W      also run workload W, a name or a YAML file (repeatable,
                    or comma-separated)
  --count N         repetitions per build and workload (default 6; at least 4
                    are needed to reach significance at alpha 0.05)
  --impl LIST       queues to run, comma-separated (default all)
  --out DIR         keep the results and the reports in DIR (default a new
                    temporary directory); DIR must not hold results already
  --alpha P         passed to chanbench compare (default 0.05)
  --threshold PCT   passed to chanbench compare (default 5%)
  --fail-on LIST    passed to chanbench compare (default every metric)

Before the base is built and before anything is written under DIR, it
checks the options, BASE_REF, DIR, and every workload with --impl and
--count through the candidate's `chanbench run --dry-run` (and, once built,
the base's); a mistake ends it within seconds with one line and exit 2.

Writes DIR/old/<workload>/<n>/ and DIR/new/<workload>/<n>/ (one run each),
DIR/perf-check.txt and DIR/perf-check.md (a table for a pull-request comment).
If it stops before the comparison (a build or run that fails, an interrupt),
it removes what it wrote under DIR, and DIR itself if it made it, so the same
command can run again.

Exit status: 0 nothing got worse, 1 a queue got worse (or a trial crashed),
2 bad input or a build or run that failed.

Examples:
  scripts/perf-check.sh
  scripts/perf-check.sh --count 10 --workload burst origin/main
  scripts/perf-check.sh --impl chan,ring --out perf HEAD
EOF
}

die() {
	echo "perf-check: $*" >&2
	exit 2
}

base_ref=""
workloads=(steady)
count=6
impl=""
out=""
compare_opts=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--workload | --count | --impl | --out | --alpha | --threshold | --fail-on)
		[ $# -ge 2 ] || die "$1 needs a value (see --help)"
		opt=$1 val=$2
		shift 2
		;;
	--workload=* | --count=* | --impl=* | --out=* | --alpha=* | --threshold=* | --fail-on=*)
		opt=${1%%=*} val=${1#*=}
		shift
		;;
	-*) die "unknown option $1 (see --help)" ;;
	*)
		[ -z "$base_ref" ] || die "more than one BASE_REF: $base_ref and $1"
		base_ref=$1
		shift
		continue
		;;
	esac
	case "$opt" in
	--workload)
		IFS=, read -r -a ws <<<"$val"
		[ ${#ws[@]} -gt 0 ] || die "--workload: empty"
		for w in "${ws[@]}"; do
			[ -n "$w" ] || die "--workload $val: an empty name"
			[[ " ${workloads[*]} " == *" $w "* ]] || workloads+=("$w")
		done
		;;
	--count)
		[[ "$val" =~ ^[1-9][0-9]*$ ]] || die "--count $val: want a positive number"
		count=$val
		;;
	--impl) impl=$val ;;
	--out)
		[ -n "$val" ] || die "--out: empty"
		out=$val
		;;
	*) compare_opts+=("$opt" "$val") ;;
	esac
done

# The checkout this script belongs to. The script stays in the caller's
# directory, so that --out and workload files are where the caller means;
# git and go are pointed at the checkout.
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null) || die "$(dirname "$0"): not in a git checkout"

# The base: the given ref, or where this branch left main. On main itself
# (or without a main branch) that is HEAD, so the check measures the
# uncommitted changes.
if [ -z "$base_ref" ]; then
	for main in main origin/main master origin/master; do
		if base_ref=$(git -C "$root" merge-base HEAD "$main" 2>/dev/null); then
			break
		fi
		base_ref=""
	done
	base_ref=${base_ref:-HEAD}
fi
base=$(git -C "$root" rev-parse --verify --quiet "$base_ref^{commit}") || die "$base_ref: not a commit"

if [ -n "$out" ]; then
	[ ! -e "$out" ] || [ -d "$out" ] || die "--out $out: not a directory"
	for f in old new perf-check.txt perf-check.md results.json; do
		[ ! -e "$out/$f" ] || die "--out $out already holds results ($f); give a new --out"
	done
fi

# What this run made, for cleanup: the build directory, and under --out
# either the directory itself or old/ and new/ in one that already existed.
# Once the comparison has run, the results stay whatever its verdict.
work=$(mktemp -d "${TMPDIR:-/tmp}/perf-check-build.XXXXXX")
made_out=""
wrote_out=""
compared=""
cleanup() {
	git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
	git -C "$root" worktree prune >/dev/null 2>&1 || true
	rm -rf "$work"
	if [ -z "$compared" ]; then
		if [ -n "$made_out" ]; then
			rm -rf "$out"
		elif [ -n "$wrote_out" ]; then
			rm -rf "$out/old" "$out/new"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# check_runs SIDE WHAT asks the SIDE build's chanbench run --dry-run, which
# checks every option and runs nothing, about each workload as run() will
# run it; WHAT prefixes its one-line error.
check_runs() {
	local side=$1 what=$2 workload msg
	for workload in "${workloads[@]}"; do
		local args=(run --dry-run --workload "$workload" --count 1 --quiet --no-charts)
		[ -z "$impl" ] || args+=(--impl "$impl")
		if ! msg=$("$work/$side" "${args[@]}" 2>&1 >/dev/null); then
			die "$what${msg#chanbench: }"
		fi
	done
}

echo "perf-check: building the candidate (the working tree) to check the options" >&2
# Functions aligned to 64 bytes, not Go's default 32 (see the README's
# "Code layout"): where a hot loop of the harness falls relative to a cache
# line otherwise changes chanbench's figures by up to a third from one build
# to the next, which is a change that neither build made.
ldflags=-ldflags=-funcalign=64
go build -C "$root" "$ldflags" -o "$work/new" ./cmd/chanbench || die "cannot build chanbench in the working tree"
check_runs new ""
# compare's options, checked by comparing a stored run with itself: exit 2
# is bad input, and nothing else is.
fixture="$root/reports/testdata/slow-consumer"
if [ ${#compare_opts[@]} -gt 0 ] && [ -d "$fixture" ]; then
	rc=0
	msg=$("$work/new" compare "${compare_opts[@]}" "$fixture" "$fixture" 2>&1 >/dev/null) || rc=$?
	[ "$rc" -ne 2 ] || die "${msg#chanbench: }"
fi

base_desc="$(git -C "$root" log -1 --format='%h %s' "$base")"
head_desc="$(git -C "$root" log -1 --format='%h' HEAD)"
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] || head_desc+=" with local changes"
echo "perf-check: base $base_desc" >&2
echo "perf-check: candidate: the working tree ($head_desc)" >&2
echo "perf-check: building the base" >&2
git -C "$root" worktree add --detach --quiet "$work/base" "$base" || die "cannot check out $base_ref"
go build -C "$work/base" "$ldflags" -o "$work/old" ./cmd/chanbench || die "cannot build chanbench at $base_ref"
# A base from before chanbench run --dry-run cannot be asked.
if [[ "$("$work/old" run -h 2>&1 || true)" == *--dry-run* ]]; then
	check_runs old "the base build ($base_ref) cannot run this: "
fi

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/perf-check.XXXXXX")
	made_out=1
elif [ ! -e "$out" ]; then
	mkdir -p "$out"
	made_out=1
fi
out=$(cd "$out" && pwd)
wrote_out=1
echo "perf-check: results in $out" >&2

# run SIDE WORKLOAD N runs one repetition of every queue with one build.
# A run that finds crashed or invalid trials exits 1 but still writes its
# results: compare judges those. Anything else without results is fatal.
# A workload file's path becomes one directory name.
run() {
	local side=$1 workload=$2 n=$3
	local dir="$out/$side/${workload//\//_}/$n"
	local args=(run --workload "$workload" --count 1 --quiet --no-charts --out "$dir")
	[ -z "$impl" ] || args+=(--impl "$impl")
	# The log goes beside the run's directory: chanbench wants that one new.
	mkdir -p "$(dirname "$dir")"
	if ! "$work/$side" "${args[@]}" >"$dir.log" 2>&1 && [ ! -f "$dir/results.json" ]; then
		tail -n 5 "$dir.log" >&2
		die "chanbench run failed with the $side build ($workload, repetition $n)"
	fi
}

steps=$((2 * count * ${#workloads[@]}))
step=0
for n in $(seq 1 "$count"); do
	for workload in "${workloads[@]}"; do
		for side in old new; do
			step=$((step + 1))
			printf 'perf-check: %d/%d %s %s\n' "$step" "$steps" "$side" "$workload" >&2
			run "$side" "$workload" "$n"
		done
	done
done

# compare pools every run below old/ and new/ as repetitions.
compared=1
rc=0
"$work/new" compare ${compare_opts[@]+"${compare_opts[@]}"} "$out/old" "$out/new" | tee "$out/perf-check.txt" || rc=${PIPESTATUS[0]}
if [ "$rc" -le 1 ]; then
	{
		"$work/new" compare --format markdown ${compare_opts[@]+"${compare_opts[@]}"} "$out/old" "$out/new" 2>/dev/null || true
		printf '\nOLD is the base, %s; NEW the candidate, %s; runs interleaved, %d per side.\n' "$base_desc" "$head_desc" "$count"
	} >"$out/perf-check.md"
	echo "perf-check: markdown table in $out/perf-check.md" >&2
fi
exit "$rc"
