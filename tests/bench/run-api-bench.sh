#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# The HTTP API benchmark: rdd-daemon (over its unix socket and over HTTPS with the bearer
# token) against etcd 3.4's JSON gateway, with the same client (build/tests/bench/api-bench).
# Every run starts fresh servers in temporary directories, runs the generator against each of
# them in turn, and stops them; the table printed at the end holds the medians over the runs.
#
#   tests/bench/run-api-bench.sh [BUILD_DIR]
#
# Environment (all optional):
#   RUNS=5                 how many runs to take the medians of
#   BENCH_ARGS="..."       extra arguments for api-bench (e.g. "--creates 2000 --threads 2")
#   TARGETS="rdd-unix rdd-https etcd"   which targets, in the order of the first run; later
#                          runs rotate the order so that no target always goes first
#   RDD_DAEMON=...         the daemon (default BUILD_DIR/daemon/rdd-daemon)
#   RDD_PLUGINS=...        plugin directories, colon-separated, given to the daemon through
#                          RDD_PLUGIN_PATH next to its default directories (default: the demo
#                          plugin and the benchmark plugin of BUILD_DIR)
#   ETCD=/usr/bin/etcd     the etcd server
#   KEEP=1                 keep the temporary directory (logs, raw results)
#   RAW=FILE               also copy the raw results there
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
runs=${RUNS:-5}
read -r -a targets <<<"${TARGETS:-rdd-unix rdd-https etcd}"
bench="$build/tests/bench/api-bench"
daemon=${RDD_DAEMON:-$build/daemon/rdd-daemon}
plugins=${RDD_PLUGINS:-$build/plugins/demo:$build/tests/bench}
etcd=${ETCD:-/usr/bin/etcd}
python=/usr/bin/python3

for f in "$bench" "$daemon" "$etcd" "$build/tests/bench/libbenchitem.so"; do
	if [ ! -x "$f" ]; then
		echo "run-api-bench: $f is missing; build with -Dbenchmarks=true (ninja -C $build)" >&2
		exit 2
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/rdd-api-bench.XXXXXX")
raw="$work/results.tsv"
: > "$raw"
server_pid=""

cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "${RAW:-}" ]; then
		cp "$raw" "$RAW"
	fi
	if [ -n "${KEEP:-}" ]; then
		echo "run-api-bench: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

free_port() {
	"$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {
	# wait_for SECONDS COMMAND...: until the command succeeds
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then
			return 1
		fi
		sleep 0.1
	done
}

stop_server() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
}

# start_rdd DIR: a daemon as a user gets it (persistent store, default plugin directories
# plus $plugins, default configuration), its home and XDG directories in DIR
start_rdd() {
	local dir=$1
	mkdir -p "$dir/home" "$dir/data" "$dir/state" "$dir/config" "$dir/cache" "$dir/run"
	chmod 700 "$dir/run"
	env HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_STATE_HOME="$dir/state" \
		XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" XDG_RUNTIME_DIR="$dir/run" \
		RDD_PLUGIN_PATH="$plugins" \
		"$daemon" --instance bench >"$dir/daemon.log" 2>&1 &
	server_pid=$!
	instance="$dir/data/rancher-desktop-bench"
	if ! wait_for 20 test -S "$instance/rdd.sock" -a -s "$instance/config.yaml"; then
		echo "run-api-bench: the daemon did not start; its log:" >&2
		cat "$dir/daemon.log" >&2
		exit 1
	fi
	if ! grep -q "loaded plugin bench" "$dir/daemon.log" &&
		! curl -sf --unix-socket "$instance/rdd.sock" \
			http://x/apis/bench.rancherdesktop.io/v1alpha1 >/dev/null; then
		echo "run-api-bench: the daemon did not load the benchmark plugin; its log:" >&2
		cat "$dir/daemon.log" >&2
		exit 1
	fi
}

# start_etcd DIR: etcd with its defaults but for the data directory and the URLs
start_etcd() {
	local dir=$1 port peer
	port=$(free_port)
	peer=$(free_port)
	mkdir -p "$dir"
	"$etcd" --name bench --data-dir "$dir/data" \
		--listen-client-urls "http://127.0.0.1:$port" \
		--advertise-client-urls "http://127.0.0.1:$port" \
		--listen-peer-urls "http://127.0.0.1:$peer" \
		--initial-advertise-peer-urls "http://127.0.0.1:$peer" \
		--initial-cluster "bench=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
	server_pid=$!
	etcd_url="http://127.0.0.1:$port"
	if ! wait_for 20 curl -sf "$etcd_url/health"; then
		echo "run-api-bench: etcd did not start; its log:" >&2
		cat "$dir/etcd.log" >&2
		exit 1
	fi
}

