#!/usr/bin/env bash
# Runs the API locally on http://localhost:${PORT:-7071}/api.
# Uses Azure Functions Core Tools (func start) where installed, else the offline local host.
# Both read local.settings.json (created from local.settings.sample.json when missing); the environment wins.
set -euo pipefail
cd "$(dirname "$0")"
export PORT="${PORT:-7071}"

[ -f local.settings.json ] || cp local.settings.sample.json local.settings.json

azurite_pid="$(scripts/azurite.sh)"
trap 'scripts/azurite.sh stop "$azurite_pid"' EXIT
trap 'exit 130' INT TERM

if command -v func >/dev/null 2>&1; then
  cp local.settings.json functions/Insightly.Unified.Functions/local.settings.json
  echo "Starting with Azure Functions Core Tools (func start) on port $PORT" >&2
  cd functions/Insightly.Unified.Functions
  func start --port "$PORT"
else
  echo "Azure Functions Core Tools not found: starting the offline local host on port $PORT" >&2
  dotnet run --project functions/Insightly.Unified.LocalHost
fi
