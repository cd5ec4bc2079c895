#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The io.rancherdesktop.Rdd1 interface of a real rdd-daemon (with the app plugin) on a private
# session bus that this file starts itself, driven with gdbus: the well-known name, introspection,
# every method, the properties, PropertiesChanged, named errors, and running without a bus.

bats_require_minimum_version 1.5.0

load helpers

OBJ=/io/rancherdesktop/Rdd1
IFACE=io.rancherdesktop.Rdd1
APP=/apis/app.rancherdesktop.io/v1alpha1/apps/app
MERGE='Content-Type: application/merge-patch+json'

setup_file() {
    require_command gdbus "package libglib2.0-bin"
    require_command dbus-daemon "package dbus"
    require_command jq
    require_command curl
    if [ ! -f "$RDD_BUILD_ROOT/plugins/app/libapp.so" ]; then
        skip "the app plugin is not built"
    fi
    if ldd "$RDD_DAEMON" 2>/dev/null | grep -q libasan; then
        # full stacks at malloc, so that the library suppressions of tests/lsan.supp match
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    fi
    # a private session bus for this file, never the user's
    local out
    out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
    DBUS_SESSION_BUS_ADDRESS=$(echo "$out" | sed -n 1p)
    RDD_DBUS_DAEMON_PID=$(echo "$out" | sed -n 2p)
    export DBUS_SESSION_BUS_ADDRESS RDD_DBUS_DAEMON_PID
    rdd_daemon_start --no-persist --plugin-dir "$RDD_BUILD_ROOT/plugins/app"
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
    RDD_BUS_NAME="io.rancherdesktop.Rdd1.Instance_$RDD_INSTANCE"
    export RDD_BUS_NAME
    wait_for_name "$RDD_BUS_NAME" true
}

teardown_file() {
    rdd_daemon_stop
    if [ -n "${RDD_DBUS_DAEMON_PID:-}" ]; then
        kill "$RDD_DBUS_DAEMON_PID" 2>/dev/null || true
    fi
}

# has_owner NAME: prints true or false
has_owner() {
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner "$1" | tr -d '(),'
}

# wait_for_name NAME true|false: waits up to 10 s for NAME to be owned (or not)
wait_for_name() {
    local _
    for _ in $(seq 1 100); do
        [ "$(has_owner "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "the bus name $1 did not become owned=$2" >&2
    return 1
}

rdd_call() {
    local method=$1
    shift
    gdbus call --session --dest "$RDD_BUS_NAME" --object-path "$OBJ" --method "$IFACE.$method" "$@"
}

rdd_property() {
    gdbus call --session --dest "$RDD_BUS_NAME" --object-path "$OBJ" \
        --method org.freedesktop.DBus.Properties.Get "$IFACE" "$1"
}

# the JSON string inside gdbus's ('...',) output
gvariant_string() {
    python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())[0])'
}

@test "the daemon owns the well-known name of its instance" {
    run has_owner "$RDD_BUS_NAME"
    [ "$output" = true ]
    grep -q "D-Bus: owning $RDD_BUS_NAME on the session bus" "$RDD_TEST_TMP/daemon.log"
}

@test "gdbus introspect shows the interface of schemas/io.rancherdesktop.Rdd1.xml" {
    run gdbus introspect --session --dest "$RDD_BUS_NAME" --object-path "$OBJ"
    [ "$status" -eq 0 ]
    [[ "$output" == *"interface io.rancherdesktop.Rdd1 {"* ]]
    for method in 'Start(' 'Stop(' 'Set(' 'GetApp(' 'ListPlugins(' 'in  a{ss} properties' \
        'out x generation' 'out s json'; do
        [[ "$output" == *"$method"* ]] || { echo "missing $method" >&2; return 1; }
    done
    for property in 'readonly b Running' 'readonly b Settled' "readonly s State = 'absent'" \
        'readonly s Reason' 'readonly s Message' 'readonly s ContainerEngine' \
        'readonly b KubernetesEnabled' 'readonly s Version'; do
        [[ "$output" == *"$property"* ]] || { echo "missing $property" >&2; return 1; }
    done
    # the doc strings travel with the introspection data
    [[ "$output" == *'@org.gtk.GDBus.DocString("Asks for the container engine to run'* ]]
    # the same members with the same arguments and types as the source XML
    gdbus introspect --session --dest "$RDD_BUS_NAME" --object-path "$OBJ" --xml >"$RDD_TEST_TMP/exported.xml"
    run python3 - "$RDD_TEST_TMP/exported.xml" "$RDD_SOURCE_ROOT/schemas/io.rancherdesktop.Rdd1.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

def members(path):
    iface = [i for i in ET.parse(path).getroot().iter("interface") if i.get("name") == "io.rancherdesktop.Rdd1"][0]
    out = []
    for m in iface.iter("method"):
        args = [(a.get("name"), a.get("type"), a.get("direction", "in")) for a in m.iter("arg")]
        out.append(("method", m.get("name"), tuple(args)))
    for p in iface.iter("property"):
        out.append(("property", p.get("name"), p.get("type"), p.get("access")))
    return sorted(out)

exported, source = members(sys.argv[1]), members(sys.argv[2])
print(len(source))
sys.exit(0 if exported == source else 1)
PY
    [ "$status" -eq 0 ]
    [ "$output" = 13 ]
}

