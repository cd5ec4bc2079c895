#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Every error class of the HTTP API, from the request that causes it: the HTTP code, the Status
# object's reason, and a message that says what was wrong and with which object. Requests go
# over the unix socket, and over HTTPS where the transport matters (authentication, bodies).

bats_require_minimum_version 1.5.0

load helpers

DEMOS=/apis/app.rancherdesktop.io/v1alpha1/demos
CMS=/api/v1/namespaces/default/configmaps
JSON='Content-Type: application/json'
MERGE='Content-Type: application/merge-patch+json'

setup_file() {
    require_command jq
    require_command curl
    if ldd "$RDD_DAEMON" 2>/dev/null | grep -q libasan; then
        # full stacks at malloc, so that the library suppressions of tests/lsan.supp match: GLib
        # has no frame pointers, and the fast unwinder stops at g_malloc
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    fi
    # a short event history, so that a watch from an old resourceVersion is answered 410
    rdd_daemon_start --no-persist --history-size 20
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
    curl -sf --unix-socket "$RDD_SOCKET" -X POST -H "$JSON" "http://localhost$DEMOS" \
        -d '{"metadata":{"name":"demo"},"spec":{"message":"hello","count":0}}' >/dev/null
    curl -sf --unix-socket "$RDD_SOCKET" -X POST -H "$JSON" "http://localhost$CMS" \
        -d '{"metadata":{"name":"existing"},"data":{"a":"1"}}' >/dev/null
}

teardown_file() {
    if [ "$(awk '{print $3}' "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null)" = Z ]; then
        wait "$RDD_DAEMON_PID" 2>/dev/null || true
    fi
    rdd_daemon_stop
}

# the body of the last `run api …` (everything but the status line)
body() {
    printf '%s\n' "${lines[@]:0:${#lines[@]}-1}"
}

# expect_status CODE REASON [TEXT...]: the last `run api …` answered HTTP CODE with a Kubernetes
# Status of that code and reason whose message contains every TEXT
expect_status() {
    local code=$1 reason=$2 b m
    shift 2
    b=$(body)
    if [ "${lines[-1]}" != "$code" ]; then
        echo "expected HTTP $code, got ${lines[-1]}: $b" >&2
        return 1
    fi
    if ! jq -e . >/dev/null 2>&1 <<<"$b"; then
        echo "the body is not JSON: $b" >&2
        return 1
    fi
    [ "$(jq -r .kind <<<"$b")" = Status ] || { echo "not a Status: $b" >&2; return 1; }
    [ "$(jq -r .apiVersion <<<"$b")" = v1 ] || { echo "Status without apiVersion v1: $b" >&2; return 1; }
    [ "$(jq -r .status <<<"$b")" = Failure ] || { echo "status is not Failure: $b" >&2; return 1; }
    [ "$(jq -r .code <<<"$b")" = "$code" ] || { echo "Status.code is not $code: $b" >&2; return 1; }
    [ "$(jq -r .reason <<<"$b")" = "$reason" ] || { echo "reason is not $reason: $b" >&2; return 1; }
    m=$(jq -r .message <<<"$b")
    for text in "$@"; do
        if [[ "$m" != *"$text"* ]]; then
            echo "the message does not contain \"$text\": $m" >&2
            return 1
        fi
    done
}

# expect_details GROUP KIND NAME: the Status names the object
expect_details() {
    local b
    b=$(body)
    [ "$(jq -r .details.group <<<"$b")" = "$1" ] || { echo "details.group is not \"$1\": $b" >&2; return 1; }
    [ "$(jq -r .details.kind <<<"$b")" = "$2" ] || { echo "details.kind is not \"$2\": $b" >&2; return 1; }
    [ "$(jq -r .details.name <<<"$b")" = "$3" ] || { echo "details.name is not \"$3\": $b" >&2; return 1; }
}

# https METHOD PATH [curl args...]: like `api`, over HTTPS with the instance CA and no token
https() {
    local method=$1 path=$2
    shift 2
    curl -s --cacert "$(rdd_ca_file)" -X "$method" -w '\n%{http_code}' "$@" "$(rdd_server_url)$path"
}

rv_of() {
    curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$1" | jq -r .metadata.resourceVersion
}

# -------------------------------------------------------------------------------------------
# 404 NotFound

