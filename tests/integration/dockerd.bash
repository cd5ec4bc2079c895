# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# A private dockerd for the integration suites (Debian's docker.io): its own data and exec roots,
# pid file and unix socket in the test's temporary directory, the vfs storage driver and no
# iptables, masquerading or bridge, so that it touches nothing of the host's own Docker. It needs
# root. A suite that cannot have it reports itself skipped with the reason, never passed.
#
#   dockerd_start [DIR]      start one; sets and exports DOCKERD_DIR, DOCKERD_SOCKET, DOCKERD_LOG
#                            and DOCKERD_PID; when it cannot, a test is skipped with the reason,
#                            and in setup_file (where bats 1.8 cannot skip) the reason is exported
#                            in DOCKERD_SKIP_REASON for dockerd_require
#   dockerd_require          in setup(): skip when setup_file could not start the engine
#   dockerd_try_start [DIR]  the same, but returns 1 with DOCKERD_SKIP_REASON set instead of
#                            skipping, for suites where the engine is optional
#   dockerd_stop [SIGNAL]    SIGTERM (or SIGNAL), wait, then SIGKILL; also ends a containerd it
#                            left behind (after SIGKILL a dead socket file stays, as after a crash)
#   dockerd_restart          stop, then start again on the same socket and data root
#   dockerd_ping             the engine answers /_ping with OK
#   dockerd_running          the dockerd process is alive
#
# The state survives from setup_file into the tests through the exported variables and the files
# under DOCKERD_DIR (the pid of the running dockerd is in $DOCKERD_DIR/dockerd.bats-pid), so a
# test may stop or restart the engine and teardown_file still finds the current one.

DOCKERD_START_TIMEOUT=${DOCKERD_START_TIMEOUT:-30}
DOCKERD_STOP_TIMEOUT=${DOCKERD_STOP_TIMEOUT:-20}

