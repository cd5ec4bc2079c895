#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The HTTP API's listeners, authentication, health, version and discovery.

load helpers

setup_file() {
    rdd_daemon_start --no-persist
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
}

teardown_file() {
    rdd_daemon_stop
}

@test "the unix socket is private to its owner and needs no token" {
    run stat -c %a "$RDD_SOCKET"
    [ "$output" = 600 ]
    run api GET /api/v1/namespaces/default
    [ "${lines[-1]}" = 200 ]
    [[ "$output" == *'"name":"default"'* ]]
}

@test "the kubeconfig is private and names the instance" {
    run stat -c %a "$KUBECONFIG"
    [ "$output" = 600 ]
    run kubectl config current-context
    [ "$output" = "rancher-desktop-$RDD_INSTANCE" ]
}

@test "HTTPS without a token gets 401 and no data" {
    run curl -sk -w '\n%{http_code}' "$(rdd_server_url)/api/v1/namespaces"
    [ "${lines[-1]}" = 401 ]
    [[ "$output" == *'"reason":"Unauthorized"'* ]]
    [[ "$output" != *'"items"'* ]]
}

@test "HTTPS with a wrong token gets 401" {
    run curl -sk -H "Authorization: Bearer $(rdd_token)x" -w '\n%{http_code}' "$(rdd_server_url)/api/v1/namespaces"
    [ "${lines[-1]}" = 401 ]
    run curl -sk -H "Authorization: Bearer ${RANDOM}" -w '\n%{http_code}' "$(rdd_server_url)/healthz"
    [ "${lines[-1]}" = 401 ]
}

@test "HTTPS with the token and the instance CA works" {
    ca=$(rdd_ca_file)
    run curl -s --cacert "$ca" -H "Authorization: Bearer $(rdd_token)" -w '\n%{http_code}' "$(rdd_server_url)/version"
    [ "${lines[-1]}" = 200 ]
    [[ "$output" == *'"major":"1"'* ]]
}

@test "connections stay open across requests, over HTTPS and the unix socket" {
    # one curl, two URLs: the second request must reuse the first one's connection
    ca=$(rdd_ca_file)
    run curl -sv --cacert "$ca" -H "Authorization: Bearer $(rdd_token)" \
        "$(rdd_server_url)/healthz" "$(rdd_server_url)/version"
    [[ "$output" == *"Re-using existing connection"* ]]
    [[ "$output" == *'"major":"1"'* ]]
    run curl -sv --unix-socket "$RDD_SOCKET" http://localhost/healthz http://localhost/version
    [[ "$output" == *"Re-using existing connection"* ]]
    [[ "$output" == *'"major":"1"'* ]]
}

@test "kubectl get --raw /healthz, /livez and /readyz" {
    run kubectl get --raw /healthz
    [ "$status" -eq 0 ]
    [ "$output" = ok ]
    run kubectl get --raw /livez
    [ "$output" = ok ]
    run kubectl get --raw /readyz
    [ "$output" = ok ]
}

@test "kubectl api-resources lists core and plugin kinds with scope and short names" {
    run kubectl api-resources
    [ "$status" -eq 0 ]
    [[ "$output" =~ configmaps[[:space:]]+cm[[:space:]]+v1[[:space:]]+true[[:space:]]+ConfigMap ]]
    [[ "$output" =~ namespaces[[:space:]]+ns[[:space:]]+v1[[:space:]]+false[[:space:]]+Namespace ]]
    [[ "$output" =~ demos[[:space:]]+app.rancherdesktop.io/v1alpha1[[:space:]]+false[[:space:]]+Demo ]]
}

@test "discovery documents" {
    run api GET /api
    [[ "$output" == *'"versions":["v1"]'* ]]
    run api GET /apis
    [[ "$output" == *'"name":"app.rancherdesktop.io"'* ]]
    run api GET /apis/app.rancherdesktop.io/v1alpha1
    [[ "$output" == *'"name":"demos/status"'* ]]
    run api GET /apis/nothing.example.com/v1
    [ "${lines[-1]}" = 404 ]
}

@test "system namespaces exist" {
    run kubectl get namespaces -o name
    [[ "$output" == *namespace/default* ]]
    [[ "$output" == *namespace/kube-system* ]]
    [[ "$output" == *namespace/rdd-system* ]]
}