@test "404 NotFound: a missing object names its kind and name" {
    run api GET "$DEMOS/nope"
    expect_status 404 NotFound 'demos.app.rancherdesktop.io "nope" not found'
    expect_details app.rancherdesktop.io demos nope
    run api GET "$CMS/nope"
    expect_status 404 NotFound 'configmaps "nope" not found'
    expect_details "" configmaps nope
    run api DELETE "$CMS/nope"
    expect_status 404 NotFound 'configmaps "nope" not found'
    run api PATCH "$CMS/nope" -H "$MERGE" -d '{"data":{"a":"b"}}'
    expect_status 404 NotFound 'configmaps "nope" not found'
    run api PUT "$CMS/nope" -H "$JSON" -d '{"metadata":{"name":"nope"}}'
    expect_status 404 NotFound 'configmaps "nope" not found'
    run api GET "$DEMOS/nope/status"
    expect_status 404 NotFound '"nope" not found'
}

@test "404 NotFound: a missing namespace" {
    run api GET /api/v1/namespaces/no-such-ns
    expect_status 404 NotFound 'namespaces "no-such-ns" not found'
    run api POST /api/v1/namespaces/no-such-ns/configmaps -H "$JSON" -d '{"metadata":{"name":"x"}}'
    expect_status 404 NotFound 'namespaces "no-such-ns" not found'
}

@test "404 NotFound: unknown kind, group, version and subresource paths" {
    run api GET /apis/app.rancherdesktop.io/v1alpha1/nopes
    expect_status 404 NotFound '"nopes"' app.rancherdesktop.io/v1alpha1
    run api GET /api/v1/nopes/x
    expect_status 404 NotFound '"nopes"'
    run api GET /apis/nothing.example.com/v1/things
    expect_status 404 NotFound things
    run api GET /api/v2/namespaces
    expect_status 404 NotFound v2
    run api GET "$DEMOS/demo/scale"
    expect_status 404 NotFound '"scale"' demos
    run api GET /api/v1/namespaces/default/configmaps/existing/status
    expect_status 404 NotFound configmaps status
    # a namespaced kind on a cluster-scoped path
    run api GET /api/v1/configmaps/existing
    expect_status 404 NotFound namespaced /namespaces/
    run api GET /no/such/path
    expect_status 404 NotFound /no/such/path
}

@test "404 NotFound over HTTPS is the same Status" {
    run https GET "$CMS/nope" -H "Authorization: Bearer $(rdd_token)"
    expect_status 404 NotFound 'configmaps "nope" not found'
    expect_details "" configmaps nope
}

# -------------------------------------------------------------------------------------------
# 409 AlreadyExists and Conflict

@test "409 AlreadyExists: creating an object that exists" {
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"existing"}}'
    expect_status 409 AlreadyExists 'configmaps "existing" already exists'
    expect_details "" configmaps existing
    run api POST "$DEMOS" -H "$JSON" -d '{"metadata":{"name":"demo"},"spec":{"count":1}}'
    expect_status 409 AlreadyExists 'demos.app.rancherdesktop.io "demo" already exists'
    expect_details app.rancherdesktop.io demos demo
    run api POST /api/v1/namespaces -H "$JSON" -d '{"metadata":{"name":"default"}}'
    expect_status 409 AlreadyExists 'namespaces "default" already exists'
}

@test "409 Conflict: PUT with a stale resourceVersion" {
    local rv
    rv=$(rv_of "$CMS/existing")
    run api PUT "$CMS/existing" -H "$JSON" -d "{\"metadata\":{\"name\":\"existing\",\"resourceVersion\":\"$rv\"},\"data\":{\"a\":\"2\"}}"
    [ "${lines[-1]}" = 200 ]
    # the same resourceVersion again is stale now
    run api PUT "$CMS/existing" -H "$JSON" -d "{\"metadata\":{\"name\":\"existing\",\"resourceVersion\":\"$rv\"},\"data\":{\"a\":\"3\"}}"
    expect_status 409 Conflict 'Operation cannot be fulfilled on configmaps "existing"' \
        'the object has been modified'
    expect_details "" configmaps existing
    run api GET "$CMS/existing"
    [ "$(body | jq -r .data.a)" = 2 ]
    # on a custom kind and on its status subresource
    rv=$(rv_of "$DEMOS/demo")
    run api PUT "$DEMOS/demo" -H "$JSON" -d '{"metadata":{"name":"demo","resourceVersion":"1"},"spec":{"count":0}}'
    expect_status 409 Conflict 'demos.app.rancherdesktop.io "demo"' 'the object has been modified'
    run api PUT "$DEMOS/demo/status" -H "$JSON" -d '{"metadata":{"name":"demo","resourceVersion":"1"},"status":{}}'
    expect_status 409 Conflict '"demo"'
    # a patch carrying a stale resourceVersion
    run api PATCH "$CMS/existing" -H "$MERGE" -d '{"metadata":{"resourceVersion":"1"},"data":{"a":"4"}}'
    expect_status 409 Conflict '"existing"'
}

