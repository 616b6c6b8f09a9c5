#!/usr/bin/env bash
# vipcast-sim wall-time benchmarks (issue 5), run by `make bench` after the
# Google benchmarks: the spec's example scenario, the whole regression suite,
# the 100-node/1000-VIP scenario,
# and simulated seconds per wall second at 10, 100 and 1000 nodes (one VIP,
# 10 ms client probe, no fault). Results: BUILD/results/sim_bench.txt.
#   tools/sim-bench.sh [build-dir]     SIM_BENCH_NODES (default 10,100,1000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/bench}
sim=$build/sim/runner/vipcast-sim
work=$build/sim-bench
rm -rf "$work"
mkdir -p "$work" "$build/results"
out=$build/results/sim_bench.txt
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }
{
  echo "example (sim/scenarios/l2-announcer-crash.yaml, 30 simulated s): $(seconds "$sim" run sim/scenarios/l2-announcer-crash.yaml --quiet --out "$work/example") s wall"
  echo "whole suite (sim/scenarios/*.yaml, one process): $(seconds "$sim" run sim/scenarios/*.yaml --quiet --out "$work/suite") s wall"
  echo "100 nodes, 1000 VIPs (sim/scenarios/scale/l2-100-nodes-1000-vips.yaml, 60 simulated s): $(seconds "$sim" run sim/scenarios/scale/l2-100-nodes-1000-vips.yaml --quiet --out "$work/scale") s wall"
  IFS=, read -r -a sizes <<<"${SIM_BENCH_NODES:-10,100,1000}"
  for n in "${sizes[@]}"; do
    simulated=$((n >= 1000 ? 10 : 30))
    f=$work/nodes-$n.yaml
    {
      echo "name: bench-$n-nodes"
      echo "topology: l2-switch"
      echo "params: {nodes: $n, clients: 1}"
      echo "duration: ${simulated}s"
      echo "manifests: [$PWD/sim/scenarios/manifests/l2-basic.yaml, $PWD/sim/scenarios/manifests/web-service.yaml]"
      echo "endpoints: {default/web: [node-0, node-1, node-2]}"
      echo "traffic: [{name: probe, from: client-0, to: default/web, every: 10ms}]"
    } >"$f"
    wall=$(seconds "$sim" run "$f" --quiet --out "$work/nodes-$n")
    echo "$n nodes, $simulated simulated s: $wall s wall, $(awk -v s="$simulated" -v w="$wall" 'BEGIN { printf "%.2f", s / w }') simulated s per wall s"
  done
} | tee "$out"
