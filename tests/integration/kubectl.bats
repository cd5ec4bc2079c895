#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The real kubectl against the daemon: a custom cluster-scoped kind (the Demo singleton), a
# custom namespaced kind (the Widget of the fixture plugin) and core kinds (ConfigMap, Namespace),
# through every output form, apply (client- and server-side), create, patch, label, annotate,
# delete with finalizers, wait, watch, explain, api-resources, raw paths and server dry runs.
# Each test makes the objects it needs through the API itself, so that one failing kubectl
# feature does not take the tests after it down with it.

# $stderr comes from bats' `run --separate-stderr`
# shellcheck disable=SC2154

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
    require_command kubectl
    require_command jq
    # only the fixture plugin that works: the directory of fixtures also holds broken ones
    local fixture="$RDD_BUILD_ROOT/tests/plugins/libok.so"
    RDD_KUBECTL_PLUGINS="$BATS_FILE_TMPDIR/plugins"
    mkdir -p "$RDD_KUBECTL_PLUGINS"
    if [ -f "$fixture" ]; then
        ln -s "$fixture" "$RDD_KUBECTL_PLUGINS/libok.so"
    fi
    # the Demo controller takes one step per interval: make its steps quick
    if ldd "$RDD_DAEMON" 2>/dev/null | grep -q libasan; then
        # full stacks at malloc, so that the library suppressions of tests/lsan.supp match: GLib
        # has no frame pointers, and the fast unwinder stops at g_malloc
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    fi
    export RDD_DEMO_INTERVAL=100ms
    rdd_daemon_start --no-persist --plugin-dir "$RDD_KUBECTL_PLUGINS"
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET RDD_KUBECTL_PLUGINS

    post_json /apis/app.rancherdesktop.io/v1alpha1/demos \
        '{"metadata":{"name":"demo","labels":{"tier":"one"}},"spec":{"message":"hello","count":3}}'
    post_json /api/v1/namespaces '{"metadata":{"name":"team-a"}}'
    post_json /api/v1/namespaces/default/configmaps \
        '{"metadata":{"name":"cm-one","labels":{"app":"one","tier":"front"}},"data":{"a":"1","b":"2"}}'
    post_json /api/v1/namespaces/team-a/configmaps \
        '{"metadata":{"name":"cm-two","labels":{"app":"two"}},"data":{"c":"3"}}'
    if have_widgets; then
        post_json /apis/fixtures.rancherdesktop.io/v1alpha1/namespaces/team-a/widgets \
            '{"metadata":{"name":"w-one"},"spec":{"value":"abc"}}'
    fi
}

teardown_file() {
    # the last test stops the daemon itself: reap it here if it is still a zombie
    if [ "$(awk '{print $3}' "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null)" = Z ]; then
        wait "$RDD_DAEMON_PID" 2>/dev/null || true
    fi
    rdd_daemon_stop
}

# track PID: a background process of this test, ended by teardown whatever happens (background
# processes are started with 3>&- so that they never hold bats' output open)
track() {
    echo "$1" >>"$BATS_TEST_TMPDIR/background.pids"
}

end_tracked() {
    local pid
    if [ -f "$BATS_TEST_TMPDIR/background.pids" ]; then
        while read -r pid; do
            kill "$pid" 2>/dev/null || true
        done <"$BATS_TEST_TMPDIR/background.pids"
    fi
}

teardown() {
    end_tracked
}

# post_json PATH JSON: creates an object through the API, failing loudly unless it is created
post_json() {
    local out code
    out=$(mktemp)
    code=$(curl -s --unix-socket "$RDD_SOCKET" -o "$out" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' --data-binary "$2" "http://localhost$1")
    if [ "$code" != 201 ]; then
        echo "POST $1 answered $code: $(cat "$out")" >&2
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
}

# get_json PATH: the object at PATH (200), or fails
get_json() {
    curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$1"
}

have_widgets() {
    [ -e "$RDD_KUBECTL_PLUGINS/libok.so" ]
}

require_widgets() {
    have_widgets || skip "the fixture plugin libok.so is not built in $RDD_BUILD_ROOT/tests/plugins"
}

# -------------------------------------------------------------------------------------------
# get and list in every output form

@test "kubectl get: the default table of a custom kind shows its printer columns" {
    run --separate-stderr kubectl get demos
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+MESSAGE[[:space:]]+COUNT[[:space:]]+PROCESSED[[:space:]]+AGE$ ]]
    [[ "${lines[1]}" =~ ^demo[[:space:]]+hello[[:space:]]+3[[:space:]]+[0-3][[:space:]]+[0-9]+s$ ]]
    [ "${#lines[@]}" -eq 2 ]
    run --separate-stderr kubectl get demo demo
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+MESSAGE ]]
    [[ "${lines[1]}" =~ ^demo[[:space:]]+hello ]]
}

@test "kubectl get: the default table of core kinds (ConfigMap DATA, Namespace STATUS)" {
    run --separate-stderr kubectl get configmaps
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+DATA[[:space:]]+AGE$ ]]
    [[ "$output" =~ cm-one[[:space:]]+2[[:space:]]+[0-9]+s ]]
    run --separate-stderr kubectl get namespaces
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+STATUS[[:space:]]+AGE$ ]]
    [[ "$output" =~ default[[:space:]]+Active[[:space:]]+[0-9]+s ]]
    [[ "$output" =~ team-a[[:space:]]+Active ]]
}

