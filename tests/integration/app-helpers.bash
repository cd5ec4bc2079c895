# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# Set-up for the App suites (app-host, app-lima, app-validation): like helpers.bash each file has
# its own instance (own HOME and XDG directories, own instance name), but the daemon is started
# the way a user gets it, by `rdd svc start` (auto-start), with the app and lima plugins from the
# build tree. `rdd` passes its environment to the daemon it spawns, so whatever a suite exports
# before app_svc_start (PATH, RDD_LIMACTL, FAKE_LIMACTL_DOCKER_SOCKET, ...) the daemon sees too.

: "${RDD_SOURCE_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RDD_BUILD_ROOT:=$RDD_SOURCE_ROOT/build}"
export RDD_SOURCE_ROOT RDD_BUILD_ROOT

RDD_FAKES="$RDD_SOURCE_ROOT/tests/fakes"

# app_instance_setup NAME: a private instance named NAME<pid>; exports what the tests need
app_instance_setup() {
    # short: the docker socket lives in $HOME/.rd<instance>/ and unix socket paths are limited
    RDD_TEST_TMP=$(mktemp -d /tmp/rdd-app.XXXXXX)
    export RDD_TEST_TMP
    export HOME="$RDD_TEST_TMP/home"
    export XDG_DATA_HOME="$HOME/.local/share"
    export XDG_STATE_HOME="$HOME/.local/state"
    export XDG_CONFIG_HOME="$HOME/.config"
    export XDG_CACHE_HOME="$HOME/.cache"
    export XDG_RUNTIME_DIR="$RDD_TEST_TMP/run"
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    export RDD_INSTANCE="${1:-app}$$"
    export RDD_PLUGIN_PATH="$RDD_BUILD_ROOT/plugins/app:$RDD_BUILD_ROOT/plugins/lima"
    export RDD_DAEMON="$RDD_BUILD_ROOT/daemon/rdd-daemon"
    export RDD_LOG_LEVEL=info
    export PATH="$RDD_BUILD_ROOT/tools/rdd:$PATH"
    unset DOCKER_HOST DOCKER_CONTEXT KUBECONFIG RDD_LIMACTL RDD_LIMACTL_TIMEOUT
    unset FAKE_LIMACTL_DOCKER_SOCKET
    RDD_DIR="$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE"
    RDD_SHORT_DIR="$HOME/.rd$RDD_INSTANCE"
    RDD_LIMA_HOME="$RDD_SHORT_DIR/lima"
    RDD_LOG_DIR="$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE"
    export RDD_DIR RDD_SHORT_DIR RDD_LIMA_HOME RDD_LOG_DIR
}

# a process is alive: not gone and not a zombie (the daemon is nobody's child once the rdd that
# spawned it exited, and here nobody may reap it)
app_pid_alive() {
    local state
    [ -n "${1:-}" ] || return 1
    state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# the daemon's pid, or nothing
app_daemon_pid() {
    cat "$RDD_DIR/rdd.pid" 2>/dev/null || true
}

# starts (or restarts) the daemon through the CLI; prints its log when that fails
app_svc_start() {
    if ! rdd svc start --timeout 60s "$@" 3>&-; then
        app_daemon_log >&2
        return 1
    fi
}

app_svc_stop() {
    rdd svc stop --timeout 60s 3>&-
}

app_daemon_log() {
    echo "--- $RDD_LOG_DIR/rdd.stderr.log (end)"
    tail -n 60 "$RDD_LOG_DIR/rdd.stderr.log" 2>/dev/null || true
}

# stops and deletes the instance; kills a daemon that does not stop
app_instance_teardown() {
    local pid
    [ -n "${RDD_TEST_TMP:-}" ] || return 0
    pid=$(app_daemon_pid)
    rdd svc delete --timeout 60s 3>&- >/dev/null 2>&1 || true
    if app_pid_alive "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$RDD_TEST_TMP"
}

# app_json PATH: a value of the App by a dotted path with optional [TYPE] condition lookups,
# e.g. `status.conditions[Running].reason`; prints nothing when absent (jq-free on purpose)
app_json() {
    rdd get app app -o json 2>/dev/null | json_path "$1"
}

# limavm_json PATH [NAMESPACE]: the same for LimaVM rd
limavm_json() {
    rdd get limavm rd -n "${2:-default}" -o json 2>/dev/null | json_path "$1"
}

# json_path PATH: reads a JSON document on stdin
json_path() {
    /usr/bin/python3 -c '
import json, re, sys
try:
    value = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", sys.argv[1]):
    if part.startswith("["):
        wanted = part[1:-1]
        value = next((c for c in value or [] if isinstance(c, dict) and c.get("type") == wanted), None)
    elif isinstance(value, dict):
        value = value.get(part)
    else:
        value = None
    if value is None:
        sys.exit(0)
if isinstance(value, bool):
    print("true" if value else "false")
elif isinstance(value, (dict, list)):
    print(json.dumps(value, sort_keys=True))
else:
    print(value)
' "$1"
}

# a condition of the App as "Status/Reason: message"
app_condition() {
    rdd get app app -o json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for c in (doc.get("status") or {}).get("conditions") or []:
    if c.get("type") == sys.argv[1]:
        print("%s/%s: %s" % (c.get("status"), c.get("reason"), c.get("message")))
' "$1"
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds; on a timeout shows
# the App and the VM as they are
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while [ "$SECONDS" -lt "$deadline" ]; do
        if "$@"; then
            return 0
        fi
        sleep 0.2
    done
    echo "timed out after waiting for: $*" >&2
    rdd get app app -o yaml >&2 2>&1 || true
    rdd get limavm -A -o yaml >&2 2>&1 || true
    return 1
}

# app_condition_is TYPE STATUS [REASON]
app_condition_is() {
    local got
    got=$(app_condition "$1")
    [[ "$got" == "$2/${3:-}"* ]]
}

# limavm_condition_is TYPE STATUS [REASON]
limavm_condition_is() {
    local st rs
    st=$(limavm_json "status.conditions[$1].status")
    rs=$(limavm_json "status.conditions[$1].reason")
    [ "$st" = "$2" ] && { [ -z "${3:-}" ] || [ "$rs" = "$3" ]; }
}

# app_daemon_stop_clean: stops the daemon and checks all its logs (every run of this file) for
# errors, criticals and sanitizer reports; warnings are shown but allowed
app_daemon_stop_clean() {
    local pid
    pid=$(app_daemon_pid)
    app_svc_stop
    # the pid file goes first; a sanitizer build then still writes its report: wait for the end
    local deadline=$((SECONDS + 30))
    while app_pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.1
    done
    if app_pid_alive "$pid"; then
        echo "the daemon $pid is still running 30 s after rdd svc stop" >&2
        return 1
    fi
    grep -h "level=warning" "$RDD_LOG_DIR"/rdd.stderr*.log >&2 || true
    if grep -hE "level=(error|fatal)|Sanitizer|runtime error:|GLib-CRITICAL|GLib-GIO-CRITICAL" \
        "$RDD_LOG_DIR"/rdd.stderr*.log "$RDD_LOG_DIR"/rdd.stdout*.log >&2; then
        echo "the daemon logged errors (above)" >&2
        return 1
    fi
}
