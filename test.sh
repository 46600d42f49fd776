#!/usr/bin/env bash
# The project's one test command (CI runs exactly this). Builds and tests the whole solution;
# any failed test, build warning (warnings are errors) or test host crash makes it exit non-zero.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# verbosity=normal lists every test with its outcome and prints skip reasons (a missing peer outside CI);
# the build itself stays quiet so those lines are easy to find.
dotnet test hxi.slnx \
    -c Release \
    --nologo \
    -v quiet \
    --logger "console;verbosity=normal" \
    "$@"