@test "before there is an App every property has its empty value" {
    run gdbus call --session --dest "$RDD_BUS_NAME" --object-path "$OBJ" \
        --method org.freedesktop.DBus.Properties.GetAll "$IFACE"
    [ "$status" -eq 0 ]
    [[ "$output" == *"'Running': <false>"* ]]
    [[ "$output" == *"'Settled': <false>"* ]]
    [[ "$output" == *"'State': <'absent'>"* ]]
    [[ "$output" == *"'ContainerEngine': <''>"* ]]
    version=$("$RDD_DAEMON" --version | awk '{print $2}')
    run rdd_property Version
    [ "$output" = "(<'$version'>,)" ]
}

@test "Stop without an App returns 0 and creates nothing" {
    run rdd_call Stop
    [ "$status" -eq 0 ]
    [ "$output" = "(int64 0,)" ]
    run api GET "$APP"
    [ "${lines[-1]}" = 404 ]
}

@test "GetApp without an App is NotFound" {
    run rdd_call GetApp
    [ "$status" -ne 0 ]
    [[ "$output" == *'GDBus.Error:io.rancherdesktop.Rdd.Error.NotFound: '*'"app" not found'* ]]
}

@test "Set refuses bad input with io.rancherdesktop.Rdd.Error.Invalid and writes nothing" {
    run rdd_call Set "{'x': 'y'}"
    [ "$status" -ne 0 ]
    [[ "$output" == *'GDBus.Error:io.rancherdesktop.Rdd.Error.Invalid: x: unknown property "x"; valid properties: containerEngine.name, kubernetes.enabled, kubernetes.version, running, vm.cpus, vm.hostDockerSocket, vm.memory, vm.type'* ]]
    run rdd_call Set "{'namespace': 'elsewhere'}"
    [[ "$output" == *"io.rancherdesktop.Rdd.Error.Invalid: namespace: the App's namespace cannot be set"* ]]
    run rdd_call Set "{'running': 'yes'}"
    [[ "$output" == *'io.rancherdesktop.Rdd.Error.Invalid: running: invalid value "yes": expected boolean; use "true" or "false"'* ]]
    run rdd_call Set "{'containerEngine.name': 'docker'}"
    [[ "$output" == *'valid values: moby, containerd'* ]]
    run rdd_call Set "{'vm.cpus': 'many', 'running': 'true'}"
    [[ "$output" == *'io.rancherdesktop.Rdd.Error.Invalid: vm.cpus: invalid value "many": expected integer'* ]]
    run rdd_call Set "{}"
    [[ "$output" == *'io.rancherdesktop.Rdd.Error.Invalid: no properties given'* ]]
    # gdbus checks the types itself; an extra argument gets through to the daemon
    run rdd_call Set "{'running': 'true'}" extra
    [[ "$output" == *'GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs'* ]]
    run api GET "$APP"
    [ "${lines[-1]}" = 404 ]
}

@test "a write the app plugin's admission refuses is Forbidden with its message" {
    run rdd_call Set "{'kubernetes.enabled': 'true', 'kubernetes.version': '9.9.9'}"
    [ "$status" -ne 0 ]
    [[ "$output" == *'GDBus.Error:io.rancherdesktop.Rdd.Error.Forbidden: admission hook "app-validator" denied the request: spec.kubernetes.version "9.9.9" is not supported'* ]]
    run api GET "$APP"
    [ "${lines[-1]}" = 404 ]
}

