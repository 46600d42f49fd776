#!/usr/bin/env bash
# 100 MB from `hxi serve` to hxi over HTTP/3 and over HTTP/2 from the same server, side by side in one run,
# with the server's peak resident memory during the HTTP/3 downloads (VmHWM) and after the HTTP/2 ones.
#   ./bench/serve.sh          # 5 runs per protocol
#   N=11 ./bench/serve.sh     # steadier medians
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/bench/out"
runs="${N:-5}"
size=104857600
mkdir -p "$out"

if [[ -z "${HXI:-}" ]]; then
    echo "bench: publishing hxi (Native AOT) into $out/hxi" >&2
    dotnet publish "$repo/src/Hxi.Cli" -c Release -p:PublishAot=true -o "$out/hxi" --nologo -v quiet >"$out/publish.log" 2>&1 \
        || { echo "bench: dotnet publish failed, see $out/publish.log" >&2; exit 1; }
    HXI="$out/hxi/hxi"
fi

certs="$out/serve-certs"
"$HXI" serve --port 0 --quiet --cert-dir "$certs" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'Ctrl-C' "$out/serve.log" 2>/dev/null && break
    sleep 0.1
done
port="$(grep -o 'https://localhost:[0-9]*' "$out/serve.log" | head -1 | cut -d: -f3)"
[[ -n "$port" ]] || { echo "bench: hxi serve did not start:" >&2; cat "$out/serve.log" >&2; exit 1; }
url="https://localhost:$port/bytes/$size"

# One download: prints "seconds peak-client-RSS-KB", and checks that every byte arrived.
download() {
    local stats
    stats="$( { /usr/bin/time -f '%e %M' "$HXI" --cacert "$certs/ca.pem" "$@" -o "$out/serve-body" "$url" ; } 2>&1 >/dev/null | tail -1)"
    [[ "$(stat -c %s "$out/serve-body")" == "$size" ]] || { echo "bench: short download ($*)" >&2; exit 1; }
    echo "$stats"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }

: >"$out/serve-results.txt"
for _ in $(seq "$runs"); do
    echo "h3 $(download --http3-only)" >>"$out/serve-results.txt"
done
h3_rss="$(peak_rss_mb)"
for _ in $(seq "$runs"); do
    echo "h2 $(download --http2)" >>"$out/serve-results.txt"
done
all_rss="$(peak_rss_mb)"

h3="$(awk '$1 == "h3" { print $2 }' "$out/serve-results.txt" | median)"
h2="$(awk '$1 == "h2" { print $2 }' "$out/serve-results.txt" | median)"
printf '100 MB from hxi serve to hxi, median of %s runs\n' "$runs"
printf '  HTTP/3  %6.2f s\n' "$h3"
printf '  HTTP/2  %6.2f s\n' "$h2"
awk -v a="$h3" -v b="$h2" 'BEGIN { printf "  h3/h2   %6.2fx  (target: at most 1.5x)\n", a / b }'
printf 'server peak RSS: %s MB during the HTTP/3 downloads, %s MB after the HTTP/2 ones too (target: at most 128 MB)\n' "$h3_rss" "$all_rss"