@test "409 Conflict: DELETE with failing preconditions" {
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"precond"}}'
    [ "${lines[-1]}" = 201 ]
    run api DELETE "$CMS/precond" -H "$JSON" -d '{"preconditions":{"resourceVersion":"1"}}'
    expect_status 409 Conflict '"precond"'
    run api DELETE "$CMS/precond" -H "$JSON" -d '{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}'
    expect_status 409 Conflict '"precond"' 00000000-0000-0000-0000-000000000000
    run api GET "$CMS/precond"
    [ "${lines[-1]}" = 200 ]
}

@test "400 BadRequest: DeleteOptions of the wrong shape are refused, not ignored" {
    # a client that sends preconditions must not lose them to a typo in their shape
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"shaped"}}'
    [ "${lines[-1]}" = 201 ]
    run api DELETE "$CMS/shaped" -H "$JSON" -d '{"preconditions":"x"}'
    expect_status 400 BadRequest preconditions
    run api DELETE "$CMS/shaped" -H "$JSON" -d '{"preconditions":{"uid":5}}'
    expect_status 400 BadRequest preconditions.uid
    run api DELETE "$CMS/shaped" -H "$JSON" -d '{"propagationPolicy":5}'
    expect_status 400 BadRequest propagationPolicy
    run api GET "$CMS/shaped"
    [ "${lines[-1]}" = 200 ]
}

# -------------------------------------------------------------------------------------------
# 422 Invalid

@test "422 Invalid: details.causes names each bad field of a Demo" {
    run api PUT "$DEMOS/demo" -H "$JSON" -d '{"metadata":{"name":"demo"},"spec":{"count":-1,"message":5}}'
    expect_status 422 Invalid 'Demo.app.rancherdesktop.io "demo" is invalid' spec.count spec.message
    expect_details app.rancherdesktop.io demos demo
    local b
    b=$(body)
    [ "$(jq -r '.details.causes | length' <<<"$b")" = 2 ]
    [ "$(jq -r '.details.causes[] | select(.field == "spec.count") | .reason' <<<"$b")" = FieldValueInvalid ]
    [[ "$(jq -r '.details.causes[] | select(.field == "spec.count") | .message' <<<"$b")" == *"-1"*"greater than or equal to 0"* ]]
    [ "$(jq -r '.details.causes[] | select(.field == "spec.message") | .reason' <<<"$b")" = FieldValueTypeInvalid ]
    [[ "$(jq -r '.details.causes[] | select(.field == "spec.message") | .message' <<<"$b")" == *string* ]]
    # nothing was stored
    run api GET "$DEMOS/demo"
    [ "$(body | jq -r .spec.count)" = 0 ]
}

@test "422 Invalid: wrong types of a whole section, on create and patch" {
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"typed"},"data":{"a":1,"b":true}}'
    expect_status 422 Invalid 'ConfigMap "typed" is invalid'
    local b
    b=$(body)
    [ "$(jq -r '.details.causes | length' <<<"$b")" = 2 ]
    [[ "$(jq -r '[.details.causes[].field] | join(" ")' <<<"$b")" == *a*b* ]]
    run api PATCH "$DEMOS/demo" -H "$MERGE" -d '{"spec":"a string"}'
    expect_status 422 Invalid '"demo" is invalid' spec
    [ "$(body | jq -r '.details.causes[0].field')" = spec ]
    run api PATCH "$DEMOS/demo" -H "$MERGE" -d '{"spec":{"count":"three"}}'
    expect_status 422 Invalid spec.count
}