@test "Start creates the App; GetApp returns what the HTTP API serves" {
    run rdd_call Start
    [ "$status" -eq 0 ]
    [ "$output" = "(int64 1,)" ]
    run rdd_property Running
    [ "$output" = "(<true>,)" ]
    run rdd_property ContainerEngine
    [ "$output" = "(<'moby'>,)" ]
    run rdd_property State
    # the lima plugin is not loaded, so the VM never comes up
    [[ "$output" == "(<'starting'>,)" || "$output" == "(<'error'>,)" ]]
    dbus_json=$(rdd_call GetApp | gvariant_string)
    http_json=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$APP")
    [ "$(echo "$dbus_json" | jq -c '{uid: .metadata.uid, spec}')" = \
        "$(echo "$http_json" | jq -c '{uid: .metadata.uid, spec}')" ]
    [ "$(echo "$dbus_json" | jq -r .spec.running)" = true ]
    [ "$(echo "$dbus_json" | jq -r .spec.containerEngine.name)" = moby ]
}

@test "Set merges into the App and returns the new generation" {
    rdd_call Start >/dev/null
    before=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$APP" | jq .metadata.generation)
    run rdd_call Set "{'kubernetes.enabled': 'true', 'kubernetes.version': 'v1.33'}"
    [ "$status" -eq 0 ]
    generation=$(echo "$output" | sed -E 's/^\(int64 ([0-9]+),\)$/\1/')
    [ "$generation" -gt "$before" ]
    app=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$APP")
    [ "$(echo "$app" | jq .metadata.generation)" -ge "$generation" ]
    # the app plugin's defaulter resolved the channel
    [ "$(echo "$app" | jq -r .spec.kubernetes.version)" = 1.33.10 ]
    [ "$(echo "$app" | jq -r .spec.running)" = true ]
    run rdd_property KubernetesEnabled
    [ "$output" = "(<true>,)" ]
}

@test "a change made over HTTP is announced with PropertiesChanged" {
    rdd_call Start >/dev/null
    gdbus monitor --session --dest "$RDD_BUS_NAME" --object-path "$OBJ" >"$RDD_TEST_TMP/monitor.log" 2>&1 &
    monitor=$!
    for _ in $(seq 1 50); do
        grep -q 'Monitoring signals' "$RDD_TEST_TMP/monitor.log" && break
        sleep 0.1
    done
    run api PATCH "$APP" -H "$MERGE" -d '{"spec":{"containerEngine":{"name":"containerd"}}}'
    [ "${lines[-1]}" = 200 ]
    for _ in $(seq 1 50); do
        grep -q "'ContainerEngine': <'containerd'>" "$RDD_TEST_TMP/monitor.log" && break
        sleep 0.1
    done
    kill "$monitor"
    wait "$monitor" 2>/dev/null || true
    cat "$RDD_TEST_TMP/monitor.log"
    grep -q "org.freedesktop.DBus.Properties.PropertiesChanged ('io.rancherdesktop.Rdd1', {.*'ContainerEngine': <'containerd'>" "$RDD_TEST_TMP/monitor.log"
    # only what changed: the engine, not the running state or the version
    changed=$(grep "'ContainerEngine': <'containerd'>" "$RDD_TEST_TMP/monitor.log")
    [[ "$changed" != *"'Running'"* ]]
    [[ "$changed" != *"'Version'"* ]]
    [[ "$changed" != *"'KubernetesEnabled'"* ]]
    run rdd_property ContainerEngine
    [ "$output" = "(<'containerd'>,)" ]
}

@test "ListPlugins is the document of GET /rdd/v1/plugins" {
    dbus_json=$(rdd_call ListPlugins | gvariant_string)
    http_json=$(curl -sf --unix-socket "$RDD_SOCKET" http://localhost/rdd/v1/plugins)
    # the controllers' counters move while the app controller retries; the rest is identical
    normalize='del(.items[].controllers[].reconciles, .items[].controllers[].errors, .items[].controllers[].lastError)'
    [ "$(echo "$dbus_json" | jq -S "$normalize")" = "$(echo "$http_json" | jq -S "$normalize")" ]
    [ "$(echo "$dbus_json" | jq -r .kind)" = PluginList ]
    [ "$(echo "$dbus_json" | jq -r '[.items[].name] | sort | join(",")')" = app,demo ]
    # the keys in the order the HTTP API writes them
    [ "$(echo "$dbus_json" | jq -c 'keys_unsorted')" = '["apiVersion","items","kind"]' ]
}

@test "Stop after Start sets running to false" {
    rdd_call Start >/dev/null
    run rdd_call Stop
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^\(int64\ [0-9]+,\)$ ]]
    run rdd_property Running
    [ "$output" = "(<false>,)" ]
    [ "$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$APP" | jq -r .spec.running)" = false ]
}

