# SPDX-License-Identifier: Apache-2.0
# Shared set-up for the rdd CLI suites (cli-*.bats). Unlike helpers.bash, nothing here starts a
# daemon: each file gets a private HOME, XDG directories and instance name, and the CLI under
# test starts the daemon itself (rdd svc start, or auto-start), finding rdd-daemon through
# RDD_DAEMON and the build's plugins through RDD_PLUGIN_PATH. cli_teardown stops every daemon
# the file started, by the pid its pid file names.

: "${RDD_BUILD_ROOT:?RDD_BUILD_ROOT must point at the meson build directory}"
: "${RDD_SOURCE_ROOT:?RDD_SOURCE_ROOT must point at the source tree}"

RDD="$RDD_BUILD_ROOT/tools/rdd/rdd"
# set by bats' run
# shellcheck disable=SC2154
: "${output:=}" "${status:=0}"

# cli_setup NAME: a private environment for this file; the instance is NAME plus the pid
cli_setup() {
    CLI_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rdd-cli.XXXXXX")
    export CLI_TMP
    export HOME="$CLI_TMP/home"
    export XDG_DATA_HOME="$HOME/.local/share"
    export XDG_STATE_HOME="$HOME/.local/state"
    export XDG_CONFIG_HOME="$HOME/.config"
    export XDG_RUNTIME_DIR="$CLI_TMP/run"
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    export RDD_INSTANCE="${1:-cli}$$"
    export RDD_DAEMON="$RDD_BUILD_ROOT/daemon/rdd-daemon"
    export RDD_PLUGIN_PATH="$RDD_BUILD_ROOT/plugins/demo:$RDD_BUILD_ROOT/plugins/app"
    # the Demo controller takes a step every 200 ms (rdd passes its environment to the daemon)
    export RDD_DEMO_INTERVAL=200ms
    export LC_ALL=C.UTF-8
    unset RDD_LOG_LEVEL RDD_LOG_DIR RDD_KEEP_LOGS RDD_LOG_TITLE RDD_LOCALEDIR LANGUAGE KUBECONFIG
    unset RDD_DEVELOPER_MODE COLUMNS
}

# the directory and pid file of an instance (default: this file's)
cli_dir() {
    echo "$XDG_DATA_HOME/rancher-desktop-${1:-$RDD_INSTANCE}"
}
cli_pid_file() {
    echo "$(cli_dir "${1:-}")/rdd.pid"
}
# the pid of the instance's daemon, empty when there is none
cli_daemon_pid() {
    local f
    f=$(cli_pid_file "${1:-}")
    [ -s "$f" ] && cat "$f"
}

# stops the daemons of every instance under this file's HOME, then removes the files
cli_teardown() {
    [ -n "${CLI_TMP:-}" ] || return 0
    local dir inst pid
    # background rdd processes a test started (e.g. svc logs -f), by their pids
    if [ -f "$CLI_TMP/followers" ]; then
        while read -r pid; do
            kill "$pid" 2>/dev/null || true
        done <"$CLI_TMP/followers"
    fi
    for dir in "$XDG_DATA_HOME"/rancher-desktop-*; do
        [ -d "$dir" ] || continue
        inst=${dir##*/rancher-desktop-}
        RDD_INSTANCE=$inst "$RDD" svc stop --timeout 10s >/dev/null 2>&1 || true
        pid=$(cat "$dir/rdd.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && cli_alive "$pid"; then
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do
                cli_alive "$pid" || break
                sleep 0.1
            done
        fi
    done
    rm -rf "$CLI_TMP"
}

# the daemon of the instance answers on its socket
cli_daemon_ready() {
    local sock
    sock="$(cli_dir "${1:-}")/rdd.sock"
    curl -sf --unix-socket "$sock" http://localhost/readyz >/dev/null 2>&1
}

# creates the Demo singleton with spec.count $1 (default 2) through kubectl
cli_create_demo() {
    local count=${1:-2}
    printf 'apiVersion: app.rancherdesktop.io/v1alpha1\nkind: Demo\nmetadata:\n  name: demo\nspec:\n  message: hello\n  count: %s\n' \
        "$count" >"$CLI_TMP/demo.yaml"
    "$RDD" ctl apply -f "$CLI_TMP/demo.yaml"
}

# seconds since the epoch with milliseconds
cli_now() {
    date +%s.%N
}
# the seconds elapsed since $1 (a cli_now value), as a decimal
cli_elapsed() {
    awk -v now="$(cli_now)" -v then="$1" 'BEGIN { printf "%.3f\n", now - then }'
}

# the output must contain the text
assert_output_contains() {
    if [[ "$output" != *"$1"* ]]; then
        echo "expected the output to contain: $1" >&2
        echo "output was: $output" >&2
        return 1
    fi
}
refute_output_contains() {
    if [[ "$output" == *"$1"* ]]; then
        echo "expected the output not to contain: $1" >&2
        echo "output was: $output" >&2
        return 1
    fi
}
assert_status() {
    if [ "$status" -ne "$1" ]; then
        echo "expected exit status $1, got $status" >&2
        echo "output was: $output" >&2
        return 1
    fi
}
# the process runs: it exists and is no zombie (a daemon left to an init that does not reap
# is a zombie once it has exited)
cli_alive() {
    local state
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# the process must be gone
assert_dead() {
    if cli_alive "$1"; then
        echo "expected process $1 to have exited" >&2
        return 1
    fi
}