@test "422 Invalid: names, required names and metadata" {
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"Bad_Name"}}'
    expect_status 422 Invalid '"Bad_Name" is invalid' metadata.name
    [ "$(body | jq -r '.details.causes[0].field')" = metadata.name ]
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{}}'
    expect_status 422 Invalid metadata.name 'Required value'
    [ "$(body | jq -r '.details.causes[0].reason')" = FieldValueRequired ]
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"bad-labels","labels":{"-x":"y"}}}'
    expect_status 422 Invalid metadata.labels
}

# -------------------------------------------------------------------------------------------
# 403 Forbidden

@test "403 Forbidden: admission denies a Demo not named demo" {
    run api POST "$DEMOS" -H "$JSON" -d '{"metadata":{"name":"other"},"spec":{"count":1}}'
    expect_status 403 Forbidden "Demo resource must be named 'demo'"
    expect_details app.rancherdesktop.io demos other
    run api GET "$DEMOS/other"
    [ "${lines[-1]}" = 404 ]
}

@test "403 Forbidden: the default namespace cannot be deleted" {
    run api DELETE /api/v1/namespaces/default
    expect_status 403 Forbidden 'namespaces "default"' 'may not be deleted'
    expect_details "" namespaces default
    run api DELETE /api/v1/namespaces/kube-system
    expect_status 403 Forbidden '"kube-system"'
    run api GET /api/v1/namespaces/default
    [ "${lines[-1]}" = 200 ]
    [ "$(body | jq -r .metadata.deletionTimestamp)" = null ]
}

# -------------------------------------------------------------------------------------------
# 400 BadRequest

@test "400 BadRequest: malformed JSON bodies, each with where and what" {
    run api POST "$CMS" -H "$JSON" -d "{'metadata':{'name':'x'}}"
    expect_status 400 BadRequest 'line 1 column 2' 'single quotes'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"},}'
    expect_status 400 BadRequest 'column 26' 'trailing comma'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x","name":"y"}}'
    expect_status 400 BadRequest 'duplicate key "name"'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"},"immutable":01}'
    expect_status 400 BadRequest 'leading zeros'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"} /* a comment */}'
    expect_status 400 BadRequest 'line 1 column 26'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"}} // trailing comment'
    expect_status 400 BadRequest 'column 27'
    run api POST "$CMS" -H "$JSON" -d $'{\n  "metadata": {\n    "name": "x"\n  }'
    expect_status 400 BadRequest 'line 4' 'end of input'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"}}{}'
    expect_status 400 BadRequest 'column 26'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x\u00"}}'
    expect_status 400 BadRequest 'column'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":NaN}}'
    expect_status 400 BadRequest 'column 21' NaN
    # nothing was created
    run api GET "$CMS/x"
    [ "${lines[-1]}" = 404 ]
}

@test "400 BadRequest: a body that is not an object, or has no body" {
    run api POST "$CMS" -H "$JSON" -d '[{"metadata":{"name":"x"}}]'
    expect_status 400 BadRequest 'must be a JSON object'
    run api POST "$CMS" -H "$JSON" -d '"text"'
    expect_status 400 BadRequest 'must be a JSON object'
    run api POST "$CMS" -H "$JSON"
    expect_status 400 BadRequest 'no body'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":"x"}'
    expect_status 400 BadRequest 'metadata must be a JSON object'
}

@test "400 BadRequest: apiVersion, kind, name and namespace that do not match the URL" {
    run api POST "$CMS" -H "$JSON" -d '{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"x"}}'
    expect_status 400 BadRequest '(v2)' '(v1)'
    run api POST "$CMS" -H "$JSON" -d '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}'
    expect_status 400 BadRequest '(Secret)' '(ConfigMap)'
    run api POST "$DEMOS" -H "$JSON" -d '{"apiVersion":"app.rancherdesktop.io/v1","kind":"Demo","metadata":{"name":"demo"}}'
    expect_status 400 BadRequest 'app.rancherdesktop.io/v1)' 'app.rancherdesktop.io/v1alpha1'
    run api PUT "$CMS/existing" -H "$JSON" -d '{"metadata":{"name":"another"}}'
    expect_status 400 BadRequest '(another)' '(existing)'
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"x","namespace":"kube-system"}}'
    expect_status 400 BadRequest '(kube-system)' '(default)'
}

