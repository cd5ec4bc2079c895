#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# rdd get (every output form, namespaces, selectors, kind names, errors), rdd plugins, the
# kubectl passthrough rdd ctl, and rdd set/start/stop with their exit codes 2, 3 and 4.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup get
    "$RDD" svc start
    cli_create_demo 2
    "$RDD" ctl wait-condition demo/demo Completed --timeout 30s
    "$RDD" ctl create namespace other
    "$RDD" ctl create configmap web --from-literal=a=b
    "$RDD" ctl label configmap web tier=web
    "$RDD" ctl create configmap db --from-literal=a=b
    "$RDD" ctl label configmap db tier=db
    "$RDD" ctl -n other create configmap web2 --from-literal=x=y
    "$RDD" ctl -n other label configmap web2 tier=web
}

teardown_file() {
    cli_teardown
}

@test "get KIND prints the table of the kind's printer columns, as kubectl does" {
    run --separate-stderr "$RDD" get demo
    assert_status 0
    [ "${#lines[@]}" -eq 2 ]
    [[ "${lines[0]}" =~ ^NAME\ +MESSAGE\ +COUNT\ +PROCESSED\ +AGE$ ]]
    [[ "${lines[1]}" =~ ^demo\ +hello\ +2\ +2\ +[0-9]+s$ ]]
    # the same cells as kubectl's table (AGE aside)
    ours=$(printf '%s\n' "${lines[@]}" | awk '{ $NF = ""; print }')
    theirs=$(KUBECONFIG="$(cli_dir)/config.yaml" kubectl get demo | awk '{ $NF = ""; print }')
    [ "$ours" = "$theirs" ]
}

@test "get KIND NAME: one row; the kind by plural, singular, Kind or with its group" {
    for kind in demo demos Demo demos.app.rancherdesktop.io demo.app.rancherdesktop.io; do
        run --separate-stderr "$RDD" get "$kind" demo
        assert_status 0
        [ "${#lines[@]}" -eq 2 ]
        [[ "${lines[1]}" == demo\ * ]]
    done
    run --separate-stderr "$RDD" get cm web
    assert_status 0
    [[ "${lines[0]}" =~ ^NAME\ +DATA\ +AGE$ ]]
    [[ "${lines[1]}" =~ ^web\ +1\ + ]]
}

@test "get -o wide shows the table with every column" {
    run --separate-stderr "$RDD" get demo demo -o wide
    assert_status 0
    [[ "${lines[0]}" == NAME* ]]
    [[ "${lines[1]}" == demo* ]]
}

@test "get -o json and --json print the object; a list is a List" {
    run --separate-stderr "$RDD" get demo demo -o json
    assert_status 0
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["kind"] == "Demo" and d["metadata"]["name"] == "demo", d
assert d["status"]["processedCount"] == 2, d'
    run --separate-stderr "$RDD" get demo demo --json
    echo "$output" | python3 -c 'import json,sys; assert json.load(sys.stdin)["kind"] == "Demo"'
    run --separate-stderr "$RDD" --json get configmaps
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["kind"] == "ConfigMapList", d["kind"]
names = sorted(i["metadata"]["name"] for i in d["items"])
assert "web" in names and "db" in names and "web2" not in names, names'
}

@test "get -o yaml prints YAML" {
    run --separate-stderr "$RDD" get demo demo -o yaml
    assert_status 0
    [ "${lines[0]}" = "apiVersion: app.rancherdesktop.io/v1alpha1" ]
    assert_output_contains "kind: Demo"
    assert_output_contains "  name: demo"
    assert_output_contains "  processedCount: 2"
    run --separate-stderr "$RDD" get cm web -o yaml
    assert_output_contains "  a: b"
}

@test "get -o name prints kind.group/name, as kubectl -o name does" {
    run --separate-stderr "$RDD" get demo demo -o name
    assert_status 0
    [ "$output" = "demo.app.rancherdesktop.io/demo" ]
    run --separate-stderr "$RDD" get configmaps -o name -l tier
    [ "$output" = "$(printf 'configmap/db\nconfigmap/web')" ]
    run --separate-stderr "$RDD" get namespaces -o name
    assert_output_contains "namespace/other"
}

@test "get -n, -A and -l select namespaces and labels" {
    run --separate-stderr "$RDD" get cm -n other -o name
    [ "$output" = configmap/web2 ]
    run --separate-stderr "$RDD" get configmaps --namespace=other -l tier=web
    [[ "${lines[1]}" == web2\ * ]]
    run --separate-stderr "$RDD" get cm -A -l tier=web
    assert_status 0
    [[ "${lines[0]}" =~ ^NAMESPACE\ +NAME\ +DATA\ +AGE$ ]]
    [ "${#lines[@]}" -eq 3 ]
    [[ "$output" =~ default\ +web\  ]]
    [[ "$output" =~ other\ +web2\  ]]
    run --separate-stderr "$RDD" get cm --all-namespaces --selector 'tier!=web' -o name
    [ "$output" = configmap/db ]
}

