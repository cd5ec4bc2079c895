#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The OpenAPI documents (/openapi/v2, /openapi/v3) as the real kubectl uses them: explain reads
# the v3 documents, create and apply find fieldValidation in them and leave validation to the
# server; none of it may print an OpenAPI error or warning.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
    require_command kubectl
    require_command jq
    rdd_daemon_start --no-persist
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
}

teardown_file() {
    rdd_daemon_stop
}

# no line of kubectl's stderr may mention OpenAPI
no_openapi_noise() {
    if grep -i -E 'openapi|swagger' <<<"$1"; then
        echo "kubectl complained about the OpenAPI documents: $1" >&2
        return 1
    fi
}

# header NAME FILE: the value of a response header in a curl -D dump
header() {
    tr -d '\r' <"$2" | awk -v name="$1" 'BEGIN { IGNORECASE = 1 } tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*: */, ""); print }'
}

@test "the v3 index names a document per group-version, with its hash" {
    run curl -sf --unix-socket "$RDD_SOCKET" http://localhost/openapi/v3
    [ "$status" -eq 0 ]
    [[ "$(jq -r '.paths["api/v1"].serverRelativeURL' <<<"$output")" =~ ^/openapi/v3/api/v1\?hash=[0-9A-F]{128}$ ]]
    [[ "$(jq -r '.paths["apis/app.rancherdesktop.io/v1alpha1"].serverRelativeURL' <<<"$output")" =~ ^/openapi/v3/apis/app.rancherdesktop.io/v1alpha1\?hash=[0-9A-F]{128}$ ]]
}