@test "kubectl get -o wide" {
    run --separate-stderr kubectl get demos -o wide
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+MESSAGE[[:space:]]+COUNT ]]
    [[ "${lines[1]}" =~ ^demo[[:space:]]+hello[[:space:]]+3 ]]
    run --separate-stderr kubectl get cm cm-one -o wide
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" =~ ^cm-one[[:space:]]+2[[:space:]] ]]
}

@test "kubectl get -o json: one object and a list" {
    run --separate-stderr kubectl get demo demo -o json
    [ "$status" -eq 0 ]
    [ "$(jq -r .kind <<<"$output")" = Demo ]
    [ "$(jq -r .apiVersion <<<"$output")" = app.rancherdesktop.io/v1alpha1 ]
    [ "$(jq -r .metadata.name <<<"$output")" = demo ]
    [ "$(jq -r .spec.count <<<"$output")" = 3 ]
    [ "$(jq -r .metadata.labels.tier <<<"$output")" = one ]
    [[ "$(jq -r .metadata.resourceVersion <<<"$output")" =~ ^[0-9]+$ ]]
    [[ "$(jq -r .metadata.uid <<<"$output")" =~ ^[0-9a-f-]{36}$ ]]
    run --separate-stderr kubectl get configmaps -n team-a -o json
    [ "$status" -eq 0 ]
    [ "$(jq -r .kind <<<"$output")" = List ]
    [ "$(jq -r '.items | length' <<<"$output")" = 1 ]
    [ "$(jq -r '.items[0].metadata.name' <<<"$output")" = cm-two ]
    [ "$(jq -r '.items[0].data.c' <<<"$output")" = 3 ]
}

@test "kubectl get -o yaml" {
    run --separate-stderr kubectl get cm cm-one -o yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"apiVersion: v1"* ]]
    [[ "$output" == *"kind: ConfigMap"* ]]
    [[ "$output" == *"  name: cm-one"* ]]
    [[ "$output" == *"  namespace: default"* ]]
    [[ "$output" == *'  a: "1"'* ]]
    run --separate-stderr kubectl get demos -o yaml
    [ "$status" -eq 0 ]
    [[ "$output" == *"kind: List"* ]]
    [[ "$output" == *"    message: hello"* ]]
}

@test "kubectl get -o name" {
    run --separate-stderr kubectl get demos -o name
    [ "$status" -eq 0 ]
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    run --separate-stderr kubectl get cm -o name
    [ "$output" = configmap/cm-one ]
    run --separate-stderr kubectl get ns -o name
    [[ "$output" == *namespace/team-a* ]]
    [[ "$output" == *namespace/default* ]]
    run --separate-stderr kubectl get cm,demos -o name
    [[ "$output" == *configmap/cm-one* ]]
    [[ "$output" == *demo.app.rancherdesktop.io/demo* ]]
}

@test "kubectl get -o jsonpath" {
    run --separate-stderr kubectl get demo demo -o 'jsonpath={.spec.message}'
    [ "$status" -eq 0 ]
    [ "$output" = hello ]
    run --separate-stderr kubectl get cm -A -o 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}'
    [ "$status" -eq 0 ]
    [[ "$output" == *default/cm-one* ]]
    [[ "$output" == *team-a/cm-two* ]]
    run --separate-stderr kubectl get ns default -o 'jsonpath={.status.phase}'
    [ "$output" = Active ]
}

@test "kubectl get -o custom-columns" {
    run --separate-stderr kubectl get demos -o custom-columns=NAME:.metadata.name,MSG:.spec.message,TIER:.metadata.labels.tier
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAME[[:space:]]+MSG[[:space:]]+TIER$ ]]
    [[ "${lines[1]}" =~ ^demo[[:space:]]+hello[[:space:]]+one$ ]]
    run --separate-stderr kubectl get cm -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name --sort-by=.metadata.name
    [ "$status" -eq 0 ]
    [[ "${lines[1]}" =~ ^default[[:space:]]+cm-one$ ]]
    [[ "${lines[2]}" =~ ^team-a[[:space:]]+cm-two$ ]]
}

@test "kubectl get -l: equality, set-based and negated label selectors" {
    run --separate-stderr kubectl get cm -A -l app=one -o name
    [ "$status" -eq 0 ]
    [ "$output" = configmap/cm-one ]
    run --separate-stderr kubectl get cm -A -l 'app in (one,two)' -o name
    [[ "$output" == *configmap/cm-one* ]]
    [[ "$output" == *configmap/cm-two* ]]
    run --separate-stderr kubectl get cm -A -l 'app,!tier' -o name
    [ "$output" = configmap/cm-two ]
    run --separate-stderr kubectl get cm -A -l 'app!=one' -o name
    [ "$output" = configmap/cm-two ]
    run --separate-stderr kubectl get demos -l tier=one -o name
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    run --separate-stderr kubectl get demos -l tier=two -o name
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
    run --separate-stderr kubectl get demos -l tier=two
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
    [[ "$stderr" == *"No resources found"* ]]
    run --separate-stderr kubectl get cm -l 'a===b'
    [ "$status" -ne 0 ]
}

