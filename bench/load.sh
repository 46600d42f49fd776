#!/usr/bin/env bash
# hxi load side by side with h2load in one run (issue 14), on loopback:
#   HTTP/2 against Caddy, and against `hxi serve` over TLS and h2c: h2load and hxi load with the same -n, -c and -m;
#   HTTP/3 (hxi only: Debian's h2load has none) against Caddy and `hxi serve`, next to hxi's own HTTP/2 figures;
#   hxi's peak RSS at -c 100 -m 10 (/usr/bin/time -v).
# p99 for h2load comes from its --log-file (it prints no percentiles); hxi's from its -o JSON.
#   ./bench/load.sh                    # -n 100000 -c 10 -m 10
#   REQUESTS=20000 ./bench/load.sh     # a quicker look
# Not part of CI; figures go in bench/README.md.
set -euo pipefail

REQUESTS="${REQUESTS:-100000}"
CLIENTS="${CLIENTS:-10}"
STREAMS="${STREAMS:-10}"
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/bench/out/load"
peer="$out/peer"
mkdir -p "$peer"

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' not found ($2)" >&2; exit 1; }
}
need caddy "apt-get install caddy"
need h2load "apt-get install nghttp2-client"
need jq "apt-get install jq"
need openssl "apt-get install openssl"
need dotnet "the .NET 10 SDK"
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

# --- hxi: the Native AOT binary that ./hxi builds, the one users run ------------------------------------------------
# HXI=path/to/hxi measures that binary instead (no build).
if [[ -n "${HXI:-}" ]]; then
    hxi="$HXI"
else
    "$repo/hxi" --version >/dev/null 2>"$out/build.log" || { echo "bench: ./hxi failed to build, see $out/build.log" >&2; exit 1; }
    hxi="$repo/artifacts/hxi/hxi"
    [[ "$(cat "$repo/artifacts/hxi/.built" 2>/dev/null)" == aot ]] || echo "bench: warning: hxi is not the Native AOT build ($(cat "$repo/artifacts/hxi/.built" 2>/dev/null))" >&2
fi

# --- Caddy with a small JSON route, on free loopback ports ---------------------------------------------------------
if [[ ! -f "$peer/ca.pem" || ! -f "$peer/server.pem" || ! -f "$peer/server.key" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=hxi bench CA" \
        -keyout "$peer/ca.key" -out "$peer/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$peer/server.key" -out "$peer/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$peer/leaf.ext"
    openssl x509 -req -in "$peer/server.csr" -CA "$peer/ca.pem" -CAkey "$peer/ca.key" -CAcreateserial \
        -days 3650 -extfile "$peer/leaf.ext" -out "$peer/server.pem" 2>/dev/null
fi
caddy_port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$peer/Caddyfile" <<CADDY
{
	admin off
	auto_https off
	skip_install_trust
	ocsp_stapling off
	storage file_system {
		root "$peer/caddy-data"
	}
	servers 127.0.0.1:$caddy_port {
		protocols h1 h2 h3
	}
}

https://:$caddy_port {
	bind 127.0.0.1
	tls "$peer/server.pem" "$peer/server.key"
	header Content-Type application/json
	respond "{\"message\":\"hello from caddy\",\"items\":[1,2,3,4,5,6,7,8,9,10]}" 200
}
CADDY
XDG_CONFIG_HOME="$peer/caddy-config" XDG_DATA_HOME="$peer/caddy-data" \
    caddy run --config "$peer/Caddyfile" --adapter caddyfile >"$out/caddy.log" 2>&1 &
caddy_pid=$!

# --- hxi serve on free ports ------------------------------------------------------------------------------------------
"$hxi" serve --port 0 --quiet --address 127.0.0.1 --cert-dir "$out/serve-certs" >"$out/serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$caddy_pid" "$serve_pid" 2>/dev/null || true; wait "$caddy_pid" "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'Ctrl-C' "$out/serve.log" 2>/dev/null && curl -s -o /dev/null --cacert "$peer/ca.pem" "https://127.0.0.1:$caddy_port/" && break
    sleep 0.1
done
serve_https="$(grep -o 'https://localhost:[0-9]*' "$out/serve.log" | head -1 | cut -d: -f3)"
serve_h2c="$(grep -o 'http://localhost:[0-9]*/ (h2c' "$out/serve.log" | head -1 | cut -d: -f3 | cut -d/ -f1)"
[[ -n "$serve_https" && -n "$serve_h2c" ]] || { echo "bench: hxi serve did not start:" >&2; cat "$out/serve.log" >&2; exit 1; }

caddy_url="https://127.0.0.1:$caddy_port/json"
serve_url="https://127.0.0.1:$serve_https/json"
h2c_url="http://127.0.0.1:$serve_h2c/json"
flags=(-n "$REQUESTS" -c "$CLIENTS" -m "$STREAMS")
results="$out/results.txt"
: > "$results"

# h2load NAME URL: requests per second and p99 (ms, from the per-request log), errors.
run_h2load() {
    local name="$1" url="$2" log="$out/h2load-$1.log"
    h2load "${flags[@]}" --log-file="$log" "$url" > "$out/h2load-$name.txt" 2>&1 || true
    local rps errors p99
    rps="$(awk '/^finished in/ { print $4 }' "$out/h2load-$name.txt")"
    errors="$(awk '/^requests:/ { print $13 + $15 }' "$out/h2load-$name.txt")"
    p99="$(cut -f3 "$log" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", a[i] / 1000 }')"
    echo "h2load $name $rps $p99 $errors -" >> "$results"
}