# a second daemon of its own; the arguments go to env(1) first, e.g. -u VAR
second_daemon_start() {
    SECOND_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rdd-it2.XXXXXX")
    mkdir -p "$SECOND_TMP/home" "$SECOND_TMP/run"
    chmod 700 "$SECOND_TMP/run"
    SECOND_SOCKET="$SECOND_TMP/home/.local/share/rancher-desktop-$SECOND_INSTANCE/rdd.sock"
    env "$@" HOME="$SECOND_TMP/home" XDG_DATA_HOME="$SECOND_TMP/home/.local/share" \
        XDG_STATE_HOME="$SECOND_TMP/home/.local/state" XDG_CONFIG_HOME="$SECOND_TMP/home/.config" \
        XDG_RUNTIME_DIR="$SECOND_TMP/run" \
        "$RDD_DAEMON" --log-level info --no-persist --instance "$SECOND_INSTANCE" --secure-port 0 \
        --plugin-dir "$RDD_BUILD_ROOT/plugins/app" >"$SECOND_TMP/daemon.log" 2>&1 &
    SECOND_PID=$!
    for _ in $(seq 1 100); do
        if curl -sf --unix-socket "$SECOND_SOCKET" http://localhost/readyz >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$SECOND_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$SECOND_TMP/daemon.log" >&2
    return 1
}

second_daemon_stop() {
    kill -TERM "$SECOND_PID" 2>/dev/null || true
    wait "$SECOND_PID" 2>/dev/null || true
    rm -rf "$SECOND_TMP"
}

@test "an instance suffix with other characters maps to underscores; the name goes at shutdown" {
    SECOND_INSTANCE="it-$$.b"
    second_daemon_start
    name="io.rancherdesktop.Rdd1.Instance_it_$$_b"
    wait_for_name "$name" true
    run gdbus call --session --dest "$name" --object-path "$OBJ" --method "$IFACE.Stop"
    [ "$output" = "(int64 0,)" ]
    kill -TERM "$SECOND_PID"
    wait "$SECOND_PID" 2>/dev/null || true
    run has_owner "$name"
    [ "$output" = false ]
    second_daemon_stop
}

@test "without a session bus the daemon runs, serves HTTP and says so at info level" {
    SECOND_INSTANCE="nobus$$"
    second_daemon_start -u DBUS_SESSION_BUS_ADDRESS
    grep -q 'D-Bus: no session bus' "$SECOND_TMP/daemon.log"
    run has_owner "io.rancherdesktop.Rdd1.Instance_nobus$$"
    [ "$output" = false ]
    curl -sf --unix-socket "$SECOND_SOCKET" http://localhost/healthz
    second_daemon_stop
}

@test "at SIGTERM the daemon releases its name and exits cleanly, with no sanitizer report" {
    rdd_daemon_alive
    kill -TERM "$RDD_DAEMON_PID"
    local _
    for _ in $(seq 1 150); do
        [ -d "/proc/$RDD_DAEMON_PID" ] || break
        [ "$(awk '{print $3}' "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null)" = Z ] && break
        sleep 0.1
    done
    # read the stat line once: the zombie may be reaped at any moment
    local stat
    stat=$(cat "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null || true)
    if [ -n "$stat" ]; then
        [ "$(echo "$stat" | awk '{print $3}')" = Z ]
        [ "$(echo "$stat" | awk '{print $NF}')" = 0 ]
    fi
    run has_owner "$RDD_BUS_NAME"
    [ "$output" = false ]
    grep -B2 -A40 -E 'Sanitizer|runtime error:|level=(error|fatal)' "$RDD_TEST_TMP/daemon.log" >&2 || true
    run cat "$RDD_TEST_TMP/daemon.log"
    [[ "$output" != *"Sanitizer"* ]]
    [[ "$output" != *"runtime error:"* ]]
    # criticals are logged as level=error
    [[ "$output" != *"level=error"* && "$output" != *"level=fatal"* ]]
    # D-Bus said nothing worse than info
    [[ "$output" != *"level=warning domain=RddDaemon msg=\"D-Bus"* ]]
}