run_target() {
	local run=$1 target=$2 dir="$work/run$1/$2" rc=0
	local args=(--label "$target") extra=()
	read -r -a extra <<<"${BENCH_ARGS:-}"
	args+=("${extra[@]}")
	case "$target" in
	rdd-unix)
		start_rdd "$dir"
		args+=(--target rdd --unix-socket "$instance/rdd.sock")
		;;
	rdd-https)
		start_rdd "$dir"
		local url
		url=$(sed -n 's/^ *server: *//p' "$instance/config.yaml" | head -n 1)
		args+=(--target rdd --url "$url" --ca-file "$instance/tls/ca.crt" \
			--token-file "$instance/tls/token")
		;;
	etcd)
		start_etcd "$dir"
		args+=(--target etcd --url "$etcd_url")
		;;
	*)
		echo "run-api-bench: unknown target $target" >&2
		exit 2
		;;
	esac
	echo "run-api-bench: run $run/$runs: $target" >&2
	"$bench" --pid "$server_pid" "${args[@]}" >"$dir/bench.tsv" 2>"$dir/bench.err" || rc=$?
	stop_server
	if [ $rc -ne 0 ]; then
		echo "run-api-bench: api-bench failed on $target (exit $rc):" >&2
		cat "$dir/bench.err" >&2
		exit 1
	fi
	sed "s/^/$run\t/" "$dir/bench.tsv" >>"$raw"
}

