#!/usr/bin/env bash
# Performance under loss: a 10 MB download over HTTP/3 from Caddy through the test kit's lossy relay (5% loss, 5%
# reordering, 1% duplication, 1% corruption, each way, seeded), hxi beside quic-go's HTTP/3 client through the same
# relay settings to the same Caddy. Each run checks the SHA-256 of what arrived. Prints median wall times and the ratio.
# Not part of CI; see bench/README.md. Reuses bench/run.sh's certificates, payload folder and quic-go client.
set -euo pipefail

N="${N:-5}"
LOSS="${LOSS:-0.05}" REORDER="${REORDER:-0.05}" DUPLICATE="${DUPLICATE:-0.01}" CORRUPT="${CORRUPT:-0.01}"
CC="${CC:-}"   # CC=newreno or CC=cubic: hxi's --cc (default: hxi's own default)
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/bench/out"
peer="$out/peer"
mkdir -p "$peer/files"

for tool in caddy openssl dotnet go curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "loss: '$tool' not found" >&2; exit 1; }
done

if [[ ! -f "$peer/ca.pem" || ! -f "$peer/server.pem" || ! -f "$peer/server.key" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=hxi bench CA" \
        -keyout "$peer/ca.key" -out "$peer/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$peer/server.key" -out "$peer/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$peer/leaf.ext"
    openssl x509 -req -in "$peer/server.csr" -CA "$peer/ca.pem" -CAkey "$peer/ca.key" -CAcreateserial \
        -days 3650 -extfile "$peer/leaf.ext" -out "$peer/server.pem" 2>/dev/null
fi
if [[ "$(stat -c %s "$peer/files/10mb.bin" 2>/dev/null || echo 0)" != 10485760 ]]; then
    head -c 10485760 /dev/urandom > "$peer/files/10mb.bin"
fi
expected="$(sha256sum "$peer/files/10mb.bin" | cut -d' ' -f1)"

# hxi as users run it (the Native AOT binary ./hxi builds), unless HXI names another build (HXI=path/to/hxi.dll runs
# the JIT build with dotnet: no publish on a busy machine, at the cost of JIT start-up in every run).
if [[ -n "${HXI:-}" ]]; then
    hxi=(dotnet "$HXI")
else
    "$repo/hxi" --version >/dev/null 2>"$out/build.log" || { echo "loss: ./hxi failed to build, see $out/build.log" >&2; exit 1; }
    hxi=("$repo/artifacts/hxi/hxi")
    [[ -x "${hxi[0]}" ]] || hxi=("$repo/hxi")
fi
dotnet build "$repo/bench/Hxi.LossyRelay" -c Release -v quiet -clp:ErrorsOnly -o "$out/relay" >"$out/relay-build.log" 2>&1 \
    || { echo "loss: the relay did not build, see $out/relay-build.log" >&2; exit 1; }
quic_go="$out/quic-go-client"
if [[ ! -x "$quic_go" || "$repo/tests/Hxi.Interop.Tests/Peers/quic-go-client.go" -nt "$quic_go" ]]; then
    GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$out/go-cache" GOFLAGS= \
        go build -o "$quic_go" "$repo/tests/Hxi.Interop.Tests/Peers/quic-go-client.go"
fi

read -r https_port < <(/usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat > "$peer/Caddyfile.loss" <<CADDY
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
}

https://:$https_port {
	bind 127.0.0.1
	tls "$peer/server.pem" "$peer/server.key"
	handle_path /files/* {
		root * "$peer/files"
		file_server
	}
}
CADDY
XDG_CONFIG_HOME="$peer/caddy-config" XDG_DATA_HOME="$peer/caddy-data" \
    caddy run --config "$peer/Caddyfile.loss" --adapter caddyfile >"$out/caddy-loss.log" 2>&1 &
caddy_pid=$!
trap 'kill "$caddy_pid" 2>/dev/null || true; wait "$caddy_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -s -o /dev/null --cacert "$peer/ca.pem" "https://127.0.0.1:$https_port/files/" && break
    kill -0 "$caddy_pid" 2>/dev/null || { echo "loss: caddy exited:" >&2; cat "$out/caddy-loss.log" >&2; exit 1; }
    sleep 0.1
done

results="$out/loss-results.txt"
: > "$results"

# run NAME SEED COMMAND-WITH-@URL@: one download through a fresh relay (same seed for both clients in a round);
# appends "NAME milliseconds" when the SHA-256 matched, else says what went wrong.
run() {
    local name="$1" seed="$2"
    shift 2
    exec {relay_in}> >(exec dotnet "$out/relay/hxi-lossy-relay.dll" "$https_port" --loss "$LOSS" --reorder "$REORDER" \
        --duplicate "$DUPLICATE" --corrupt "$CORRUPT" --seed "$seed" >"$out/relay.port" 2>"$out/relay-$name-$seed.log")
    for _ in $(seq 100); do [[ -s "$out/relay.port" ]] && break; sleep 0.05; done
    local port url args=() started ended digest
    port="$(cat "$out/relay.port")"
    url="https://127.0.0.1:$port/files/10mb.bin"
    for arg in "$@"; do args+=("${arg//@URL@/$url}"); done
    started=$(date +%s%N)
    if "${args[@]}" >"$out/loss-body" 2>"$out/loss-stderr"; then
        ended=$(date +%s%N)
        case "$name" in
            quic-go) digest="$(cut -d' ' -f3 "$out/loss-body")" ;;
            *) digest="$(sha256sum "$out/loss-body" | cut -d' ' -f1)" ;;
        esac
        if [[ "$digest" == "$expected" ]]; then
            echo "$name $(( (ended - started) / 1000000 ))" >> "$results"
        else
            echo "loss: $name (seed $seed) got the wrong bytes" >&2
        fi
    else
        echo "loss: $name (seed $seed) failed: $(head -c 300 "$out/loss-stderr")" >&2
    fi
    exec {relay_in}>&-
    sleep 0.2
    : > "$out/relay.port"
}

cc_args=()
[[ -n "$CC" ]] && cc_args=(--cc "$CC")
echo "loss: ${N} rounds, 10 MB over HTTP/3 from Caddy $(caddy version | cut -d' ' -f1) through the relay: loss $LOSS, reorder $REORDER, duplicate $DUPLICATE, corrupt $CORRUPT each way${CC:+, hxi --cc $CC}"
for ((round = 1; round <= N; round++)); do
    run hxi "$round" "${hxi[@]}" --http3-only --cacert "$peer/ca.pem" -s "${cc_args[@]}" @URL@
    run quic-go "$round" "$quic_go" -ca "$peer/ca.pem" @URL@
done

/usr/bin/python3 - "$results" "$N" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    name, ms = line.split()
    rows.setdefault(name, []).append(int(ms))
for name in ("hxi", "quic-go"):
    times = rows.get(name, [])
    if times:
        print(f"{name:8} {len(times)}/{sys.argv[2]} complete, median {statistics.median(times) / 1000:.2f} s (min {min(times) / 1000:.2f}, max {max(times) / 1000:.2f})")
    else:
        print(f"{name:8} none complete")
if rows.get("hxi") and rows.get("quic-go"):
    print(f"hxi / quic-go median time: {statistics.median(rows['hxi']) / statistics.median(rows['quic-go']):.2f}")
PY