@test "kubectl get --field-selector" {
    run --separate-stderr kubectl get cm -A --field-selector metadata.name=cm-one -o name
    [ "$status" -eq 0 ]
    [ "$output" = configmap/cm-one ]
    run --separate-stderr kubectl get cm -A --field-selector metadata.namespace=team-a -o name
    [ "$output" = configmap/cm-two ]
    run --separate-stderr kubectl get cm -A --field-selector 'metadata.name!=cm-one' -o name
    [ "$output" = configmap/cm-two ]
    run --separate-stderr kubectl get ns --field-selector status.phase=Active -o name
    [[ "$output" == *namespace/team-a* ]]
    run --separate-stderr kubectl get demos --field-selector metadata.name=demo -o name
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    run --separate-stderr kubectl get cm --field-selector spec.nothing=1
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"field label not supported"* ]]
}

@test "kubectl get -A: every namespace, with a NAMESPACE column" {
    run --separate-stderr kubectl get cm -A
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAMESPACE[[:space:]]+NAME[[:space:]] ]]
    [[ "$output" =~ default[[:space:]]+cm-one ]]
    [[ "$output" =~ team-a[[:space:]]+cm-two ]]
}

@test "kubectl get -A on a namespaced custom kind" {
    require_widgets
    run --separate-stderr kubectl get widgets -A
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^NAMESPACE[[:space:]]+NAME[[:space:]] ]]
    [[ "$output" =~ team-a[[:space:]]+w-one ]]
    run --separate-stderr kubectl get widgets -n team-a w-one -o 'jsonpath={.spec.value}'
    [ "$output" = abc ]
    run --separate-stderr kubectl get widgets -o name
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
}

@test "kubectl get: a missing object is NotFound, with the kind and name" {
    run --separate-stderr kubectl get demo nope
    [ "$status" -ne 0 ]
    [[ "$stderr" == *'Error from server (NotFound): demos.app.rancherdesktop.io "nope" not found'* ]]
    run --separate-stderr kubectl get cm nope -n team-a
    [[ "$stderr" == *'Error from server (NotFound): configmaps "nope" not found'* ]]
    run --separate-stderr kubectl get cm nope --ignore-not-found
    [ "$status" -eq 0 ]
    [ "$output" = "" ]
}

@test "kubectl get --chunk-size pages through a long list with limit and continue" {
    post_json /api/v1/namespaces '{"metadata":{"name":"chunks"}}'
    for i in 1 2 3 4 5 6 7; do
        post_json /api/v1/namespaces/chunks/configmaps "{\"metadata\":{\"name\":\"page-$i\"}}"
    done
    run --separate-stderr kubectl get cm -n chunks --chunk-size=2 -o name
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 7 ]
    [ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq 7 ]
    run --separate-stderr kubectl get --raw '/api/v1/namespaces/chunks/configmaps?limit=3'
    [ "$(jq -r '.items | length' <<<"$output")" = 3 ]
    local token
    token=$(jq -r '.metadata.continue' <<<"$output")
    [ "$token" != null ]
    run --separate-stderr kubectl get --raw "/api/v1/namespaces/chunks/configmaps?limit=10&continue=$token"
    [ "$(jq -r '[.items[].metadata.name] | join(",")' <<<"$output")" = page-4,page-5,page-6,page-7 ]
    [ "$(jq -r '.metadata.continue // "none"' <<<"$output")" = none ]
}

# -------------------------------------------------------------------------------------------
# writes

@test "kubectl apply -f twice: create, then update through client-side apply" {
    local f="$BATS_TEST_TMPDIR/apply.yaml"
    cat >"$f" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  namespace: team-a
  labels:
    via: apply
data:
  a: "1"
  b: "2"
EOF
    run kubectl apply -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/applied created" ]
    run kubectl get cm applied -n team-a -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
    [[ "$output" == *'"b":"2"'* ]]
    # change a, drop b: the three-way merge removes b
    sed -i -e 's/a: "1"/a: "changed"/' -e '/b: "2"/d' "$f"
    run kubectl apply -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/applied configured" ]
    run kubectl get cm applied -n team-a -o json
    [ "$(jq -r .data.a <<<"$output")" = changed ]
    [ "$(jq -r '.data | has("b")' <<<"$output")" = false ]
    [ "$(jq -r .metadata.labels.via <<<"$output")" = apply ]
    run kubectl apply -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/applied unchanged" ]
}

@test "kubectl apply -f on custom kinds" {
    require_widgets
    local f="$BATS_TEST_TMPDIR/widget.yaml"
    cat >"$f" <<'EOF'
apiVersion: fixtures.rancherdesktop.io/v1alpha1
kind: Widget
metadata:
  name: w-applied
  namespace: team-a
spec:
  value: first
EOF
    run kubectl apply -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "widget.fixtures.rancherdesktop.io/w-applied created" ]
    sed -i 's/value: first/value: second/' "$f"
    run kubectl apply -f "$f"
    [ "$output" = "widget.fixtures.rancherdesktop.io/w-applied configured" ]
    run kubectl get widget w-applied -n team-a -o jsonpath='{.spec.value}'
    [ "$output" = second ]
    run kubectl wait --for=jsonpath='{.status.observed}'=second widget/w-applied -n team-a --timeout=20s
    [ "$status" -eq 0 ]
}