@test "get of nothing says so on stderr and exits 0" {
    run --separate-stderr "$RDD" get cm -n empty
    assert_status 0
    [ -z "$output" ]
    [ "$stderr" = "No resources found in empty namespace." ]
    run --separate-stderr "$RDD" get cm -l tier=none
    assert_status 0
    [ "$stderr" = "No resources found in default namespace." ]
}

@test "get errors: unknown kind and missing object exit 1, bad flags exit 2" {
    run "$RDD" get frobs
    assert_status 1
    assert_output_contains "the server doesn't have a resource type \\\"frobs\\\""
    run "$RDD" get demo nosuch
    assert_status 1
    assert_output_contains 'demos.app.rancherdesktop.io \"nosuch\" not found'
    run "$RDD" get demo -o xml
    assert_status 2
    assert_output_contains 'unknown output format \"xml\"; valid formats: table, wide, json, yaml, name'
    run "$RDD" get cm web -A
    assert_status 2
    assert_output_contains 'a name cannot be given with --all-namespaces'
    run "$RDD" get cm -l 'tier in (web'
    assert_status 1
}

@test "the daemon lists its kinds in kinds.json (0600, with its pid), and get resolves from it" {
    local file pid saved
    file="$(cli_dir)/kinds.json"
    pid=$(cli_daemon_pid)
    [ -f "$file" ]
    [ "$(stat -c %a "$file")" = 600 ]
    [ "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$file")" = "$pid" ]
    # the same kinds as /rdd/v1/kinds
    run /usr/bin/python3 -c '
import json, subprocess, sys
f = json.load(open(sys.argv[1]))
a = subprocess.run(["curl", "-sf", "--unix-socket", sys.argv[2], "http://x/rdd/v1/kinds"],
                   capture_output=True, check=True).stdout
print(f["items"] == json.loads(a)["items"])' "$file" "$(cli_dir)/rdd.sock"
    [ "$output" = True ]

    # rdd reads the file: a short name only the file knows resolves, with no request for it
    saved=$(cat "$file")
    /usr/bin/python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))
for item in f["items"]:
    if item["kind"] == "ConfigMap":
        item["shortNames"].append("zzcm")
open(sys.argv[1], "w").write(json.dumps(f))' "$file"
    run --separate-stderr "$RDD" get zzcm web
    assert_status 0
    [[ "${lines[1]}" =~ ^web\ + ]]

    # a file of another daemon (pid) is ignored: the daemon is asked
    /usr/bin/python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))
f["pid"] = f["pid"] + 100000
open(sys.argv[1], "w").write(json.dumps(f))' "$file"
    run "$RDD" get zzcm web
    assert_status 1
    assert_output_contains "the server doesn't have a resource type \\\"zzcm\\\""
    run --separate-stderr "$RDD" get demo demo
    assert_status 0

    # a kind the file lacks, or a damaged file: the daemon is asked
    echo "{\"pid\": $pid, \"items\": []}" >"$file"
    run --separate-stderr "$RDD" get cm web
    assert_status 0
    printf 'not json' >"$file"
    run --separate-stderr "$RDD" get cm web
    assert_status 0
    rm -f "$file"
    run --separate-stderr "$RDD" get cm web
    assert_status 0
    printf '%s' "$saved" >"$file"
}

@test "plugins lists each plugin with state, version, group and controllers; --json too" {
    run --separate-stderr "$RDD" plugins
    assert_status 0
    [[ "${lines[0]}" =~ ^NAME\ +STATE\ +VERSION\ +GROUP\ +CONTROLLERS\ +ERROR$ ]]
    [[ "$output" =~ demo\ +loaded\ +[0-9.]+\ +app.rancherdesktop.io\ +demo\ +- ]]
    [[ "$output" =~ app\ +loaded\ + ]]
    run --separate-stderr "$RDD" plugins --json
    assert_status 0
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = {i["name"]: i for i in d["items"]}
assert names["demo"]["state"] == "loaded", names'
    run "$RDD" plugins extra
    assert_status 2
}

@test "ctl runs kubectl on the instance's kubeconfig, whatever KUBECONFIG says" {
    KUBECONFIG=/nonexistent/config run --separate-stderr "$RDD" ctl get demo demo -o name
    assert_status 0
    [ "$output" = demo.app.rancherdesktop.io/demo ]
    run --separate-stderr "$RDD" ctl config current-context
    [ "$output" = "rancher-desktop-$RDD_INSTANCE" ]
    run --separate-stderr "$RDD" ctl get --raw /passthrough/demo/hello/x
    assert_status 0
    assert_output_contains "Hello, world!"
}

@test "ctl passes kubectl's exit code through" {
    run "$RDD" ctl get demo nosuch
    assert_status 1
    assert_output_contains 'NotFound'
    run "$RDD" ctl get --help
    assert_status 0
    assert_output_contains "kubectl get"
}

@test "stop without an App does nothing and says so" {
    run "$RDD" --log-level info stop
    assert_status 0
    assert_output_contains "App does not exist; nothing to stop"
    run "$RDD" get apps -o name
    [ -z "$output" ]
}

