#!/usr/bin/env bash
# Runs every Google Benchmark binary of a build and prints a summary; JSON
# results go to BUILD/results/ for reports/benchmarks.md.
set -euo pipefail
build="${1:-build/bench}"
mkdir -p "$build/results"
mapfile -t benches < <(find "$build/bench" -maxdepth 1 -type f -name '*_bench' -perm -u+x 2>/dev/null | sort)
if [ ${#benches[@]} -eq 0 ]; then
  echo "bench: no benchmark binaries in $build/bench" >&2
  exit 1
fi
for bin in "${benches[@]}"; do
  name="$(basename "$bin")"
  echo "== $name"
  "$bin" --benchmark_out="$build/results/$name.json" --benchmark_out_format=json \
         --benchmark_counters_tabular=true
done
# vipcast-sim wall times (example, suite, simulated s per wall s).
if [ -x "$build/sim/runner/vipcast-sim" ]; then
  echo "== vipcast-sim"
  "$(dirname "$0")/sim-bench.sh" "$build"
fi
echo "bench: JSON results in $build/results/"
