#!/usr/bin/env bash
# Runs the API locally on http://localhost:${PORT:-7071}/api.
# Uses Azure Functions Core Tools (func start) where installed, else the offline local host.
set -euo pipefail
cd "$(dirname "$0")"
export PORT="${PORT:-7071}"

azurite_pid="$(scripts/azurite.sh)"
trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT

if command -v func >/dev/null 2>&1; then
  [ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
  cp local.settings.json functions/Insightly.Unified.Functions/local.settings.json
  echo "Starting with Azure Functions Core Tools (func start) on port $PORT" >&2
  cd functions/Insightly.Unified.Functions
  func start --port "$PORT"
else
  echo "Azure Functions Core Tools not found: starting the offline local host on port $PORT" >&2
  dotnet run --project functions/Insightly.Unified.LocalHost
fi