@test "set --help appends the properties after the options" {
    run --separate-stderr "$RDD" set --help
    assert_status 0
    assert_output_contains "--dry-run"
    assert_output_contains "Available properties:"
    [[ "$output" =~ running\ +\(boolean\)\ Running ]]
    [[ "$output" =~ containerEngine\.name\ +\(moby\|containerd\) ]]
    [[ "$output" =~ kubernetes\ +\(object\) ]]
    # after the options
    opts=$(grep -n -- '--dry-run' <<<"$output" | cut -d: -f1)
    props=$(grep -n 'Available properties:' <<<"$output" | cut -d: -f1)
    [ "$props" -gt "$opts" ]
    # wrapped to the terminal width
    COLUMNS=50 run --separate-stderr "$RDD" set --properties
    assert_status 0
    width=$(printf '%s\n' "${lines[@]}" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
    [ "$width" -le 50 ]
}

@test "set: bad properties and values exit 2 with the reference's messages" {
    run "$RDD" set running
    assert_status 2
    assert_output_contains 'invalid argument \"running\": expected PROPERTY=VALUE format'
    run "$RDD" set =true
    assert_status 2
    assert_output_contains 'property name must not be empty'
    run "$RDD" set frob=1
    assert_status 2
    assert_output_contains 'frob: unknown property \"frob\"; valid properties: containerEngine.name'
    run "$RDD" set kubernetes.frob=1
    assert_status 2
    assert_output_contains 'unknown property \"frob\" under \"kubernetes\"'
    run "$RDD" set running.x=1
    assert_status 2
    assert_output_contains '\"running\" is not an object and has no sub-properties'
    run "$RDD" set kubernetes=1
    assert_status 2
    assert_output_contains '\"kubernetes\" is an object; set its fields, e.g. \"kubernetes.enabled\"'
    run "$RDD" set running=maybe
    assert_status 2
    assert_output_contains 'running: expected boolean; use \"true\" or \"false\"'
    run "$RDD" set vm.cpus=many
    assert_status 2
    assert_output_contains 'vm.cpus: expected integer'
    run "$RDD" set containerEngine.name=podman
    assert_status 2
    assert_output_contains 'invalid value \"podman\" for \"containerEngine.name\": valid values: moby, containerd'
}

@test "set --dry-run validates and prints the result without changing the App" {
    run --separate-stderr "$RDD" --log-level info set --dry-run vm.cpus=3
    assert_status 0
    assert_output_contains "kind: App"
    assert_output_contains "cpus: 3"
    [[ "$stderr" == *"App validated (dry run)"* ]]
    run --separate-stderr "$RDD" get app app -o json
    [[ "$output" != *'"cpus": 3'* ]]
    run --separate-stderr "$RDD" set --dry-run --json vm.cpus=3
    echo "$output" | python3 -c 'import json,sys; assert json.load(sys.stdin)["spec"]["vm"]["cpus"] == 3'
}

@test "set refused by admission exits 3" {
    run "$RDD" set vm.cpus=0 --wait=false
    assert_status 3
    assert_output_contains 'spec.vm.cpus'
    assert_output_contains 'level=fatal'
}

@test "set that does not settle in time exits 4" {
    run "$RDD" set vm.cpus=2 --timeout 1s
    assert_status 4
    assert_output_contains 'timed out waiting for App state: context deadline exceeded'
}

@test "set --wait=false, start --wait=false and stop --wait=false write and return" {
    run --separate-stderr "$RDD" --log-level info set vm.cpus=4 --wait=false
    assert_status 0
    [[ "$stderr" == *"App updated"* ]]
    run --separate-stderr "$RDD" get app app -o json
    echo "$output" | python3 -c 'import json,sys; assert json.load(sys.stdin)["spec"]["vm"]["cpus"] == 4'
    run "$RDD" start --wait=false
    assert_status 0
    run --separate-stderr "$RDD" get app app -o json
    echo "$output" | python3 -c 'import json,sys; assert json.load(sys.stdin)["spec"]["running"] is True'
    run "$RDD" stop --wait=false
    assert_status 0
    run --separate-stderr "$RDD" get app app -o json
    echo "$output" | python3 -c 'import json,sys; assert json.load(sys.stdin)["spec"]["running"] is False'
}

@test "a kinds.json the daemon cannot write is a warning, not a failure: get asks the daemon" {
    local file log
    file="$(cli_dir)/kinds.json"
    log="$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE/rdd.stderr.log"
    run "$RDD" svc stop --wait
    assert_status 0
    rm -f "$file"
    mkdir "$file"
    run "$RDD" svc start
    assert_status 0
    run --separate-stderr "$RDD" get cm web
    assert_status 0
    [[ "${lines[1]}" =~ ^web\ + ]]
    grep -q "level=warning.*cannot write .*kinds.json" "$log"
    run "$RDD" svc stop --wait
    rmdir "$file"
    run "$RDD" svc start
    assert_status 0
    [ -f "$file" ]
}