@test "kubectl apply --server-side twice" {
    local f="$BATS_TEST_TMPDIR/ssa.yaml"
    cat >"$f" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-one
  namespace: default
data:
  k: v1
EOF
    run kubectl apply --server-side -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/ssa-one serverside-applied" ]
    sed -i 's/k: v1/k: v2/' "$f"
    printf '  extra: "yes"\n' >>"$f"
    run kubectl apply --server-side -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/ssa-one serverside-applied" ]
    run kubectl get cm ssa-one -o json --show-managed-fields
    [ "$(jq -r .data.k <<<"$output")" = v2 ]
    [ "$(jq -r .data.extra <<<"$output")" = yes ]
    [ "$(jq -r '.metadata.managedFields[] | select(.operation == "Apply") | .manager' <<<"$output")" = kubectl ]
    # dropping a field from the applied configuration removes it
    sed -i '/extra/d' "$f"
    run kubectl apply --server-side -f "$f"
    [ "$status" -eq 0 ]
    run kubectl get cm ssa-one -o json
    [ "$(jq -r '.data | has("extra")' <<<"$output")" = false ]
}

@test "kubectl apply --server-side: a conflict between managers, then --force-conflicts" {
    local f="$BATS_TEST_TMPDIR/ssa-conflict.yaml"
    cat >"$f" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-conflict
  namespace: default
data:
  owned: by-alpha
EOF
    run kubectl apply --server-side --field-manager=alpha -f "$f"
    [ "$status" -eq 0 ]
    sed -i 's/by-alpha/by-beta/' "$f"
    run --separate-stderr kubectl apply --server-side --field-manager=beta -f "$f"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *conflict* ]]
    [[ "$stderr" == *'"alpha"'* ]]
    [[ "$stderr" == *.data.owned* ]]
    run kubectl get cm ssa-conflict -o jsonpath='{.data.owned}'
    [ "$output" = by-alpha ]
    run kubectl apply --server-side --field-manager=beta --force-conflicts -f "$f"
    [ "$status" -eq 0 ]
    run kubectl get cm ssa-conflict -o json --show-managed-fields
    [ "$(jq -r .data.owned <<<"$output")" = by-beta ]
    [[ "$(jq -r '[.metadata.managedFields[].manager] | join(",")' <<<"$output")" == *beta* ]]
}

@test "kubectl create -f, and AlreadyExists the second time" {
    local f="$BATS_TEST_TMPDIR/create.yaml"
    cat >"$f" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: created-from-file
  namespace: team-a
data:
  x: "42"
EOF
    run kubectl create -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/created-from-file created" ]
    run kubectl get cm created-from-file -n team-a -o jsonpath='{.data.x}'
    [ "$output" = 42 ]
    run --separate-stderr kubectl create -f "$f"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *'(AlreadyExists)'* ]]
    [[ "$stderr" == *'configmaps "created-from-file" already exists'* ]]
}

@test "kubectl create -f of a Demo not named demo is denied by admission" {
    local f="$BATS_TEST_TMPDIR/demo2.yaml"
    cat >"$f" <<'EOF'
apiVersion: app.rancherdesktop.io/v1alpha1
kind: Demo
metadata:
  name: second
spec:
  message: nope
EOF
    run --separate-stderr kubectl create -f "$f"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"(Forbidden)"* ]]
    [[ "$stderr" == *"Demo resource must be named 'demo'"* ]]
    run kubectl get demos -o name
    [ "$output" = demo.app.rancherdesktop.io/demo ]
}

@test "kubectl create namespace and configmap (typed client bodies)" {
    run kubectl create namespace team-typed
    [ "$status" -eq 0 ]
    [ "$output" = "namespace/team-typed created" ]
    run kubectl create configmap typed-one -n team-typed --from-literal=key=value --from-literal=other=2
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/typed-one created" ]
    run kubectl get cm typed-one -n team-typed -o json
    [ "$(jq -r .data.key <<<"$output")" = value ]
    [ "$(jq -r .data.other <<<"$output")" = 2 ]
    run kubectl get ns team-typed -o jsonpath='{.status.phase}'
    [ "$output" = Active ]
}

@test "kubectl replace -f: an update with PUT" {
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"replaced"},"data":{"v":"old"}}'
    kubectl get cm replaced -o yaml >"$BATS_TEST_TMPDIR/replace.yaml"
    sed -i 's/v: old/v: new/' "$BATS_TEST_TMPDIR/replace.yaml"
    run kubectl replace -f "$BATS_TEST_TMPDIR/replace.yaml"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/replaced replaced" ]
    run kubectl get cm replaced -o jsonpath='{.data.v}'
    [ "$output" = new ]
    # the same file again carries a stale resourceVersion
    run --separate-stderr kubectl replace -f "$BATS_TEST_TMPDIR/replace.yaml"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"(Conflict)"* ]]
    [[ "$stderr" == *"the object has been modified"* ]]
}

