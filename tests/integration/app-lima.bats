#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# The App lifecycle with the stand-in limactl (tests/fakes/limactl), through the real CLI: start,
# stop, a template change that restarts the VM, limactl failing and hanging, the daemon
# restarted while the VM runs, and the App deleted with everything it owns. The tests build on
# each other and run in order. When a private dockerd can run, the fake links the instance's
# docker socket to it on `limactl start`, as Lima forwards the guest's socket.

load app-helpers
load dockerd

setup_file() {
    app_instance_setup lima
    export RDD_LIMACTL="$RDD_FAKES/limactl"
    export PATH="$RDD_FAKES:$PATH"
    if dockerd_try_start; then
        export FAKE_LIMACTL_DOCKER_SOCKET="$DOCKERD_SOCKET"
    else
        echo "# running without a Docker engine: $DOCKERD_SKIP_REASON" >&3
    fi
    export DOCKERD_SKIP_REASON
    app_svc_start
}

teardown_file() {
    app_instance_teardown
    dockerd_cleanup
}

fake_calls() {
    cat "$RDD_LIMA_HOME/.fake/calls.log" 2>/dev/null || true
}

# how many times limactl ran a subcommand (`start`, `stop`, ...)
limactl_count() {
    fake_calls | grep -c "^$1 " || true
}

limactl_count_above() {
    [ "$(limactl_count "$1")" -gt "$2" ]
}

# the Running condition of the App and of its LimaVM agree
running_is() {
    app_condition_is Running "$1" "$2" && limavm_condition_is Running "$1" "$2"
}

settled_at_generation() {
    [ "$(app_json 'status.conditions[Settled].status')" = True ] &&
        [ "$(app_json 'status.conditions[Settled].observedGeneration')" = "$(app_json metadata.generation)" ]
}

template_rv() {
    rdd ctl get configmap rd-template -o 'jsonpath={.metadata.resourceVersion}'
}

@test "rdd start creates and starts the VM and settles" {
    run rdd start --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Settled=True: App has reached the desired state (Settled)"* ]]
    settled_at_generation
    [ "$(app_json spec.vm.type)" = lima ]
    running_is True Started
    [ "$(limavm_json 'status.conditions[Created].reason')" = Created ]
    [ "$(app_json 'status.conditions[Created].status')" = True ]
    [ "$(limavm_json status.restartCount)" = 1 ]
    [ "$(limavm_json status.templateConfigMap)" = rd-template ]
    [ "$(limavm_json status.observedTemplateResourceVersion)" = "$(template_rv)" ]
    # exactly one create and one start; the instance is on disk and running
    [ "$(limactl_count create)" = 1 ]
    [ "$(limactl_count start)" = 1 ]
    [ -f "$RDD_LIMA_HOME/rd/lima.yaml" ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
    # the rendered template reached the instance, with the App's parameters
    grep -q "CONTAINER_ENGINE: moby" "$RDD_LIMA_HOME/rd/lima.yaml"
    grep -q "HOST_DOCKER_SOCKET: .*$RDD_SHORT_DIR/docker.sock" "$RDD_LIMA_HOME/rd/lima.yaml"
    # the input ConfigMap is gone; the template copy is owned by the LimaVM
    run rdd ctl get configmap rd
    [ "$status" -ne 0 ]
    run rdd ctl get configmap rd-template -o 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.finalizers[0]}'
    [ "$output" = "LimaVM/rdd.rancherdesktop.io/owned-by-LimaVM" ]
    # the LimaVM is owned by the App
    [[ "$(limavm_json metadata.finalizers)" == *"rdd.rancherdesktop.io/owned-by-App"* ]]
    [[ "$(limavm_json metadata.ownerReferences)" == *'"kind": "App"'* ]]
}

@test "the instance's docker socket reaches the engine the VM forwards" {
    if [ -z "${FAKE_LIMACTL_DOCKER_SOCKET:-}" ]; then
        skip "no private dockerd: $DOCKERD_SKIP_REASON"
    fi
    local sock
    sock=$(rdd svc paths docker_socket)
    [ -L "$sock" ]
    run curl -s --max-time 5 --unix-socket "$sock" http://x/_ping
    [ "$output" = OK ]
}

