#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The service lifecycle through the rdd CLI: create, start, stop, delete, status, config, logs,
# their idempotence, timeouts (exit 4), auto-start, and stale pid files. The CLI starts the
# daemon itself; the tests run in order and share this file's instance.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup svc
}

teardown_file() {
    cli_teardown
}

# how many numbered backups of rdd.stderr.log the directory holds
backups() {
    find "$1" -maxdepth 1 -regex '.*/rdd\.stderr\.[0-9]+\.log' | wc -l
}

@test "svc start creates the instance, starts the daemon and waits until it is ready" {
    run "$RDD" --log-level info svc start
    assert_status 0
    name="rancher-desktop-$RDD_INSTANCE"
    assert_output_contains "successfully created \\\"$name\\\" control plane"
    assert_output_contains "starting \\\"$name\\\" control plane"
    assert_output_contains "\\\"$name\\\" control plane is ready"
    cli_daemon_ready
    pid=$(cli_daemon_pid)
    cli_alive "$pid"
    [ "$(stat -c %a "$(cli_pid_file)")" = 600 ]
    [ "$(stat -c %a "$(cli_dir)/args.json")" = 600 ]
}

@test "without a terminal, progress is plain info lines, once per phase" {
    "$RDD" svc stop
    run --separate-stderr "$RDD" --log-level info svc start
    assert_status 0
    [ -z "$output" ]
    [[ "$stderr" != *$'\r'* ]]
    [[ "$stderr" != *$'\e['* ]]
    [ "$(grep -c 'msg="waiting for API server"' <<<"$stderr")" -le 1 ]
}

@test "on a terminal, progress is a spinner line that is cleared at the end" {
    "$RDD" svc stop
    run script -qec "'$RDD' svc start" /dev/null
    assert_status 0
    assert_output_contains $'\r\e[K'
    assert_output_contains "waiting for API server"
    cli_daemon_ready
}

@test "svc status reports created, started and the pid; --json says the same" {
    pid=$(cli_daemon_pid)
    run "$RDD" svc status
    assert_status 0
    name="rancher-desktop-$RDD_INSTANCE"
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[0]}" == *"level=info msg=\"\\\"$name\\\" control plane has been created: true\"" ]]
    [[ "${lines[1]}" == *"level=info msg=\"\\\"$name\\\" control plane has been started: true\"" ]]
    [[ "${lines[2]}" == *"level=info msg=\"\\\"$name\\\" control plane PID is: $pid\"" ]]
    # status reports whatever the log level
    run "$RDD" --log-level error svc status
    [ "${#lines[@]}" -eq 3 ]
    run --separate-stderr "$RDD" svc status --json
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["created"] is True and d["running"] is True and d["pid"] == '"$pid"', d'
    run "$RDD" service status
    assert_status 0
    assert_output_contains "PID is: $pid"
}

@test "svc start on a running daemon: already running, then ready; same pid" {
    pid=$(cli_daemon_pid)
    run "$RDD" --log-level info svc start
    assert_status 0
    assert_output_contains 'control plane is already running'
    assert_output_contains 'waiting for \"rancher-desktop-'"$RDD_INSTANCE"'\" control plane to be ready'
    assert_output_contains 'control plane is ready'
    [ "$(cli_daemon_pid)" = "$pid" ]
    run "$RDD" --log-level info svc start --wait=false
    assert_status 0
    assert_output_contains 'control plane is already running'
    refute_output_contains 'to be ready'
}

