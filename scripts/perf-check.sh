#!/usr/bin/env bash
# A/B performance check: builds chanbench at a base commit and at the
# working tree, runs both on the same machine interleaved (A B A B …), and
# asks `chanbench compare` whether any queue got significantly worse.
# Interleaving puts both builds under the same machine noise, which makes
# this far more trustworthy than comparing with a baseline stored from
# another machine. Needs only git and Go.
#
# Exit status: 0 nothing got worse, 1 a queue got worse (or a trial crashed),
# 2 bad input or a build or run that failed.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/perf-check.sh [options] [BASE_REF]

Builds chanbench at BASE_REF (default: the merge base of HEAD with main) and
at the working tree, runs the steady workload (and any --workload given)
with both, alternating base and candidate one repetition at a time, then
compares them with chanbench compare and exits with its verdict.

Options:
  --workload W      also run workload W (repeatable, or comma-separated)
  --count N         repetitions per build and workload (default 6; at least 4
                    are needed to reach significance at alpha 0.05)
  --impl LIST       queues to run, comma-separated (default all)
  --out DIR         keep the results and the reports in DIR (default a new
                    temporary directory)
  --alpha P         passed to chanbench compare (default 0.05)
  --threshold PCT   passed to chanbench compare (default 5%)
  --fail-on LIST    passed to chanbench compare (default every metric)

Writes DIR/old/<workload>/<n>/ and DIR/new/<workload>/<n>/ (one run each),
DIR/perf-check.txt and DIR/perf-check.md (a table for a pull-request comment).

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
		for w in "${ws[@]}"; do
			[[ " ${workloads[*]} " == *" $w "* ]] || workloads+=("$w")
		done
		;;
	--count)
		[[ "$val" =~ ^[1-9][0-9]*$ ]] || die "--count $val: want a positive number"
		count=$val
		;;
	--impl) impl=$val ;;
	--out) out=$val ;;
	*) compare_opts+=("$opt" "$val") ;;
	esac
done

root=$(git rev-parse --show-toplevel 2>/dev/null) || die "not inside a git repository"
cd "$root"

# The base: the given ref, or where this branch left main. On main itself
# (or without a main branch) that is HEAD, so the check measures the
# uncommitted changes.
if [ -z "$base_ref" ]; then
	for main in main origin/main master origin/master; do
		if base_ref=$(git merge-base HEAD "$main" 2>/dev/null); then
			break
		fi
		base_ref=""
	done
	base_ref=${base_ref:-HEAD}
fi
base=$(git rev-parse --verify --quiet "$base_ref^{commit}") || die "$base_ref: not a commit"

work=$(mktemp -d "${TMPDIR:-/tmp}/perf-check-build.XXXXXX")
cleanup() {
	git worktree remove --force "$work/base" >/dev/null 2>&1 || true
	git worktree prune >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/perf-check.XXXXXX")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ ! -e "$out/old" ] && [ ! -e "$out/new" ] || die "$out already holds results; give a new --out"

base_desc="$(git log -1 --format='%h %s' "$base")"
head_desc="$(git log -1 --format='%h' HEAD)"
[ -z "$(git status --porcelain --untracked-files=no)" ] || head_desc+=" with local changes"
echo "perf-check: base $base_desc" >&2
echo "perf-check: candidate: the working tree ($head_desc)" >&2
echo "perf-check: building chanbench at the base and at the working tree" >&2
git worktree add --detach --quiet "$work/base" "$base" || die "cannot check out $base_ref"
(cd "$work/base" && go build -o "$work/old" ./cmd/chanbench) || die "cannot build chanbench at $base_ref"
go build -o "$work/new" ./cmd/chanbench || die "cannot build chanbench in the working tree"

# run SIDE WORKLOAD N runs one repetition of every queue with one build.
# A run that finds crashed or invalid trials exits 1 but still writes its
# results: compare judges those. Anything else without results is fatal.
run() {
	local side=$1 workload=$2 n=$3
	local dir="$out/$side/$workload/$n"
	local args=(run --workload "$workload" --count 1 --quiet --no-charts --out "$dir")
	[ -z "$impl" ] || args+=(--impl "$impl")
	mkdir -p "$dir"
	if ! "$work/$side" "${args[@]}" >"$dir/run.log" 2>&1 && [ ! -f "$dir/results.json" ]; then
		tail -n 5 "$dir/run.log" >&2
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