@test "rdd stop stops the VM and settles as Stopped" {
    run rdd stop --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    settled_at_generation
    running_is False Stopped
    [ "$(limavm_json spec.running)" = false ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Stopped ]
    [ "$(fake_calls | tail -n 1)" = "stop rd" ]
    [ ! -L "$RDD_SHORT_DIR/docker.sock" ]
    # again: nothing to do, at once
    local start=$SECONDS
    run rdd stop --timeout 60s
    [ "$status" -eq 0 ]
    [ $((SECONDS - start)) -le 3 ]
}

@test "a template change while stopped is written to the instance without starting it" {
    local starts
    starts=$(limactl_count start)
    run rdd set vm.memory=4GiB --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    settled_at_generation
    running_is False Stopped
    grep -q "^memory: .*4294967296" "$RDD_LIMA_HOME/rd/lima.yaml"
    [ "$(limavm_json status.observedTemplateResourceVersion)" = "$(template_rv)" ]
    [ "$(limactl_count start)" = "$starts" ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Stopped ]
}

@test "a template change while running restarts the VM and settles only once it is applied" {
    local count starts stops rv_before
    run rdd start --timeout 60s
    [ "$status" -eq 0 ]
    running_is True Started
    count=$(limavm_json status.restartCount)
    [ "$count" = 2 ]
    starts=$(limactl_count start)
    stops=$(limactl_count stop)
    rv_before=$(template_rv)
    run grep -q "^cpus: 3$" "$RDD_LIMA_HOME/rd/lima.yaml"
    [ "$status" -ne 0 ]

    run rdd set vm.cpus=3 running=true --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    # the wait passed through the restart
    [[ "$output" == *"Settled=False: Applying the configuration change to the VM (ApplyingTemplate)"* ]]
    [[ "$output" == *"Running=False: Stopped for restart (Stopped)"* ]]
    # when rdd set returned, the new template was in the instance and the VM ran it
    settled_at_generation
    running_is True Started
    grep -q "^cpus: 3$" "$RDD_LIMA_HOME/rd/lima.yaml"
    [ "$(template_rv)" != "$rv_before" ]
    [ "$(limavm_json status.observedTemplateResourceVersion)" = "$(template_rv)" ]
    [ "$(limavm_json status.restartCount)" -gt "$count" ]
    [ "$(limactl_count stop)" = $((stops + 1)) ]
    [ "$(limactl_count start)" = $((starts + 1)) ]
    [ "$(fake_calls | tail -n 2 | cut -d' ' -f1 | tr '\n' ' ')" = "stop start " ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
}

@test "limactl start failing: StartFailed with its message, and rdd start exits 4" {
    run rdd stop --timeout 60s
    [ "$status" -eq 0 ]
    echo "qemu-system-x86_64: cannot open disk diffdisk: injected by app-lima.bats" \
        >"$RDD_LIMA_HOME/.fake/fail-start"
    run rdd start --timeout 5s
    echo "$output"
    # Settled never becomes True: the wait runs into its deadline
    [ "$status" -eq 4 ]
    [[ "$output" == *"timed out waiting for App state"* ]]
    [[ "$output" == *"(StartFailed)"* ]]
    [[ "$output" == *"cannot open disk diffdisk: injected by app-lima.bats"* ]]
    running_is False StartFailed
    [ "$(app_condition Running)" = \
        "False/StartFailed: limactl start failed: qemu-system-x86_64: cannot open disk diffdisk: injected by app-lima.bats" ]
    # Settled forwards a failure's own message
    [ "$(app_condition Settled)" = \
        "False/StartFailed: limactl start failed: qemu-system-x86_64: cannot open disk diffdisk: injected by app-lima.bats" ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Stopped ]

    rm "$RDD_LIMA_HOME/.fake/fail-start"
    run rdd stop --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    running_is False Stopped
}

@test "limactl start hanging: killed at RDD_LIMACTL_TIMEOUT, StartFailed names the deadline" {
    # the deadline is read at start-up: restart the daemon with a short one
    app_svc_stop
    RDD_LIMACTL_TIMEOUT=3s app_svc_start
    touch "$RDD_LIMA_HOME/.fake/hang-start"
    local start=$SECONDS
    run rdd start --timeout 12s
    echo "$output"
    [ "$status" -eq 4 ]
    running_is False StartFailed
    run app_json 'status.conditions[Running].message'
    echo "$output"
    [[ "$output" == *"limactl start timed out"* ]]
    [[ "$output" == *"deadline of 3s"* ]]
    # the hung limactl was killed: the daemon has no `limactl start` child left
    [ -z "$(pgrep -P "$(app_daemon_pid)" -f "limactl start" || true)" ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Stopped ]

    rm "$RDD_LIMA_HOME/.fake/hang-start"
    run rdd stop --timeout 60s
    [ "$status" -eq 0 ]
    running_is False Stopped
}

@test "limactl stop hanging: killed at the deadline, StopFailed names it" {
    run rdd start --timeout 30s
    [ "$status" -eq 0 ]
    running_is True Started
    touch "$RDD_LIMA_HOME/.fake/hang-stop"
    run rdd stop --timeout 12s
    echo "$output"
    [ "$status" -eq 4 ]
    running_is False StopFailed
    run app_json 'status.conditions[Running].message'
    echo "$output"
    [[ "$output" == *"limactl stop timed out"* ]]
    [[ "$output" == *"deadline of 3s"* ]]
    [ -z "$(pgrep -P "$(app_daemon_pid)" -f "limactl stop" || true)" ]

    # the VM still runs: asking for it again settles at once
    rm "$RDD_LIMA_HOME/.fake/hang-stop"
    run rdd start --timeout 30s
    echo "$output"
    [ "$status" -eq 0 ]
    running_is True Started
    # back to the defaults, with quick retries for the next test
    app_svc_stop
    RDD_LIMA_RETRY_INTERVAL=1s app_svc_start
}

@test "a failed start is retried: once limactl works again the VM starts by itself" {
    local starts
    run rdd stop --timeout 30s
    [ "$status" -eq 0 ]
    echo "still broken" >"$RDD_LIMA_HOME/.fake/fail-start"
    starts=$(limactl_count start)
    run rdd start --timeout 4s
    echo "$output"
    [ "$status" -eq 4 ]
    [[ "$output" == *"limactl start failed: still broken (StartFailed)"* ]]
    # it kept trying
    [ "$(limactl_count start)" -gt $((starts + 1)) ]
    rm "$RDD_LIMA_HOME/.fake/fail-start"
    wait_for 15 running_is True Started
    wait_for 5 settled_at_generation
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
}

@test "daemon restarted while the VM runs: Running recovered without a second limactl start" {
    local starts count
    run rdd start --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    running_is True Started
    starts=$(limactl_count start)
    count=$(limavm_json status.restartCount)

    app_svc_stop
    # the VM outlives the daemon
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
    echo "--- daemon restarted" >>"$RDD_LIMA_HOME/.fake/calls.log"
    app_svc_start
    wait_for 30 running_is True Started
    wait_for 10 app_condition_is Settled True Settled
    # it asked limactl for the state, and did not start the VM again
    [ "$(limactl_count start)" = "$starts" ]
    fake_calls | sed -n '/^--- daemon restarted$/,$p' | grep -q "^list --json"
    run bash -c "sed -n '/^--- daemon restarted\$/,\$p' '$RDD_LIMA_HOME/.fake/calls.log' | grep -E '^(start|stop|create|delete) '"
    [ "$output" = "" ]
    [ "$(limavm_json status.restartCount)" -ge "$count" ]
    # and the App is settled for its current generation without any write
    run rdd start --timeout 30s
    [ "$status" -eq 0 ]
    [ "$(limactl_count start)" = "$starts" ]
}

@test "a VM that crashed (Broken) is started again" {
    local count starts
    count=$(limavm_json status.restartCount)
    starts=$(limactl_count start)
    echo Broken >"$RDD_LIMA_HOME/rd/status"
    wait_for 30 limactl_count_above start "$starts"
    wait_for 15 running_is True Started
    [ "$(limavm_json status.restartCount)" -gt "$count" ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
}

@test "switching vm.type to host stops the Lima VM; back to lima starts it again" {
    if [ -z "${FAKE_LIMACTL_DOCKER_SOCKET:-}" ]; then
        skip "no private dockerd for host mode: $DOCKERD_SKIP_REASON"
    fi
    local starts
    running_is True Started
    run rdd set vm.type=host "vm.hostDockerSocket=$DOCKERD_SOCKET" --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    settled_at_generation
    running_is True Started
    [ "$(limavm_json spec.vmType)" = host ]
    # the Lima instance was stopped first, and stays on disk
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Stopped ]
    [ "$(readlink -f "$RDD_SHORT_DIR/docker.sock")" = "$(readlink -f "$DOCKERD_SOCKET")" ]
    starts=$(limactl_count start)

    run rdd set vm.type=lima --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    settled_at_generation
    running_is True Started
    [ "$(limavm_json spec.vmType)" = lima ]
    [ "$(limactl_count start)" = $((starts + 1)) ]
    [ "$(cat "$RDD_LIMA_HOME/rd/status")" = Running ]
    run curl -s --max-time 5 --unix-socket "$RDD_SHORT_DIR/docker.sock" http://x/_ping
    [ "$output" = OK ]
}

@test "deleting the App removes the LimaVM, its template copy and the Lima instance" {
    [ -d "$RDD_LIMA_HOME/rd" ]
    # a slow `limactl delete`: the App must wait for it
    echo 2 >"$RDD_LIMA_HOME/.fake/delay-delete"
    run rdd ctl delete app app --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    # kubectl waited for the App to be gone; by then everything it owned was gone too
    run rdd ctl get app app
    [ "$status" -ne 0 ]
    [[ "$output" == *NotFound* ]]
    run rdd ctl get limavms -A -o name
    [ "$output" = "" ]
    run rdd ctl get configmaps -A -l lima.rancherdesktop.io/template-configmap=true -o name
    [ "$output" = "" ]
    run rdd ctl get configmap rd
    [ "$status" -ne 0 ]
    [ ! -e "$RDD_LIMA_HOME/rd" ]
    fake_calls | grep -q "^delete --force rd$"
    [ ! -L "$RDD_SHORT_DIR/docker.sock" ]
    # rdd stop does not bring it back
    run rdd stop --timeout 30s
    [ "$status" -eq 0 ]
    [[ "$output" == *"App does not exist; nothing to stop"* ]]
    run rdd ctl get app app
    [ "$status" -ne 0 ]
}

@test "limactl create failing: Created is False/CreateFailed with its message" {
    echo "failed to download the image: 404 Not Found" >"$RDD_LIMA_HOME/.fake/fail-create"
    run rdd start --timeout 5s
    echo "$output"
    [ "$status" -eq 4 ]
    [[ "$output" == *"Created=False: limactl create failed: failed to download the image: 404 Not Found (CreateFailed)"* ]]
    [ "$(app_condition Created)" = "False/CreateFailed: limactl create failed: failed to download the image: 404 Not Found" ]
    [ "$(limavm_json 'status.conditions[Created].reason')" = CreateFailed ]
    [ "$(app_json 'status.conditions[Settled].status')" = False ]
    [ ! -e "$RDD_LIMA_HOME/rd" ]

    # a new wish tries again at once
    rm "$RDD_LIMA_HOME/.fake/fail-create"
    run rdd stop --timeout 30s
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(app_condition Created)" = "True/Created: Lima instance created successfully" ]
    running_is False Stopped
    [ -f "$RDD_LIMA_HOME/rd/lima.yaml" ]
}

@test "the daemon stops cleanly and logged no errors" {
    app_daemon_stop_clean
}
