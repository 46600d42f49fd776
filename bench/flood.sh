#!/usr/bin/env bash
# hxi serve (the Native AOT ./hxi users run) under the floods of issue 10 item 7, one table row per scenario: 50,000
# garbage datagrams, 20,000 undecryptable version-1 Initials, 20,000 unknown-version Initials (each from 512 source
# ports at RATE a second, while 4 real HTTP/3 clients keep making requests), then 200 concurrent real clients; with
# the server's VmRSS before, at peak and after its 10 s handshake timeout.
#   ./bench/flood.sh                  # the defaults
#   RATE=20000 ./bench/flood.sh       # harder
#   HXI=path/to/hxi ./bench/flood.sh  # an hxi already published
#   FLOOD_ARGS="--garbage 1000" ./bench/flood.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/bench/out"
mkdir -p "$out"

if [[ -z "${HXI:-}" ]]; then
    echo "flood: publishing hxi (Native AOT) into $out/hxi" >&2
    dotnet publish "$repo/src/Hxi.Cli" -c Release -p:PublishAot=true -o "$out/hxi" --nologo -v quiet >"$out/publish.log" 2>&1 \
        || { echo "flood: dotnet publish failed, see $out/publish.log" >&2; exit 1; }
    HXI="$out/hxi/hxi"
fi

echo "flood: building the flood tool" >&2
dotnet build "$repo/bench/Hxi.Flood" -c Release --nologo -v quiet -clp:ErrorsOnly -o "$out/flood" >"$out/flood-build.log" 2>&1 \
    || { echo "flood: build failed, see $out/flood-build.log" >&2; exit 1; }

certs="$out/flood-certs"
"$HXI" serve --port 0 --quiet --cert-dir "$certs" >"$out/flood-serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'Ctrl-C' "$out/flood-serve.log" 2>/dev/null && break
    sleep 0.1
done
port="$(grep -o 'https://localhost:[0-9]*' "$out/flood-serve.log" | head -1 | cut -d: -f3)"
[[ -n "$port" ]] || { echo "flood: hxi serve did not start:" >&2; cat "$out/flood-serve.log" >&2; exit 1; }

# shellcheck disable=SC2086
"$out/flood/hxi-flood" --port "$port" --pid "$server" --ca "$certs/ca.pem" --rate "${RATE:-5000}" ${FLOOD_ARGS:-}