@test "a v3 document with its hash is immutable; its ETag gives 304" {
    local url hash dump="$BATS_TEST_TMPDIR/headers"
    url=$(curl -sf --unix-socket "$RDD_SOCKET" http://localhost/openapi/v3 |
        jq -r '.paths["apis/app.rancherdesktop.io/v1alpha1"].serverRelativeURL')
    hash=${url#*hash=}
    run curl -sf --unix-socket "$RDD_SOCKET" -D "$dump" "http://localhost$url"
    [ "$status" -eq 0 ]
    [ "$(jq -r .openapi <<<"$output")" = 3.0.0 ]
    [ "$(jq -r '.components.schemas["io.rancherdesktop.app.v1alpha1.Demo"]["x-kubernetes-group-version-kind"][0].kind' <<<"$output")" = Demo ]
    [ "$(header Cache-Control "$dump")" = "public, immutable" ]
    [ "$(header ETag "$dump")" = "\"$hash\"" ]
    # the same document, asked for with its ETag
    run curl -s --unix-socket "$RDD_SOCKET" -o /dev/null -w '%{http_code}' \
        -H "If-None-Match: \"$hash\"" "http://localhost$url"
    [ "$output" = 304 ]
    # a stale hash still gets the document, without the promise
    run curl -sf --unix-socket "$RDD_SOCKET" -D "$dump" -o /dev/null \
        "http://localhost/openapi/v3/apis/app.rancherdesktop.io/v1alpha1?hash=0"
    [ "$status" -eq 0 ]
    [ -z "$(header Cache-Control "$dump")" ]
}

@test "/openapi/v2 is Swagger 2.0 with Kubernetes definition names" {
    run curl -sf --unix-socket "$RDD_SOCKET" http://localhost/openapi/v2
    [ "$status" -eq 0 ]
    [ "$(jq -r .swagger <<<"$output")" = 2.0 ]
    [ "$(jq -r '.definitions["io.k8s.api.core.v1.ConfigMap"]["x-kubernetes-group-version-kind"][0].kind' <<<"$output")" = ConfigMap ]
    [ "$(jq -r '.definitions["io.rancherdesktop.app.v1alpha1.Demo"].properties.metadata["$ref"]' <<<"$output")" = \
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" ]
    [ "$(jq -r '.definitions["io.rancherdesktop.app.v1alpha1.DemoList"].properties.items.items["$ref"]' <<<"$output")" = \
        "#/definitions/io.rancherdesktop.app.v1alpha1.Demo" ]
    [ "$(jq -r '.paths["/apis/app.rancherdesktop.io/v1alpha1/demos/{name}"].patch["x-kubernetes-action"]' <<<"$output")" = patch ]
    # v2 has no nullable
    [ "$(jq '[.. | objects | select(has("nullable"))] | length' <<<"$output")" = 0 ]
}

@test "kubectl explain demos and demos.spec" {
    run --separate-stderr kubectl explain demos
    [ "$status" -eq 0 ]
    no_openapi_noise "$stderr"
    [[ "$output" =~ KIND:[[:space:]]+Demo ]]
    [[ "$output" == *"Demo is a singleton that shows how a controller processes work"* ]]
    [[ "$output" =~ metadata[[:space:]]+\<ObjectMeta\> ]]
    [[ "$output" =~ spec[[:space:]]+\<Object\> ]]
    [[ "$output" == *"DemoSpec is the desired state of the Demo."* ]]
    run --separate-stderr kubectl explain demos.spec
    [ "$status" -eq 0 ]
    no_openapi_noise "$stderr"
    [[ "$output" =~ count[[:space:]]+\<integer\> ]]
    [[ "$output" =~ message[[:space:]]+\<string\> ]]
    [[ "$output" == *"Message is the text to process."* ]]
}

@test "kubectl explain configmap.data and namespaces --recursive" {
    run --separate-stderr kubectl explain configmap.data
    [ "$status" -eq 0 ]
    no_openapi_noise "$stderr"
    [[ "$output" =~ FIELD:[[:space:]]+data[[:space:]]+\<map\[string\]string\> ]]
    [[ "$output" == *"Data contains the configuration data."* ]]
    run --separate-stderr kubectl explain namespaces --recursive
    [ "$status" -eq 0 ]
    no_openapi_noise "$stderr"
    [[ "$output" == *"Namespace provides a scope for names."* ]]
    [[ "$output" =~ finalizers[[:space:]]+\<\[\]string\> ]]
    [[ "$output" =~ phase[[:space:]]+\<string\> ]]
    [[ "$output" =~ ownerReferences[[:space:]]+\<\[\]OwnerReference\> ]]
    [[ "$output" == *"enum: Active, Terminating"* ]]
}

@test "kubectl create --validate=strict reports unknown fields and accepts valid objects" {
    run --separate-stderr kubectl create --validate=strict -f - <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: strict-bad
  namespace: default
data:
  a: b
bogus: 1
EOF
    [ "$status" -ne 0 ]
    no_openapi_noise "$stderr"
    [[ "$stderr" == *'unknown field "bogus"'* ]]
    run --separate-stderr kubectl create --validate=strict -f - <<'EOF'
apiVersion: app.rancherdesktop.io/v1alpha1
kind: Demo
metadata:
  name: demo
spec:
  message: hi
  bogus: x
EOF
    [ "$status" -ne 0 ]
    no_openapi_noise "$stderr"
    [[ "$stderr" == *'unknown field "spec.bogus"'* ]]
    run --separate-stderr kubectl create --validate=strict -f - <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: strict-good
  namespace: default
data:
  a: b
EOF
    [ "$status" -eq 0 ]
    no_openapi_noise "$stderr"
    [ "$output" = "configmap/strict-good created" ]
}

@test "kubectl apply: create then update, core and custom kinds, without OpenAPI noise" {
    local cm="$BATS_TEST_TMPDIR/cm.yaml" demo="$BATS_TEST_TMPDIR/demo.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  a: "1"\n' >"$cm"
    run --separate-stderr kubectl apply -f "$cm"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$output" = "configmap/applied created" ]
    sed -i 's/"1"/"2"/' "$cm"
    run --separate-stderr kubectl apply -f "$cm"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$output" = "configmap/applied configured" ]
    [ "$(kubectl get cm applied -o 'jsonpath={.data.a}')" = 2 ]
    printf 'apiVersion: app.rancherdesktop.io/v1alpha1\nkind: Demo\nmetadata:\n  name: demo\nspec:\n  message: one\n  count: 1\n' >"$demo"
    run --separate-stderr kubectl apply -f "$demo"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    sed -i 's/message: one/message: two/' "$demo"
    run --separate-stderr kubectl apply -f "$demo"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [ "$output" = "demo.app.rancherdesktop.io/demo configured" ]
    [ "$(kubectl get demo demo -o 'jsonpath={.spec.message}')" = two ]
    # an unknown field is refused by apply too
    printf '  bogus: 1\n' >>"$demo"
    run --separate-stderr kubectl apply -f "$demo"
    [ "$status" -ne 0 ]
    no_openapi_noise "$stderr"
    [[ "$stderr" == *'unknown field "spec.bogus"'* ]]
}
