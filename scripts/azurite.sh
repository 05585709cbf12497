#!/usr/bin/env bash
# Starts Azurite (from this repo's package.json) in the background unless something already listens on
# its table port. Prints the PID it started, or nothing when one was already running.
#   scripts/azurite.sh            start
#   scripts/azurite.sh stop PID   stop the Azurite this script started: SIGINT (on which Azurite saves its
#                                 data and exits), then SIGKILL if it is still there after 10 seconds
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "stop" ]; then
  pid="${2:-}"
  [ -n "$pid" ] || exit 0
  kill -INT "$pid" 2>/dev/null || exit 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { echo "Stopped Azurite (pid $pid)" >&2; exit 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "Azurite (pid $pid) did not stop on SIGINT; killed it" >&2
  exit 0
fi

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
# Without --disableTelemetry, Azurite 3.37's telemetry client keeps the process alive after it is told to stop.
node_modules/.bin/azurite --silent --disableTelemetry --location .azurite --debug .azurite/debug.log \
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
kill -KILL "$pid" 2>/dev/null || true
echo "Azurite did not start; see .azurite/azurite.log" >&2
exit 1
