#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# The CLI benchmark: the wall time of a one-object read with `rdd get` and of `rdd svc status`
# against `kubectl get` of the same object on the same daemon, in one hyperfine run (commands
# interleaved in one session, same machine state). kubectl uses the instance's kubeconfig over
# HTTPS with a warm discovery cache; rdd talks to the daemon's unix socket. Prints a Markdown
# table of medians and ratios (the "CLI vs kubectl" section of docs/benchmarks.md).
#
#   tests/bench/cli-bench.sh [BUILD_DIR]
#
# Environment (all optional):
#   RUNS=50          hyperfine runs per command (after 5 warm-up runs)
#   KUBECTL=kubectl  the kubectl to compare with
#   KEEP=1           keep the temporary directory (daemon logs, hyperfine JSON)
#   RAW=FILE         also copy hyperfine's JSON export there
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
runs=${RUNS:-50}
rdd="$build/tools/rdd/rdd"
kubectl=$(command -v "${KUBECTL:-kubectl}" || true)

for f in "$rdd" "$build/daemon/rdd-daemon" "$build/plugins/demo/libdemo.so"; do
	if [ ! -e "$f" ]; then
		echo "cli-bench: $f is missing; build first (ninja -C $build)" >&2
		exit 2
	fi
done
for tool in hyperfine python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "cli-bench: $tool is not installed (tools/install-deps installs it)" >&2
		exit 2
	fi
done
if [ -z "$kubectl" ]; then
	echo "cli-bench: kubectl is not installed (Debian: kubernetes-client)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rdd-cli-bench.XXXXXX")
export HOME="$work/home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
export XDG_CONFIG_HOME="$HOME/.config" XDG_RUNTIME_DIR="$work/run"
export XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export RDD_INSTANCE="clibench$$"
export RDD_DAEMON="$build/daemon/rdd-daemon"
export RDD_PLUGIN_PATH="$build/plugins/demo"
export RDD_DEMO_INTERVAL=100ms
unset RDD_LOG_LEVEL RDD_LOG_DIR KUBECONFIG

cleanup() {
	"$rdd" svc stop --timeout 10s >/dev/null 2>&1 || true
	if [ -n "${RAW:-}" ] && [ -f "$work/hyperfine.json" ]; then
		cp "$work/hyperfine.json" "$RAW"
	fi
	if [ -n "${KEEP:-}" ]; then
		echo "cli-bench: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

"$rdd" svc start
cat >"$work/demo.yaml" <<EOF
apiVersion: app.rancherdesktop.io/v1alpha1
kind: Demo
metadata:
  name: demo
spec:
  message: benchmark
  count: 1
EOF
"$rdd" ctl apply -f "$work/demo.yaml" >/dev/null
"$rdd" ctl wait-condition demo/demo Completed --timeout 30s
kubeconfig=$("$rdd" svc paths config)

# the same object, the same columns, both ways
echo "== rdd get demo demo" >&2
"$rdd" get demo demo >&2
echo "== kubectl get demo demo" >&2
KUBECONFIG="$kubeconfig" "$kubectl" get demo demo >&2
# kubectl caches discovery under ~/.kube/cache: warm it, as on a workstation
KUBECONFIG="$kubeconfig" "$kubectl" api-resources >/dev/null

cd "$work"
hyperfine --shell=none --warmup 5 --runs "$runs" --style basic \
	--export-json "$work/hyperfine.json" \
	--command-name "rdd get demo demo" "$rdd get demo demo" \
	--command-name "rdd get demo demo -o json" "$rdd get demo demo -o json" \
	--command-name "rdd svc status" "$rdd svc status" \
	--command-name "kubectl get demo demo" "env KUBECONFIG=$kubeconfig $kubectl get demo demo" \
	--command-name "kubectl get demo demo -o json" "env KUBECONFIG=$kubeconfig $kubectl get demo demo -o json" \
	>&2

python3 - "$work/hyperfine.json" "$("$kubectl" version --client 2>/dev/null | head -1)" <<'EOF'
import json
import sys

results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
kubectl_version = sys.argv[2]


def median_ms(name):
    return results[name]["median"] * 1000.0


def cpu_ms(name):
    r = results[name]
    return (r["user"] + r["system"]) * 1000.0


pairs = [
    ("rdd get demo demo", "kubectl get demo demo"),
    ("rdd get demo demo -o json", "kubectl get demo demo -o json"),
    ("rdd svc status", "kubectl get demo demo"),
]
print("| command | wall median (ms) | CPU user+sys (ms) | kubectl wall median (ms) | kubectl CPU (ms) | wall ratio | CPU ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for ours, theirs in pairs:
    print("| `%s` vs `%s` | %.1f | %.1f | %.1f | %.1f | **%.1f×** | %.1f× |" % (
        ours, theirs, median_ms(ours), cpu_ms(ours), median_ms(theirs), cpu_ms(theirs),
        median_ms(theirs) / median_ms(ours), cpu_ms(theirs) / cpu_ms(ours)))
print()
print("runs per command: %d; %s" % (len(results["rdd get demo demo"]["times"]), kubectl_version))
worst = min(median_ms(t) / median_ms(o) for o, t in pairs)
print("target (rdd at least 10x faster than kubectl for the same read, wall medians): %s (smallest ratio %.1fx)" % (
    "met" if worst >= 10 else "NOT met", worst))
EOF