# hxi NAME URL [FLAGS...]: requests per second, p99 (ms), errors and peak RSS (MB) of the run.
run_hxi() {
    local name="$1" url="$2"
    shift 2
    /usr/bin/time -v "$hxi" load "${flags[@]}" --silent --cacert "$peer/ca.pem" -o "$out/hxi-$name.json" "$@" "$url" \
        > "$out/hxi-$name.txt" 2> "$out/hxi-$name.time" || true
    local rss
    rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/hxi-$name.time")"
    jq -r --arg name "$name" --arg rss "$rss" \
        '"hxi \($name) \(.requests_per_second | floor) \(.latency_ms.p99 * 100 | round / 100) \([.errors[]] | add // 0) \($rss)"' \
        "$out/hxi-$name.json" >> "$results"
}

# The embedded server has its own CA; hxi needs it for hxi serve (Caddy's is the bench CA).
serve_ca="$out/serve-certs/ca.pem"
run_hxi_serve() {
    local name="$1" url="$2"
    shift 2
    /usr/bin/time -v "$hxi" load "${flags[@]}" --silent --cacert "$serve_ca" -o "$out/hxi-$name.json" "$@" "$url" \
        > "$out/hxi-$name.txt" 2> "$out/hxi-$name.time" || true
    local rss
    rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/hxi-$name.time")"
    jq -r --arg name "$name" --arg rss "$rss" \
        '"hxi \($name) \(.requests_per_second | floor) \(.latency_ms.p99 * 100 | round / 100) \([.errors[]] | add // 0) \($rss)"' \
        "$out/hxi-$name.json" >> "$results"
}

echo "bench: -n $REQUESTS -c $CLIENTS -m $STREAMS; Caddy on $caddy_port, hxi serve on $serve_https (h2c $serve_h2c)" >&2
# The machine is shared: its load average at the start and the end says how far to trust the wall times.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run_h2load caddy-h2 "$caddy_url"
run_hxi caddy-h2 "$caddy_url"
run_hxi caddy-h3 "$caddy_url" --http3
run_h2load serve-h2 "$serve_url"
run_hxi_serve serve-h2 "$serve_url"
run_h2load serve-h2c "$h2c_url"
run_hxi_serve serve-h2c "$h2c_url" --http2-prior-knowledge
run_hxi_serve serve-h3 "$serve_url" --http3
flags=(-n "$REQUESTS" -c 100 -m 10)
run_hxi caddy-h2-c100 "$caddy_url"
run_hxi caddy-h3-c100 "$caddy_url" --http3

value() { awk -v tool="$1" -v name="$2" -v col="$3" '$1 == tool && $2 == name { print $col }' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

printf '\nhxi load vs h2load, -n %s -c %s -m %s, one run each (%s)\n' "$REQUESTS" "$CLIENTS" "$STREAMS" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-26s %12s %10s %8s %8s\n' "run" "req/s" "p99 ms" "errors" "RSS MB"
while read -r tool name rps p99 errors rss; do
    printf '%-26s %12s %10s %8s %8s\n' "$tool $name" "$rps" "$p99" "$errors" "$rss"
done < "$results"
printf 'load average (1, 5, 15 min): %s at the start, %s at the end\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\nratios (targets in parentheses)\n'
printf '  Caddy h2:      hxi/h2load req/s %s (>= 1.0x), p99 hxi %s ms vs h2load %s ms (no worse)\n' \
    "$(ratio "$(value hxi caddy-h2 3)" "$(value h2load caddy-h2 3)")" "$(value hxi caddy-h2 4)" "$(value h2load caddy-h2 4)"
printf '  Caddy h3/h2:   hxi req/s %s (>= 0.5x), h3 errors %s (zero)\n' \
    "$(ratio "$(value hxi caddy-h3 3)" "$(value hxi caddy-h2 3)")" "$(value hxi caddy-h3 5)"
printf '  serve h2:      hxi/h2load req/s %s\n' "$(ratio "$(value hxi serve-h2 3)" "$(value h2load serve-h2 3)")"
printf '  serve h2c:     hxi/h2load req/s %s\n' "$(ratio "$(value hxi serve-h2c 3)" "$(value h2load serve-h2c 3)")"
printf '  serve h3/h2:   hxi req/s %s\n' "$(ratio "$(value hxi serve-h3 3)" "$(value hxi serve-h2 3)")"
printf '  peak RSS at -c 100 -m 10: h2 %s MB, h3 %s MB (<= 200 MB)\n' "$(value hxi caddy-h2-c100 6)" "$(value hxi caddy-h3-c100 6)"