# a process is alive (and not a zombie nobody reaped: the dockerd of setup_file is not a child of
# the test process that stops it)
dockerd_pid_alive() {
    local pid=$1 state
    [ -n "$pid" ] || return 1
    state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

dockerd_current_pid() {
    cat "$DOCKERD_DIR/dockerd.bats-pid" 2>/dev/null || true
}

dockerd_running() {
    [ -n "${DOCKERD_DIR:-}" ] && dockerd_pid_alive "$(dockerd_current_pid)"
}

dockerd_ping() {
    [ -n "${DOCKERD_SOCKET:-}" ] && [ -S "$DOCKERD_SOCKET" ] &&
        [ "$(curl -s --max-time 3 --unix-socket "$DOCKERD_SOCKET" http://docker/_ping 2>/dev/null)" = OK ]
}

# the last lines of the log on one line, for a TAP skip reason
dockerd_log_tail() {
    if [ -s "${DOCKERD_LOG:-}" ]; then
        tail -n "${1:-4}" "$DOCKERD_LOG" | cut -c1-300 | tr '\n' ' ' | tr -s ' '
    else
        echo "(no log output)"
    fi
}

dockerd_try_start() {
    local bin deepest
    DOCKERD_SKIP_REASON=
    if ! bin=$(command -v dockerd 2>/dev/null); then
        DOCKERD_SKIP_REASON="dockerd is not installed (Debian package docker.io)"
        return 1
    fi
    if [ "$(id -u)" != 0 ]; then
        DOCKERD_SKIP_REASON="a private dockerd needs root (running as uid $(id -u))"
        return 1
    fi
    if [ -n "${1:-}" ]; then
        DOCKERD_DIR=$1
    elif [ -z "${DOCKERD_DIR:-}" ]; then
        DOCKERD_DIR=$(mktemp -d "${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}/dockerd.XXXXXX")
    fi
    # unix socket paths hold at most 107 bytes; containerd's socket under the exec root is the
    # deepest one: fall back to a short directory under /tmp
    deepest="$DOCKERD_DIR/exec/containerd/containerd.sock.ttrpc"
    if [ "${#deepest}" -gt 100 ]; then
        DOCKERD_DIR=$(mktemp -d /tmp/rdd-dockerd.XXXXXX)
    fi
    mkdir -p "$DOCKERD_DIR/data" "$DOCKERD_DIR/exec"
    DOCKERD_SOCKET="$DOCKERD_DIR/docker.sock"
    DOCKERD_LOG="$DOCKERD_DIR/dockerd.log"
    export DOCKERD_DIR DOCKERD_SOCKET DOCKERD_LOG
    echo "=== dockerd started by $(basename "${BATS_TEST_FILENAME:-$0}") at $(date -u +%FT%TZ)" >>"$DOCKERD_LOG"
    # started from a subshell, so that it is no job of the bats shell (no "Killed" notices), and
    # without descriptor 3 (bats waits for whoever holds it)
    DOCKERD_PID=$(
        "$bin" \
            --data-root "$DOCKERD_DIR/data" \
            --exec-root "$DOCKERD_DIR/exec" \
            --host "unix://$DOCKERD_SOCKET" \
            --pidfile "$DOCKERD_DIR/dockerd.pid" \
            --storage-driver=vfs \
            --iptables=false \
            --ip-masq=false \
            --bridge=none \
            </dev/null >>"$DOCKERD_LOG" 2>&1 3>&- &
        echo $!
    )
    export DOCKERD_PID
    echo "$DOCKERD_PID" >"$DOCKERD_DIR/dockerd.bats-pid"
    local deadline=$((SECONDS + DOCKERD_START_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if dockerd_ping; then
            return 0
        fi
        if ! dockerd_pid_alive "$DOCKERD_PID"; then
            DOCKERD_SKIP_REASON="dockerd exited during start-up: $(dockerd_log_tail 4)"
            return 1
        fi
        sleep 0.2
    done
    DOCKERD_SKIP_REASON="dockerd did not answer /_ping within ${DOCKERD_START_TIMEOUT} s: $(dockerd_log_tail 4)"
    dockerd_stop KILL
    return 1
}

dockerd_start() {
    if dockerd_try_start "$@"; then
        return 0
    fi
    export DOCKERD_SKIP_REASON
    if [ -n "${BATS_TEST_NAME:-}" ]; then
        skip "$DOCKERD_SKIP_REASON"
    fi
    # in setup_file: bats 1.8 cannot skip from there, so each test's setup() calls
    # dockerd_require, which skips with the reason
    return 0
}

# in setup(): skip the test when setup_file could not start the engine
dockerd_require() {
    if [ -n "${DOCKERD_SKIP_REASON:-}" ]; then
        skip "$DOCKERD_SKIP_REASON"
    fi
}

dockerd_stop() {
    local signal=${1:-TERM} pid containerd i
    [ -n "${DOCKERD_DIR:-}" ] || return 0
    pid=$(dockerd_current_pid)
    if dockerd_pid_alive "$pid"; then
        kill "-$signal" "$pid" 2>/dev/null || true
        for i in $(seq 1 $((DOCKERD_STOP_TIMEOUT * 5))); do
            dockerd_pid_alive "$pid" || break
            sleep 0.2
        done
        if dockerd_pid_alive "$pid"; then
            echo "dockerd $pid did not stop on SIG$signal within ${DOCKERD_STOP_TIMEOUT} s: killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
        fi
    fi
    # ours, and dead: a zombie nobody reaps would look like a running dockerd to the next one
    rm -f "$DOCKERD_DIR/dockerd.pid"
    # the containerd dockerd supervises survives a SIGKILL of dockerd
    containerd=$(cat "$DOCKERD_DIR/exec/containerd/containerd.pid" 2>/dev/null || true)
    if dockerd_pid_alive "$containerd" &&
        grep -qa containerd "/proc/$containerd/cmdline" 2>/dev/null; then
        kill -TERM "$containerd" 2>/dev/null || true
        for i in $(seq 1 50); do
            dockerd_pid_alive "$containerd" || break
            sleep 0.1
        done
        kill -KILL "$containerd" 2>/dev/null || true
    fi
    # a dead containerd may stay a zombie (its parent is gone and nobody reaps it): its pid file
    # would make the next dockerd wait for it instead of starting a new one
    rm -f "$DOCKERD_DIR/exec/containerd/containerd.pid"
    # after SIGKILL the socket file stays behind, as after a crash (nobody answers on it); the
    # next dockerd replaces it
    rm -f "$DOCKERD_DIR/dockerd.bats-pid"
    return 0
}

# stop and start on the same socket and data root; a failure here is a test failure, not a skip
dockerd_restart() {
    dockerd_stop
    if ! dockerd_try_start "$DOCKERD_DIR"; then
        echo "cannot restart dockerd: $DOCKERD_SKIP_REASON" >&2
        return 1
    fi
}

# removes the private engine's files (vfs layers of the data root included)
dockerd_cleanup() {
    dockerd_stop
    if [ -n "${DOCKERD_DIR:-}" ] && [ -d "$DOCKERD_DIR" ]; then
        # a dockerd killed hard may leave mounts below its roots
        grep -F " $DOCKERD_DIR/" /proc/self/mounts 2>/dev/null | awk '{ print $2 }' | sort -r |
            while read -r mnt; do umount -l "$mnt" 2>/dev/null || true; done
        rm -rf "$DOCKERD_DIR"
    fi
}