@test "svc config prints the kubeconfig the daemon wrote; --json converts it" {
    run --separate-stderr "$RDD" svc config
    assert_status 0
    [ "$output" = "$(cat "$(cli_dir)/config.yaml")" ]
    assert_output_contains "current-context: rancher-desktop-$RDD_INSTANCE"
    run --separate-stderr "$RDD" svc config --json
    assert_status 0
    ctx=$(echo "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["current-context"])')
    [ "$ctx" = "rancher-desktop-$RDD_INSTANCE" ]
    KUBECONFIG="$(cli_dir)/config.yaml" run kubectl get namespace default -o name
    [ "$output" = namespace/default ]
}

@test "svc logs prints the daemon's error log; --stdout its standard output" {
    "$RDD" svc stop
    RDD_LOG_TITLE="title-$$" run "$RDD" --log-level info svc start
    assert_status 0
    run "$RDD" svc logs
    assert_status 0
    [ "${lines[0]}" = "=== title-$$ ===" ]
    assert_output_contains "serving instance rancher-desktop-$RDD_INSTANCE"
    assert_output_contains "level=info"
    run "$RDD" svc log
    assert_status 0
    assert_output_contains "serving instance"
    run "$RDD" svc logs --stdout
    assert_status 0
    [ "${lines[0]}" = "=== title-$$ ===" ]
    refute_output_contains "serving instance"
    run "$RDD" svc logs -o
    [ "${lines[0]}" = "=== title-$$ ===" ]
}

@test "--log-level given to svc start is passed to the daemon" {
    "$RDD" svc stop
    "$RDD" --log-level debug svc start
    pid=$(cli_daemon_pid)
    run cat "/proc/$pid/cmdline"
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"--log-level debug"* ]]
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"--instance $RDD_INSTANCE --secure-port"* ]]
    "$RDD" svc stop
    "$RDD" svc start
    [[ "$(tr '\0' ' ' <"/proc/$(cli_daemon_pid)/cmdline")" == *"--log-level warning"* ]]
}

@test "svc start forwards arguments after -- to the daemon, overrides after saved ones" {
    "$RDD" svc stop
    run "$RDD" svc start --controllers demo -- --history-size 50
    assert_status 0
    cmdline=$(tr '\0' ' ' <"/proc/$(cli_daemon_pid)/cmdline")
    [[ "$cmdline" == *"--controllers * --controllers demo --history-size 50 --log-level"* ]]
    # the saved arguments did not change
    [[ "$(cat "$(cli_dir)/args.json")" != *"history-size"* ]]
    "$RDD" svc stop
    "$RDD" svc start
}

@test "svc logs -f follows the log across restarts, which rotate it" {
    "$RDD" svc stop
    "$RDD" --log-level info svc start
    # fd 3 closed: bats waits for whoever holds it
    "$RDD" svc logs -f >"$CLI_TMP/follow.out" 2>&1 3>&- &
    follower=$!
    echo "$follower" >>"$CLI_TMP/followers"
    sleep 0.5
    "$RDD" --log-level info svc stop
    "$RDD" --log-level info svc start
    # the second start rotated the first log away: the new log has one start
    [ "$(grep -c 'serving instance' "$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE/rdd.stderr.log")" -eq 1 ]
    for _ in $(seq 1 50); do
        [ "$(grep -c 'serving instance' "$CLI_TMP/follow.out")" -ge 2 ] && break
        sleep 0.1
    done
    kill "$follower"
    wait "$follower" || true
    run cat "$CLI_TMP/follow.out"
    [ "$(grep -c 'serving instance' <<<"$output")" -eq 2 ]
    [ "$(grep -c 'loaded plugin demo' <<<"$output")" -eq 2 ]
    # the first daemon's last line, written just before its log was rotated away, is not lost
    [ "$(grep -c 'signal received; shutting down' <<<"$output")" -eq 1 ]
}

@test "every start rotates the logs; five backups are kept unless RDD_KEEP_LOGS is set" {
    logs="$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE"
    for _ in 1 2 3 4 5 6 7; do
        "$RDD" svc stop
        "$RDD" svc start
    done
    [ "$(backups "$logs")" -eq 5 ]
    [ -f "$logs/rdd.stderr.log" ]
    [ ! -f "$logs/rdd.stderr.1.log" ]
    before=$(backups "$logs")
    "$RDD" svc stop
    RDD_KEEP_LOGS=1 "$RDD" svc start
    "$RDD" svc stop
    RDD_KEEP_LOGS=1 "$RDD" svc start
    [ "$(backups "$logs")" -eq $((before + 2)) ]
}

