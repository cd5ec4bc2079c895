#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The HTTP API under hostile and careless clients: a barrage of malformed requests (paths,
# %-encoding, methods, headers, JSON and YAML bodies, query values, patches, HTTP framing), after
# which the daemon still answers a normal round trip; a watch client that stalls while 200 MiB of
# events are written, which must be cut off without the daemon's memory growing; and clients
# that hang up in the middle of a request or a watch. The last test stops the daemon and checks
# its log for sanitizer reports (the ASan build of tools/test runs this file with LeakSanitizer).

bats_require_minimum_version 1.5.0

load helpers

CMS=/api/v1/namespaces/default/configmaps
DEMOS=/apis/app.rancherdesktop.io/v1alpha1/demos
JSON='Content-Type: application/json'
MERGE='Content-Type: application/merge-patch+json'
JPATCH='Content-Type: application/json-patch+json'
YAML='Content-Type: application/yaml'
PYTHON=/usr/bin/python3

setup_file() {
    require_command jq
    require_command curl
    [ -x "$PYTHON" ] || skip "$PYTHON is needed for raw socket clients"
    write_python_helpers "$BATS_FILE_TMPDIR"
    if ldd "$RDD_DAEMON" 2>/dev/null | grep -q libasan; then
        # ASan keeps freed memory in a quarantine (256 MiB by default) that would hide whether
        # the daemon's own memory stays bounded: keep it small for the RSS measurement
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16:thread_local_quarantine_size_kb=256"
        # full stacks at malloc, so that the library suppressions of tests/lsan.supp match: GLib
        # has no frame pointers, and the fast unwinder stops at g_malloc
        export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
    fi
    # a short history: the store itself must not keep the 200 MiB of events of the slow-client
    # test alive, only the watch queues are measured
    rdd_daemon_start --no-persist --history-size 8
    export RDD_TEST_TMP RDD_DAEMON_PID RDD_DIR RDD_SOCKET
    curl -sf --unix-socket "$RDD_SOCKET" -X POST -H "$JSON" "http://localhost$CMS" \
        -d '{"metadata":{"name":"target"},"data":{"a":"1"}}' >/dev/null
    curl -sf --unix-socket "$RDD_SOCKET" -X POST -H "$JSON" "http://localhost$DEMOS" \
        -d '{"metadata":{"name":"demo"},"spec":{"message":"m","count":0}}' >/dev/null
}

teardown_file() {
    if [ "$(awk '{print $3}' "/proc/$RDD_DAEMON_PID/stat" 2>/dev/null)" = Z ]; then
        wait "$RDD_DAEMON_PID" 2>/dev/null || true
    fi
    rdd_daemon_stop
}

# The raw clients, in Debian's python3 (no third-party module): raw.py sends its standard input
# over the unix socket and prints the status codes of the responses it reads ("closed" when the
# server hung up, "timeout" when it said nothing); watcher.py reads a watch and sums it up;
# writer.py makes many large writes over one connection; stalled.py starts a watch and never
# reads until told to.
write_python_helpers() {
    local dir=$1
    cat >"$dir/raw.py" <<'EOF'
import socket, sys, time
path, timeout, want = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "read"
data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(timeout)
s.connect(path)
try:
    s.sendall(data)
except OSError:
    pass
if mode == "close":
    s.close()
    print("sent")
    sys.exit(0)
buf = b""
codes = []
deadline = time.monotonic() + timeout
def fill():
    global buf
    chunk = s.recv(65536)
    if not chunk:
        raise EOFError
    buf += chunk
try:
    while len(codes) < want and time.monotonic() < deadline:
        while b"\r\n\r\n" not in buf:
            fill()
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        codes.append(parts[1].decode() if len(parts) > 1 else "?")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower()] = v.strip()
        if b"content-length" in headers:
            n = int(headers[b"content-length"])
            while len(buf) < n:
                fill()
            buf = buf[n:]
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            while True:
                while b"\r\n" not in buf:
                    fill()
                size_line, _, buf = buf.partition(b"\r\n")
                n = int(size_line.split(b";")[0], 16)
                while len(buf) < n + 2:
                    fill()
                buf = buf[n + 2:]
                if n == 0:
                    break
except EOFError:
    codes.append("closed")
except socket.timeout:
    codes.append("timeout")
except (ConnectionResetError, BrokenPipeError):
    codes.append("reset")
print(" ".join(codes))
EOF
    cat >"$dir/unixhttp.py" <<'EOF'
import http.client, socket
class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)
EOF
    cat >"$dir/watcher.py" <<'EOF'
# watcher.py SOCKET PATH READY-FILE EXPECTED [PROGRESS-FILE]: reads a watch until EXPECTED
# MODIFIED events came or the stream ended; prints "added=N modified=N error=N last=VALUE-PREFIX";
# keeps the count of MODIFIED events seen in PROGRESS-FILE
import json, os, sys, time
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
from unixhttp import UnixHTTPConnection
sock, path, ready, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
progress = sys.argv[5] if len(sys.argv) > 5 else None
def report(n):
    if progress:
        with open(progress + ".tmp", "w") as f:
            f.write(str(n))
        os.replace(progress + ".tmp", progress)