@test "kubectl patch --type=merge" {
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"patch-merge"},"data":{"a":"1","b":"2"}}'
    run kubectl patch cm patch-merge --type=merge -p '{"data":{"a":"one","b":null,"c":"3"}}'
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/patch-merge patched" ]
    run kubectl get cm patch-merge -o json
    [ "$(jq -c .data <<<"$output")" = '{"a":"one","c":"3"}' ]
    # a merge patch that changes nothing
    run kubectl patch cm patch-merge --type=merge -p '{"data":{"a":"one"}}'
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/patch-merge patched (no change)" ]
    # on the custom cluster-scoped kind: spec changes bump the generation
    local gen
    gen=$(kubectl get demo demo -o 'jsonpath={.metadata.generation}')
    run kubectl patch demo demo --type=merge -p '{"spec":{"message":"patched"}}'
    [ "$status" -eq 0 ]
    [ "$output" = "demo.app.rancherdesktop.io/demo patched" ]
    run kubectl get demo demo -o json
    [ "$(jq -r .spec.message <<<"$output")" = patched ]
    [ "$(jq -r .metadata.generation <<<"$output")" -eq $((gen + 1)) ]
    kubectl patch demo demo --type=merge -p '{"spec":{"message":"hello"}}'
}

@test "kubectl patch --type=json, and a failing test operation changes nothing" {
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"patch-json"},"data":{"a":"1"}}'
    run kubectl patch cm patch-json --type=json -p '[{"op":"add","path":"/data/b","value":"2"},{"op":"replace","path":"/data/a","value":"x"}]'
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/patch-json patched" ]
    run kubectl get cm patch-json -o json
    [ "$(jq -c .data <<<"$output")" = '{"a":"x","b":"2"}' ]
    run kubectl patch cm patch-json --type=json -p '[{"op":"remove","path":"/data/a"},{"op":"move","from":"/data/b","path":"/data/c"}]'
    [ "$status" -eq 0 ]
    run kubectl get cm patch-json -o json
    [ "$(jq -c .data <<<"$output")" = '{"c":"2"}' ]
    run --separate-stderr kubectl patch cm patch-json --type=json -p '[{"op":"remove","path":"/data/c"},{"op":"test","path":"/data/c","value":"nope"}]'
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"/data/c"* ]]
    run kubectl get cm patch-json -o json
    [ "$(jq -c .data <<<"$output")" = '{"c":"2"}' ]
}

@test "kubectl patch of a namespaced custom kind and its status subresource" {
    require_widgets
    run kubectl patch widget w-one -n team-a --type=merge -p '{"spec":{"value":"patched"}}'
    [ "$status" -eq 0 ]
    run kubectl wait --for=jsonpath='{.status.observed}'=patched widget/w-one -n team-a --timeout=20s
    [ "$status" -eq 0 ]
    run kubectl patch widget w-one -n team-a --subresource=status --type=merge -p '{"status":{"observed":"by-hand"}}'
    [ "$status" -eq 0 ]
    run kubectl get widget w-one -n team-a -o jsonpath='{.spec.value}'
    [ "$output" = patched ]
}

@test "kubectl label and annotate: add, refuse to overwrite, overwrite, remove" {
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"labelled"}}'
    run kubectl label cm labelled color=blue size=small
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/labelled labeled" ]
    run --separate-stderr kubectl label cm labelled color=red
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"already has a value (blue)"* ]]
    run kubectl label cm labelled color=red --overwrite
    [ "$status" -eq 0 ]
    run kubectl label cm labelled size-
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/labelled unlabeled" ]
    run kubectl get cm labelled -o json
    [ "$(jq -c .metadata.labels <<<"$output")" = '{"color":"red"}' ]
    run kubectl get cm -l color=red -o name
    [ "$output" = configmap/labelled ]

    run kubectl annotate cm labelled note='hello world' example.com/owner=me
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/labelled annotated" ]
    run kubectl annotate cm labelled note-
    [ "$status" -eq 0 ]
    run kubectl get cm labelled -o json
    [ "$(jq -c .metadata.annotations <<<"$output")" = '{"example.com/owner":"me"}' ]

    run kubectl label demo demo extra=yes
    [ "$status" -eq 0 ]
    run kubectl get demos -l extra=yes -o name
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    kubectl label demo demo extra-
}

@test "kubectl delete: by name, by label, NotFound, --ignore-not-found" {
    post_json /api/v1/namespaces/team-a/configmaps '{"metadata":{"name":"del-one"}}'
    post_json /api/v1/namespaces/team-a/configmaps '{"metadata":{"name":"del-two","labels":{"batch":"x"}}}'
    post_json /api/v1/namespaces/team-a/configmaps '{"metadata":{"name":"del-three","labels":{"batch":"x"}}}'
    run kubectl delete cm del-one -n team-a
    [ "$status" -eq 0 ]
    [ "$output" = 'configmap "del-one" deleted' ]
    run kubectl delete cm -n team-a -l batch=x
    [ "$status" -eq 0 ]
    [[ "$output" == *'configmap "del-two" deleted'* ]]
    [[ "$output" == *'configmap "del-three" deleted'* ]]
    run kubectl get cm -n team-a -o name
    [[ "$output" != *del-* ]]
    run --separate-stderr kubectl delete cm del-one -n team-a
    [ "$status" -ne 0 ]
    [[ "$stderr" == *'configmaps "del-one" not found'* ]]
    run kubectl delete cm del-one -n team-a --ignore-not-found
    [ "$status" -eq 0 ]
}

