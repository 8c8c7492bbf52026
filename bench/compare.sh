#!/usr/bin/env bash
# compare.sh: the in-memory server benchmarks (bench_test.go at the repository
# root) run against this repository, upstream fasthttp v1.78.0 and net/http,
# interleaved, then summarised by benchstat.
#
# usage: bench/compare.sh [--client] [--quick] [--count N] [--benchtime D] [--cpu LIST] [--bench REGEX] [--keep]
#
#   --client       the client suite instead (bench_client_test.go): Do over a
#                  keep-alive connection to a scripted in-memory peer, for
#                  HostClient and Client, GET, 4 KiB GET and 1 KiB POST
#   --count N      rounds (default 6; --quick: 3)
#   --benchtime D  go test -benchtime per benchmark (default 500ms; --quick: 200ms)
#   --cpu LIST     go test -cpu (default 1: steadiest on a shared machine)
#   --bench REGEX  sub-benchmarks to run, as "Kind/Mode" (default . = all), e.g. 'Plain/KeepAlive'
#                  (client suite: "Client/Case", e.g. 'HostClient/GET$')
#   --keep         keep the work directory with the raw results
#
# Two fasthttp modules of the same path cannot be linked into one binary, so
# this module (bench/) is copied twice into a temporary directory: once as it
# is (pinned to upstream), once with a replace line pointing at the
# repository. net/http is measured from the upstream binary. Each round runs
# the three in ABBA order so that drift cancels out.
#
# Prints benchstat's tables (upstream is the base) and, last, a line:
#   compare: geomean time project/upstream = 0.95x, project/net-http = 0.12x; allocs/op project max = 0; n = 6
set -euo pipefail

BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
COUNT=6
BENCHTIME=500ms
CPU=1
FILTER=.
KEEP=
SUITE=server
while [ $# -gt 0 ]; do
	case $1 in
	--client) SUITE=client ;;
	--quick) COUNT=3 BENCHTIME=200ms ;;
	--count) COUNT=${2:?--count needs a value} && shift ;;
	--benchtime) BENCHTIME=${2:?--benchtime needs a value} && shift ;;
	--cpu) CPU=${2:?--cpu needs a value} && shift ;;
	--bench) FILTER=${2:?--bench needs a value} && shift ;;
	--keep) KEEP=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "compare: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || {
	echo "compare: --count needs a positive whole number" >&2
	exit 2
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
export GOWORK=off
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fasthttp-compare.XXXXXX")
cleanup() { [ -n "$KEEP" ] || rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
BIN=$WORK/bin
RES=$WORK/results
mkdir -p "$BIN" "$RES"

log() { echo "[compare $(date +%T)] $*" >&2; }
die() {
	echo "compare: FAILED: $*"
	exit 1
}
[ -z "$KEEP" ] || log "work directory: $WORK"

# Build: the bench module twice, the symlinked benchmark file copied in.
cp -rL "$ROOT/bench" "$WORK/upstream"
cp -rL "$ROOT/bench" "$WORK/project"
go -C "$WORK/project" mod edit -replace "github.com/valyala/fasthttp=$ROOT"
log "resolving modules"
go -C "$WORK/project" mod tidy >"$WORK/tidy.log" 2>&1 || {
	cat "$WORK/tidy.log" >&2
	die "go mod tidy against $ROOT"
}
for b in upstream project; do
	log "building $b"
	go -C "$WORK/$b" test -c -o "$BIN/$b.test" . || die "$b benchmarks do not build"
done

# Correctness before speed: every case's responses are parsed and checked.
for b in upstream project; do
	"$BIN/$b.test" -test.run '^(TestBenchWorkloadResponses|TestBenchClientPeer)$' -test.count 1 >"$WORK/sanity-$b.log" 2>&1 || {
		tail -n 30 "$WORK/sanity-$b.log" >&2
		die "$b answered the benchmark requests wrongly"
	}
done

# pattern TOP: the go test -bench pattern for the sub-benchmarks of TOP that
# --bench selects. go test treats a top-level | as "either whole pattern", so
# each alternative gets the prefix.
pattern() {
	local top=$1 out="" alt="" depth=0 i c
	for ((i = 0; i < ${#FILTER}; i++)); do
		c=${FILTER:i:1}
		case $c in
		'(' | '[') depth=$((depth + 1)) ;;
		')' | ']') depth=$((depth - 1)) ;;
		'|') if ((depth == 0)); then
			out+="^$top\$/$alt|" alt=""
			continue
		fi ;;
		esac
		alt+=$c
	done
	echo "$out^$top\$/$alt"
}

# run NAME ROUND: one pass over the selected benchmarks, appended to $RES/NAME.txt.
run() {
	local name=$1 round=$2 bin=$BIN/$1.test top=$TOP out=$WORK/run-$1-$2.txt
	if [ "$name" = net-http ]; then
		bin=$BIN/upstream.test top=$NETTOP
	fi
	timeout 900 "$bin" -test.run '^$' -test.bench "$(pattern $top)" -test.benchmem \
		-test.benchtime "$BENCHTIME" -test.count 1 -test.cpu "$CPU" >"$out" 2>&1 || {
		tail -n 30 "$out" >&2
		die "$name benchmarks failed in round $round"
	}
	grep -q '^Benchmark' "$out" || {
		[ "$name" = net-http ] && return 0 # net/http has only some of the kinds
		die "no benchmark matched --bench '$FILTER'"
	}
	# One name for all three, so that benchstat puts them side by side.
	sed "s/^$top\//$TOP\//" "$out" >>"$RES/$name.txt"
}

TOP=BenchmarkServer NETTOP=BenchmarkNetHTTP
[ "$SUITE" = server ] || TOP=BenchmarkClient NETTOP=BenchmarkNetHTTPClient
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
for round in $(seq 1 "$COUNT"); do
	order="project upstream net-http"
	((round % 2)) || order="net-http upstream project"
	for name in $order; do run "$name" "$round"; done
	log "round $round/$COUNT done"
done
touch "$RES/net-http.txt"

BENCHSTAT_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/fasthttp-compare/benchstat-$BENCHSTAT_VERSION
BENCHSTAT=$BENCHSTAT_DIR/benchstat
if [ ! -x "$BENCHSTAT" ]; then
	log "installing benchstat $BENCHSTAT_VERSION into $BENCHSTAT_DIR"
	mkdir -p "$BENCHSTAT_DIR"
	GOBIN=$BENCHSTAT_DIR go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION" >&2 ||
		die "could not install benchstat"
fi

echo "# fasthttp $SUITE benchmarks: project vs upstream v1.78.0 vs net/http"
echo
echo "- $COUNT interleaved rounds, -benchtime $BENCHTIME, -cpu $CPU; $(go env GOVERSION), $(nproc) CPUs; load average at start $LOAD"
echo "- ns/op, B/op and allocs/op are per request; upstream is the base of every comparison"
echo
echo '```'
(cd "$RES" && "$BENCHSTAT" upstream=upstream.txt project=project.txt net-http=net-http.txt) || die "benchstat failed"
echo '```'
echo

# Summary: medians per benchmark, then geomeans of the ratios.
awk '
function median(key,    n, i, j, t, v) {
	n = cnt[key]
	for (i = 1; i <= n; i++) v[i] = vals[key, i]
	for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
	return n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
}
FNR == 1 { src = FILENAME; sub(/.*\//, "", src); sub(/\.txt$/, "", src) }
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	names[name] = 1
	for (i = 3; i < NF; i++) {
		if ($(i+1) == "ns/op") { k = src SUBSEP name; vals[k, ++cnt[k]] = $i; runs[src] = cnt[k] }
		if ($(i+1) == "allocs/op" && src == "project") { a = $i; if (a > maxalloc) maxalloc = a }
	}
}
END {
	for (name in names) {
		p = "project" SUBSEP name; u = "upstream" SUBSEP name; h = "net-http" SUBSEP name
		if (!(p in cnt)) continue
		if (u in cnt) { su += log(median(p) / median(u)); nu++ }
		if (h in cnt) { sh += log(median(p) / median(h)); nh++ }
	}
	if (nu == 0) { print "compare: FAILED: no benchmark ran on both builds"; exit 1 }
	line = sprintf("compare: geomean time project/upstream = %.2fx", exp(su / nu))
	if (nh > 0) line = line sprintf(", project/net-http = %.2fx", exp(sh / nh))
	printf "%s; allocs/op project max = %d; n = %d\n", line, maxalloc, runs["project"]
}' "$RES/project.txt" "$RES/upstream.txt" "$RES/net-http.txt"
