#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# Every admission and validation rule of the App and the LimaVM, with its exact message: through
# `rdd set` (a refusal by the API exits 3, a bad command line 2) and through kubectl (`rdd ctl`)
# for what `rdd set` cannot express. The App runs in host mode and stays stopped, so no limactl
# and no Docker engine are needed.

load app-helpers

setup_file() {
    app_instance_setup val
    app_svc_start
    # an App to validate changes against; host mode, stopped: nothing runs
    rdd set vm.type=host running=false --timeout 60s 3>&-
    rdd ctl create namespace other 3>&-
    rdd ctl -n other create configmap tpl --from-literal=template='images: [{location: /tmp/x.img}]' 3>&-
}

teardown_file() {
    app_instance_teardown
}

# the output with logfmt's escaped quotes undone, so messages compare as the daemon wrote them
plain() {
    echo "${output//\\\"/\"}"
}

# the App's spec as JSON, to show that a refused write changed nothing
app_spec() {
    app_json spec
}

# rdd_set_refused EXIT MESSAGE ARGS...: rdd set exits with EXIT, prints MESSAGE, changes nothing
rdd_set_refused() {
    local code=$1 message=$2 before
    shift 2
    before=$(app_spec)
    run rdd set "$@" --timeout 10s
    echo "rdd set $*: exit $status"
    plain
    [ "$status" -eq "$code" ]
    [[ "$(plain)" == *"$message"* ]]
    [ "$(app_spec)" = "$before" ]
}

# kubectl_refused MESSAGE ARGS...: `rdd ctl ARGS` fails with MESSAGE
kubectl_refused() {
    local message=$1
    shift
    run rdd ctl "$@"
    echo "rdd ctl $*: exit $status"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$message"* ]]
}

# limavm_yaml NAME NAMESPACE TEMPLATE-CM [VMTYPE]
limavm_yaml() {
    cat <<EOF
apiVersion: lima.rancherdesktop.io/v1alpha1
kind: LimaVM
metadata:
  name: $1
  namespace: $2
spec:
  templateRef:
    name: $3
  running: false
  vmType: ${4:-lima}
EOF
}

# template_cm_yaml NAME TEMPLATE-TEXT: a ConfigMap with the template-configmap label
template_cm_yaml() {
    local text
    text=$(printf '%s\n' "$2" | sed 's/^/    /')
    cat <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $1
  namespace: other
  labels:
    lima.rancherdesktop.io/template-configmap: "true"
data:
  template: |
$text
EOF
}

# the lima controller has seen vm3
vm3_reconciled() {
    [ "$(rdd ctl -n other get limavm vm3 -o 'jsonpath={.status.templateConfigMap}')" = vm3-template ]
}

# --- App: rdd set, refused by the API with exit 3

@test "kubernetes without enabled is refused: enabled is required within kubernetes" {
    [ "$(app_json spec.kubernetes)" = "" ]
    rdd_set_refused 3 'spec.kubernetes.enabled: Required value' kubernetes.version=1.34.6
}

@test "an unsupported Kubernetes version is refused (exit 3)" {
    rdd_set_refused 3 \
        'admission hook "app-validator" denied the request: spec.kubernetes.version "1.99.0" is not supported; see the bundled k3s-versions.json for valid versions' \
        kubernetes.enabled=true kubernetes.version=1.99.0
    # also while Kubernetes is disabled
    rdd_set_refused 3 'spec.kubernetes.version "1.99.0" is not supported' \
        kubernetes.enabled=false kubernetes.version=1.99.0
    # and a channel that does not exist
    rdd_set_refused 3 'spec.kubernetes.version "v1.20" is not supported' \
        kubernetes.enabled=true kubernetes.version=v1.20
}