@test "kubectl delete with a finalizer: the object stays until the finalizer is removed" {
    post_json /api/v1/namespaces/default/configmaps \
        '{"metadata":{"name":"held","finalizers":["example.com/hold"]},"data":{"a":"1"}}'
    run kubectl delete cm held --wait=false
    [ "$status" -eq 0 ]
    [ "$output" = 'configmap "held" deleted' ]
    run kubectl get cm held -o json
    [ "$status" -eq 0 ]
    [ "$(jq -r .metadata.deletionTimestamp <<<"$output")" != null ]
    [ "$(jq -r '.metadata.finalizers[0]' <<<"$output")" = example.com/hold ]
    # a second delete does not remove it either
    run kubectl delete cm held --wait=false
    [ "$status" -eq 0 ]
    run kubectl get cm held -o name
    [ "$output" = configmap/held ]
    # a waiting delete returns once the finalizer is removed
    kubectl delete cm held --timeout=30s >"$BATS_TEST_TMPDIR/delete.out" 2>&1 3>&- &
    local waiter=$!
    track "$waiter"
    sleep 1
    kill -0 "$waiter"
    run kubectl patch cm held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
    [ "$status" -eq 0 ]
    wait "$waiter"
    run kubectl get cm held
    [ "$status" -ne 0 ]
    [[ "$output" == *'configmaps "held" not found'* ]]
}

@test "kubectl delete with a finalizer on a custom kind" {
    require_widgets
    post_json /apis/fixtures.rancherdesktop.io/v1alpha1/namespaces/team-a/widgets \
        '{"metadata":{"name":"w-held","finalizers":["fixtures.rancherdesktop.io/hold"]},"spec":{"value":"v"}}'
    run kubectl delete widget w-held -n team-a --wait=false
    [ "$status" -eq 0 ]
    run kubectl get widget w-held -n team-a -o 'jsonpath={.metadata.deletionTimestamp}'
    [ "$status" -eq 0 ]
    [ -n "$output" ]
    run kubectl patch widget w-held -n team-a --type=merge -p '{"metadata":{"finalizers":null}}'
    [ "$status" -eq 0 ]
    run kubectl wait --for=delete widget/w-held -n team-a --timeout=20s
    [ "$status" -eq 0 ]
}

# -------------------------------------------------------------------------------------------
# wait and watch

@test "kubectl wait --for=condition" {
    run kubectl wait --for=condition=Completed demo/demo --timeout=30s
    [ "$status" -eq 0 ]
    [ "$output" = "demo.app.rancherdesktop.io/demo condition met" ]
    run kubectl wait --for=condition=Ready=True demo/demo --timeout=30s
    [ "$status" -eq 0 ]
    run kubectl wait --for=condition=Processing=False demo/demo --timeout=30s
    [ "$status" -eq 0 ]
    # a condition that never comes: the wait times out
    run kubectl wait --for=condition=Completed=False demo/demo --timeout=2s
    [ "$status" -ne 0 ]
    [[ "$output" == *"timed out"* ]]
}

@test "kubectl wait --for=condition on a namespaced custom kind" {
    require_widgets
    post_json /apis/fixtures.rancherdesktop.io/v1alpha1/namespaces/team-a/widgets \
        '{"metadata":{"name":"w-wait"},"spec":{"value":"ready-soon"}}'
    run kubectl wait --for=condition=Ready widget/w-wait -n team-a --timeout=30s
    [ "$status" -eq 0 ]
    [ "$output" = "widget.fixtures.rancherdesktop.io/w-wait condition met" ]
}

@test "kubectl wait --for=jsonpath" {
    run kubectl wait --for=jsonpath='{.status.processedCount}'=3 demo/demo --timeout=30s
    [ "$status" -eq 0 ]
    [ "$output" = "demo.app.rancherdesktop.io/demo condition met" ]
    # a value set while the wait runs
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"wait-json"},"data":{"state":"pending"}}'
    kubectl wait --for=jsonpath='{.data.state}'=done cm/wait-json --timeout=30s >"$BATS_TEST_TMPDIR/wait.out" 2>&1 3>&- &
    local waiter=$!
    track "$waiter"
    sleep 1
    kubectl patch cm wait-json --type=merge -p '{"data":{"state":"done"}}'
    wait "$waiter"
    [ "$(cat "$BATS_TEST_TMPDIR/wait.out")" = "configmap/wait-json condition met" ]
}

