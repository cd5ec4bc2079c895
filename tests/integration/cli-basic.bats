#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The rdd CLI without a daemon: global flags, version, help for every command, svc paths in
# all its formats, bad input and the usage exit code, bash completion. Nothing here may start
# a daemon: the last test checks that none did.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup basic
}

teardown_file() {
    cli_teardown
}

# every command of the registry, as `rdd --help` lists it
COMMANDS=("version" "svc create" "svc start" "svc stop" "svc delete" "svc status" "svc logs"
    "svc log" "svc config" "svc paths" "get" "ctl wait-condition" "plugins" "start" "stop")

@test "rdd version and --version print the same version" {
    run "$RDD" version
    assert_status 0
    [[ "$output" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]
    version=$output
    run "$RDD" --version
    assert_status 0
    [ "$output" = "$version" ]
    run "$RDD" --version=true
    [ "$output" = "$version" ]
}

@test "--version=raw prints the build details, any other value verbatim" {
    run "$RDD" --version=raw
    assert_status 0
    [[ "${lines[0]}" =~ ^Version:\ +v[0-9] ]]
    assert_output_contains "GitCommit:"
    assert_output_contains "BuildDate:"
    assert_output_contains "Platform:   linux/"
    run "$RDD" --version=1.2.3-custom
    assert_status 0
    [ "$output" = "1.2.3-custom" ]
}

@test "rdd version --json is a JSON object with the version" {
    run "$RDD" version --json
    assert_status 0
    v=$(echo "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
    [ "$v" = "$("$RDD" version)" ]
}

@test "rdd --help lists every command, the global options and the exit codes" {
    run "$RDD" --help
    assert_status 0
    for cmd in "${COMMANDS[@]}"; do
        [ "$cmd" = "svc log" ] && continue # hidden alias of svc logs
        assert_output_contains "  $cmd"
    done
    for flag in --instance --log-level --log-format --json --version; do
        assert_output_contains "$flag"
    done
    assert_output_contains "Exit codes: 0 success, 1 error, 2 usage, 3 admission rejection, 4 timeout."
    run "$RDD" -h
    assert_status 0
    assert_output_contains "Commands:"
    run "$RDD" help
    assert_status 0
    assert_output_contains "Commands:"
}

@test "--help works for every command, exits 0 and shows its description" {
    for cmd in "${COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        run "$RDD" $cmd --help
        assert_status 0
        assert_output_contains "Usage:"
        assert_output_contains "rdd $cmd"
        assert_output_contains "--log-level"
    done
    run "$RDD" svc start --help
    assert_output_contains "Start the control plane"
    assert_output_contains "--timeout=DURATION"
    run "$RDD" get --help
    assert_output_contains "--output=FORMAT"
    assert_output_contains "KIND [NAME]"
    run "$RDD" ctl wait-condition --help
    assert_output_contains "--reason=REASON"
    assert_output_contains "--since=TIME"
    run "$RDD" ctl --help
    assert_status 0
    assert_output_contains "kubectl"
}

@test "rdd help COMMAND is COMMAND --help; rdd svc --help lists the svc commands" {
    run "$RDD" help svc paths
    assert_status 0
    assert_output_contains "rdd svc paths"
    assert_output_contains "--output=FORMAT"
    run "$RDD" svc --help
    assert_status 0
    for sub in create start stop delete status logs config paths; do
        assert_output_contains "svc $sub"
    done
    refute_output_contains "plugins"
    run "$RDD" service --help
    assert_status 0
    assert_output_contains "svc paths"
}

@test "no command, or a group without its subcommand, prints the usage and exits 2" {
    run "$RDD"
    assert_status 2
    assert_output_contains "Commands:"
    run "$RDD" svc
    assert_status 2
    assert_output_contains "svc start"
}

@test "an unknown command exits 2 and names it" {
    run "$RDD" frobnicate
    assert_status 2
    assert_output_contains 'level=fatal msg="unknown command \"frobnicate\" for \"rdd\""'
    assert_output_contains 'Run "rdd --help" for usage.'
    run "$RDD" svc frobnicate
    assert_status 2
    assert_output_contains 'unknown command \"frobnicate\" for \"rdd svc\"'
    run "$RDD" service frobnicate
    assert_status 2
}

@test "an unknown flag exits 2 and names it, before or after the command" {
    run "$RDD" --frobnicate version
    assert_status 2
    assert_output_contains 'msg="unknown flag: --frobnicate"'
    for cmd in "${COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        run "$RDD" $cmd --frobnicate
        assert_status 2
        assert_output_contains 'msg="unknown flag: --frobnicate"'
        assert_output_contains "Run \"rdd $cmd --help\" for usage."
    done
    run "$RDD" svc paths -Z
    assert_status 2
    assert_output_contains 'unknown flag: -Z'
}

@test "a bad duration exits 2 and says which flag and why" {
    run "$RDD" svc start --timeout 5x
    assert_status 2
    assert_output_contains 'invalid argument \"5x\" for \"timeout\" flag'
    assert_output_contains 'unknown unit'
    run "$RDD" svc stop --timeout=-3s
    assert_status 2
    assert_output_contains 'invalid argument \"-3s\" for \"timeout\" flag'
    run "$RDD" ctl wait-condition demo/demo Completed --timeout soon
    assert_status 2
    assert_output_contains 'invalid argument \"soon\" for \"timeout\" flag'
    run "$RDD" svc delete --timeout ""
    assert_status 2
}

@test "a bad boolean, log level or log format exits 2" {
    run "$RDD" svc start --wait=maybe
    assert_status 2
    assert_output_contains 'invalid argument \"maybe\" for \"wait\" flag: expected true or false'
    run "$RDD" --log-level loud version
    assert_status 2
    assert_output_contains 'not a valid log level: \"loud\"'
    run "$RDD" version --log-level=loud
    assert_status 2
    assert_output_contains 'not a valid log level: \"loud\"'
    RDD_LOG_LEVEL=loud run "$RDD" version
    assert_status 2
    assert_output_contains 'RDD_LOG_LEVEL: not a valid log level'
    run "$RDD" --log-format xml version
    assert_status 2
    assert_output_contains 'invalid argument \"xml\" for \"log-format\" flag'
}

@test "wrong argument counts exit 2" {
    run "$RDD" svc status extra
    assert_status 2
    assert_output_contains '\"rdd svc status\" takes no arguments'
    run "$RDD" svc paths dir config
    assert_status 2
    assert_output_contains 'accepts at most 1 arg(s), received 2'
    run "$RDD" get
    assert_status 2
    assert_output_contains 'expected KIND and an optional NAME, got 0 arguments'
    run "$RDD" get demo demo extra
    assert_status 2
    run "$RDD" ctl wait-condition demo/demo
    assert_status 2
    assert_output_contains 'expected TYPE/NAME and CONDITION[=STATUS] arguments, got 1 arguments'
    assert_output_contains 'Run "rdd ctl wait-condition --help" for usage.'
    run "$RDD" ctl wait-condition demo Completed
    assert_status 2
    assert_output_contains '\"demo\" is not TYPE/NAME'
    run "$RDD" ctl wait-condition demo/demo Completed=
    assert_status 2
    run "$RDD" ctl wait-condition demo/demo Completed --since yesterday
    assert_status 2
    assert_output_contains 'invalid argument \"yesterday\" for \"since\" flag'
    run "$RDD" version extra
    assert_status 2
    run "$RDD" ctl
    assert_status 2
    assert_output_contains 'rdd ctl needs kubectl arguments'
}

@test "bad arguments of set, start and stop exit 2 before anything starts" {
    run "$RDD" set
    assert_status 2
    assert_output_contains 'requires at least 1 PROPERTY=VALUE argument'
    run "$RDD" start now
    assert_status 2
    assert_output_contains '\"rdd start\" takes no arguments'
    run "$RDD" stop --timeout 1y
    assert_status 2
}

@test "svc paths table: every key, sorted, aligned with two spaces" {
    run "$RDD" svc paths
    assert_status 0
    [ "${#lines[@]}" -eq 10 ]
    keys=$(printf '%s\n' "${lines[@]}" | awk '{print $1}' | tr '\n' ' ')
    [ "$keys" = "args_file config dir docker_socket k3s_config lima_home log_dir pid_file short_dir tls_dir " ]
    dir="$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE"
    [[ "$output" =~ args_file\ \ \ \ \ \ $dir/args.json ]]
    [[ "$output" =~ config\ \ +$dir/config.yaml ]]
    [[ "$output" =~ docker_socket\ \ $HOME/.rd$RDD_INSTANCE/docker.sock ]]
    [[ "$output" =~ log_dir\ \ +$XDG_STATE_HOME/rancher-desktop-$RDD_INSTANCE ]]
    [[ "$output" =~ lima_home\ \ +$HOME/.rd$RDD_INSTANCE/lima ]]
    [[ "$output" =~ tls_dir\ \ +$dir/tls ]]
    # the values start in one column
    col=$(printf '%s\n' "${lines[@]}" | awk '{print index($0, "/")}' | sort -u | wc -l)
    [ "$col" -eq 1 ]
}

@test "svc paths KEY prints only the value" {
    for key in args_file config dir docker_socket k3s_config lima_home log_dir pid_file short_dir tls_dir; do
        run "$RDD" svc paths "$key"
        assert_status 0
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == /* ]]
    done
    run "$RDD" svc paths short_dir
    [ "$output" = "$HOME/.rd$RDD_INSTANCE" ]
    RDD_LOG_DIR=/tmp/elsewhere run "$RDD" svc paths log_dir
    [ "$output" = /tmp/elsewhere ]
}

@test "svc paths -o json: one object, every key or only KEY; --json is the same" {
    run "$RDD" svc paths -o json
    assert_status 0
    [ "${#lines[@]}" -eq 1 ]
    n=$(echo "$output" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$n" -eq 10 ]
    dir=$(echo "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dir"])')
    [ "$dir" = "$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE" ]
    run "$RDD" svc paths --output=json pid_file
    assert_status 0
    [ "$output" = "{\"pid_file\":\"$dir/rdd.pid\"}" ]
    run "$RDD" svc paths --json pid_file
    [ "$output" = "{\"pid_file\":\"$dir/rdd.pid\"}" ]
    run "$RDD" --json svc paths pid_file
    [ "$output" = "{\"pid_file\":\"$dir/rdd.pid\"}" ]
}

@test "svc paths -o shell: export lines a shell can evaluate" {
    run "$RDD" svc paths -o shell
    assert_status 0
    [ "${#lines[@]}" -eq 10 ]
    [ "${lines[0]}" = "export RDD_ARGS_FILE=\"$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE/args.json\"" ]
    eval "$output"
    [ "$RDD_PID_FILE" = "$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE/rdd.pid" ]
    [ "$RDD_SHORT_DIR" = "$HOME/.rd$RDD_INSTANCE" ]
    run "$RDD" svc paths -o shell tls_dir
    [ "${#lines[@]}" -eq 1 ]
    [[ "$output" == 'export RDD_TLS_DIR="'* ]]
}

@test "svc paths -o shell quotes what a shell would expand" {
    odd="$CLI_TMP/a \"b\" \$c"
    RDD_LOG_DIR="$odd" run "$RDD" svc paths -o shell log_dir
    assert_status 0
    eval "$output"
    [ "$RDD_LOG_DIR" = "$odd" ]
}

@test "svc paths: unknown format or key exits 2 listing the valid ones" {
    run "$RDD" svc paths -o xml
    assert_status 2
    assert_output_contains 'unknown output format \"xml\"; valid formats: table, json, or shell'
    run "$RDD" svc paths nokey
    assert_status 2
    assert_output_contains 'unknown key \"nokey\"; valid keys: args_file, config, dir, docker_socket, k3s_config, lima_home, log_dir, pid_file, short_dir, tls_dir'
}

@test "--instance NAME, --instance=NAME and RDD_INSTANCE choose the instance" {
    run "$RDD" --instance other svc paths dir
    assert_status 0
    [ "$output" = "$XDG_DATA_HOME/rancher-desktop-other" ]
    run "$RDD" --instance=third svc paths short_dir
    [ "$output" = "$HOME/.rdthird" ]
    RDD_INSTANCE=envname run "$RDD" svc paths dir
    [ "$output" = "$XDG_DATA_HOME/rancher-desktop-envname" ]
    # the flag wins over the environment
    RDD_INSTANCE=envname run "$RDD" --instance flagname svc paths dir
    [ "$output" = "$XDG_DATA_HOME/rancher-desktop-flagname" ]
    # empty: ignored
    run "$RDD" --instance= svc paths dir
    [ "$output" = "$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE" ]
    # followed by a flag: dropped
    run "$RDD" --instance --json svc paths dir
    assert_status 0
    [ "$output" = "{\"dir\":\"$XDG_DATA_HOME/rancher-desktop-$RDD_INSTANCE\"}" ]
}

@test "--instance anywhere but first is refused; a name with a slash is refused" {
    run "$RDD" svc paths dir --instance other
    assert_status 2
    assert_output_contains 'unknown flag: --instance'
    run "$RDD" --json --instance other svc paths dir
    assert_status 2
    assert_output_contains '--instance must be the first argument'
    run "$RDD" --instance ../x svc status
    assert_status 2
    assert_output_contains 'invalid instance name \"../x\"'
    RDD_INSTANCE=a/b run "$RDD" svc paths dir
    assert_status 2
}

@test "--log-format json writes errors as JSON objects" {
    run "$RDD" --log-format json frobnicate
    assert_status 2
    line=${lines[0]}
    msg=$(echo "$line" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["level"], d["msg"])')
    [ "$msg" = 'fatal unknown command "frobnicate" for "rdd"' ]
    echo "$line" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["time"].endswith("Z")'
}

@test "errors are logfmt lines on stderr, nothing on stdout" {
    run --separate-stderr "$RDD" svc paths nokey
    assert_status 2
    [ -z "$output" ]
    [[ "$stderr" =~ ^time=\"[0-9T:.-]+Z\"\ level=fatal\ msg= ]]
}

@test "svc status on an instance that was never created" {
    run "$RDD" svc status
    assert_status 0
    assert_output_contains "level=info msg=\"\\\"rancher-desktop-$RDD_INSTANCE\\\" control plane has been created: false\""
    assert_output_contains "control plane has been started: false"
    assert_output_contains "control plane PID is: 0"
    run --separate-stderr "$RDD" svc status --json
    assert_status 0
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d == {"name": "rancher-desktop-'"$RDD_INSTANCE"'", "created": False, "running": False, "pid": 0}, d'
}

@test "stop, delete and logs of an instance that was never created" {
    run "$RDD" --log-level info svc stop
    assert_status 0
    assert_output_contains "control plane does not exist"
    run "$RDD" --log-level info svc delete
    assert_status 0
    assert_output_contains "control plane does not exist"
    run "$RDD" svc logs
    assert_status 1
    assert_output_contains "cannot read the log"
    assert_output_contains "rdd.stderr.log"
}

@test "rdd ctl without kubectl names the package to install, and exits 1" {
    mkdir -p "$CLI_TMP/empty-path"
    PATH="$CLI_TMP/empty-path" run "$RDD" ctl get namespaces
    assert_status 1
    assert_output_contains "kubectl is not installed"
    assert_output_contains "apt-get install kubernetes-client"
}

@test "svc create writes args.json once" {
    run "$RDD" --instance created --log-level info svc create --secure-port 7777 --controllers demo
    assert_status 0
    assert_output_contains 'successfully created \"rancher-desktop-created\" control plane'
    args="$XDG_DATA_HOME/rancher-desktop-created/args.json"
    [ "$(stat -c %a "$args")" = 600 ]
    run python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$args"
    [ "$output" = "--secure-port 7777 --controllers demo" ]
    run "$RDD" --instance created --log-level info svc create
    assert_status 0
    assert_output_contains 'control plane already exists'
    run "$RDD" --instance created svc create --secure-port 70000
    assert_status 2
    run "$RDD" --instance created --log-level info svc delete
    assert_status 0
    assert_output_contains 'control plane has been deleted'
    [ ! -e "$XDG_DATA_HOME/rancher-desktop-created" ]
}

@test "bash completion offers every command and svc subcommand" {
    # shellcheck disable=SC1091
    source "$RDD_SOURCE_ROOT/tools/completion/rdd.bash"
    COMP_WORDS=(rdd "")
    COMP_CWORD=1
    _rdd
    for cmd in svc service get ctl plugins set start stop version help; do
        [[ " ${COMPREPLY[*]} " == *" $cmd "* ]]
    done
    COMP_WORDS=(rdd svc "")
    COMP_CWORD=2
    _rdd
    for sub in create start stop delete status logs config paths; do
        [[ " ${COMPREPLY[*]} " == *" $sub "* ]]
    done
    COMP_WORDS=(rdd svc paths -o "")
    COMP_CWORD=4
    _rdd
    [ "${COMPREPLY[*]}" = "table json shell" ]
}

@test "none of the above started a daemon" {
    run find "$HOME" -name rdd.pid
    [ -z "$output" ]
    run pgrep -f "rdd-daemon --instance $RDD_INSTANCE"
    [ -z "$output" ]
}
