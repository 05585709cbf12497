#!/usr/bin/env bash
# Starts Azurite (from this repo's package.json) in the background unless something already
# listens on its table port. Prints the PID it started, or nothing when one was already running.
set -euo pipefail
cd "$(dirname "$0")/.."

listening() { (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; }

if listening; then
  echo "Azurite is already listening on 127.0.0.1:10002" >&2
  exit 0
fi

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
fi

mkdir -p .azurite
node_modules/.bin/azurite --silent --location .azurite --debug .azurite/debug.log \
  --skipApiVersionCheck --loose >.azurite/azurite.log 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if listening; then
    echo "Started Azurite (pid $pid), data in .azurite/" >&2
    echo "$pid"
    exit 0
  fi
  sleep 0.5
done
echo "Azurite did not start; see .azurite/azurite.log" >&2
exit 1
