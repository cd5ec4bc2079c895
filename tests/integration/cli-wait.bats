#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# rdd ctl wait-condition: success (already true, or becoming true), status, reason and since,
# timing out with exit 4, deletion while waiting, and waits that survive the daemon closing
# the watch (an overflowing watch queue) and the daemon restarting in the middle of the wait.
# The Demo controller takes a step about once a second here (RDD_DEMO_INTERVAL=1s): its
# lastProcessed has whole seconds, so with sub-second intervals a Demo of any count can finish
# within one second, and the "not yet complete" cases need a slower controller.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup wait
    export RDD_DEMO_INTERVAL=1s
    "$RDD" svc start
}

teardown_file() {
    cli_teardown
}

setup() {
    "$RDD" ctl delete demo demo --ignore-not-found >/dev/null
}

# wait-condition in the background with its exit status in $CLI_TMP/wait.rc; fd 3 closed so
# bats does not wait for it
wait_in_background() {
    rm -f "$CLI_TMP/wait.rc" "$CLI_TMP/wait.out"
    # errexit is on in tests: the status is caught, not fatal to the subshell
    (
        rc=0
        "$RDD" ctl wait-condition "$@" >"$CLI_TMP/wait.out" 2>&1 || rc=$?
        echo "$rc" >"$CLI_TMP/wait.rc"
    ) 3>&- &
    WAITER=$!
    echo "$WAITER" >>"$CLI_TMP/followers"
}
# waits for the background wait-condition to end (at most $1 seconds) and prints its status
wait_result() {
    for _ in $(seq 1 $((${1:-30} * 10))); do
        [ -s "$CLI_TMP/wait.rc" ] && break
        sleep 0.1
    done
    cat "$CLI_TMP/wait.rc"
}

@test "a condition that already holds returns at once with exit 0" {
    cli_create_demo 2
    "$RDD" ctl wait-condition demo/demo Completed --timeout 30s
    start=$(cli_now)
    run "$RDD" ctl wait-condition demo/demo Completed
    assert_status 0
    [ -z "$output" ]
    elapsed=$(cli_elapsed "$start")
    awk -v e="$elapsed" 'BEGIN { exit !(e < 2) }'
}

@test "a condition that becomes true ends the wait; the object may not exist yet" {
    wait_in_background demo/demo Completed --timeout 30s
    sleep 1
    [ ! -s "$CLI_TMP/wait.rc" ]
    cli_create_demo 3
    [ "$(wait_result 30)" = 0 ]
    run "$RDD" get demo demo -o json
    [[ "$output" == *'"processedCount": 3'* ]]
}

@test "STATUS and --reason must match exactly" {
    cli_create_demo 1000
    run "$RDD" ctl wait-condition demo/demo Completed=False --timeout 10s
    assert_status 0
    run "$RDD" ctl wait-condition demo.app.rancherdesktop.io/demo Processing=True --reason InProgress --timeout 10s
    assert_status 0
    run "$RDD" ctl wait-condition demos/demo Processing --reason Completed --timeout 1s
    assert_status 4
    run "$RDD" ctl wait-condition demo/demo Completed=Unknown --timeout 1s
    assert_status 4
}

@test "past the timeout: exit 4 with a message naming the condition, on time" {
    cli_create_demo 1000
    start=$(cli_now)
    run --separate-stderr "$RDD" ctl wait-condition demo/demo Completed --timeout 2s
    elapsed=$(cli_elapsed "$start")
    assert_status 4
    [ -z "$output" ]
    [[ "$stderr" == *'level=fatal msg="timed out waiting for condition Completed=True on demos/demo"'* ]]
    awk -v e="$elapsed" 'BEGIN { exit !(e >= 2 && e < 5) }'
}

@test "the default timeout is 30 seconds, as in the reference" {
    run "$RDD" ctl wait-condition --help
    assert_output_contains "default 30s"
}

@test "--since: only a transition after that time counts; startup is the daemon's start" {
    cli_create_demo 2
    "$RDD" ctl wait-condition demo/demo Completed --timeout 30s
    run "$RDD" ctl wait-condition demo/demo Completed --since 2000-01-01T00:00:00Z --timeout 5s
    assert_status 0
    run "$RDD" ctl wait-condition demo/demo Completed --since startup --timeout 5s
    assert_status 0
    run "$RDD" ctl wait-condition demo/demo Completed --since 2999-01-01T00:00:00Z --timeout 1s
    assert_status 4
}

@test "an object deleted while waited for ends the wait with exit 1" {
    cli_create_demo 1000
    wait_in_background demo/demo Completed --timeout 30s
    sleep 1
    "$RDD" ctl delete demo demo
    [ "$(wait_result 30)" = 1 ]
    run cat "$CLI_TMP/wait.out"
    assert_output_contains 'resource was deleted while waiting'
}

@test "unknown kinds exit 1; namespaced kinds honour -n" {
    run "$RDD" ctl wait-condition frobs/x Ready --timeout 1s
    assert_status 1
    assert_output_contains "the server doesn't have a resource type \\\"frobs\\\""
    "$RDD" ctl create namespace waitns
    "$RDD" ctl -n waitns create configmap cfg
    run "$RDD" ctl wait-condition configmap/cfg Ready -n waitns --timeout 1s
    assert_status 4
    assert_output_contains 'on configmaps/cfg'
}

@test "on a terminal the wait draws a progress line" {
    cli_create_demo 1000
    run script -qec "'$RDD' ctl wait-condition demo/demo Completed --timeout 2s" /dev/null
    assert_output_contains "waiting for demos/demo condition Completed=True"
    assert_output_contains $'\r\e[K'
}

@test "the wait survives the daemon closing the watch: it lists again" {
    "$RDD" svc stop
    # every watch falls behind its one-byte queue at the first event and is ended by the daemon
    "$RDD" svc start -- --watch-queue-limit 1
    wait_in_background demo/demo Completed --timeout 30s
    sleep 0.5
    cli_create_demo 3
    [ "$(wait_result 30)" = 0 ]
    [[ "$(tr '\0' ' ' <"/proc/$(cli_daemon_pid)/cmdline")" == *"--watch-queue-limit 1"* ]]
    "$RDD" svc stop
    "$RDD" svc start
}

@test "the wait survives a daemon restart in its middle, retrying until the daemon is back" {
    wait_in_background demo/demo Completed --timeout 60s
    sleep 1
    "$RDD" svc stop
    # the daemon is gone for a while: connections are refused
    sleep 2
    [ ! -s "$CLI_TMP/wait.rc" ]
    "$RDD" svc start
    sleep 1
    [ ! -s "$CLI_TMP/wait.rc" ]
    cli_create_demo 2
    [ "$(wait_result 30)" = 0 ]
}

@test "a daemon that does not come back ends the wait at its deadline with exit 4" {
    cli_create_demo 1000
    wait_in_background demo/demo Completed --timeout 3s
    sleep 0.5
    "$RDD" svc stop
    start=$(cli_now)
    [ "$(wait_result 10)" = 4 ]
    elapsed=$(cli_elapsed "$start")
    awk -v e="$elapsed" 'BEGIN { exit !(e < 5) }'
    run cat "$CLI_TMP/wait.out"
    assert_output_contains 'timed out waiting for condition Completed=True on demos/demo'
    "$RDD" svc start
}
