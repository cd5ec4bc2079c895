#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# Host mode end to end, through the real CLI: the App uses the Docker engine of the host (here a
# private dockerd this file starts itself) instead of a VM. The instance's docker socket links to
# the engine; the Running condition follows the engine as it goes and comes back.
# Without root or without docker.io every test reports itself skipped, with the reason.

load app-helpers
load dockerd

setup_file() {
    dockerd_start
    if [ -z "${DOCKERD_SKIP_REASON:-}" ]; then
        app_instance_setup host
        app_svc_start
    fi
}

setup() {
    dockerd_require
}

teardown_file() {
    app_instance_teardown
    dockerd_cleanup
}

# the Running condition of the App and of its LimaVM agree
running_is() {
    app_condition_is Running "$1" "$2" && limavm_condition_is Running "$1" "$2"
}

@test "rdd set vm.type=host with the private socket and running=true settles" {
    run rdd set vm.type=host "vm.hostDockerSocket=$DOCKERD_SOCKET" running=true --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Settled=True: App has reached the desired state (Settled)"* ]]
    [ "$(app_json spec.vm.type)" = host ]
    [ "$(app_json spec.vm.hostDockerSocket)" = "$DOCKERD_SOCKET" ]
    # Settled is True at the generation rdd set wrote
    [ "$(app_json 'status.conditions[Settled].status')" = True ]
    [ "$(app_json 'status.conditions[Settled].observedGeneration')" = "$(app_json metadata.generation)" ]
    running_is True Started
    [[ "$(app_json 'status.conditions[Running].message')" == *"$DOCKERD_SOCKET"* ]]
    [ "$(app_json 'status.conditions[Created].reason')" = Created ]
    # the LimaVM carries the host mode over, and needs no limactl
    [ "$(limavm_json spec.vmType)" = host ]
    [ "$(limavm_json spec.hostDockerSocket)" = "$DOCKERD_SOCKET" ]
    [ "$(limavm_json spec.running)" = true ]
    [ "$(limavm_json status.restartCount)" = 1 ]
    [ ! -e "$RDD_LIMA_HOME/.fake/calls.log" ]
}

@test "the instance's docker socket reaches the private dockerd" {
    local sock
    sock=$(rdd svc paths docker_socket)
    [ "$sock" = "$RDD_SHORT_DIR/docker.sock" ]
    [ -S "$sock" ] || [ -L "$sock" ]
    [ "$(readlink -f "$sock")" = "$(readlink -f "$DOCKERD_SOCKET")" ]
    run curl -s --max-time 5 --unix-socket "$sock" http://x/_ping
    [ "$status" -eq 0 ]
    [ "$output" = OK ]
    # the engine behind it is ours: its root is the private data root
    run curl -s --max-time 5 --unix-socket "$sock" http://x/info
    [[ "$output" == *"\"DockerRootDir\":\"$DOCKERD_DIR/data\""* ]]
    if command -v docker >/dev/null 2>&1; then
        run docker -H "unix://$sock" info --format '{{.DockerRootDir}}'
        echo "$output"
        [ "$status" -eq 0 ]
        [ "$output" = "$DOCKERD_DIR/data" ]
    fi
}

@test "dockerd killed: within seconds Running is False/EngineUnreachable naming the socket" {
    local start=$SECONDS
    dockerd_stop KILL
    run dockerd_ping
    [ "$status" -ne 0 ]
    wait_for 15 running_is False EngineUnreachable
    echo "noticed after $((SECONDS - start)) s"
    [ $((SECONDS - start)) -le 10 ]
    run app_json 'status.conditions[Running].message'
    echo "$output"
    [[ "$output" == *"the Docker engine at $DOCKERD_SOCKET does not answer"* ]]
    # Settled forwards the reason: the App is not where it should be
    app_condition_is Settled False EngineUnreachable
    [ "$(app_json 'status.conditions[Settled].observedGeneration')" = "$(app_json metadata.generation)" ]
    # the wish is unchanged
    [ "$(app_json spec.running)" = true ]
}

