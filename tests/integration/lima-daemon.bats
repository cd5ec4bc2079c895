#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The lima plugin in a real daemon, driven over the API, with tests/fakes/limactl standing in
# for Lima: a LimaVM is created and started, admission refuses a duplicate name, a daemon
# restart finds the VM running without starting it again, and deletion cleans up.

load helpers

LIMA_PLUGIN_DIR="$RDD_BUILD_ROOT/plugins/lima"
LIMAVMS=/apis/lima.rancherdesktop.io/v1alpha1/namespaces/default/limavms

setup_file() {
    if [ ! -f "$LIMA_PLUGIN_DIR/liblima.so" ]; then
        skip "the lima plugin is not built"
    fi
    export RDD_LIMACTL="$RDD_SOURCE_ROOT/tests/fakes/limactl"
    export RDD_LIMA_POLL_INTERVAL=300ms
    export RDD_LIMA_RETRY_INTERVAL=500ms
    rdd_daemon_start --plugin-dir "$LIMA_PLUGIN_DIR"
    echo "$RDD_DAEMON_PID" >"$RDD_TEST_TMP/daemon.pid"
    export RDD_TEST_TMP RDD_DIR RDD_SOCKET
    export LIMA_HOME="$HOME/.rd$RDD_INSTANCE/lima"
}

teardown_file() {
    if [ -n "${RDD_TEST_TMP:-}" ] && [ -f "$RDD_TEST_TMP/daemon.pid" ]; then
        RDD_DAEMON_PID=$(cat "$RDD_TEST_TMP/daemon.pid")
    fi
    rdd_daemon_stop
}

# the limactl calls so far that start with the given words
calls() {
    grep -c "^$*" "$LIMA_HOME/.fake/calls.log" || true
}

# reason TYPE: the reason of the LimaVM vm1's condition TYPE (status/reason)
condition() {
    api GET "$LIMAVMS/vm1" | sed '$d' |
        jq -r --arg t "$1" '(.status.conditions // [])[] | select(.type == $t) | "\(.status)/\(.reason)"'
}

# wait_condition TYPE STATUS/REASON: up to 20 s
wait_condition() {
    local i
    for i in $(seq 1 200); do
        [ "$(condition "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "vm1 never reached $1=$2; it has $(condition "$1")" >&2
    api GET "$LIMAVMS/vm1" >&2
    return 1
}

# restarts the daemon on the same instance and database
daemon_restart() {
    local pid i
    pid=$(cat "$RDD_TEST_TMP/daemon.pid")
    kill -TERM "$pid"
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    "$RDD_DAEMON" --log-level info --plugin-dir "$RDD_BUILD_ROOT/plugins/demo" \
        --plugin-dir "$LIMA_PLUGIN_DIR" >>"$RDD_TEST_TMP/daemon.log" 2>&1 &
    echo $! >"$RDD_TEST_TMP/daemon.pid"
    for i in $(seq 1 100); do
        if curl -sf --unix-socket "$RDD_SOCKET" http://localhost/readyz >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "the daemon did not come back" >&2
    return 1
}

template() {
    printf 'images:\n- location: https://example.com/distro.raw.xz\ncpus: 2\nmemory: "4GiB"\n'
}

@test "the plugin is loaded and serves the LimaVM kind" {
    run api GET /apis/lima.rancherdesktop.io/v1alpha1
    [ "${lines[-1]}" = 200 ]
    [[ "$output" == *'"name":"limavms"'* ]]
}

@test "a LimaVM is created and started with limactl" {
    body=$(jq -cn --arg t "$(template)" '{apiVersion:"v1",kind:"ConfigMap",metadata:{name:"src"},data:{template:$t}}')
    run api POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' -d "$body"
    [ "${lines[-1]}" = 201 ]
    run api POST "$LIMAVMS" -H 'Content-Type: application/json' \
        -d '{"apiVersion":"lima.rancherdesktop.io/v1alpha1","kind":"LimaVM","metadata":{"name":"vm1"},"spec":{"templateRef":{"name":"src"},"running":true}}'
    [ "${lines[-1]}" = 201 ]
    wait_condition Created True/Created
    wait_condition Running True/Started
    [ "$(calls create --name=vm1)" = 1 ]
    [ "$(calls start --tty=false vm1)" = 1 ]
    run api GET /api/v1/namespaces/default/configmaps/vm1-template
    [ "${lines[-1]}" = 200 ]
    [[ "$output" == *'"lima.rancherdesktop.io/template-configmap":"true"'* ]]
    [ "$(cat "$LIMA_HOME/vm1/status")" = Running ]
}

@test "admission refuses a second LimaVM of the same name in another namespace" {
    run api POST /apis/lima.rancherdesktop.io/v1alpha1/namespaces/kube-system/limavms -H 'Content-Type: application/json' \
        -d '{"apiVersion":"lima.rancherdesktop.io/v1alpha1","kind":"LimaVM","metadata":{"name":"vm1"},"spec":{"templateRef":{"name":"src","namespace":"default"},"running":false}}'
    [ "${lines[-1]}" = 403 ]
    [[ "$output" == *'LimaVM name \"vm1\" is already used in namespace \"default\"; LimaVM names must be unique across all namespaces'* ]]
}

@test "kubectl lists the LimaVM with its columns" {
    run kubectl get limavms -n default
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == *RUNNING*TYPE*STATE* ]]
    [[ "${lines[1]}" == vm1*true*lima*Started* ]]
}

@test "a daemon restart finds the running VM and starts nothing" {
    daemon_restart
    wait_condition Running True/Started
    [ "$(calls start)" = 1 ]
    [ "$(calls create)" = 1 ]
    run api GET "$LIMAVMS/vm1"
    [[ "$output" == *'"restartCount":1'* ]]
}

@test "a crashed VM is started again" {
    echo Broken >"$LIMA_HOME/vm1/status"
    for i in $(seq 1 100); do
        [ "$(calls start)" = 2 ] && break
        sleep 0.1
    done
    wait_condition Running True/Started
    [ "$(calls stop --force vm1)" = 1 ]
    run api GET "$LIMAVMS/vm1"
    [[ "$output" == *'"restartCount":2'* ]]
}

@test "deleting the LimaVM stops and deletes the instance and its template copy" {
    run api DELETE "$LIMAVMS/vm1"
    [ "${lines[-1]}" = 200 ]
    for i in $(seq 1 100); do
        run api GET "$LIMAVMS/vm1"
        [ "${lines[-1]}" = 404 ] && break
        sleep 0.1
    done
    [ "${lines[-1]}" = 404 ]
    [ "$(calls delete --force vm1)" = 1 ]
    [ ! -e "$LIMA_HOME/vm1" ]
    run api GET /api/v1/namespaces/default/configmaps/vm1-template
    [ "${lines[-1]}" = 404 ]
}
