#!/usr/bin/env bash
# Runs every test: unit tests and end-to-end tests (real HTTP, a fake Insightly, real Azurite).
# Starts Azurite first unless it is already running, and stops it afterwards if it started it.
set -euo pipefail
cd "$(dirname "$0")"

azurite_pid="$(scripts/azurite.sh)"
trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT

dotnet test Functions.sln "$@"