for run in $(seq 1 "$runs"); do
	n=${#targets[@]}
	for i in $(seq 0 $((n - 1))); do
		run_target "$run" "${targets[$(((i + run - 1) % n))]}"
	done
done

# the environment, then the medians
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "### Environment"
echo
echo "- CPU: $cpu, $(nproc) CPUs online; $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM"
echo "- Kernel: $(uname -sr); filesystem of the data directories: $(df -T "$work" | awk 'NR == 2 {print $2}')"
echo "- rdd-daemon: $("$daemon" --version) ($(git -C "$src" describe --always --dirty 2>/dev/null || echo unknown))"
echo "- etcd: $("$etcd" --version | head -n 1 | sed 's/etcd Version: //'), $("$etcd" --version | sed -n 's/^Go Version: //p')"
echo "- libsoup $(pkg-config --modversion libsoup-3.0), GLib $(pkg-config --modversion glib-2.0)"
echo "- api-bench arguments: ${BENCH_ARGS:-(defaults)}; $runs runs, medians"
echo
"$python" - "$raw" <<'PYTHON'
import statistics
import sys

rows = {}    # (run, label, metric) -> dict
values = {}  # (run, label, name) -> float
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    run = int(f[0])
    if f[1] == "RESULT":
        keys = ("n", "secs", "ops", "p50", "p95", "p99", "errors", "scpu", "ccpu", "swait", "cwait")
        rows[(run, f[2], f[3])] = dict(zip(keys, map(float, f[4:15])))
        r = rows[(run, f[2], f[3])]
        # server CPU time per request, in microseconds: what a request costs the server,
        # whatever else the machine was doing
        r["cost"] = r["scpu"] * 1e4 / r["ops"] if r["ops"] > 0 and r["scpu"] >= 0 else -1
    elif f[1] == "VALUE":
        try:
            values[(run, f[2], f[3])] = float(f[4])
        except ValueError:
            pass
runs = sorted({k[0] for k in rows})
labels = [l for l in ("rdd-unix", "rdd-https", "etcd") if any(k[1] == l for k in rows)]
rdd_labels = [l for l in labels if l != "etcd"]

def med(label, metric, field):
    xs = [rows[(r, label, metric)][field] for r in runs if (r, label, metric) in rows]
    return statistics.median(xs) if xs else None

def spread(label, metric, field):
    xs = [rows[(r, label, metric)][field] for r in runs if (r, label, metric) in rows]
    return (min(xs), max(xs)) if xs else None

def ratios(label, metric, field, other="etcd", other_metric=None):
    out = []
    for r in runs:
        a = rows.get((r, label, metric))
        b = rows.get((r, other, other_metric or metric))
        if a and b and b[field] > 0:
            out.append(a[field] / b[field])
    return out

def vmed(label, name):
    xs = [values[(r, label, name)] for r in runs if (r, label, name) in values]
    return statistics.median(xs) if xs else None

def fmt(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"

ops = [
    ("create", "create: POST ConfigMap (1 KiB) / put"),
    ("get", "get: GET one ConfigMap / range one key"),
    ("update", "update: PUT BenchItem status / put over a key"),
    ("list", "list 1000 objects: GET collection / range prefix"),
]
print("### Throughput (requests/s, median of %d runs; min-max in brackets)" % len(runs))
print()
head = "| operation | " + " | ".join(f"{l} ops/s" for l in labels)
head += "".join(f" | {l}/etcd" for l in rdd_labels)
head += " | server CPU % (" + ", ".join(labels) + ")"
head += " | run-queue wait %, server + client (" + ", ".join(labels) + ") |"
print(head)
print("|" + "---|" * (3 + len(labels) + len(rdd_labels)))
for metric, title in ops:
    cells = []
    for l in labels:
        m, s = med(l, metric, "ops"), spread(l, metric, "ops")
        cells.append("n/a" if m is None else f"{m:,.0f} [{s[0]:,.0f}-{s[1]:,.0f}]")
    for l in rdd_labels:
        rs = ratios(l, metric, "ops")
        cells.append(f"{statistics.median(rs):.2f}x" if rs else "n/a")
    cells.append(" / ".join(fmt(med(l, metric, "scpu")) for l in labels))
    cells.append(" / ".join(fmt(med(l, metric, "swait")) + " + " + fmt(med(l, metric, "cwait")) for l in labels))
    print(f"| {title} | " + " | ".join(cells) + " |")
print()
print("### Server CPU time per request (microseconds, median of %d runs)" % len(runs))
print()
print("Less sensitive to the machine's other load than throughput: what one request costs the server.")
print()
print("| operation | " + " | ".join(labels) + "".join(f" | {l}/etcd" for l in rdd_labels) + " |")
print("|" + "---|" * (1 + len(labels) + len(rdd_labels)))
for metric, title in ops:
    cells = [fmt(med(l, metric, "cost")) for l in labels]
    for l in rdd_labels:
        rs = ratios(l, metric, "cost")
        cells.append(f"{statistics.median(rs):.2f}x" if rs else "n/a")
    print(f"| {title} | " + " | ".join(cells) + " |")
print()
print("### Latency per request (ms, p50 / p95 / p99, median of %d runs)" % len(runs))
print()
print("| operation | " + " | ".join(labels) + "".join(f" | p50 {l}/etcd" for l in rdd_labels) + " |")
print("|" + "---|" * (1 + len(labels) + len(rdd_labels)))
for metric, title in ops + [("watch-delivery", "watch: write response to event (100 watchers)"),
                            ("watch-write-to-event", "watch: write sent to event (100 watchers)")]:
    cells = []
    for l in labels:
        p = [med(l, metric, k) for k in ("p50", "p95", "p99")]
        cells.append("n/a" if p[0] is None else " / ".join(f"{x:.2f}" for x in p))
    for l in rdd_labels:
        rs = ratios(l, metric, "p50")
        cells.append(f"{statistics.median(rs):.2f}x" if rs else "n/a")
    print(f"| {title} | " + " | ".join(cells) + " |")
print()
print("### Watchers and memory (median of %d runs)" % len(runs))
print()
print("| target | watchers | writes | events before the write response | missing events | VmRSS before (MiB) | with watchers (MiB) | after the writes (MiB) | added by the watchers (MiB) |")
print("|---|---|---|---|---|---|---|---|---|")
for l in labels:
    before = vmed(l, "rss-before-watchers-kib")
    ready = vmed(l, "rss-with-watchers-kib")
    after = vmed(l, "rss-after-watch-writes-kib")
    added = [max(values.get((r, l, "rss-with-watchers-kib"), 0), values.get((r, l, "rss-after-watch-writes-kib"), 0))
             - values.get((r, l, "rss-before-watchers-kib"), 0) for r in runs if (r, l, "rss-before-watchers-kib") in values]
    mib = lambda x: "n/a" if x is None else f"{x / 1024:.1f}"
    print(f"| {l} | {fmt(vmed(l, 'watchers'))} | {fmt(vmed(l, 'watch-writes'))} | "
          f"{fmt(vmed(l, 'watch-events-before-response'))} | {fmt(med(l, 'watch-delivery', 'errors'))} | "
          f"{mib(before)} | {mib(ready)} | {mib(after)} | {mib(statistics.median(added) if added else None)} |")
print()
print("### Targets (issue 3)")
print()
print("| target | " + " | ".join(rdd_labels) + " |")
print("|---|" + "---|" * len(rdd_labels))
def check(rs, ok):
    if not rs:
        return "n/a"
    met = sum(1 for x in rs if ok(x))
    return f"{statistics.median(rs):.2f} ({met}/{len(rs)} runs met) {'**met**' if met * 2 > len(rs) else '**missed**'}"
cells = [check(ratios(l, "create", "ops"), lambda x: x >= 2) for l in rdd_labels]
print("| create throughput >= 2x etcd put (ratio) | " + " | ".join(cells) + " |")
cells = [check(ratios(l, "get", "ops"), lambda x: x >= 2) for l in rdd_labels]
print("| get throughput >= 2x etcd range (ratio) | " + " | ".join(cells) + " |")
cells = [check([rows[(r, l, "watch-delivery")]["p99"] for r in runs if (r, l, "watch-delivery") in rows],
               lambda x: x < 5) for l in rdd_labels]
print("| watch delivery p99 < 5 ms with 100 watchers (ms) | " + " | ".join(cells) + " |")
cells = []
for l in rdd_labels:
    added = [(max(values.get((r, l, "rss-with-watchers-kib"), 0), values.get((r, l, "rss-after-watch-writes-kib"), 0))
              - values[(r, l, "rss-before-watchers-kib")]) / 1024 for r in runs if (r, l, "rss-before-watchers-kib") in values]
    cells.append(check(added, lambda x: x < 10))
print("| 100 watchers add < 10 MiB VmRSS (MiB) | " + " | ".join(cells) + " |")
PYTHON
