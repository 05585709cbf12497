#!/usr/bin/env bash
# Runs every test: unit tests and end-to-end tests (real HTTP, a fake Insightly, real Azurite).
# Starts Azurite first unless it is already running, and stops the one it started when it ends:
# on success, on a failing test and on Ctrl-C alike.
set -euo pipefail
cd "$(dirname "$0")"

azurite_pid="$(scripts/azurite.sh)"
trap 'scripts/azurite.sh stop "$azurite_pid"' EXIT
trap 'exit 130' INT TERM

dotnet test Functions.sln "$@"
