#!/usr/bin/env bash
# Side-by-side download benchmark on loopback: hxi against curl, nghttp and Python httpx, all fetching the
# same 100 MB file from one Caddy over HTTP/2 + TLS, and hxi again over HTTP/3 beside quic-go's HTTP/3 client
# (Debian's curl has no HTTP/3), from the same Caddy port.
# Prints median wall time, client CPU time, peak RSS, the ratio to curl, and each client's start-up time.
# Not part of CI; see bench/README.md.
set -euo pipefail

N="${N:-5}"
DOWNLOADS="${DOWNLOADS:-1}"   # DOWNLOADS=0: start-up and the small GET only
# OWN_SESSION=1: Caddy runs in a session of its own (setsid), as a server started from another terminal does. Linux
# then schedules it in another group (autogroup), which changes how often a QUIC client is woken (bench/README.md).
OWN_SESSION="${OWN_SESSION:-0}"
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/bench/out"
peer="$out/peer"
mkdir -p "$peer/files"

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' not found ($2)" >&2; exit 1; }
}
need caddy "apt-get install caddy"
need curl "apt-get install curl"
need nghttp "apt-get install nghttp2-client"
need openssl "apt-get install openssl"
need dotnet "the .NET 10 SDK"
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
/usr/bin/python3 -c 'import httpx, h2' 2>/dev/null || { echo "bench: httpx with HTTP/2 missing (apt-get install python3-httpx python3-h2)" >&2; exit 1; }

