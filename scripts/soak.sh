#!/usr/bin/env bash
# The soak run (issue 12): 20,000 mixed requests at concurrency 32 through the local host against the fake
# Insightly and Azurite. Takes several minutes, so ./test.sh leaves it out. Starts Azurite like ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

azurite_pid="$(scripts/azurite.sh)"
trap 'scripts/azurite.sh stop "$azurite_pid"' EXIT
trap 'exit 130' INT TERM

SOAK=1 dotnet test tests/Insightly.Unified.EndToEndTests --filter "FullyQualifiedName~SoakTests" --logger "console;verbosity=detailed" "$@"