@test "dockerd back: Running is True/Started again and the socket answers" {
    local before
    before=$(limavm_json status.restartCount)
    dockerd_restart
    wait_for 15 running_is True Started
    wait_for 5 app_condition_is Settled True Settled
    [ "$(limavm_json status.restartCount)" -gt "$before" ]
    run curl -s --max-time 5 --unix-socket "$(rdd svc paths docker_socket)" http://x/_ping
    [ "$output" = OK ]
}

@test "rdd set containerEngine.name=containerd settles" {
    local generation
    generation=$(app_json metadata.generation)
    run rdd set containerEngine.name=containerd --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(app_json spec.containerEngine.name)" = containerd ]
    [ "$(app_json metadata.generation)" -gt "$generation" ]
    [ "$(app_json 'status.conditions[Settled].status')" = True ]
    [ "$(app_json 'status.conditions[Settled].observedGeneration')" = "$(app_json metadata.generation)" ]
    # the template copy carries the new engine, and host mode applied it at once
    run rdd ctl get configmap rd-template -o 'jsonpath={.data.template}'
    [[ "$output" == *"CONTAINER_ENGINE: containerd"* ]]
    [ "$(limavm_json status.observedTemplateResourceVersion)" = \
        "$(rdd ctl get configmap rd-template -o 'jsonpath={.metadata.resourceVersion}')" ]
    running_is True Started
}

@test "rdd stop settles with Running False/Stopped and unlinks the socket" {
    run rdd stop --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Settled=True"* ]]
    running_is False Stopped
    [ "$(app_json spec.running)" = false ]
    [ "$(limavm_json spec.running)" = false ]
    [ "$(app_json 'status.conditions[Settled].observedGeneration')" = "$(app_json metadata.generation)" ]
    [ ! -e "$RDD_SHORT_DIR/docker.sock" ]
    [ ! -L "$RDD_SHORT_DIR/docker.sock" ]
    # the host's engine itself is not touched
    dockerd_ping
}

@test "rdd stop again exits 0 at once without a new generation" {
    local generation start=$SECONDS
    generation=$(app_json metadata.generation)
    run rdd stop --timeout 60s
    [ "$status" -eq 0 ]
    [ $((SECONDS - start)) -le 3 ]
    [ "$(app_json metadata.generation)" = "$generation" ]
    running_is False Stopped
}

@test "rdd start links the socket again" {
    run rdd start --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    running_is True Started
    run curl -s --max-time 5 --unix-socket "$(rdd svc paths docker_socket)" http://x/_ping
    [ "$output" = OK ]
}

@test "a socket nobody answers on: EngineUnreachable, and rdd set runs into its deadline" {
    local missing="$RDD_TEST_TMP/nothing/docker.sock"
    run rdd set "vm.hostDockerSocket=$missing" --timeout 5s
    echo "$output"
    [ "$status" -eq 4 ]
    [[ "$output" == *"timed out waiting for App state"* ]]
    [[ "$output" == *"the Docker engine at $missing does not answer"* ]]
    running_is False EngineUnreachable
    [ "$(limavm_json spec.hostDockerSocket)" = "$missing" ]
    # back to the private engine
    run rdd set "vm.hostDockerSocket=$DOCKERD_SOCKET" --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    running_is True Started
    [ "$(readlink -f "$RDD_SHORT_DIR/docker.sock")" = "$(readlink -f "$DOCKERD_SOCKET")" ]
}

@test "deleting the running App unlinks the socket and removes its LimaVM" {
    [ -L "$RDD_SHORT_DIR/docker.sock" ]
    run rdd ctl delete app app --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    run rdd ctl get limavms -A -o name
    [ "$output" = "" ]
    run rdd ctl get configmap rd-template
    [ "$status" -ne 0 ]
    [ ! -L "$RDD_SHORT_DIR/docker.sock" ]
    [ ! -e "$RDD_SHORT_DIR/docker.sock" ]
    # the host's engine is not touched
    dockerd_ping
}

@test "the daemon stops cleanly and logged no errors" {
    app_daemon_stop_clean
}