@test "400 BadRequest: bad label and field selectors and query values" {
    run api GET "$CMS?labelSelector=a%3D%3D%3Db"
    expect_status 400 BadRequest 'invalid label selector "a===b"' 'offset'
    run api GET "$CMS?labelSelector=!!"
    expect_status 400 BadRequest 'invalid label selector "!!"'
    run api GET "$CMS?labelSelector=a+in+(b"
    expect_status 400 BadRequest 'invalid label selector'
    run api GET "$CMS?fieldSelector=spec.foo%3D1"
    expect_status 400 BadRequest '"spec.foo"' 'configmaps'
    run api GET "$CMS?limit=-1"
    expect_status 400 BadRequest limit '"-1"'
    run api GET "$CMS?limit=ten"
    expect_status 400 BadRequest limit '"ten"'
    run api GET "$CMS?watch=true&timeoutSeconds=x"
    expect_status 400 BadRequest timeoutSeconds '"x"'
    run api GET "$CMS?watch=true&resourceVersion=abc"
    expect_status 400 BadRequest resourceVersion '"abc"'
    run api GET "$CMS?continue=garbage"
    expect_status 400 BadRequest continue
    run api POST "$CMS?dryRun=Foo" -H "$JSON" -d '{"metadata":{"name":"x"}}'
    expect_status 400 BadRequest dryRun '"Foo"'
    run api POST "$CMS?fieldValidation=Foo" -H "$JSON" -d '{"metadata":{"name":"x"}}'
    expect_status 400 BadRequest fieldValidation '"Foo"'
    run api DELETE "$CMS/existing?propagationPolicy=Foo"
    expect_status 400 BadRequest propagationPolicy '"Foo"'
    run api GET "$CMS/existing?watch=true"
    expect_status 400 BadRequest 'fieldSelector'
    run api GET "$CMS/existing"
    [ "${lines[-1]}" = 200 ]
}

@test "400 BadRequest: booleans that are not booleans are refused, not read as false" {
    # a list that silently ignored watch=maybe would answer with a list a client takes for a watch
    run api GET "$CMS?watch=maybe"
    expect_status 400 BadRequest watch '"maybe"'
    run api GET "$CMS?watch=true&allowWatchBookmarks=perhaps"
    expect_status 400 BadRequest allowWatchBookmarks '"perhaps"'
    run api DELETE "$CMS/existing?orphanDependents=yes"
    expect_status 400 BadRequest orphanDependents '"yes"'
    run api GET "$CMS/existing"
    [ "${lines[-1]}" = 200 ]
    # Go's strconv.ParseBool spellings are all accepted
    run api GET "$CMS?watch=False"
    [ "${lines[-1]}" = 200 ]
    [ "$(body | jq -r .kind)" = ConfigMapList ]
    run curl -s --unix-socket "$RDD_SOCKET" -m 10 "http://localhost$CMS?watch=1&timeoutSeconds=1"
    [ "$(jq -r .type <<<"${lines[0]}")" = ADDED ]
}

@test "400 BadRequest and 410: resourceVersionMatch on lists as kube-apiserver checks it" {
    local rv
    run api GET "$CMS?resourceVersionMatch=NotOlderThan"
    expect_status 400 BadRequest resourceVersionMatch 'unless resourceVersion is provided'
    run api GET "$CMS?resourceVersionMatch=Sometimes&resourceVersion=1"
    expect_status 400 BadRequest resourceVersionMatch '"Sometimes"'
    run api GET "$CMS?resourceVersionMatch=Exact&resourceVersion=0"
    expect_status 400 BadRequest Exact
    run api GET "$CMS?resourceVersion=1&continue=abc"
    expect_status 400 BadRequest continue
    # NotOlderThan: any resourceVersion up to the current one lists the present
    run api GET "$CMS?resourceVersionMatch=NotOlderThan&resourceVersion=1"
    [ "${lines[-1]}" = 200 ]
    rv=$(body | jq -r .metadata.resourceVersion)
    # Exact: the present is served, the past is gone, the future is not there yet
    run api GET "$CMS?resourceVersionMatch=Exact&resourceVersion=$rv"
    [ "${lines[-1]}" = 200 ]
    [ "$(body | jq -r .metadata.resourceVersion)" = "$rv" ]
    run api GET "$CMS?resourceVersionMatch=Exact&resourceVersion=1"
    expect_status 410 Expired 'too old resource version: 1'
    run api GET "$CMS?resourceVersionMatch=NotOlderThan&resourceVersion=$((rv + 1000))"
    expect_status 504 Timeout 'Too large resource version'
}

