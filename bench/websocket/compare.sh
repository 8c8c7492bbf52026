#!/usr/bin/env bash
# compare.sh: the WebSocket benchmarks (ws_bench_test.go) for this
# repository's github.com/valyala/fasthttp/websocket against upstream
# fasthttp v1.79.0's, fasthttp/websocket v1.5.12 and coder/websocket v1.8.15,
# interleaved, summarised as medians in a Markdown table.
#
# usage: bench/websocket/compare.sh [--count N] [--benchtime D] [--keep]
#
# Two fasthttp modules of the same path cannot be linked into one binary, so
# this module is built twice: as it is (upstream fasthttp; the other two
# implementations run there) and with a replace line pointing at the
# repository (only the fasthttp package runs there). Rounds alternate the
# order (ABBA) so that drift cancels out.
set -euo pipefail
COUNT=5
BENCHTIME=2000x
KEEP=
while [ $# -gt 0 ]; do
	case $1 in
	--count) COUNT=${2:?} && shift ;;
	--benchtime) BENCHTIME=${2:?} && shift ;;
	--keep) KEEP=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "compare: unknown argument '$1'" >&2
		exit 2
		;;
	esac
	shift
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
export GOWORK=off
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ws-compare.XXXXXX")
cleanup() { [ -n "$KEEP" ] || rm -rf "$WORK"; }
trap cleanup EXIT
log() { echo "[ws-compare $(date +%T)] $*" >&2; }

cp -r "$HERE" "$WORK/upstream"
cp -r "$HERE" "$WORK/project"
go -C "$WORK/project" mod edit -replace "github.com/valyala/fasthttp=$ROOT"
go -C "$WORK/project" mod tidy >"$WORK/tidy.log" 2>&1 || {
	cat "$WORK/tidy.log" >&2
	exit 1
}
log "building"
go -C "$WORK/upstream" test -c -o "$WORK/upstream.test" .
go -C "$WORK/project" test -c -ldflags "-X example.com/fasthttp-websocket-bench.project=1" -o "$WORK/project.test" .

for round in $(seq 1 "$COUNT"); do
	order="project upstream"
	((round % 2)) || order="upstream project"
	for name in $order; do
		timeout 900 "$WORK/$name.test" -test.run '^$' -test.bench . -test.benchmem \
			-test.benchtime "$BENCHTIME" -test.count 1 -test.cpu 2 >>"$WORK/$name.txt"
	done
	log "round $round/$COUNT done"
done

python3 - "$WORK/project.txt" "$WORK/upstream.txt" "$COUNT" "$BENCHTIME" <<'PY'
import re, statistics, sys
proj, up, count, benchtime = sys.argv[1:5]
def load(path, label_linked):
    data = {}
    for line in open(path):
        if not line.startswith("Benchmark"):
            continue
        f = line.split()
        name = re.sub(r"-\d+$", "", f[0])
        parts = name.split("/")
        kind, impl, rest = parts[0], parts[1], "/".join(parts[2:])
        if impl == "fasthttp":
            impl = label_linked
        for i in range(2, len(f) - 1, 2):
            data.setdefault((kind, impl, rest, f[i + 1]), []).append(float(f[i]))
    return data
d = load(up, "upstream")
d.update(load(proj, "project"))
med = {k: statistics.median(v) for k, v in d.items()}
impls = ["project", "upstream", "fasthttp-websocket", "coder"]
head = ["this repository", "upstream v1.79.0", "fasthttp/websocket v1.5.12", "coder/websocket v1.8.15"]
print(f"{count} interleaved rounds, -benchtime {benchtime}, loopback TCP, both ends in one process; medians of CPU time")
print("(user + system) per round trip, which waiting for a shared CPU does not inflate.\n")
print("| echo round trip | " + " | ".join(head) + " | this / upstream |")
print("|---|" + "---|" * (len(head) + 1))
worst = 0
for mode in ["plain", "deflate"]:
    for size in ["16", "1024", "65536"]:
        row = []
        for im in impls:
            ns = med.get(("BenchmarkEcho", im, f"{mode}/{size}", "cpu-ns/op"))
            al = med.get(("BenchmarkEcho", im, f"{mode}/{size}", "allocs/op"))
            row.append("—" if ns is None else f"{ns/1000:.1f} µs, {al:g} allocs")
        p = med.get(("BenchmarkEcho", "project", f"{mode}/{size}", "cpu-ns/op"))
        u = med.get(("BenchmarkEcho", "upstream", f"{mode}/{size}", "cpu-ns/op"))
        ratio = p / u if p and u else float("nan")
        worst = max(worst, ratio)
        label = {"16": "16 B", "1024": "1 KiB", "65536": "64 KiB"}[size]
        print(f"| {label} {'compressed' if mode == 'deflate' else 'plain'} | " + " | ".join(row) + f" | {ratio:.2f}x |")
row = []
for im in impls:
    b = med.get(("BenchmarkIdle", im, "", "B/conn"))
    row.append("—" if b is None else f"{b/1024:.1f} KiB")
p = med.get(("BenchmarkIdle", "project", "", "B/conn"))
u = med.get(("BenchmarkIdle", "upstream", "", "B/conn"))
print(f"| memory per idle connection (heap + stacks, both ends) | " + " | ".join(row) + f" | {p/u:.2f}x |")
print(f"\nws-compare: worst echo CPU-time ratio this/upstream = {worst:.2f}x; idle memory ratio = {p/u:.2f}x")
PY