@test "v1.34.6 is refused: versions are compared exactly, as the reference does" {
    rdd_set_refused 3 \
        'spec.kubernetes.version "v1.34.6" is not supported; see the bundled k3s-versions.json for valid versions' \
        kubernetes.enabled=true kubernetes.version=v1.34.6
    rdd_set_refused 3 'spec.kubernetes.version "1.34.6+k3s1" is not supported' \
        kubernetes.enabled=true kubernetes.version=1.34.6+k3s1
}

@test "enabled without a version resolves to the stable channel, 1.34.6" {
    run rdd set kubernetes.enabled=true --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(app_json spec.kubernetes.enabled)" = true ]
    [ "$(app_json spec.kubernetes.version)" = 1.34.6 ]
    # enabling Kubernetes reserves its port
    [ "$(app_json status.kubernetesPort)" -gt 0 ]
}

@test "channels resolve to their versions: v1.33 -> 1.33.10, latest -> 1.35.3, stable, v1.32" {
    local channel want
    for pair in v1.33=1.33.10 latest=1.35.3 stable=1.34.6 v1.32=1.32.13 1.33=1.33.10 1.32.4=1.32.4; do
        channel=${pair%%=*}
        want=${pair#*=}
        run rdd set "kubernetes.version=$channel" --timeout 60s
        echo "$channel: exit $status"
        [ "$status" -eq 0 ]
        [ "$(app_json spec.kubernetes.version)" = "$want" ]
    done
}

@test "a dry run resolves and validates without writing" {
    local before
    before=$(app_spec)
    run rdd set kubernetes.version=latest --dry-run --json
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(rdd set kubernetes.version=latest --dry-run --json 2>/dev/null | json_path spec.kubernetes.version)" = 1.35.3 ]
    [ "$(app_spec)" = "$before" ]
    rdd_set_refused 3 'spec.kubernetes.version "1.99.0" is not supported' \
        kubernetes.version=1.99.0 --dry-run
}

@test "Kubernetes disabled: a channel is still resolved, an empty version stays empty" {
    run rdd set kubernetes.enabled=false kubernetes.version=v1.33 --timeout 60s
    [ "$status" -eq 0 ]
    [ "$(app_json spec.kubernetes.version)" = 1.33.10 ]
    [ "$(app_json status.kubernetesPort)" = 0 ]
    run rdd set kubernetes.version= --timeout 60s
    [ "$status" -eq 0 ]
    [ "$(app_json spec.kubernetes.enabled)" = false ]
    [ "$(app_json spec.kubernetes.version)" = "" ]
}

@test "enabled with an empty version is defaulted, so it is never stored empty" {
    # the rule "must not be empty when enabled" stands behind the defaulter, which always fills
    # in the stable channel first (as in the reference); through the API the result is 1.34.6
    run rdd ctl patch app app --type merge -p '{"spec":{"kubernetes":{"enabled":true,"version":""}}}'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(app_json spec.kubernetes.version)" = 1.34.6 ]
    run rdd set kubernetes.enabled=false --timeout 60s
    [ "$status" -eq 0 ]
}

@test "schema limits enforced by the API exit 3: vm.cpus, vm.memory" {
    rdd_set_refused 3 'spec.vm.cpus: Invalid value: 0: spec.vm.cpus in body should be greater than or equal to 1' \
        vm.cpus=0
    rdd_set_refused 3 'spec.vm.cpus in body should be less than or equal to 512' vm.cpus=513
    rdd_set_refused 3 "spec.vm.memory: Invalid value: \"lots\": spec.vm.memory in body should match" \
        vm.memory=lots
}

# --- App: rdd set, refused on the command line with exit 2

@test "an invalid enum value: rdd set exits 2 naming the valid values" {
    rdd_set_refused 2 'containerEngine.name: invalid value "podman" for "containerEngine.name": valid values: moby, containerd' \
        containerEngine.name=podman
    rdd_set_refused 2 'vm.type: invalid value "qemu" for "vm.type": valid values: lima, host' \
        vm.type=qemu
}

@test "rdd set namespace=x is refused with exit 2" {
    rdd_set_refused 2 "namespace: the App's namespace cannot be set" namespace=x
    [ "$(app_json spec.namespace)" = default ]
}

@test "bad properties and values: exit 2 with the reference's wording" {
    rdd_set_refused 2 'bogus: unknown property "bogus"; valid properties: containerEngine.name, kubernetes.enabled, kubernetes.version, running, vm.cpus, vm.hostDockerSocket, vm.memory, vm.type' \
        bogus=1
    rdd_set_refused 2 'kubernetes.bogus: unknown property "bogus" under "kubernetes"' kubernetes.bogus=1
    rdd_set_refused 2 '"kubernetes" is an object; set its fields, e.g. "kubernetes.enabled"' kubernetes=1
    rdd_set_refused 2 '"running" is not an object and has no sub-properties' running.x=1
    rdd_set_refused 2 'running: expected boolean; use "true" or "false"' running=maybe
    rdd_set_refused 2 'vm.cpus: expected integer' vm.cpus=two
    rdd_set_refused 2 'invalid argument "running": expected PROPERTY=VALUE format' running
    rdd_set_refused 2 'invalid argument "=true": property name must not be empty' =true
}

# --- App: through kubectl

@test "an App with another name is refused" {
    kubectl_refused "App resource must be named 'app'" create -f - <<EOF
apiVersion: app.rancherdesktop.io/v1alpha1
kind: App
metadata:
  name: other
spec:
  running: false
EOF
    run rdd ctl get app other
    [ "$status" -ne 0 ]
}

@test "spec.namespace is immutable" {
    kubectl_refused 'spec.namespace: Invalid value: "string": spec.namespace is immutable' \
        patch app app --type merge -p '{"spec":{"namespace":"x"}}'
    [ "$(app_json spec.namespace)" = default ]
}

@test "the API refuses what the CRD forbids: enum values, a missing running" {
    kubectl_refused 'spec.containerEngine.name: Unsupported value: "podman": supported values: "moby", "containerd"' \
        patch app app --type merge -p '{"spec":{"containerEngine":{"name":"podman"}}}'
    kubectl_refused 'spec.vm.type: Unsupported value: "qemu": supported values: "lima", "host"' \
        patch app app --type merge -p '{"spec":{"vm":{"type":"qemu"}}}'
    kubectl_refused 'spec.running: Required value' \
        patch app app --type merge -p '{"spec":{"running":null}}'
    kubectl_refused 'spec.kubernetes.enabled: Required value' \
        patch app app --type merge -p '{"spec":{"kubernetes":{"enabled":null}}}'
}

@test "the App's defaults: moby, namespace default, host mode as asked, its VM created" {
    [ "$(app_json spec.containerEngine.name)" = moby ]
    [ "$(app_json spec.namespace)" = default ]
    [ "$(app_json spec.vm.type)" = host ]
    [ "$(app_json spec.vm.cpus)" = 2 ]
    [ "$(app_json spec.vm.memory)" = 6GiB ]
    [ "$(limavm_json spec.vmType)" = host ]
    [ "$(limavm_json spec.templateRef)" = '{"name": "rd", "namespace": "default"}' ]
}

# --- LimaVM

@test "LimaVM names are unique across namespaces" {
    kubectl_refused 'LimaVM name "rd" is already used in namespace "default"; LimaVM names must be unique across all namespaces' \
        create -f - < <(limavm_yaml rd other tpl host)
    run rdd ctl -n other get limavm rd
    [ "$status" -ne 0 ]
    # and no template copy was left behind
    run rdd ctl -n other get configmap rd-template
    [ "$status" -ne 0 ]
}

@test "a LimaVM whose template ConfigMap is missing is refused" {
    kubectl_refused 'failed to fetch template data: failed to get templateRef ConfigMap "missing" in namespace "other"' \
        create -f - < <(limavm_yaml vm1 other missing)
    run rdd ctl -n other get limavm vm1
    [ "$status" -ne 0 ]
}

@test "a LimaVM whose template fails the checks is refused, and no copy is left" {
    rdd ctl -n other create configmap noimages --from-literal=template='cpus: 2'
    # shellcheck disable=SC2016 # backquotes are part of the message
    kubectl_refused 'failed to create template ConfigMap: admission hook "limavm-configmap-validator" denied the request: failed to validate template: field `images` must be set to a list of images with a `location`' \
        create -f - < <(limavm_yaml vm2 other noimages)
    run rdd ctl -n other get configmap vm2-template
    [ "$status" -ne 0 ]
}

@test "a LimaVM is created with its template copy, labelled and owned" {
    run rdd ctl create -f - < <(limavm_yaml vm3 other tpl host)
    echo "$output"
    [ "$status" -eq 0 ]
    run rdd ctl -n other get limavm vm3 -o 'jsonpath={.metadata.finalizers}'
    [[ "$output" == *"rdd.rancherdesktop.io/cleanup"* ]]
    run rdd ctl -n other get configmap vm3-template -o 'jsonpath={.metadata.labels.lima\.rancherdesktop\.io/template-configmap} {.metadata.finalizers[0]} {.data.template}'
    echo "$output"
    [ "$output" = "true rdd.rancherdesktop.io/owned-by-LimaVM images: [{location: /tmp/x.img}]" ]
    wait_for 10 vm3_reconciled
}

@test "templateRef is immutable" {
    kubectl_refused 'spec.templateRef: Invalid value: "object": templateRef is immutable' \
        -n other patch limavm vm3 --type merge -p '{"spec":{"templateRef":{"name":"noimages"}}}'
}

@test "template ConfigMaps are checked on create" {
    local name=0 text message
    while IFS='|' read -r text message; do
        name=$((name + 1))
        kubectl_refused "admission hook \"limavm-configmap-validator\" denied the request: $message" \
            create -f - < <(template_cm_yaml "bad$name" "$(printf '%b' "$text")")
    done <<'EOF'
|"template" data cannot be empty
a: [b|failed to parse template: 
- a\n- b|failed to validate template: the template must be a mapping, not a list
cpus: 2|failed to validate template: field `images` must be set to a list of images with a `location`
images: []|failed to validate template: field `images` must list at least one image
images: [{location: ""}]|failed to validate template: field `images[0].location` must be a non-empty string
images: [{location: /x, arch: sparc}]|failed to validate template: field `images[0].arch` must be one of
images: [{location: /x}]\ncpus: 0|failed to validate template: field `cpus` must be between 1 and 1024, not 0
images: [{location: /x}]\nmemory: lots|failed to validate template: field `memory`: "lots" is not a size such as 6GiB
EOF
    kubectl_refused 'template ConfigMap must have a "template" data entry' create -f - <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: nokey
  namespace: other
  labels:
    lima.rancherdesktop.io/template-configmap: "true"
data:
  other: x
EOF
    run rdd ctl -n other get configmaps -o name
    [[ "$output" != *bad* ]]
    [[ "$output" != *nokey* ]]
    # a good one passes
    run rdd ctl create -f - < <(template_cm_yaml good $'images: [{location: /x}]\ncpus: 4\nmemory: 4GiB')
    [ "$status" -eq 0 ]
}

@test "template ConfigMaps are checked on update" {
    kubectl_refused '"template" data cannot be empty' \
        -n other patch configmap vm3-template --type merge -p '{"data":{"template":""}}'
    kubectl_refused 'template ConfigMap must have a "template" data entry' \
        -n other patch configmap vm3-template --type json -p '[{"op":"remove","path":"/data/template"}]'
    # shellcheck disable=SC2016 # backquotes are part of the message
    kubectl_refused 'failed to validate template: field `cpus` must be between 1 and 1024, not 0' \
        -n other patch configmap good --type merge -p '{"data":{"template":"images: [{location: /x}]\ncpus: 0"}}'
    # labelling a ConfigMap makes it a template: it is checked
    rdd ctl -n other create configmap plain --from-literal=x=y
    kubectl_refused 'template ConfigMap must have a "template" data entry' \
        -n other label configmap plain lima.rancherdesktop.io/template-configmap=true
}

@test "an owned template copy keeps its label" {
    kubectl_refused 'cannot remove lima.rancherdesktop.io/template-configmap label: resource is owned' \
        -n other label configmap vm3-template lima.rancherdesktop.io/template-configmap-
    kubectl_refused 'cannot remove lima.rancherdesktop.io/template-configmap label: resource is owned' \
        -n other label --overwrite configmap vm3-template lima.rancherdesktop.io/template-configmap=false
    # an unowned one may lose it
    run rdd ctl -n other label configmap good lima.rancherdesktop.io/template-configmap-
    [ "$status" -eq 0 ]
}

@test "owned objects cannot be deleted on their own" {
    kubectl_refused 'admission hook "limavm-validator" denied the request: cannot delete "rd": owned by App; delete the App resource instead' \
        delete limavm rd
    kubectl_refused 'admission hook "limavm-configmap-validator" denied the request: cannot delete "rd-template": owned by LimaVM; delete the LimaVM resource instead' \
        delete configmap rd-template
    kubectl_refused 'cannot delete "vm3-template": owned by LimaVM; delete the LimaVM resource instead' \
        -n other delete configmap vm3-template
    run rdd ctl get limavm rd
    [ "$status" -eq 0 ]
}

@test "deleting a LimaVM deletes its template copy" {
    run rdd ctl -n other delete limavm vm3 --timeout 30s
    echo "$output"
    [ "$status" -eq 0 ]
    run rdd ctl -n other get limavm vm3
    [ "$status" -ne 0 ]
    wait_for 10 bash -c '! rdd ctl -n other get configmap vm3-template >/dev/null 2>&1'
}

@test "deleting the App is allowed and takes its LimaVM and template copy along" {
    run rdd ctl delete app app --timeout 60s
    echo "$output"
    [ "$status" -eq 0 ]
    run rdd ctl get limavm rd
    [ "$status" -ne 0 ]
    run rdd ctl get configmap rd-template
    [ "$status" -ne 0 ]
    run rdd ctl get app app
    [ "$status" -ne 0 ]
}

# the LimaVM of an App in its own namespace is there
custom_vm_ready() {
    [ "$(limavm_json 'status.conditions[Running].reason' custom)" = Stopped ] &&
        app_condition_is Settled True Settled
}

@test "an App in its own namespace creates it, owns it, and removes it when deleted" {
    run rdd ctl create -f - <<'EOF2'
apiVersion: app.rancherdesktop.io/v1alpha1
kind: App
metadata:
  name: app
spec:
  running: false
  namespace: custom
  vm:
    type: host
EOF2
    echo "$output"
    [ "$status" -eq 0 ]
    wait_for 10 custom_vm_ready
    run rdd ctl get namespace custom -o 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'
    [ "$output" = App/app ]
    run rdd ctl -n custom get configmap rd-template -o name
    [ "$output" = configmap/rd-template ]
    # rdd set works on it, and still cannot move it
    run rdd set containerEngine.name=containerd --timeout 30s
    [ "$status" -eq 0 ]
    rdd_set_refused 2 "namespace: the App's namespace cannot be set" namespace=default
    kubectl_refused 'spec.namespace is immutable' patch app app --type merge -p '{"spec":{"namespace":"default"}}'

    run rdd ctl delete app app --timeout 60s
    [ "$status" -eq 0 ]
    run rdd ctl get limavms -A -o name
    [ "$output" = "" ]
    wait_for 10 bash -c '! rdd ctl get namespace custom >/dev/null 2>&1'
    # a namespace the App did not create stays
    rdd ctl get namespace other
}

@test "the daemon stops cleanly and logged no errors" {
    app_daemon_stop_clean
}