@test "streaming lists: sendInitialEvents sends the present, then a bookmark that ends it" {
    local n
    run api GET "$CMS?watch=true&sendInitialEvents=true"
    expect_status 400 BadRequest 'NotOlderThan'
    run api GET "$CMS?watch=true&resourceVersionMatch=NotOlderThan"
    expect_status 400 BadRequest 'sendInitialEvents'
    run api GET "$CMS?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
    expect_status 400 BadRequest allowWatchBookmarks
    n=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$CMS" | jq '.items | length')
    run curl -s --unix-socket "$RDD_SOCKET" -m 10 \
        "http://localhost$CMS?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=1&timeoutSeconds=1"
    [ "${#lines[@]}" -eq $((n + 1)) ]
    [ "$(printf '%s\n' "${lines[@]:0:n}" | jq -r .type | sort -u)" = ADDED ]
    [ "$(jq -r .type <<<"${lines[n]}")" = BOOKMARK ]
    [ "$(jq -r '.object.metadata.annotations["k8s.io/initial-events-end"]' <<<"${lines[n]}")" = true ]
    [ "$(jq -r .object.kind <<<"${lines[n]}")" = ConfigMap ]
}

@test "400 BadRequest: server-side apply without a field manager" {
    run api PATCH "$CMS/existing" -H 'Content-Type: application/apply-patch+yaml' -d '{"data":{"a":"1"}}'
    expect_status 400 BadRequest fieldManager
    run api PATCH "$CMS/existing?fieldManager=me&force=maybe" -H 'Content-Type: application/apply-patch+yaml' -d '{"data":{"a":"1"}}'
    expect_status 400 BadRequest force '"maybe"'
}

@test "fieldValidation=Strict: an unknown field is 400 naming the field" {
    run api POST "$DEMOS?fieldValidation=Strict" -H "$JSON" -d '{"metadata":{"name":"demo"},"spec":{"foo":1}}'
    expect_status 400 BadRequest 'unknown field "spec.foo"' '"demo"'
    run api PUT "$DEMOS/demo?fieldValidation=Strict" -H "$JSON" -d '{"metadata":{"name":"demo"},"spec":{"count":0,"foo":1}}'
    expect_status 400 BadRequest 'unknown field "spec.foo"'
    run api PATCH "$DEMOS/demo?fieldValidation=Strict" -H "$MERGE" -d '{"spec":{"foo":1}}'
    expect_status 400 BadRequest 'unknown field "spec.foo"'
    run api POST "$CMS?fieldValidation=Strict" -H "$JSON" -d '{"metadata":{"name":"strict"},"spec":{"foo":1}}'
    expect_status 400 BadRequest 'unknown field "spec"'
    run api GET "$CMS/strict"
    [ "${lines[-1]}" = 404 ]
}

@test "fieldValidation=Warn (and the default): a Warning header names the field" {
    local headers="$BATS_TEST_TMPDIR/headers"
    run curl -s --unix-socket "$RDD_SOCKET" -D "$headers" -o /dev/null -w '%{http_code}' -X POST -H "$JSON" \
        -d '{"metadata":{"name":"warned"},"spec":{"foo":1}}' "http://localhost$CMS?fieldValidation=Warn"
    [ "$output" = 201 ]
    grep -qi '^Warning: 299 - "unknown field \\"spec\\""' "$headers"
    run curl -s --unix-socket "$RDD_SOCKET" -D "$headers" -o /dev/null -w '%{http_code}' -X PATCH -H "$MERGE" \
        -d '{"spec":{"foo":1}}' "http://localhost$DEMOS/demo"
    [ "$output" = 200 ]
    grep -qi '^Warning: 299 - "unknown field \\"spec.foo\\""' "$headers"
    # Ignore: no warning, and the field is dropped all the same
    run curl -s --unix-socket "$RDD_SOCKET" -D "$headers" -o /dev/null -w '%{http_code}' -X PATCH -H "$MERGE" \
        -d '{"spec":{"foo":1}}' "http://localhost$DEMOS/demo?fieldValidation=Ignore"
    [ "$output" = 200 ]
    run grep -ci '^Warning:' "$headers"
    [ "$output" = 0 ]
    run api GET "$DEMOS/demo"
    [ "$(body | jq -r '.spec | has("foo")')" = false ]
}