@test "svc stop: has stopped, pid file and kubeconfig gone; again: already stopped" {
    pid=$(cli_daemon_pid)
    run "$RDD" --log-level info svc stop
    assert_status 0
    assert_output_contains 'control plane has stopped'
    assert_dead "$pid"
    [ ! -e "$(cli_pid_file)" ]
    [ ! -e "$(cli_dir)/config.yaml" ]
    run "$RDD" --log-level info svc stop
    assert_status 0
    assert_output_contains 'control plane is already stopped'
    run "$RDD" svc status
    assert_output_contains 'has been created: true'
    assert_output_contains 'has been started: false'
    assert_output_contains 'PID is: 0'
}

@test "svc stop --wait=false: is stopping, and the daemon exits soon after" {
    "$RDD" svc start
    pid=$(cli_daemon_pid)
    run "$RDD" --log-level info svc stop --wait=false
    assert_status 0
    assert_output_contains 'control plane is stopping'
    for _ in $(seq 1 50); do
        cli_alive "$pid" || break
        sleep 0.1
    done
    assert_dead "$pid"
}

@test "svc start --wait=false: is starting, and the daemon becomes ready by itself" {
    run "$RDD" --log-level info svc start --wait=false
    assert_status 0
    assert_output_contains 'control plane is starting'
    for _ in $(seq 1 100); do
        cli_daemon_ready && break
        sleep 0.1
    done
    cli_daemon_ready
}

@test "svc start --timeout past the deadline exits 4" {
    "$RDD" svc stop
    run "$RDD" svc start --timeout 1ms
    assert_status 4
    assert_output_contains 'timed out waiting for \"rancher-desktop-'"$RDD_INSTANCE"'\" control plane to be ready: context deadline exceeded'
    # the daemon itself goes on starting
    "$RDD" svc start
    cli_daemon_ready
}

@test "svc stop --timeout past the deadline exits 4 and kills the daemon" {
    pid=$(cli_daemon_pid)
    # a daemon that cannot act on SIGTERM
    kill -STOP "$pid"
    start=$(cli_now)
    run "$RDD" svc stop --timeout 500ms
    assert_status 4
    assert_output_contains "timed out waiting for \\\"rancher-desktop-$RDD_INSTANCE\\\" control plane with pid $pid to stop: context deadline exceeded"
    awk -v e="$(cli_elapsed "$start")" 'BEGIN { exit !(e >= 0.5 && e < 3) }'
    # SIGKILL works on a stopped process
    for _ in $(seq 1 50); do
        cli_alive "$pid" || break
        sleep 0.1
    done
    assert_dead "$pid"
}

@test "svc delete --timeout past the deadline exits 4 and deletes nothing" {
    "$RDD" svc start
    pid=$(cli_daemon_pid)
    kill -STOP "$pid"
    run "$RDD" svc delete --timeout 300ms
    assert_status 4
    assert_output_contains "to stop: context deadline exceeded"
    [ -f "$(cli_dir)/args.json" ]
    [ -d "$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE" ]
    kill -CONT "$pid" 2>/dev/null || true
}

@test "a pid file left by a daemon killed with SIGKILL is stale: reported, cleaned, replaced" {
    "$RDD" svc start
    pid=$(cli_daemon_pid)
    kill -KILL "$pid"
    while cli_alive "$pid"; do sleep 0.05; done
    [ -f "$(cli_pid_file)" ]
    run "$RDD" svc status
    assert_status 0
    assert_output_contains 'has been started: false'
    assert_output_contains 'PID is: 0'
    [ ! -e "$(cli_pid_file)" ]
    [ ! -e "$(cli_dir)/rdd.sock" ]
    run "$RDD" --log-level info svc start
    assert_status 0
    refute_output_contains 'already running'
    [ "$(cli_daemon_pid)" != "$pid" ]
    cli_daemon_ready
}

