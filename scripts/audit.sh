#!/usr/bin/env bash
# Fails on any known high or critical vulnerability in the NuGet packages (direct and transitive) or in the
# npm packages the product ships with (dev tools such as Azurite and Redocly are not shipped).
set -euo pipefail
cd "$(dirname "$0")/.."

report="$(dotnet list Functions.sln package --vulnerable --include-transitive --format json)"
if grep -Eq '"severity": *"(High|Critical)"' <<<"$report"; then
  echo "High or critical vulnerabilities in NuGet packages:" >&2
  dotnet list Functions.sln package --vulnerable --include-transitive >&2
  exit 1
fi
echo "NuGet: no known high or critical vulnerabilities" >&2

npm audit --omit=dev --audit-level=high