# -------------------------------------------------------------------------------------------
# 401 Unauthorized

@test "401 Unauthorized over HTTPS: no token, a wrong token, another scheme" {
    run https GET "$CMS/existing"
    expect_status 401 Unauthorized
    [[ "$output" != *existing* ]]
    run https GET "$CMS/existing" -H "Authorization: Bearer $(rdd_token)x"
    expect_status 401 Unauthorized
    run https GET "$CMS/existing" -H "Authorization: Bearer"
    expect_status 401 Unauthorized
    run https GET "$CMS/existing" -H "Authorization: Basic $(printf 'admin:%s' "$(rdd_token)" | base64 -w0)"
    expect_status 401 Unauthorized
    # writes are refused before the body is looked at
    run https POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"sneaky"}}'
    expect_status 401 Unauthorized
    run api GET "$CMS/sneaky"
    [ "${lines[-1]}" = 404 ]
    # and the token works
    run https GET "$CMS/existing" -H "Authorization: Bearer $(rdd_token)"
    [ "${lines[-1]}" = 200 ]
}

# -------------------------------------------------------------------------------------------
# 405 MethodNotAllowed

@test "405 MethodNotAllowed: methods a path does not take" {
    run api POST "$CMS/existing" -H "$JSON" -d '{"metadata":{"name":"existing"}}'
    expect_status 405 MethodNotAllowed POST 'configmaps "existing"'
    run api PUT "$CMS" -H "$JSON" -d '{"metadata":{"name":"x"}}'
    expect_status 405 MethodNotAllowed PUT configmaps
    run api PATCH "$CMS" -H "$MERGE" -d '{}'
    expect_status 405 MethodNotAllowed PATCH configmaps
    run api POST "$DEMOS/demo" -H "$JSON" -d '{}'
    expect_status 405 MethodNotAllowed POST demos.app.rancherdesktop.io
    run api DELETE "$DEMOS/demo/status"
    expect_status 405 MethodNotAllowed status
    run api POST /healthz
    expect_status 405 MethodNotAllowed healthz
    run api DELETE /api
    expect_status 405 MethodNotAllowed GET
    run api DELETE /apis/app.rancherdesktop.io/v1alpha1
    expect_status 405 MethodNotAllowed GET
    run api PURGE "$CMS/existing"
    expect_status 405 MethodNotAllowed PURGE
    run api GET "$CMS/existing"
    [ "${lines[-1]}" = 200 ]
}

@test "405 MethodNotAllowed: /version and /rdd/v1/plugins only answer GET" {
    run api POST /version -H "$JSON" -d '{}'
    expect_status 405 MethodNotAllowed version
    run api DELETE /rdd/v1/plugins
    expect_status 405 MethodNotAllowed plugins
}

# -------------------------------------------------------------------------------------------
# 410 Expired

@test "410 Expired: a watch from a resourceVersion the history no longer holds" {
    # the daemon keeps 20 events (--history-size 20): make more than that
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"churn"},"data":{"i":"0"}}'
    [ "${lines[-1]}" = 201 ]
    local i
    for i in $(seq 1 40); do
        curl -sf --unix-socket "$RDD_SOCKET" -X PATCH -H "$MERGE" -d "{\"data\":{\"i\":\"$i\"}}" \
            "http://localhost$CMS/churn" >/dev/null
    done
    run curl -s --unix-socket "$RDD_SOCKET" -m 10 -w '\n%{http_code}' "http://localhost$CMS?watch=true&resourceVersion=2"
    # a watch answers 200 and then an ERROR event carrying the 410 Status, and ends
    [ "${lines[-1]}" = 200 ]
    [ "${#lines[@]}" -eq 2 ]
    [ "$(jq -r .type <<<"${lines[0]}")" = ERROR ]
    [ "$(jq -r .object.kind <<<"${lines[0]}")" = Status ]
    [ "$(jq -r .object.code <<<"${lines[0]}")" = 410 ]
    [ "$(jq -r .object.reason <<<"${lines[0]}")" = Expired ]
    [[ "$(jq -r .object.message <<<"${lines[0]}")" == *"too old resource version: 2"* ]]
    # a recent resourceVersion still works: the watch replays what came after it
    local rv
    rv=$(rv_of "$CMS/churn")
    curl -sf --unix-socket "$RDD_SOCKET" -X PATCH -H "$MERGE" -d '{"data":{"i":"last"}}' "http://localhost$CMS/churn" >/dev/null
    run curl -s --unix-socket "$RDD_SOCKET" -m 10 "http://localhost$CMS?watch=true&resourceVersion=$rv&timeoutSeconds=1"
    [ "$(jq -r .type <<<"${lines[0]}")" = MODIFIED ]
    [ "$(jq -r .object.data.i <<<"${lines[0]}")" = last ]
}