@test "a pid file naming a live process that holds no lock is stale too (pid reuse)" {
    "$RDD" svc stop
    # this shell is alive, but it is no daemon
    echo -n "$$" >"$(cli_pid_file)"
    run "$RDD" --log-level info svc stop
    assert_status 0
    assert_output_contains 'control plane is already stopped'
    [ ! -e "$(cli_pid_file)" ]
    kill -0 $$
    echo garbage >"$(cli_pid_file)"
    touch -d '1 hour ago' "$(cli_pid_file)"
    run "$RDD" svc status
    assert_output_contains 'has been started: false'
    [ ! -e "$(cli_pid_file)" ]
    run "$RDD" svc start
    assert_status 0
    cli_daemon_ready
}

@test "a daemon that fails to start is reported with the end of its log, exit 1" {
    "$RDD" svc stop
    run "$RDD" svc start -- --no-such-daemon-flag
    assert_status 1
    assert_output_contains 'rdd-daemon exited during start-up (status 2)'
    assert_output_contains 'no-such-daemon-flag'
    RDD_DAEMON=/nonexistent/rdd-daemon run "$RDD" svc start
    assert_status 1
    assert_output_contains 'cannot start /nonexistent/rdd-daemon'
}

@test "a corrupt args.json is an error naming the file, exit 1" {
    "$RDD" svc create
    "$RDD" svc stop
    cp "$(cli_dir)/args.json" "$CLI_TMP/args.json.good"
    echo '{"not": "a list"}' >"$(cli_dir)/args.json"
    run "$RDD" svc start
    assert_status 1
    assert_output_contains "$(cli_dir)/args.json is not a JSON list of arguments"
    echo '["--secure-port", 5]' >"$(cli_dir)/args.json"
    run "$RDD" svc start
    assert_status 1
    assert_output_contains 'argument 2 is not a string'
    cp "$CLI_TMP/args.json.good" "$(cli_dir)/args.json"
    run "$RDD" svc start
    assert_status 0
}

@test "auto-start: get, plugins and svc config start a stopped daemon" {
    "$RDD" svc stop
    run --separate-stderr "$RDD" --log-level info get namespaces -o name
    assert_status 0
    assert_output_contains "namespace/default"
    [[ "$stderr" == *'starting \"rancher-desktop-'"$RDD_INSTANCE"'\" control plane'* ]]
    [[ "$stderr" == *'control plane is ready'* ]]
    cli_daemon_ready
    "$RDD" svc stop
    run --separate-stderr "$RDD" plugins
    assert_status 0
    assert_output_contains "demo"
    "$RDD" svc stop
    run --separate-stderr "$RDD" svc config
    assert_status 0
    assert_output_contains "current-context:"
}

@test "auto-start creates an instance that does not exist yet" {
    run --separate-stderr "$RDD" --instance auto --log-level info get namespace default -o name
    assert_status 0
    [ "$output" = namespace/default ]
    [[ "$stderr" == *'successfully created \"rancher-desktop-auto\" control plane'* ]]
    [ -f "$XDG_DATA_HOME/rancher-desktop-auto/args.json" ]
    run "$RDD" --instance auto svc status
    assert_output_contains 'has been started: true'
    "$RDD" --instance auto svc delete
}

@test "svc delete stops the daemon and removes the instance; again: does not exist" {
    "$RDD" svc start
    pid=$(cli_daemon_pid)
    mkdir -p "$HOME/.rd$RDD_INSTANCE/lima"
    run "$RDD" --log-level info svc delete
    assert_status 0
    assert_output_contains "\\\"rancher-desktop-$RDD_INSTANCE\\\" control plane has been deleted"
    assert_dead "$pid"
    [ ! -e "$(cli_dir)" ]
    [ ! -e "$HOME/.rd$RDD_INSTANCE" ]
    [ ! -e "$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE" ]
    run "$RDD" --log-level info svc delete
    assert_status 0
    assert_output_contains 'control plane does not exist'
    run "$RDD" --log-level info svc stop
    assert_status 0
    assert_output_contains 'control plane does not exist'
}

@test "svc delete with RDD_KEEP_LOGS keeps the log directory" {
    "$RDD" svc start
    RDD_KEEP_LOGS=1 run "$RDD" svc delete
    assert_status 0
    [ ! -e "$(cli_dir)" ]
    [ -f "$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE/rdd.stderr.log" ]
}
