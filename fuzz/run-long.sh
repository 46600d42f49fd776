#!/usr/bin/env bash
# Long fuzz runs, one target at a time, at the lowest CPU priority.
#
#   fuzz/run-long.sh [--mode inproc|afl] [--seconds N] [--fast-seconds M] [--fast-iterations K] [--seed S] [--no-build] [TARGET...]
#
# Builds fuzz/Hxi.Fuzz (Release), copies it to artifacts/fuzz/bin and instruments Hxi.Protocols.dll, Hxi.Net.dll
# and hxi.dll with the sharpfuzz tool (fuzz/dotnet-tools.json); --no-build reuses that copy. Then, for each target (default: all), for N seconds:
#   inproc  the in-process coverage-guided mutator (Hxi.Fuzz smoke --seconds N), reading SharpFuzz's edge map directly
#   afl     afl-fuzz (Debian's afl++) driving "Hxi.Fuzz afl TARGET" in persistent mode
# then, with --fast-seconds M, M more seconds of the uninstrumented build (several times the exec/s, no coverage)
# mutating the corpus the guided phase found; with --fast-iterations K the fast phase stops after K executions
# (or M seconds, whichever comes first; K alone lets it run until K).
# Seeds come from fuzz/corpus/TARGET; new inputs go to artifacts/fuzz/queue/TARGET, crashes to
# artifacts/fuzz/crashes/TARGET (inproc) or artifacts/fuzz/afl/TARGET/default/crashes (afl).
# Prints one line per target: executions, exec/s, crashes. Exit status 1 when anything crashed.
# FUZZ_OUT=DIR puts all of it under DIR instead of artifacts/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=inproc
seconds=60
seed=$RANDOM
fast=0
fast_iterations=0
build=1
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mode) mode=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --fast-seconds) fast=$2; shift 2 ;;
        --fast-iterations) fast_iterations=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# FUZZ_OUT moves everything (build, queue, crashes, logs), so a second run can build while the first one fuzzes.
out=${FUZZ_OUT:-artifacts/fuzz}
bin=$out/bin
if [[ $build -eq 1 || ! -f $bin/Hxi.Fuzz.dll ]]; then
    dotnet build fuzz/Hxi.Fuzz -c Release -v quiet -clp:ErrorsOnly -o "$out/build" >/dev/null
    rm -rf "$bin" && cp -r "$out/build" "$bin"
    (cd fuzz && dotnet tool restore >/dev/null)
    for assembly in Hxi.Protocols.dll Hxi.Net.dll hxi.dll; do
        (cd fuzz && dotnet sharpfuzz "../$bin/$assembly" >/dev/null)
    done
fi
mkdir -p "$out/afl"

if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(dotnet "$bin/Hxi.Fuzz.dll" list | awk '{print $1}')
fi

crashed=0
for target in "${targets[@]}"; do
    if [[ $mode == afl ]]; then
        findings=$out/afl/$target
        rm -rf "$findings"
        mkdir -p "$findings"
        # The dotnet host is not instrumented (SharpFuzz instruments the assemblies), and this machine's
        # core_pattern and CPU governor are not afl's business.
        AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 \
            nice -n 19 afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -V "$seconds" -t 10000 -m none \
            -- dotnet "$bin/Hxi.Fuzz.dll" afl "$target" >"$out/afl-$target.log" 2>&1 || true
        stats=$findings/default/fuzzer_stats
        execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats" 2>/dev/null || echo 0)
        rate=$(awk -F' *: *' '$1=="execs_per_sec"{print $2}' "$stats" 2>/dev/null || echo 0)
        found=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
        hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
        printf '%-22s executions=%s exec/s=%s crashes=%s hangs=%s (afl)\n' "$target" "${execs:-0}" "${rate:-0}" "$found" "$hangs"
        [[ $found -eq 0 ]] || crashed=1
    else
        nice -n 19 dotnet "$bin/Hxi.Fuzz.dll" smoke "$target" --seconds "$seconds" --seed "$seed" \
            --corpus fuzz/corpus --crashes "$out/crashes" --queue "$out/queue" | tee -a "$out/inproc.log" | grep -v '^   at ' || crashed=1
    fi
    if [[ $fast -gt 0 || $fast_iterations -gt 0 ]]; then
        limits=()
        [[ $fast -gt 0 ]] && limits+=(--seconds "$fast")
        [[ $fast_iterations -gt 0 ]] && limits+=(--iterations "$fast_iterations")
        if [[ $mode == afl ]]; then
            mkdir -p "$out/queue/$target" && cp "$out/afl/$target"/default/queue/id:* "$out/queue/$target/" 2>/dev/null || true
        fi
        echo -n "  fast phase: "
        nice -n 19 dotnet "$out/build/Hxi.Fuzz.dll" smoke "$target" "${limits[@]}" --seed "$seed" \
            --corpus "$out/queue" --crashes "$out/crashes" | tee -a "$out/fast.log" | grep -v '^   at ' || crashed=1
    fi
done
exit $crashed
