#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Two instances side by side, one chosen by RDD_INSTANCE and one by --instance: separate
# daemons, directories, sockets, ports and objects; stopping or deleting one leaves the other.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup inst
    export OTHER="${RDD_INSTANCE}b"
    "$RDD" svc start
    "$RDD" --instance "$OTHER" svc start
}

teardown_file() {
    cli_teardown
}

@test "both daemons run, each with its own pid, directory and socket" {
    a=$(cli_daemon_pid)
    b=$(cli_daemon_pid "$OTHER")
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]
    cli_alive "$a"
    cli_alive "$b"
    cli_daemon_ready
    cli_daemon_ready "$OTHER"
    run "$RDD" svc status
    assert_output_contains "\\\"rancher-desktop-$RDD_INSTANCE\\\" control plane PID is: $a"
    run "$RDD" --instance "$OTHER" svc status
    assert_output_contains "\\\"rancher-desktop-$OTHER\\\" control plane PID is: $b"
    RDD_INSTANCE=$OTHER run "$RDD" svc status
    assert_output_contains "PID is: $b"
}

@test "their paths and API ports differ" {
    [ "$("$RDD" svc paths dir)" != "$("$RDD" --instance "$OTHER" svc paths dir)" ]
    [ "$("$RDD" svc paths short_dir)" != "$("$RDD" --instance "$OTHER" svc paths short_dir)" ]
    server_a=$("$RDD" ctl config view -o jsonpath='{.clusters[0].cluster.server}')
    server_b=$("$RDD" --instance "$OTHER" ctl config view -o jsonpath='{.clusters[0].cluster.server}')
    [[ "$server_a" == https://127.0.0.1:* ]]
    [[ "$server_b" == https://127.0.0.1:* ]]
    [ "$server_a" != "$server_b" ]
}

@test "objects of one instance are not seen by the other" {
    cli_create_demo 2
    run --separate-stderr "$RDD" get demo -o name
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    run --separate-stderr "$RDD" --instance "$OTHER" get demo -o name
    assert_status 0
    [ -z "$output" ]
    "$RDD" --instance "$OTHER" ctl create configmap only-b
    run --separate-stderr "$RDD" get cm only-b
    assert_status 1
    run --separate-stderr "$RDD" --instance "$OTHER" get cm only-b -o name
    [ "$output" = configmap/only-b ]
}

@test "waits follow their own instance" {
    run "$RDD" ctl wait-condition demo/demo Completed --timeout 30s
    assert_status 0
    run "$RDD" --instance "$OTHER" ctl wait-condition demo/demo Completed --timeout 1s
    assert_status 4
}

@test "stopping one leaves the other running" {
    b=$(cli_daemon_pid "$OTHER")
    run "$RDD" svc stop
    assert_status 0
    run cli_daemon_ready
    [ "$status" -ne 0 ]
    cli_alive "$b"
    cli_daemon_ready "$OTHER"
    run --separate-stderr "$RDD" --instance "$OTHER" get cm only-b -o name
    [ "$output" = configmap/only-b ]
    run "$RDD" --instance "$OTHER" svc status
    assert_output_contains "has been started: true"
    run "$RDD" svc status
    assert_output_contains "has been started: false"
}

@test "deleting one leaves the other's files and daemon alone" {
    run "$RDD" svc delete
    assert_status 0
    [ ! -e "$(cli_dir)" ]
    [ -f "$(cli_dir "$OTHER")/args.json" ]
    cli_daemon_ready "$OTHER"
    # the deleted instance comes back empty on auto-start; the other keeps its objects
    run --separate-stderr "$RDD" get cm only-b
    assert_status 1
    run --separate-stderr "$RDD" --instance "$OTHER" get cm only-b -o name
    [ "$output" = configmap/only-b ]
}