conn = UnixHTTPConnection(sock, timeout=300)
conn.request("GET", path)
resp = conn.getresponse()
counts = {"ADDED": 0, "MODIFIED": 0, "ERROR": 0, "DELETED": 0, "BOOKMARK": 0}
last = ""
open(ready, "w").close()
while counts["MODIFIED"] < expected:
    line = resp.readline()
    if not line:
        break
    event = json.loads(line)
    counts[event["type"]] += 1
    if event["type"] == "ERROR":
        print("error event:", json.dumps(event["object"]), file=sys.stderr)
        break
    last = event["object"].get("data", {}).get("v", "")[:12]
    report(counts["MODIFIED"])
print(f"added={counts['ADDED']} modified={counts['MODIFIED']} error={counts['ERROR']} last={last}")
EOF
    cat >"$dir/writer.py" <<'EOF'
# writer.py SOCKET PATH COUNT SIZE [PROGRESS-FILE AHEAD]: COUNT merge patches of PATH, each
# setting data.v to SIZE bytes; with PROGRESS-FILE (see watcher.py), never more than AHEAD writes
# ahead of the reading watcher, so that it cannot fall behind however busy the machine is
import json, sys, time
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
from unixhttp import UnixHTTPConnection
sock, path, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
progress = sys.argv[5] if len(sys.argv) > 5 else None
ahead = int(sys.argv[6]) if len(sys.argv) > 6 else 0
def seen():
    try:
        with open(progress) as f:
            return int(f.read() or 0)
    except (FileNotFoundError, ValueError):
        return 0
conn = UnixHTTPConnection(sock, timeout=120)
filler = "x" * size
for i in range(count):
    deadline = time.monotonic() + 60
    while progress and i - seen() > ahead:
        if time.monotonic() > deadline:
            print(f"write {i}: the watcher is stuck at {seen()}", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.002)
    body = json.dumps({"data": {"v": f"{i:08d}-" + filler}})
    conn.request("PATCH", path, body=body, headers={"Content-Type": "application/merge-patch+json"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200:
        print(f"write {i}: HTTP {resp.status}: {data[:300]!r}", file=sys.stderr)
        sys.exit(1)
print(f"wrote {count}")
EOF
    cat >"$dir/stalled.py" <<'EOF'
# stalled.py SOCKET PATH READY-FILE GO-FILE: starts a watch with a tiny receive buffer, reads
# nothing until GO-FILE exists, then drains what is left and prints
# "bytes=N eof=yes|no end=yes|no error410=yes|no" (end: the chunked response was complete)
import os, socket, sys, time
sock_path, path, ready, go = sys.argv[1:5]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(sock_path)
s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
open(ready, "w").close()
deadline = time.monotonic() + 600
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.1)
s.settimeout(20)
total = 0
tail = b""
eof = False
try:
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            eof = True
            break
        total += len(chunk)
        tail = (tail + chunk)[-4096:]
        if tail.endswith(b"\r\n0\r\n\r\n"):
            break
except socket.timeout:
    pass
except ConnectionResetError:
    eof = True
gone = b'"code":410' in tail and b'"type":"ERROR"' in tail
end = eof or tail.endswith(b"\r\n0\r\n\r\n")
print(f"bytes={total} eof={'yes' if eof else 'no'} end={'yes' if end else 'no'} error410={'yes' if gone else 'no'}")
EOF
}

# raw WANT [TIMEOUT] < bytes: sends raw bytes over the unix socket, prints the status codes
raw() {
    "$PYTHON" "$BATS_FILE_TMPDIR/raw.py" "$RDD_SOCKET" "${2:-5}" "${1:-1}"
}

# -------------------------------------------------------------------------------------------
# the barrage: each case is checked for its answer, and all failures are listed together

barrage_start() {
    BARRAGE_FAILURES="$BATS_TEST_TMPDIR/failures"
    BARRAGE_COUNT="$BATS_TEST_TMPDIR/count"
    : >"$BARRAGE_FAILURES"
    : >"$BARRAGE_COUNT"
}

