# SPDX-License-Identifier: Apache-2.0
# bash completion for rdd

_rdd_kinds() {
    # kinds the daemon serves, when it runs; quietly nothing otherwise
    rdd get --help >/dev/null 2>&1 || return
    local sock
    sock=$(rdd svc paths dir 2>/dev/null)/rdd.sock
    [ -S "$sock" ] || return
    curl -s --max-time 1 --unix-socket "$sock" http://localhost/rdd/v1/kinds 2>/dev/null |
        tr ',' '\n' | sed -n 's/^"plural":"\(.*\)"$/\1/p'
}

_rdd() {
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local i=1
    if [ "${words[1]}" = "--instance" ]; then
        i=3
    fi
    local cmd=${words[i]} sub=${words[i+1]}

    if [ "$cword" -eq "$i" ]; then
        COMPREPLY=($(compgen -W "svc service get ctl plugins set start stop version help --help --version --log-level --log-format --json" -- "$cur"))
        [ "$cword" -eq 1 ] && COMPREPLY+=($(compgen -W "--instance" -- "$cur"))
        return
    fi
    case "$prev" in
    --log-level)
        COMPREPLY=($(compgen -W "trace debug info warn error fatal" -- "$cur"))
        return ;;
    --log-format)
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
        return ;;
    -o|--output)
        if [ "$cmd" = get ]; then
            COMPREPLY=($(compgen -W "table wide json yaml name" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "table json shell" -- "$cur"))
        fi
        return ;;
    esac
    case "$cmd" in
    svc|service)
        if [ "$cword" -eq $((i + 1)) ]; then
            COMPREPLY=($(compgen -W "create start stop delete status logs config paths" -- "$cur"))
            return
        fi
        case "$sub" in
        paths) COMPREPLY=($(compgen -W "args_file config dir docker_socket k3s_config lima_home log_dir pid_file short_dir tls_dir -o --output" -- "$cur")) ;;
        start) COMPREPLY=($(compgen -W "--wait --wait=false --timeout --controllers --secure-port" -- "$cur")) ;;
        stop) COMPREPLY=($(compgen -W "--wait --wait=false --timeout" -- "$cur")) ;;
        delete) COMPREPLY=($(compgen -W "--timeout" -- "$cur")) ;;
        create) COMPREPLY=($(compgen -W "--controllers --secure-port" -- "$cur")) ;;
        logs) COMPREPLY=($(compgen -W "--stdout --follow -f -o" -- "$cur")) ;;
        esac ;;
    get)
        if [ "$cword" -eq $((i + 1)) ]; then
            COMPREPLY=($(compgen -W "$(_rdd_kinds)" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "-n --namespace -A --all-namespaces -l --selector -o --output --json" -- "$cur"))
        fi ;;
    set)
        COMPREPLY=($(compgen -W "running= containerEngine.name= kubernetes.enabled= kubernetes.version= vm.type= vm.hostDockerSocket= vm.cpus= vm.memory= --dry-run --wait --timeout --properties" -- "$cur"))
        compopt -o nospace 2>/dev/null ;;
    start|stop)
        COMPREPLY=($(compgen -W "--wait --wait=false --timeout" -- "$cur")) ;;
    ctl)
        if [ "$sub" = wait-condition ]; then
            COMPREPLY=($(compgen -W "--reason --since --namespace -n --timeout" -- "$cur"))
        elif [ "$cword" -eq $((i + 1)) ]; then
            COMPREPLY=($(compgen -W "wait-condition get describe apply delete explain api-resources" -- "$cur"))
        fi ;;
    esac
}
complete -F _rdd rdd
