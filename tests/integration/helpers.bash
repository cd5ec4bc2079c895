# SPDX-License-Identifier: Apache-2.0
# Shared set-up for the BATS integration suites: each test file runs its own rdd-daemon in a
# private instance (own HOME and XDG directories, own instance name), talks to it with the real
# kubectl through the kubeconfig the daemon writes, and stops it afterwards.

: "${RDD_BUILD_ROOT:?RDD_BUILD_ROOT must point at the meson build directory}"
: "${RDD_SOURCE_ROOT:?RDD_SOURCE_ROOT must point at the source tree}"

RDD_DAEMON="$RDD_BUILD_ROOT/daemon/rdd-daemon"
RDD_CLI="$RDD_BUILD_ROOT/tools/rdd/rdd"

# skip the whole file (exit 77 through meson's TAP handling) when a prerequisite is missing
require_command() {
    if ! command -v "$1" >/dev/null 2>&1; then
        skip "$1 is not installed (${2:-install it to run this test})"
    fi
}

# rdd_daemon_start [extra daemon args...]: starts a daemon for this test file
rdd_daemon_start() {
    RDD_TEST_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rdd-it.XXXXXX")
    export HOME="$RDD_TEST_TMP/home"
    export XDG_DATA_HOME="$HOME/.local/share"
    export XDG_STATE_HOME="$HOME/.local/state"
    export XDG_CONFIG_HOME="$HOME/.config"
    export XDG_RUNTIME_DIR="$RDD_TEST_TMP/run"
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    export RDD_INSTANCE="it$$"
    RDD_DIR="$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE"
    export KUBECONFIG="$RDD_DIR/config.yaml"
    RDD_SOCKET="$RDD_DIR/rdd.sock"
    "$RDD_DAEMON" --log-level info \
        --plugin-dir "$RDD_BUILD_ROOT/plugins/demo" "$@" \
        >"$RDD_TEST_TMP/daemon.log" 2>&1 &
    RDD_DAEMON_PID=$!
    local i
    for i in $(seq 1 100); do
        if [ -S "$RDD_SOCKET" ] && [ -f "$KUBECONFIG" ] &&
            curl -sf --unix-socket "$RDD_SOCKET" http://localhost/readyz >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$RDD_DAEMON_PID" 2>/dev/null; then
            cat "$RDD_TEST_TMP/daemon.log" >&2
            echo "rdd-daemon exited during start-up" >&2
            return 1
        fi
        sleep 0.1
    done
    cat "$RDD_TEST_TMP/daemon.log" >&2
    echo "rdd-daemon did not become ready within 10 s" >&2
    return 1
}

rdd_daemon_stop() {
    if [ -n "${RDD_DAEMON_PID:-}" ] && kill -0 "$RDD_DAEMON_PID" 2>/dev/null; then
        kill -TERM "$RDD_DAEMON_PID"
        local i
        for i in $(seq 1 50); do
            kill -0 "$RDD_DAEMON_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$RDD_DAEMON_PID" 2>/dev/null || true
        wait "$RDD_DAEMON_PID" 2>/dev/null || true
    fi
    if [ -n "${RDD_TEST_TMP:-}" ]; then
        rm -rf "$RDD_TEST_TMP"
    fi
}

# the daemon must still be alive and answering
rdd_daemon_alive() {
    kill -0 "$RDD_DAEMON_PID" && curl -sf --unix-socket "$RDD_SOCKET" http://localhost/healthz >/dev/null
}

# api METHOD PATH [curl args...]: an HTTP request over the unix socket; prints the body, then
# the status code on the last line
api() {
    local method=$1 path=$2
    shift 2
    curl -s --unix-socket "$RDD_SOCKET" -X "$method" -w '\n%{http_code}' "$@" "http://localhost$path"
}

# the server's HTTPS URL and token, for requests over TCP
rdd_server_url() {
    kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}'
}
rdd_token() {
    kubectl config view --raw -o jsonpath='{.users[0].user.token}'
}
rdd_ca_file() {
    local ca="$RDD_TEST_TMP/ca.crt"
    kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$ca"
    echo "$ca"
}
