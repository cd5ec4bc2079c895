#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The Debian python3-kubernetes client against the daemon: each test runs one case of
# python_client.py (list, watch and merge patch of custom kinds; CoreV1Api ConfigMaps).
# Debian's /usr/bin/python3 is used on purpose: another python3 earlier on PATH (pyenv) does not
# have the Debian client.

bats_require_minimum_version 1.5.0

load helpers

PYTHON=/usr/bin/python3

setup_file() {
    if [ ! -x "$PYTHON" ] || ! "$PYTHON" -c 'import kubernetes' 2>/dev/null; then
        skip "python3-kubernetes is not installed for $PYTHON (apt-get install python3-kubernetes)"
    fi
    RDD_PY_PLUGINS="$BATS_FILE_TMPDIR/plugins"
    mkdir -p "$RDD_PY_PLUGINS"
    if [ -f "$RDD_BUILD_ROOT/tests/plugins/libok.so" ]; then
        ln -s "$RDD_BUILD_ROOT/tests/plugins/libok.so" "$RDD_PY_PLUGINS/libok.so"
    fi
    if ldd "$RDD_DAEMON" 2>/dev/null | grep -q libasan; then
        # full stacks at malloc, so that the library suppressions of tests/lsan.supp match: GLib
        # has no frame pointers, and the fast unwinder stops at g_malloc
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    fi
    export RDD_DEMO_INTERVAL=100ms
    rdd_daemon_start --no-persist --plugin-dir "$RDD_PY_PLUGINS"
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
}

teardown_file() {
    if [ "$(awk '{print $3}' "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null)" = Z ]; then
        wait "$RDD_DAEMON_PID" 2>/dev/null || true
    fi
    rdd_daemon_stop
}

# py CASE: runs one case; exit 77 means the case's prerequisite is missing
py() {
    run "$PYTHON" "$BATS_TEST_DIRNAME/python_client.py" "$1"
    if [ "$status" -eq 77 ]; then
        skip "$output"
    fi
    if [ "$status" -ne 0 ]; then
        echo "$output" >&2
        return 1
    fi
    [ "$output" = "$1: ok" ]
}

@test "python client: CustomObjectsApi list, get and errors of the cluster-scoped Demo" {
    py list-custom
}

@test "python client: CustomObjectsApi on a namespaced custom kind" {
    py list-widgets
}

@test "python client: Watch().stream sees ADDED, then MODIFIED for changes made meanwhile" {
    py watch-custom
}

@test "python client: a watch with timeout_seconds ends by itself" {
    py watch-timeout
}

@test "python client: CustomObjectsApi merge patch, of the object and of its status" {
    py patch-custom
}

@test "python client: CoreV1Api ConfigMap create, list, read, replace, delete" {
    py core-configmaps
}

@test "python client: the daemon survived the client and answers" {
    rdd_daemon_alive
    run api GET /apis/app.rancherdesktop.io/v1alpha1/demos/demo
    [ "${lines[-1]}" = 200 ]
}

@test "the daemon exits cleanly on SIGTERM, with no sanitizer report" {
    kill -TERM "$RDD_DAEMON_PID"
    local _ stat=""
    for _ in $(seq 1 150); do
        stat=$(cat "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null) || { stat=""; break; }
        [ "$(awk '{print $3}' <<<"$stat")" = Z ] && break
        sleep 0.1
    done
    # gone (bats reaped it), or a zombie whose exit status is the last field of /proc/PID/stat
    if [ -n "$stat" ]; then
        [ "$(awk '{print $3}' <<<"$stat")" = Z ]
        [ "$(awk '{print $NF}' <<<"$stat")" = 0 ]
    fi
    # show the reports, if any, then fail on them
    grep -B2 -A40 -E 'LeakSanitizer|AddressSanitizer|runtime error:|assertion .* failed' "$RDD_TEST_TMP/daemon.log" >&2 || true
    run cat "$RDD_TEST_TMP/daemon.log"
    [[ "$output" != *"ERROR: LeakSanitizer"* ]]
    [[ "$output" != *"AddressSanitizer"* ]]
    [[ "$output" != *"runtime error:"* ]]
}