# --- certificates and payload, made once and reused --------------------------------------------
if [[ ! -f "$peer/ca.pem" || ! -f "$peer/server.pem" || ! -f "$peer/server.key" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=hxi bench CA" \
        -keyout "$peer/ca.key" -out "$peer/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$peer/server.key" -out "$peer/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$peer/leaf.ext"
    openssl x509 -req -in "$peer/server.csr" -CA "$peer/ca.pem" -CAkey "$peer/ca.key" -CAcreateserial \
        -days 3650 -extfile "$peer/leaf.ext" -out "$peer/server.pem" 2>/dev/null
fi
if [[ "$(stat -c %s "$peer/files/100mb.bin" 2>/dev/null || echo 0)" != 104857600 ]]; then
    head -c 104857600 /dev/urandom > "$peer/files/100mb.bin"
fi
# The small GET: a request whose time is start-up, connection and handshake, not transfer.
head -c 100 /dev/zero | tr '\0' x > "$peer/files/small.txt"

# --- hxi: the binary users run, the Native AOT one ./hxi builds (and rebuilds when the sources changed) ----------
# HXI=path/to/hxi measures that binary instead (a Native AOT publish made elsewhere), as bench/serve.sh does.
if [[ -n "${HXI:-}" ]]; then
    hxi="$HXI"
    if [[ -n "$("$hxi" --version 2>/dev/null || true)" ]]; then hxi_ok=1; else hxi_ok=0; fi
else
    hxi="$repo/artifacts/hxi/hxi"
    if ! "$repo/hxi" --version >/dev/null 2>"$out/build.log"; then
        echo "bench: ./hxi failed to build, see $out/build.log" >&2
    fi
    if [[ "$(cat "$repo/artifacts/hxi/.built" 2>/dev/null)" == aot && -n "$("$hxi" --version 2>/dev/null || true)" ]]; then
        hxi_ok=1
    else
        hxi_ok=0
    fi
fi

# --- quic-go's HTTP/3 client, built offline from Debian's Go sources as the interop tests build it (optional) ----------
quic_go="$out/quic-go-client"
if command -v go >/dev/null 2>&1 && [[ -d /usr/share/gocode/src/github.com/lucas-clemente/quic-go ]]; then
    if [[ ! -x "$quic_go" || "$repo/tests/Hxi.Interop.Tests/Peers/quic-go-client.go" -nt "$quic_go" ]]; then
        GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$out/go-cache" GOFLAGS= \
            go build -o "$quic_go" "$repo/tests/Hxi.Interop.Tests/Peers/quic-go-client.go" 2>"$out/quic-go-build.log" \
            || echo "bench: the quic-go client did not build (see $out/quic-go-build.log); its row is left out" >&2
    fi
else
    echo "bench: no quic-go client (apt-get install golang-go golang-github-lucas-clemente-quic-go-dev); its row is left out" >&2
fi

# --- Caddy on free loopback ports, the same shape as the test kit's ------------------------------
read -r https_port http_port < <(/usr/bin/python3 -c '
import socket
# Bound to port 0 and released: another process could take a port before Caddy does; rare on a quiet machine.
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')

cat > "$peer/Caddyfile" <<CADDY
{
	admin off
	auto_https off
	skip_install_trust
	ocsp_stapling off
	storage file_system {
		root "$peer/caddy-data"
	}
	servers 127.0.0.1:$https_port {
		protocols h1 h2 h3
	}
	servers 127.0.0.1:$http_port {
		protocols h1 h2c
	}
}

https://:$https_port {
	bind 127.0.0.1
	tls "$peer/server.pem" "$peer/server.key"
	handle_path /files/* {
		root * "$peer/files"
		file_server
	}
}

http://:$http_port {
	bind 127.0.0.1
	handle_path /files/* {
		root * "$peer/files"
		file_server
	}
}
CADDY

session=()
((OWN_SESSION)) && session=(setsid)
XDG_CONFIG_HOME="$peer/caddy-config" XDG_DATA_HOME="$peer/caddy-data" \
    "${session[@]}" caddy run --config "$peer/Caddyfile" --adapter caddyfile >"$out/caddy.log" 2>&1 &
caddy_pid=$!
trap 'kill "$caddy_pid" 2>/dev/null || true; wait "$caddy_pid" 2>/dev/null || true' EXIT

for _ in $(seq 100); do
    curl -s -o /dev/null --cacert "$peer/ca.pem" "https://localhost:$https_port/files/" && break
    kill -0 "$caddy_pid" 2>/dev/null || { echo "bench: caddy exited:" >&2; cat "$out/caddy.log" >&2; exit 1; }
    sleep 0.1
done

url="https://localhost:$https_port/files/100mb.bin"
ca="$peer/ca.pem"
results="$out/results.txt"
: > "$results"

# Caddy's CPU time so far (user + system), in clock ticks: what the server spent serving one download.
server_ticks() {
    awk '{print $14 + $15}' "/proc/$caddy_pid/stat"
}
ticks_per_second=$(getconf CLK_TCK)

# measure KIND NAME COMMAND...: runs COMMAND once, appending
# "KIND NAME microseconds peak-RSS-KB server-cpu-ms client-cpu-s" (client CPU: user + system).
# The sections below call it in N rounds, every client once per round: a machine whose load drifts during the run
# then weighs on all the clients alike, and the ratios to curl stay put (run one client N times, then the next, and
# curl's own median moved by 1.7x between two runs of the same hour).
measure() {
    local kind="$1" name="$2"
    shift 2
    local started ended
    server_before=$(server_ticks)
    started=$(date +%s%N)
    if ! /usr/bin/time -f '%M %U %S' -o "$out/rss" "$@" >/dev/null 2>"$out/stderr"; then
        echo "bench: $name failed:" >&2
        cat "$out/stderr" >&2
        return 0
    fi
    ended=$(date +%s%N)
    server_ms=$(( ($(server_ticks) - server_before) * 1000 / ticks_per_second ))
    read -r rss user system < <(tail -n 1 "$out/rss")
    echo "$kind $name $(( (ended - started) / 1000 )) $rss $server_ms $(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" >> "$results"
}

httpx_download='
import sys, httpx
with httpx.Client(http2=True, verify=sys.argv[1]) as client:
    with client.stream("GET", sys.argv[2]) as response:
        assert response.http_version == "HTTP/2", response.http_version
        for _ in response.iter_raw(1 << 20):
            pass'

if ((DOWNLOADS)); then
    echo "bench: ${N} rounds (each client once per round), 100 MB over HTTP/2 + TLS (hxi-h3: HTTP/3 over QUIC) from Caddy $(caddy version | cut -d' ' -f1) at $url$( ((OWN_SESSION)) && echo ", Caddy in a session of its own")"
    for ((round = 0; round < N; round++)); do
        measure download curl curl --http2 -sS --fail --cacert "$ca" -o /dev/null "$url"
        measure download nghttp nghttp -n "$url"
        measure download httpx /usr/bin/python3 -c "$httpx_download" "$ca" "$url"
        if ((hxi_ok)); then
            measure download hxi-h2 "$hxi" --cacert "$ca" -o /dev/null "$url"
            # The same file from the same Caddy port over UDP: hxi's own QUIC + HTTP/3, no fallback allowed.
            measure download hxi-h3 "$hxi" --cacert "$ca" --http3-only -o /dev/null "$url"
        fi
        # Another QUIC stack's client against the same server: what HTTP/3 from this Caddy can do on this machine.
        if [[ -x "$quic_go" ]]; then
            measure download quic-go "$quic_go" -discard -ca "$ca" "$url"
        fi
    done
    # The same over HTTP/2, saved to a file as a download usually is: the write into the page cache is the client's
    # too (curl makes it between two reads; hxi's handler makes it on a thread of its own).
    saved="$out/download.bin"
    for ((round = 0; round < N; round++)); do
        measure file curl curl --http2 -sS --fail --cacert "$ca" -o "$saved" "$url"
        if ((hxi_ok)); then
            measure file hxi-h2 "$hxi" --cacert "$ca" -o "$saved" "$url"
        fi
    done
    rm -f "$saved"
fi

for ((round = 0; round < N; round++)); do
    measure startup curl curl --version
    measure startup nghttp nghttp --version
    # The httpx CLI has no --version; importing the library is its start-up cost.
    measure startup httpx /usr/bin/python3 -c 'import httpx, h2'
    if ((hxi_ok)); then
        measure startup hxi "$hxi" --version
        # The same through the ./hxi script: bash plus its check that the binary is newer than the sources.
        if [[ -z "${HXI:-}" ]]; then
            measure startup ./hxi "$repo/hxi" --version
        fi
    fi
done

# A small GET over HTTP/2 + TLS (100 bytes): start-up, TCP, TLS 1.3 and one request, with the same CA for both.
small="https://localhost:$https_port/files/small.txt"
for ((round = 0; round < N; round++)); do
    measure small curl curl --http2 -sS --fail --cacert "$ca" -o /dev/null "$small"
    if ((hxi_ok)); then
        measure small hxi-h2 "$hxi" --cacert "$ca" -o /dev/null "$small"
        measure small hxi-h3 "$hxi" --cacert "$ca" --http3-only -o /dev/null "$small"
    fi
done

/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
from collections import defaultdict

rows = defaultdict(list)
for line in open(sys.argv[1]):
    kind, name, micros, rss, server_ms, client_cpu = line.split()
    rows[(kind, name)].append((int(micros) / 1e6, int(rss), int(server_ms) / 1e3, float(client_cpu)))

def median(kind, name, column):
    return statistics.median(row[column] for row in rows[(kind, name)])

for kind, title in (("download", "100 MB download (hxi-h3 and quic-go over HTTP/3, the others over HTTP/2)"), ("file", "100 MB download over HTTP/2 saved to a file (-o FILE)"), ("startup", "start-up (--version)"), ("small", "small GET (100 bytes over HTTP/2 + TLS; hxi-h3 over HTTP/3)")):
    names = [n for (k, n) in rows if k == kind]
    if not names:
        continue
    base = median(kind, "curl", 0) if (kind, "curl") in rows else None
    # For downloads, the client's own CPU (user + system) and the server's: a client can't finish before the server has sent.
    download = kind in ("download", "file")
    print(f"\n{title}")
    print(f"  {'client':<8} {'median s':>9} {'min s':>7} {'peak RSS MB':>12} {'x curl':>7}" + (f" {'client CPU s':>13} {'server CPU s':>13}" if download else ""))
    for name in names:
        seconds = [row[0] for row in rows[(kind, name)]]
        wall = statistics.median(seconds)
        rss = max(row[1] for row in rows[(kind, name)]) / 1024
        ratio = f"{wall / base:.2f}" if base else "-"
        cpu = f" {median(kind, name, 3):>13.3f} {median(kind, name, 2):>13.3f}" if download else ""
        print(f"  {name:<8} {wall:>9.3f} {min(seconds):>7.3f} {rss:>12.1f} {ratio:>7}{cpu}")
    if kind == "download" and ("download", "hxi-h3") in rows and ("download", "quic-go") in rows:
        print(f"  HTTP/3: hxi-h3 / quic-go wall time {median(kind, 'hxi-h3', 0) / median(kind, 'quic-go', 0):.2f}x, "
              f"CPU {median(kind, 'hxi-h3', 3) / median(kind, 'quic-go', 3):.2f}x")
    if download and (kind, "hxi-h2") in rows and base:
        print(f"  HTTP/2: hxi-h2 / curl wall time {median(kind, 'hxi-h2', 0) / base:.2f}x, CPU {median(kind, 'hxi-h2', 3) / median(kind, 'curl', 3):.2f}x")

with open("/proc/loadavg") as load:
    print(f"\nload average at the end: {' '.join(load.read().split()[:3])}")
PY
if ((!hxi_ok)); then
    echo
    echo "hxi: not built"
fi