@test "kubectl wait --for=delete" {
    post_json /api/v1/namespaces/default/configmaps '{"metadata":{"name":"wait-delete"}}'
    kubectl wait --for=delete cm/wait-delete --timeout=30s >"$BATS_TEST_TMPDIR/wait.out" 2>&1 3>&- &
    local waiter=$!
    track "$waiter"
    sleep 1
    kill -0 "$waiter"
    kubectl delete cm wait-delete --wait=false
    wait "$waiter"
    [ "$(cat "$BATS_TEST_TMPDIR/wait.out")" = "configmap/wait-delete condition met" ]
}

@test "kubectl wait --for=create" {
    kubectl wait --for=create cm/wait-create -n team-a --timeout=30s >"$BATS_TEST_TMPDIR/wait.out" 2>&1 3>&- &
    local waiter=$!
    track "$waiter"
    sleep 1
    kill -0 "$waiter"
    post_json /api/v1/namespaces/team-a/configmaps '{"metadata":{"name":"wait-create"}}'
    wait "$waiter"
    [ "$(cat "$BATS_TEST_TMPDIR/wait.out")" = "configmap/wait-create condition met" ]
}

# watch_until FILE PATTERN: waits up to 20 s for PATTERN to appear in FILE
watch_until() {
    local i
    for i in $(seq 1 200); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "\"$2\" did not appear in $1:" >&2
    cat "$1" >&2
    return 1
}

@test "kubectl get -w -o json --output-watch-events: ADDED, MODIFIED and DELETED" {
    post_json /api/v1/namespaces '{"metadata":{"name":"watched"}}'
    post_json /api/v1/namespaces/watched/configmaps '{"metadata":{"name":"before"}}'
    local out="$BATS_TEST_TMPDIR/watch.json"
    kubectl get cm -n watched -w --output-watch-events -o json >"$out" 2>"$out.err" 3>&- &
    local watcher=$!
    track "$watcher"
    watch_until "$out" '"before"'
    post_json /api/v1/namespaces/watched/configmaps '{"metadata":{"name":"during"},"data":{"a":"1"}}'
    kubectl patch cm during -n watched --type=merge -p '{"data":{"a":"2"}}'
    kubectl delete cm during -n watched
    watch_until "$out" '"DELETED"'
    kill "$watcher"
    wait "$watcher" || true
    # the events as (type, name, data.a) in order
    run jq -s -r '.[] | "\(.type) \(.object.metadata.name) \(.object.data.a // "-")"' "$out"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "ADDED before -" ]
    [ "${lines[1]}" = "ADDED during 1" ]
    [ "${lines[2]}" = "MODIFIED during 2" ]
    [ "${lines[3]}" = "DELETED during 2" ]
    [ "${#lines[@]}" -eq 4 ]
}

@test "kubectl get -w -o name and the default watch table" {
    local out="$BATS_TEST_TMPDIR/watch.name" table="$BATS_TEST_TMPDIR/watch.table"
    kubectl get cm -n team-a -w -o name >"$out" 2>&1 3>&- &
    local w1=$!
    track "$w1"
    kubectl get cm -n team-a -w --output-watch-events >"$table" 2>&1 3>&- &
    local w2=$!
    track "$w2"
    watch_until "$out" configmap/cm-two
    watch_until "$table" cm-two
    post_json /api/v1/namespaces/team-a/configmaps '{"metadata":{"name":"watch-name"}}'
    kubectl label cm watch-name -n team-a seen=yes
    kubectl delete cm watch-name -n team-a
    watch_until "$table" "DELETED.*watch-name"
    watch_until "$out" configmap/watch-name
    kill "$w1" "$w2"
    wait "$w1" "$w2" || true
    [ "$(grep -c '^configmap/watch-name$' "$out")" -ge 1 ]
    run cat "$table"
    [[ "${lines[0]}" =~ ^EVENT[[:space:]]+NAME ]]
    [[ "$output" =~ ADDED[[:space:]]+cm-two ]]
    [[ "$output" =~ ADDED[[:space:]]+watch-name ]]
    [[ "$output" =~ MODIFIED[[:space:]]+watch-name ]]
    [[ "$output" =~ DELETED[[:space:]]+watch-name ]]
}

@test "kubectl get -w on the cluster-scoped custom kind sees the controller's status writes" {
    local out="$BATS_TEST_TMPDIR/watch.demo"
    kubectl get demos -w --output-watch-events -o json >"$out" 2>&1 3>&- &
    local watcher=$!
    track "$watcher"
    watch_until "$out" '"ADDED"'
    kubectl patch demo demo --type=merge -p '{"spec":{"count":4}}'
    # the controller processes the fourth step and writes the status
    watch_until "$out" '"processedCount":4'
    kill "$watcher"
    wait "$watcher" || true
    run jq -s -r '[.[] | .type] | unique | join(",")' "$out"
    [ "$output" = ADDED,MODIFIED ]
}

# -------------------------------------------------------------------------------------------
# discovery, schema and raw paths