# -------------------------------------------------------------------------------------------
# 413 RequestEntityTooLarge

big_body() {
    # a ConfigMap of about 3 MiB + 1 KiB
    local f="$BATS_TEST_TMPDIR/big.json"
    {
        printf '{"metadata":{"name":"big"},"data":{"a":"'
        head -c $((3 * 1024 * 1024 + 1024)) /dev/zero | tr '\0' x
        printf '"}}'
    } >"$f"
    echo "$f"
}

@test "413 RequestEntityTooLarge: a body over 3 MiB with Content-Length" {
    local f
    f=$(big_body)
    run api POST "$CMS" -H "$JSON" --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge "$(stat -c %s "$f") bytes" 3145728
    run api PUT "$CMS/existing" -H "$JSON" --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    run api PATCH "$CMS/existing" -H "$MERGE" --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    rdd_daemon_alive
    run api GET "$CMS/big"
    [ "${lines[-1]}" = 404 ]
}

@test "413 RequestEntityTooLarge: a chunked body over 3 MiB" {
    local f
    f=$(big_body)
    run api POST "$CMS" -H "$JSON" -H 'Transfer-Encoding: chunked' --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    run api PATCH "$CMS/existing" -H "$MERGE" -H 'Transfer-Encoding: chunked' --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    rdd_daemon_alive
    run api GET "$CMS/big"
    [ "${lines[-1]}" = 404 ]
}

@test "413 RequestEntityTooLarge over HTTPS, both ways" {
    local f
    f=$(big_body)
    run https POST "$CMS" -H "Authorization: Bearer $(rdd_token)" -H "$JSON" --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    run https POST "$CMS" -H "Authorization: Bearer $(rdd_token)" -H "$JSON" -H 'Transfer-Encoding: chunked' --data-binary "@$f"
    expect_status 413 RequestEntityTooLarge 3145728
    rdd_daemon_alive
}

@test "a chunked body under the limit is read whole" {
    run api POST "$CMS" -H "$JSON" -H 'Transfer-Encoding: chunked' -d '{"metadata":{"name":"chunked"},"data":{"a":"1"}}'
    [ "${lines[-1]}" = 201 ]
    [ "$(body | jq -r .data.a)" = 1 ]
}

# -------------------------------------------------------------------------------------------
# 415 UnsupportedMediaType

@test "415 UnsupportedMediaType: PATCH, POST and PUT with a content type the API does not read" {
    run api PATCH "$CMS/existing" -H 'Content-Type: text/plain' -d '{"data":{"a":"x"}}'
    expect_status 415 UnsupportedMediaType text/plain application/merge-patch+json
    expect_details "" configmaps existing
    run api PATCH "$CMS/existing" -H "$JSON" -d '{"data":{"a":"x"}}'
    expect_status 415 UnsupportedMediaType application/json
    run api POST "$CMS" -H 'Content-Type: text/plain' -d '{"metadata":{"name":"plain"}}'
    expect_status 415 UnsupportedMediaType text/plain application/json
    run api PUT "$CMS/existing" -H 'Content-Type: text/plain' -d '{"metadata":{"name":"existing"}}'
    expect_status 415 UnsupportedMediaType text/plain
    run api POST "$DEMOS" -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary 'k8s'
    expect_status 415 UnsupportedMediaType protobuf
    run api GET "$CMS/plain"
    [ "${lines[-1]}" = 404 ]
    run api GET "$CMS/existing"
    [ "$(body | jq -r .data.a)" != x ]
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
}