# case_http CODE-REGEX DESCRIPTION CURL-ARGS... (the last argument is the path)
case_http() {
    local want=$1 what=$2 out code body
    shift 2
    local args=("$@")
    local path=${args[-1]}
    unset 'args[-1]'
    echo . >>"$BARRAGE_COUNT"
    out=$(curl -s --unix-socket "$RDD_SOCKET" -m 10 -w '\n%{http_code}' "${args[@]}" "http://localhost$path" 2>&1) || true
    code=${out##*$'\n'}
    body=${out%$'\n'*}
    if ! [[ "$code" =~ ^($want)$ ]]; then
        echo "$what: expected HTTP $want, got $code: ${body:0:300}" >>"$BARRAGE_FAILURES"
        return 0
    fi
    # the daemon's own errors are Kubernetes Status objects with a message
    if [[ "$code" =~ ^4 ]] && [ -n "$body" ] && [[ "$body" == "{"* ]]; then
        if [ "$(jq -r .kind <<<"$body" 2>/dev/null)" != Status ] ||
            [ "$(jq -r .code <<<"$body" 2>/dev/null)" != "$code" ] ||
            [ "$(jq -r '.message | length' <<<"$body" 2>/dev/null)" -lt 5 ]; then
            echo "$what: HTTP $code without a proper Status: ${body:0:300}" >>"$BARRAGE_FAILURES"
        fi
    fi
    # and no case may kill it
    if ! kill -0 "$RDD_DAEMON_PID" 2>/dev/null; then
        echo "$what: the daemon died" >>"$BARRAGE_FAILURES"
    fi
}

# case_raw RESULT-REGEX DESCRIPTION < bytes
case_raw() {
    local want=$1 what=$2 got
    echo . >>"$BARRAGE_COUNT"
    got=$(raw 1 5) || true
    if ! [[ "$got" =~ ^($want)$ ]]; then
        echo "$what: expected $want, got \"$got\"" >>"$BARRAGE_FAILURES"
    fi
    if ! kill -0 "$RDD_DAEMON_PID" 2>/dev/null; then
        echo "$what: the daemon died" >>"$BARRAGE_FAILURES"
    fi
}

barrage_done() {
    local n
    n=$(wc -l <"$BARRAGE_COUNT")
    echo "$n" >>"$BATS_FILE_TMPDIR/barrage-total"
    if [ -s "$BARRAGE_FAILURES" ]; then
        echo "$(wc -l <"$BARRAGE_FAILURES") of $n cases failed:" >&2
        cat "$BARRAGE_FAILURES" >&2
        return 1
    fi
    rdd_daemon_alive
}

@test "barrage: bad paths and %-encoding" {
    barrage_start
    case_http '400|404' 'an invalid %-escape in a name' "$CMS/%ZZ"
    case_http '400|404' 'an encoded NUL in a name' "$CMS/a%00b"
    case_http '400|404' 'encoded slashes climbing out' "$CMS/..%2f..%2fetc%2fpasswd"
    case_http '200|400|404' 'an encoded dot-dot namespace' /api/v1/namespaces/%2e%2e/configmaps
    case_http '404' 'too many segments after a name' "$CMS/target/status/extra/more"
    case_http '404' 'an unknown subresource' "$CMS/target/exec"
    case_http '404' '500 segments' "/apis/$(printf 'a/%.0s' $(seq 1 500))"
    case_http '000|400|404|414' 'a 100 KB path' "/api/v1/$(head -c 100000 /dev/zero | tr '\0' a)"
    case_http '404' 'an invalid namespace name' /api/v1/namespaces/Bad_NS/configmaps/x
    case_http '400|404' 'an invalid object name in the path' "$CMS/Bad_Name%20x"
    case_http '404' 'a passthrough path without an endpoint' /passthrough/
    case_http '404' 'a passthrough to a missing plugin' /passthrough/nope/x/y
    case_http '404' 'an unknown OpenAPI path' /openapi/v3/garbage/x
    case_http '400' 'an invalid %-escape in the query' "/openapi/v2?x=%ZZ"
    case_http '404' 'an unknown top-level path' /.well-known/../../etc/passwd
    barrage_done
}

@test "barrage: methods and headers" {
    barrage_start
    case_http '405' 'a made-up method on a collection' -X GETT "$CMS"
    case_http '405' 'a lower-case method' -X get "$CMS"
    case_http '405' 'OPTIONS' -X OPTIONS "$CMS/target"
    case_http '405' 'TRACE' -X TRACE "$CMS"
    case_http '405|501' 'PROPFIND with a body' -X PROPFIND -H "$JSON" -d '{}' "$CMS/target"
    printf 'X-Big: %s\r\n' "$(head -c 1000000 /dev/zero | tr '\0' a)" >"$BATS_TEST_TMPDIR/bighdr"
    case_http '000|400|431' 'a 1 MB header' -H "@$BATS_TEST_TMPDIR/bighdr" /healthz
    for i in $(seq 1 5000); do echo "X-H$i: v"; done >"$BATS_TEST_TMPDIR/manyhdr"
    case_http '000|200|400|431' '5000 headers' -H "@$BATS_TEST_TMPDIR/manyhdr" /healthz
    case_http '200|400' 'a body on a GET' -X GET -H "$JSON" -d '{"junk":' "$CMS/target"
    case_http '200|406' 'Accept: text/html' -H 'Accept: text/html' "$CMS/target"
    case_http '401|403|200' 'a bearer token on the unix socket' -H 'Authorization: Bearer nonsense' "$CMS/target"
    case_http '201|400|415' 'Content-Encoding: gzip on a plain body' -X POST -H "$JSON" -H 'Content-Encoding: gzip' \
        -d '{"metadata":{"name":"gz"}}' "$CMS"
    barrage_done
}

@test "barrage: invalid JSON bodies" {
    barrage_start
    head -c 100000 /dev/zero | tr '\0' '[' >"$BATS_TEST_TMPDIR/deep-array.json"
    {
        for i in $(seq 1 5000); do printf '{"a":'; done
        printf 1
        for i in $(seq 1 5000); do printf '}'; done
    } >"$BATS_TEST_TMPDIR/deep-object.json"
    printf '{"metadata":{"name":"nul\0"}}' >"$BATS_TEST_TMPDIR/nul.json"
    printf '{"metadata":{"name":"x"},"data":{"%s":"v"}}' "$(head -c 300000 /dev/zero | tr '\0' k)" >"$BATS_TEST_TMPDIR/longkey.json"
    local bodies=(
        '{"metadata":'
        '   '
        'nul'
        '{"metadata":{"name":"x'
        '{"metadata":{"name":"\x"}}'
        $'{"metadata":{"name":"a\tb"}}'
        '{"metadata":{"name":"\ud800"}}'
        '{"metadata":{"name":"x"},"data":{"a":1e999999}}'
        '{"metadata":{"name":"x"},"immutable":-}'
        '{"metadata":{"name":"x"},"immutable":1.}'
        '{"metadata":{"name":"x"},"immutable":.5}'
        '{"metadata":{"name":"x"},"immutable":+1}'
        '{"metadata":{"name":"x"},"immutable":tru}'
        '{"metadata":{"name":"x"}}}'
        '{"metadata":{"name":"x"},"data":{"a":"b",}}'
        '{"metadata":{"name":"x"},"data":["a",]}'
        '{,}'
        '{"a" "b"}'
        '{"a":}'
        "{\"metadata\":{'name':\"x\"}}"
        $'\xff\xfe{}'
        $'{"metadata":{"name":"\xff\xfe"}}'
        $'{"metadata":{"name":"\xc0\xaf"}}'
        $'{"metadata":{"name":"\xed\xa0\x80"}}'
        $'\xef\xbb\xbf{"metadata":{"name":"bom"}}'
        '{"metadata":{"name":"x"}} garbage'
    )
    local b
    for b in "${bodies[@]}"; do
        case_http '400' "POST of the body $(printf '%q' "$b")" -X POST -H "$JSON" --data-binary "$b" "$CMS"
    done
    case_http '400' 'nesting 100000 arrays deep' -X POST -H "$JSON" --data-binary "@$BATS_TEST_TMPDIR/deep-array.json" "$CMS"
    case_http '400' 'nesting 5000 objects deep' -X POST -H "$JSON" --data-binary "@$BATS_TEST_TMPDIR/deep-object.json" "$CMS"
    case_http '400' 'a NUL byte in a string' -X POST -H "$JSON" --data-binary "@$BATS_TEST_TMPDIR/nul.json" "$CMS"
    case_http '400|422' 'a 300 KB key' -X POST -H "$JSON" --data-binary "@$BATS_TEST_TMPDIR/longkey.json" "$CMS"
    case_http '400' 'a truncated PUT' -X PUT -H "$JSON" -d '{"metadata":{"name":"target"},"data":{' "$CMS/target"
    case_http '422' 'a non-ASCII name' -X POST -H "$JSON" -d '{"metadata":{"name":"ü"}}' "$CMS"
    case_http '422' 'a 300-character name' -X POST -H "$JSON" -d "{\"metadata\":{\"name\":\"$(head -c 300 /dev/zero | tr '\0' a)\"}}" "$CMS"
    case_http '422' 'a 100-character label value' -X POST -H "$JSON" -d "{\"metadata\":{\"name\":\"lv\",\"labels\":{\"k\":\"$(head -c 100 /dev/zero | tr '\0' a)\"}}}" "$CMS"
    case_http '422' 'a status of the wrong type' -X PUT -H "$JSON" -d '{"metadata":{"name":"demo"},"status":{"processedCount":"x"}}' "$DEMOS/demo/status"
    case_http '400|422' 'metadata as a list' -X POST -H "$JSON" -d '{"metadata":["name","x"]}' "$CMS"
    case_http '400|422' 'labels as a string' -X POST -H "$JSON" -d '{"metadata":{"name":"x","labels":"a=b"}}' "$CMS"
    barrage_done
    # nothing half-made was stored
    run api GET "$CMS/x"
    [ "${lines[-1]}" = 404 ]
}

@test "barrage: YAML bodies and content types" {
    barrage_start
    case_http '400' 'YAML with a duplicate key' -X POST -H "$YAML" --data-binary $'metadata:\n  name: y1\n  name: y2\n' "$CMS"
    case_http '400' 'YAML that is a list' -X POST -H "$YAML" --data-binary $'- a\n- b\n' "$CMS"
    # (a million nodes to build before the cap: slow under ASan, hence the longer time-out)
    case_http '400' 'a YAML alias bomb' -m 300 -X POST -H "$YAML" --data-binary $'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nmetadata:\n  name: bomb\n' "$CMS"
    case_http '400' 'YAML indented with a tab' -X POST -H "$YAML" --data-binary $'metadata:\n\tname: tab\n' "$CMS"
    case_http '400' 'two YAML documents' -X POST -H "$YAML" --data-binary $'metadata: {name: d1}\n---\nmetadata: {name: d2}\n' "$CMS"
    case_http '400' 'YAML with an unknown tag' -X POST -H "$YAML" --data-binary $'metadata: !!python/object {name: t}\n' "$CMS"
    case_http '415' 'a multipart body' -X POST -H 'Content-Type: multipart/form-data; boundary=x' -d '--x--' "$CMS"
    case_http '415' 'text/plain' -X POST -H 'Content-Type: text/plain' -d '{"metadata":{"name":"tp"}}' "$CMS"
    case_http '415|400' 'a garbage content type' -X POST -H 'Content-Type: ;;;' -d '{"metadata":{"name":"semi"}}' "$CMS"
    case_http '415' 'protobuf for a custom kind' -X POST -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary 'k8s' "$DEMOS"
    case_http '400|415' 'a truncated protobuf envelope' -X POST -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary $'k8s\x00\x0a\x02' "$CMS"
    case_http '400|415' 'protobuf garbage after the magic' -X POST -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary $'k8s\x00\xff\xff\xff\xff\xff\xff' "$CMS"
    barrage_done
}

@test "barrage: bad query values" {
    barrage_start
    case_http '400' 'limit=-1' "$CMS?limit=-1"
    case_http '400' 'limit too large' "$CMS?limit=99999999999999999999"
    case_http '400' 'timeoutSeconds=x' "$CMS?watch=true&timeoutSeconds=x"
    case_http '400' 'timeoutSeconds=-5' "$CMS?watch=true&timeoutSeconds=-5"
    case_http '400' 'labelSelector garbage' "$CMS?labelSelector=%21%21%3D%3D"
    case_http '400' 'labelSelector with an unclosed set' "$CMS?labelSelector=a+in+(b"
    case_http '200|400' 'a 3000-term labelSelector' "$CMS?labelSelector=$(printf 'a%%3D1,%.0s' $(seq 1 3000))b"
    case_http '400' 'fieldSelector garbage' "$CMS?fieldSelector=%3D%3D"
    case_http '400' 'an unsupported fieldSelector on a watch' "$CMS?watch=true&fieldSelector=spec.x%3D1"
    case_http '400' 'continue garbage' "$CMS?continue=garbage"
    case_http '400' 'continue of base64 garbage' "$CMS?continue=$(printf 'garbage' | base64)"
    case_http '400' 'resourceVersion=-1' "$CMS?resourceVersion=-1"
    case_http '400' 'a watch from resourceVersion=abc' "$CMS?watch=true&resourceVersion=abc"
    case_http '400' 'dryRun=Foo' -X POST -H "$JSON" -d '{"metadata":{"name":"dry"}}' "$CMS?dryRun=Foo"
    case_http '400' 'fieldValidation=Foo' -X POST -H "$JSON" -d '{"metadata":{"name":"fv"}}' "$CMS?fieldValidation=Foo"
    case_http '400' 'propagationPolicy=Foo' -X DELETE "$CMS/target?propagationPolicy=Foo"
    case_http '400' 'gracePeriodSeconds=-1' -X DELETE "$CMS/target?gracePeriodSeconds=-1"
    case_http '400' 'a watch on a named object' "$CMS/target?watch=true"
    case_http '200|400' 'a key with no value' "$CMS?=x&&&"
    case_http '200|400' 'limit given twice' "$CMS?limit=1&limit=2"
    case_http '400' 'an invalid %-escape in labelSelector' "$CMS?labelSelector=%ZZ"
    barrage_done
    run api GET "$CMS/target"
    [ "${lines[-1]}" = 200 ]
}

@test "barrage: JSON patches that fail and merge patches that are not objects" {
    barrage_start
    local t="$CMS/target"
    case_http '400' 'an unknown op' -X PATCH -H "$JPATCH" -d '[{"op":"frob","path":"/data/a"}]' "$t"
    case_http '400' 'a path without a leading slash' -X PATCH -H "$JPATCH" -d '[{"op":"add","path":"data/a","value":"x"}]' "$t"
    case_http '422' 'replace of a missing member' -X PATCH -H "$JPATCH" -d '[{"op":"replace","path":"/data/zz","value":"x"}]' "$t"
    case_http '422' 'remove of a missing member' -X PATCH -H "$JPATCH" -d '[{"op":"remove","path":"/data/zz"}]' "$t"
    case_http '422' 'move from a missing member' -X PATCH -H "$JPATCH" -d '[{"op":"move","from":"/data/zz","path":"/data/y"}]' "$t"
    case_http '400|422' 'move into its own child' -X PATCH -H "$JPATCH" -d '[{"op":"move","from":"/data","path":"/data/sub"}]' "$t"
    case_http '422' 'a test that fails' -X PATCH -H "$JPATCH" -d '[{"op":"test","path":"/data/a","value":"nope"}]' "$t"
    case_http '422' 'an array index out of range' -X PATCH -H "$JPATCH" -d '[{"op":"add","path":"/metadata/finalizers/5","value":"x"}]' "$t"
    case_http '400' 'a patch that is an object' -X PATCH -H "$JPATCH" -d '{"op":"add","path":"/data/a","value":"x"}' "$t"
    case_http '400' 'a patch of numbers' -X PATCH -H "$JPATCH" -d '[1,2]' "$t"
    case_http '400' 'an operation without op' -X PATCH -H "$JPATCH" -d '[{"path":"/data/a"}]' "$t"
    case_http '400' 'add without a value' -X PATCH -H "$JPATCH" -d '[{"op":"add","path":"/data/b"}]' "$t"
    case_http '400' 'an invalid ~ escape' -X PATCH -H "$JPATCH" -d '[{"op":"add","path":"/data/a~2","value":"x"}]' "$t"
    case_http '400|422' 'a JSON patch renaming the object' -X PATCH -H "$JPATCH" -d '[{"op":"replace","path":"/metadata/name","value":"renamed"}]' "$t"
    case_http '422' 'a JSON patch making data a number' -X PATCH -H "$JPATCH" -d '[{"op":"replace","path":"/data","value":5}]' "$t"
    case_http '400' 'a merge patch that is a list' -X PATCH -H "$MERGE" -d '[1]' "$t"
    case_http '400' 'a merge patch that is a string' -X PATCH -H "$MERGE" -d '"str"' "$t"
    case_http '400' 'a merge patch that is null' -X PATCH -H "$MERGE" -d 'null' "$t"
    case_http '400' 'a merge patch that is a number' -X PATCH -H "$MERGE" -d '42' "$t"
    case_http '400' 'an empty merge patch body' -X PATCH -H "$MERGE" "$t"
    case_http '400|422' 'a merge patch renaming the object' -X PATCH -H "$MERGE" -d '{"metadata":{"name":"other"}}' "$t"
    case_http '400|422' 'a merge patch deleting metadata' -X PATCH -H "$MERGE" -d '{"metadata":null}' "$t"
    case_http '422' 'a merge patch making status a string' -X PATCH -H "$MERGE" -d '{"status":"bad"}' "$DEMOS/demo/status"
    case_http '400' 'an apply patch of invalid YAML' -X PATCH -H 'Content-Type: application/apply-patch+yaml' -d 'data: [unclosed' "$t?fieldManager=t"
    case_http '400' 'an apply patch that is a list' -X PATCH -H 'Content-Type: application/apply-patch+yaml' -d $'- a\n- b' "$t?fieldManager=t"
    case_http '400' 'DeleteOptions that are not JSON' -X DELETE -H "$JSON" -d 'not json' "$t"
    case_http '400' 'DeleteOptions with a bad propagationPolicy' -X DELETE -H "$JSON" -d '{"propagationPolicy":"Bogus"}' "$t"
    case_http '400' 'DeleteOptions with a bad dryRun' -X DELETE -H "$JSON" -d '{"dryRun":["Foo"]}' "$t"
    case_http '400' 'DeleteOptions that are a list' -X DELETE -H "$JSON" -d '[1]' "$t"
    barrage_done
    # none of them changed the object
    run api GET "$t"
    [ "${lines[-1]}" = 200 ]
    [ "$(jq -c .data <<<"${lines[0]}")" = '{"a":"1"}' ]
}

@test "barrage: raw HTTP framing" {
    barrage_start
    printf 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n' | case_raw '505|400|closed' 'an unknown HTTP version'
    printf '\x00\x01\x02garbage\r\n\r\n' | case_raw '400|closed' 'a binary request line'
    printf 'GET\r\n\r\n' | case_raw '400|closed' 'a request line without a path'
    printf 'GET /api/v1/namespaces/de\0fault HTTP/1.1\r\nHost: x\r\n\r\n' | case_raw '400|404|closed' 'a NUL in the path'
    printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n' | case_raw '200|400' 'a header without a colon'
    printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n' | case_raw '200|400' 'an obsolete folded header'
    printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n' "$CMS" |
        case_raw '400|closed' 'a negative Content-Length'
    printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}' "$CMS" |
        case_raw '400|closed|timeout' 'two different Content-Lengths'
    printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n' "$CMS" |
        case_raw '400|closed' 'a chunk size that is not hex'
    printf 'GET http://elsewhere.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n' | case_raw '200|400' 'an absolute-form request URI'
    printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n' | case_raw '200' 'two pipelined requests (first)'
    barrage_done
    # pipelining answers both
    run raw 2 5 < <(printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n')
    [ "$output" = "200 200" ]
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
    # a test that started a daemon of its own stops it, whatever happened
    if [ -n "${RDD_OWN_DAEMON:-}" ]; then
        rdd_daemon_stop
    fi
}

@test "an HTTP/1.0 request without Host over the unix socket" {
    # libsoup builds the URI of a Host-less HTTP/1.0 request from the local address, which is a
    # unix socket address here: it must not be taken for an inet address (a critical, fatal under
    # G_DEBUG=fatal-criticals). On a daemon of its own, so that a crash does not end the others.
    RDD_OWN_DAEMON=1
    rdd_daemon_start --no-persist
    run raw 1 5 < <(printf 'GET /healthz HTTP/1.0\r\n\r\n')
    [[ "$output" =~ ^(200|400|closed)$ ]]
    run raw 1 5 < <(printf 'GET http://localhost/healthz HTTP/1.0\r\n\r\n')
    [[ "$output" =~ ^(200|400|closed)$ ]]
    sleep 0.2
    rdd_daemon_alive
    run cat "$RDD_TEST_TMP/daemon.log"
    [[ "$output" != *"assertion"* ]]
    [[ "$output" != *"invalid cast"* ]]
}

# stop_own_daemon: SIGTERM to a daemon this test started, and wait for its exit and reports
stop_own_daemon() {
    kill -TERM "$RDD_DAEMON_PID" 2>/dev/null || true
    wait "$RDD_DAEMON_PID" || true
    grep -B2 -A40 -E 'LeakSanitizer|AddressSanitizer|runtime error:' "$RDD_TEST_TMP/daemon.log" >&2 || true
}

@test "framing errors that libsoup answers itself leak nothing" {
    # libsoup 3.2 rejects these before any handler runs; each must not cost the daemon memory.
    # On a daemon of its own, so that a leak here is told apart from one in the daemon's code.
    RDD_OWN_DAEMON=1
    rdd_daemon_start --no-persist
    run raw 1 5 < <(printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n' "$CMS")
    [[ "$output" =~ ^(400|closed)$ ]]
    run raw 1 5 < <(printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n' "$CMS")
    [[ "$output" =~ ^(400|411|501|closed)$ ]]
    rdd_daemon_alive
    stop_own_daemon
    run cat "$RDD_TEST_TMP/daemon.log"
    [[ "$output" != *"ERROR: LeakSanitizer"* ]]
    [[ "$output" != *"AddressSanitizer"* ]]
}

@test "after the barrage of at least 50 different malformed requests, a normal round trip works" {
    local total
    total=$(awk '{s += $1} END {print s + 0}' "$BATS_FILE_TMPDIR/barrage-total" 2>/dev/null || echo 0)
    echo "malformed requests sent: $total" >&2
    [ "$total" -ge 50 ]
    rdd_daemon_alive
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"round-trip","labels":{"k":"v"}},"data":{"x":"y"}}'
    [ "${lines[-1]}" = 201 ]
    run api GET "$CMS/round-trip"
    [ "${lines[-1]}" = 200 ]
    [ "$(jq -r .data.x <<<"${lines[0]}")" = y ]
    run api GET "$CMS?labelSelector=k%3Dv"
    [ "$(jq -r '.items[0].metadata.name' <<<"${lines[0]}")" = round-trip ]
    run kubectl get cm round-trip -o jsonpath='{.data.x}'
    [ "$output" = y ]
    run api DELETE "$CMS/round-trip"
    [ "${lines[-1]}" = 200 ]
}

# -------------------------------------------------------------------------------------------
# slow clients

rss_kib() {
    awk '/^VmRSS:/ {print $2}' "/proc/$RDD_DAEMON_PID/status"
}

wait_for_file() {
    local i
    for i in $(seq 1 100); do
        [ -e "$1" ] && return 0
        sleep 0.1
    done
    echo "$1 did not appear" >&2
    return 1
}

@test "a stalled watch client is cut off; memory stays bounded; a reading watcher keeps up" {
    local count=400 size=$((512 * 1024)) dir="$BATS_TEST_TMPDIR"
    run api POST "$CMS" -H "$JSON" -d '{"metadata":{"name":"big"},"data":{"v":"start"}}'
    [ "${lines[-1]}" = 201 ]
    # warm up: the allocator's arenas, libsoup's buffers and the history reach their working size
    "$PYTHON" "$BATS_FILE_TMPDIR/writer.py" "$RDD_SOCKET" "$CMS/big" 20 "$size"
    local rv
    rv=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$CMS/big" | jq -r .metadata.resourceVersion)
    local watch_path="$CMS?watch=true&fieldSelector=metadata.name%3Dbig&resourceVersion=$rv&timeoutSeconds=300"

    "$PYTHON" "$BATS_FILE_TMPDIR/stalled.py" "$RDD_SOCKET" "$watch_path" "$dir/stalled.ready" "$dir/stalled.go" \
        >"$dir/stalled.out" 2>&1 3>&- &
    local stalled=$!
    track "$stalled"
    "$PYTHON" "$BATS_FILE_TMPDIR/watcher.py" "$RDD_SOCKET" "$watch_path" "$dir/watcher.ready" "$count" \
        "$dir/watcher.progress" >"$dir/watcher.out" 2>&1 3>&- &
    local watcher=$!
    track "$watcher"
    wait_for_file "$dir/stalled.ready"
    wait_for_file "$dir/watcher.ready"
    sleep 0.5
    local before after
    before=$(rss_kib)

    # 400 writes of 512 KiB: 200 MiB of events for each watcher; the writer stays at most 4
    # events (2 MiB, half the queue limit) ahead of the reading watcher
    run "$PYTHON" "$BATS_FILE_TMPDIR/writer.py" "$RDD_SOCKET" "$CMS/big" "$count" "$size" "$dir/watcher.progress" 4
    [ "$status" -eq 0 ]
    [ "$output" = "wrote $count" ]
    after=$(rss_kib)

    # the reading watcher saw every write, in order
    wait "$watcher"
    run cat "$dir/watcher.out"
    echo "reading watcher: $output" >&2
    [ "${lines[-1]}" = "added=0 modified=$count error=0 last=$(printf '%08d' $((count - 1)))-xxx" ]

    # the stalled watch was ended: give the daemon its drain time, then read what is left
    sleep 7
    touch "$dir/stalled.go"
    wait "$stalled"
    run cat "$dir/stalled.out"
    echo "stalled client: $output; RSS before ${before} KiB, after ${after} KiB" >&2
    [[ "$output" =~ ^bytes=([0-9]+)\ eof=yes\ end=yes ]]
    # far less than the 200 MiB written: the queue limit (4 MiB) plus socket buffers
    [ "${BASH_REMATCH[1]}" -lt $((32 * 1024 * 1024)) ]
    run grep -c 'whose client stopped reading' "$RDD_TEST_TMP/daemon.log"
    [ "$output" -ge 1 ]
    # the daemon did not keep the 200 MiB it could not send
    [ $((after - before)) -lt $((64 * 1024)) ]
    rdd_daemon_alive
}

@test "a watch that falls behind by more than the queue limit ends with 410 for a client that reads late" {
    # the same as above seen from the client: after the cut, what it reads ends with an ERROR
    # event whose Status is 410 Expired, or the connection is simply closed
    local dir="$BATS_TEST_TMPDIR"
    local rv
    rv=$(curl -sf --unix-socket "$RDD_SOCKET" "http://localhost$CMS/big" | jq -r .metadata.resourceVersion)
    "$PYTHON" "$BATS_FILE_TMPDIR/stalled.py" "$RDD_SOCKET" \
        "$CMS?watch=true&fieldSelector=metadata.name%3Dbig&resourceVersion=$rv" "$dir/ready" "$dir/go" >"$dir/out" 2>&1 3>&- &
    local stalled=$!
    track "$stalled"
    wait_for_file "$dir/ready"
    "$PYTHON" "$BATS_FILE_TMPDIR/writer.py" "$RDD_SOCKET" "$CMS/big" 24 $((512 * 1024))
    # read right away, before the drain time closes the connection
    touch "$dir/go"
    wait "$stalled"
    run cat "$dir/out"
    echo "$output" >&2
    [[ "$output" == *"end=yes"* ]]
    [[ "$output" == *"error410=yes"* ]]
}

# -------------------------------------------------------------------------------------------
# clients that hang up

@test "clients that hang up mid-request, mid-body and mid-watch leave the daemon working" {
    local i
    for i in $(seq 1 20); do
        # half a body, then close
        printf 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"metadata":{"name":"half-%d"' "$CMS" "$i" |
            "$PYTHON" "$BATS_FILE_TMPDIR/raw.py" "$RDD_SOCKET" 2 1 close >/dev/null
        # some chunks of a chunked body, then close
        printf 'PUT %s/target HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"met\r\n' "$CMS" |
            "$PYTHON" "$BATS_FILE_TMPDIR/raw.py" "$RDD_SOCKET" 2 1 close >/dev/null
        # only half the headers
        printf 'GET %s HTTP/1.1\r\nHost: x\r\nAccept: app' "$CMS" |
            "$PYTHON" "$BATS_FILE_TMPDIR/raw.py" "$RDD_SOCKET" 2 1 close >/dev/null
        # a watch, closed at once
        printf 'GET %s?watch=true HTTP/1.1\r\nHost: x\r\n\r\n' "$CMS" |
            "$PYTHON" "$BATS_FILE_TMPDIR/raw.py" "$RDD_SOCKET" 2 1 close >/dev/null
        # a watch, closed after its first events
        timeout 1 curl -s --unix-socket "$RDD_SOCKET" -N "http://localhost$CMS?watch=true" >/dev/null || true
    done
    # a large list, closed after its first bytes
    for i in $(seq 1 10); do
        curl -s --unix-socket "$RDD_SOCKET" "http://localhost$CMS" | head -c 100 >/dev/null || true
    done
    # writes after the hang-ups reach no dead watcher
    for i in $(seq 1 20); do
        curl -sf --unix-socket "$RDD_SOCKET" -X PATCH -H "$MERGE" -d "{\"data\":{\"after\":\"$i\"}}" \
            "http://localhost$CMS/target" >/dev/null
    done
    rdd_daemon_alive
    run api GET "$CMS/half-1"
    [ "${lines[-1]}" = 404 ]
    run api GET "$CMS/target"
    [ "$(jq -r .data.after <<<"${lines[0]}")" = 20 ]
    # a fresh watch still works
    run curl -s --unix-socket "$RDD_SOCKET" -m 10 "http://localhost$CMS?watch=true&fieldSelector=metadata.name%3Dtarget&timeoutSeconds=1"
    [ "$(jq -r .type <<<"${lines[0]}")" = ADDED ]
}

@test "HTTPS clients that hang up in the handshake or speak plain HTTP" {
    local url host port
    url=$(rdd_server_url)
    host=${url#https://}
    port=${host##*:}
    host=${host%:*}
    local i
    for i in $(seq 1 10); do
        # connect and close without a handshake
        "$PYTHON" -c "import socket; s = socket.create_connection(('$host', $port)); s.close()"
        # a broken ClientHello
        "$PYTHON" -c "import socket; s = socket.create_connection(('$host', $port)); s.sendall(b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc' + b'\x00' * 40); s.close()"
    done
    # plain HTTP to the HTTPS port gets no data
    run curl -s -m 5 "http://$host:$port/api/v1/namespaces"
    [[ "$output" != *'"items"'* ]]
    # a TLS client that stops after the handshake
    timeout 2 openssl s_client -connect "$host:$port" -quiet </dev/null >/dev/null 2>&1 || true
    rdd_daemon_alive
    run curl -s --cacert "$(rdd_ca_file)" -H "Authorization: Bearer $(rdd_token)" -w '\n%{http_code}' "$url/api/v1/namespaces/default"
    [ "${lines[-1]}" = 200 ]
}

@test "many idle connections at once are served and released" {
    # open 200 connections that send nothing, then check a normal request still gets through
    "$PYTHON" - "$RDD_SOCKET" 3>&- <<'EOF' &
import socket, sys, time
socks = []
for _ in range(200):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
time.sleep(3)
for s in socks:
    s.close()
EOF
    local idle=$!
    track "$idle"
    sleep 1
    run api GET "$CMS/target"
    [ "${lines[-1]}" = 200 ]
    wait "$idle"
    rdd_daemon_alive
}

# -------------------------------------------------------------------------------------------

@test "the daemon exits cleanly on SIGTERM, with no sanitizer report and no critical" {
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
    [[ "$output" != *"assertion"*"failed"* ]]
}