@test "kubectl explain: kinds and fields, from the schemas' descriptions" {
    run --separate-stderr kubectl explain demos
    [ "$status" -eq 0 ]
    [[ "$output" =~ KIND:[[:space:]]+Demo ]]
    [[ "$output" =~ (GROUP|VERSION):[[:space:]]+app.rancherdesktop.io ]]
    [[ "$output" == *"Demo is a singleton"* ]]
    [[ "$output" == *spec* ]]
    run --separate-stderr kubectl explain demos.spec.count
    [ "$status" -eq 0 ]
    [[ "$output" =~ FIELD:[[:space:]]+count ]]
    [[ "$output" == *"Count is how many times the message is processed."* ]]
    run --separate-stderr kubectl explain configmap.data
    [ "$status" -eq 0 ]
    [[ "$output" == *"Data contains the configuration data."* ]]
    run --separate-stderr kubectl explain demos.spec.nothing
    [ "$status" -ne 0 ]
}

@test "kubectl api-resources: groups, scope filters, names and verbs" {
    run --separate-stderr kubectl api-resources --api-group=app.rancherdesktop.io -o name
    [ "$status" -eq 0 ]
    [ "$output" = demos.app.rancherdesktop.io ]
    run --separate-stderr kubectl api-resources --namespaced=true -o name
    [[ "$output" == *configmaps* ]]
    [[ "$output" != *demos* ]]
    [[ "$output" != *namespaces* ]]
    run --separate-stderr kubectl api-resources --namespaced=false -o name
    [[ "$output" == *demos.app.rancherdesktop.io* ]]
    [[ "$output" == *namespaces* ]]
    run --separate-stderr kubectl api-resources -o wide
    [ "$status" -eq 0 ]
    [[ "$output" =~ configmaps[[:space:]]+cm[[:space:]]+v1[[:space:]]+true[[:space:]]+ConfigMap[[:space:]]+.*create.*delete.*get.*list.*patch.*update.*watch ]]
    run --separate-stderr kubectl api-versions
    [[ "$output" == *app.rancherdesktop.io/v1alpha1* ]]
    [[ "$output" == *v1* ]]
}

@test "kubectl api-resources lists the fixture kind when its plugin is loaded" {
    require_widgets
    run --separate-stderr kubectl api-resources --api-group=fixtures.rancherdesktop.io
    [ "$status" -eq 0 ]
    [[ "$output" =~ widgets[[:space:]]+fixtures.rancherdesktop.io/v1alpha1[[:space:]]+true[[:space:]]+Widget ]]
}

@test "kubectl get --raw" {
    run kubectl get --raw /healthz
    [ "$status" -eq 0 ]
    [ "$output" = ok ]
    run kubectl get --raw '/readyz?verbose'
    [ "$status" -eq 0 ]
    [[ "$output" == *"readyz check passed"* ]]
    run kubectl get --raw /version
    [ "$(jq -r .major <<<"$output")" = 1 ]
    run kubectl get --raw /api/v1/namespaces/team-a/configmaps/cm-two
    [ "$(jq -r .data.c <<<"$output")" = 3 ]
    run kubectl get --raw /apis/app.rancherdesktop.io/v1alpha1/demos/demo
    [ "$(jq -r .spec.message <<<"$output")" = hello ]
    run kubectl get --raw /api/v1/nothing
    [ "$status" -ne 0 ]
    [[ "$output" == *NotFound* ]]
}

@test "kubectl --dry-run=server stores nothing" {
    local f="$BATS_TEST_TMPDIR/dry.yaml"
    cat >"$f" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: dry-run
  namespace: default
data:
  a: "1"
EOF
    run kubectl create --dry-run=server -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/dry-run created (server dry run)" ]
    run kubectl apply --dry-run=server -f "$f"
    [ "$status" -eq 0 ]
    [ "$output" = "configmap/dry-run created (server dry run)" ]
    run kubectl create configmap dry-literal --from-literal=a=b --dry-run=server
    [ "$status" -eq 0 ]
    run kubectl get cm dry-run dry-literal --ignore-not-found -o name
    [ "$output" = "" ]
    # writes to an existing object
    local rv
    rv=$(kubectl get cm cm-one -o 'jsonpath={.metadata.resourceVersion}')
    run kubectl patch cm cm-one --type=merge -p '{"data":{"a":"dry"}}' --dry-run=server
    [ "$status" -eq 0 ]
    [[ "$output" == "configmap/cm-one patched"* ]]
    run kubectl label cm cm-one dry=run --dry-run=server
    [ "$status" -eq 0 ]
    run kubectl delete cm cm-one --dry-run=server
    [ "$status" -eq 0 ]
    [ "$output" = 'configmap "cm-one" deleted (server dry run)' ]
    run kubectl get cm cm-one -o json
    [ "$status" -eq 0 ]
    [ "$(jq -r .data.a <<<"$output")" = 1 ]
    [ "$(jq -r '.metadata.labels | has("dry")' <<<"$output")" = false ]
    [ "$(jq -r .metadata.resourceVersion <<<"$output")" = "$rv" ]
    # a dry-run Demo with a wrong name is still refused by admission
    run --separate-stderr kubectl create --dry-run=server -f - <<'EOF'
apiVersion: app.rancherdesktop.io/v1alpha1
kind: Demo
metadata:
  name: not-demo
EOF
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"Demo resource must be named 'demo'"* ]]
}

# -------------------------------------------------------------------------------------------

@test "the daemon is alive and exits cleanly on SIGTERM, with no sanitizer report" {
    rdd_daemon_alive
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
    [[ "$output" != *"CRITICAL"* ]]
}
