#!/usr/bin/env bash
# 100 MB from `hxi serve` to hxi over HTTP/3 and over HTTP/2 from the same server, side by side in one run
# (alternating), with wall time, the client's and the server's CPU time, and the server's peak resident memory.
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

# One download: prints "seconds peak-client-RSS-KB client-CPU-s server-CPU-s", and checks that every byte arrived.
# Client CPU is user + system from /usr/bin/time; the server's is the change in its utime + stime (/proc/PID/stat).
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second="$(getconf CLK_TCK)"
download() {
    local stats before after
    before="$(server_ticks)"
    stats="$( { /usr/bin/time -f '%e %M %U %S' "$HXI" --cacert "$certs/ca.pem" "$@" -o "$out/serve-body" "$url" ; } 2>&1 >/dev/null | tail -1)"
    after="$(server_ticks)"
    [[ "$(stat -c %s "$out/serve-body")" == "$size" ]] || { echo "bench: short download ($*)" >&2; exit 1; }
    awk -v s="$stats" -v t="$((after - before))" -v hz="$ticks_per_second" \
        'BEGIN { split(s, f, " "); printf "%s %s %.2f %.2f\n", f[1], f[2], f[3] + f[4], t / hz }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }

# HTTP/3 and HTTP/2 alternate, so both see the same load on a shared machine. The server's peak RSS during each
# protocol's downloads is read by resetting VmHWM before each one (writing 5 to /proc/PID/clear_refs, Linux 4.0+).
reset_peak() { echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true; }
: >"$out/serve-results.txt"
h3_rss=0
h2_rss=0
for _ in $(seq "$runs"); do
    reset_peak
    echo "h3 $(download --http3-only)" >>"$out/serve-results.txt"
    h3_rss="$(( $(peak_rss_mb) > h3_rss ? $(peak_rss_mb) : h3_rss ))"
    reset_peak
    echo "h2 $(download --http2)" >>"$out/serve-results.txt"
    h2_rss="$(( $(peak_rss_mb) > h2_rss ? $(peak_rss_mb) : h2_rss ))"
done

column() { awk -v p="$1" -v c="$2" '$1 == p { print $c }' "$out/serve-results.txt" | median; }
printf '100 MB from hxi serve to hxi, median of %s runs each, alternating\n' "$runs"
printf '          wall s  client CPU s  server CPU s\n'
for p in h3 h2; do
    printf '  %s     %6.2f  %12.2f  %12.2f\n' "$([[ $p == h3 ]] && echo HTTP/3 || echo HTTP/2)" "$(column $p 2)" "$(column $p 4)" "$(column $p 5)"
done
awk -v a="$(column h3 2)" -v b="$(column h2 2)" 'BEGIN { printf "  h3/h2 wall time %.2fx  (target: at most 1.5x)\n", a / b }'
printf 'server peak RSS (VmHWM): %s MB during an HTTP/3 download (target: at most 128 MB), %s MB during an HTTP/2 one\n' "$h3_rss" "$h2_rss"
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
