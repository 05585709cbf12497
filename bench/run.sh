#!/usr/bin/env bash
# The benchmarks (not part of ./test.sh): BenchmarkDotNet micro benchmarks, then the side-by-side load run (wrk on
# loopback: the fake Insightly directly, the proxy, the unified API, YARP), the memory runs and the quota and storage
# counts. Writes the report to bench/results/ (docs/benchmarks.md holds one run's figures).
#   bench/run.sh                 everything
#   bench/run.sh --no-micro      the load, memory and count run only
#   bench/run.sh --micro-only    the micro benchmarks only
# BENCH_DURATION (seconds per wrk cell, default 10) and BENCH_WARMUP (default 5) shorten or lengthen the run.
set -euo pipefail
cd "$(dirname "$0")/.."

micro=1 load=1
case "${1:-}" in
  --no-micro) micro=0 ;;
  --micro-only) load=0 ;;
  "") ;;
  *) echo "usage: bench/run.sh [--no-micro|--micro-only]" >&2; exit 2 ;;
esac

if [ "$load" = 1 ] && ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

echo "Load average before building: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
mkdir -p bench/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
for project in functions/Insightly.Unified.LocalHost bench/Insightly.Unified.LoadBench bench/Insightly.Unified.Benchmarks; do
  dotnet build -c Release -v q -nologo "$project" > "bench/results/build-$stamp.log" 2>&1 \
    || { cat "bench/results/build-$stamp.log" >&2; exit 1; }
done

if [ "$micro" = 1 ]; then
  echo "Micro benchmarks (BenchmarkDotNet); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  (cd bench/results && dotnet ../Insightly.Unified.Benchmarks/bin/Release/net10.0/Insightly.Unified.Benchmarks.dll --filter '*' --warmupCount 3 --iterationCount 10 \
    --artifacts "micro-$stamp")
  # The mapping again, timed by the thread's own CPU clock: a check that other processes' load cannot inflate.
  dotnet bench/Insightly.Unified.Benchmarks/bin/Release/net10.0/Insightly.Unified.Benchmarks.dll --cpu | tee "bench/results/cpu-$stamp.md"
fi

if [ "$load" = 1 ]; then
  azurite_pid="$(scripts/azurite.sh)"
  trap 'scripts/azurite.sh stop "$azurite_pid"' EXIT
  trap 'exit 130' INT TERM
  dotnet bench/Insightly.Unified.LoadBench/bin/Release/net10.0/Insightly.Unified.LoadBench.dll run \
    --host-dll functions/Insightly.Unified.LocalHost/bin/Release/net10.0/Insightly.Unified.LocalHost.dll \
    --duration "${BENCH_DURATION:-10}" --warmup "${BENCH_WARMUP:-5}" \
    --out "bench/results/load-$stamp.md" --command "bench/run.sh"
fi
