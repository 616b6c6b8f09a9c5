#!/usr/bin/env bash
# Regenerates reports/l2-engine.md: VIP failover time after an owner crash,
# spurious failovers under random loss, and per-node membership message
# rates, all measured in simulated time by the tools in tests/measure and
# tests/unit/membership.
#
#   tools/measure-l2.sh [build-dir]        (default: build/measure, Release)
#
# Environment: JOBS (parallel tool runs, default 1), SEEDS (failover seeds per
# case, default 1000), MINUTES (simulated minutes per spurious-failover run,
# default 60), RATE_SECONDS (message-rate window at 10 and 100 nodes, default
# 60), RATE_SECONDS_1000 (at 1000 nodes, default 20), SPURIOUS_NODES (default
# 10,100), SPEAKER_NODES (speaker-level failover sizes, default 3,10,100),
# SPEAKER_SEEDS (default SEEDS), SPEAKER_SPURIOUS_NODES (speaker-level
# spurious-failover sizes, default 10), OUT (default reports/l2-engine.md),
# REUSE=1 (rebuild the report from the raw outputs of the previous run, kept
# in <build-dir>/measure-l2).
#
# CPU cost of the speaker level (Release, one core): a 100-node failover seed
# takes about 1.6 s of CPU and 130 MB (the speakers form before they get their
# Services; the trace keeps no facts), so the 100-node rows cost about
# 2 x 1000 x 1.6 s = 55 min of CPU, more than the rest of the script together
# (3- and 10-node rows: about 2.5 min). SPEAKER_NODES=3,10 or a smaller
# SPEAKER_SEEDS skips or shrinks them.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/measure}
jobs=${JOBS:-1}
seeds=${SEEDS:-1000}
minutes=${MINUTES:-60}
rate_seconds=${RATE_SECONDS:-60}
rate_seconds_1000=${RATE_SECONDS_1000:-20}
spurious_nodes=${SPURIOUS_NODES:-10,100}
speaker_nodes=${SPEAKER_NODES:-3,10,100}
speaker_spurious_nodes=${SPEAKER_SPURIOUS_NODES:-10}
speaker_seeds=${SPEAKER_SEEDS:-$seeds}
out=${OUT:-reports/l2-engine.md}

if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target l2_failover l2_spurious membership_message_rates
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

template=tests/measure/l2-engine.md.in
test -f "$template"
tmp=$build/measure-l2
mkdir -p "$tmp"
failover=$build/tests/measure/l2_failover
spurious=$build/tests/measure/l2_spurious
rates=$build/tests/unit/membership/membership_message_rates

# run NAME COMMAND...: runs in the background, at most $jobs at a time;
# output in $tmp/NAME.out, CPU seconds in $tmp/NAME.cpu.
pids=()
run() {
  local name=$1
  shift
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  ( TIMEFORMAT=%U; { time "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; echo $? >"$tmp/$name.rc"; } 2>"$tmp/$name.cpu" ) &
  pids+=($!)
}
names=(failover_default failover_metallb rates_1000 spurious_default spurious_metallb rates
  speaker_failover speaker_spurious)
if [[ ${REUSE:-0} != 1 ]]; then
  start=$(date +%s)
  run failover_default "$failover" --profiles default --nodes 3,10,100 --seeds "$seeds,$seeds,$seeds"
  run failover_metallb "$failover" --profiles metallb --nodes 3,10,100 --seeds "$seeds,$seeds,$seeds"
  run rates_1000 "$rates" "$rate_seconds_1000" "${RATE_BIG_NODES:-1000}"
  run spurious_default "$spurious" --profiles default --nodes "$spurious_nodes" --loss 0.05,0.2 --minutes "$minutes"
  run spurious_metallb "$spurious" --profiles metallb --nodes "$spurious_nodes" --loss 0.05,0.2 --minutes "$minutes"
  run rates "$rates" "$rate_seconds" 10 100
  # End to end through engine/speaker on tests/harness (CPU cost: see above).
  run speaker_failover "$failover" --level speaker --nodes "$speaker_nodes" --seeds "$speaker_seeds"
  run speaker_spurious "$spurious" --level speaker --nodes "$speaker_spurious_nodes" \
    --loss 0.05,0.2 --minutes "$minutes"
  for p in "${pids[@]}"; do wait "$p"; done
  echo $(($(date +%s) - start)) >"$tmp/elapsed"
fi
elapsed=$(cat "$tmp/elapsed")
status=0
cpu_total=0
incomplete=""
for name in "${names[@]}"; do
  rc=$(cat "$tmp/$name.rc" 2>/dev/null || echo "none (did not finish)")
  if [[ $rc != 0 ]]; then
    echo "measure-l2: $name failed (exit $rc):" >&2
    cat "$tmp/$name.out" "$tmp/$name.err" >&2 || true
    incomplete+="**Incomplete run:** \`$name\` exited with $rc; its missing rows were not measured. "
    status=1
  fi
  cpu=$(tail -1 "$tmp/$name.cpu" 2>/dev/null || echo 0)
  cpu_total=$(awk -v a="$cpu_total" -v b="${cpu:-0}" 'BEGIN { print a + b }')
done

# Tables: one header, rows of both profiles.
table() {  # table PREFIX: the Markdown table rows of PREFIX_default and PREFIX_metallb
  grep '^|' "$tmp/$1_default.out" | grep -v '^| nodes |' | grep -v '^|---:|---:|---:|---:|$' |
    awk '/^\| profile/ || /^\|---/ || /^\| default/'
  grep '^| metallb' "$tmp/$1_metallb.out"
}
failover_table=$(table failover)
spurious_table=$(table spurious)
# metallb / default ratios from the failover rows (columns: p50 p99 max).
ratio_table=$(
  echo '| nodes | metallb/default p50 | p99 | max |'
  echo '|---:|---:|---:|---:|'
  awk -F'|' '$2 ~ /default/ { d50[$3+0] = $5; d99[$3+0] = $6; dmax[$3+0] = $7 }
             $2 ~ /metallb/ { m50[$3+0] = $5; m99[$3+0] = $6; mmax[$3+0] = $7; order[++k] = $3+0 }
             END { for (i = 1; i <= k; ++i) { n = order[i]; if (d50[n] > 0)
                     printf "| %d | %.1f | %.1f | %.1f |\n", n, m50[n]/d50[n], m99[n]/d99[n], mmax[n]/dmax[n] } }' \
    <<<"$failover_table"
)
warnings=$(grep -h WARNING "$tmp"/failover_*.out || true)
speaker_failover=$(cat "$tmp/speaker_failover.out")
speaker_spurious=$(grep '^|' "$tmp/speaker_spurious.out")
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- engine tests/measure tests/unit/membership 2>/dev/null | head -1)

python3 - "$template" "$out" <<PY
import sys
text = open(sys.argv[1]).read()
values = {
  "FAILOVER_TABLE": """$failover_table""",
  "RATIO_TABLE": """$ratio_table""",
  "FAILOVER_WARNINGS": """$warnings""" or "(none: every seed formed its cluster and failed over)",
  "SPURIOUS_TABLE": """$spurious_table""",
  "RATES": open("$tmp/rates.out").read().rstrip(),
  "RATES_1000": open("$tmp/rates_1000.out").read().rstrip(),
  "RATE_SECONDS_1000": "$rate_seconds_1000",
  "SEEDS": "$seeds",
  "SPEAKER_SEEDS": "$speaker_seeds",
  "SPEAKER_NODES": "$speaker_nodes",
  "SPEAKER_SPURIOUS_NODES": "$speaker_spurious_nodes",
  "SPEAKER_FAILOVER": """$speaker_failover""",
  "SPEAKER_SPURIOUS": """$speaker_spurious""",
  "MINUTES": "$minutes",
  "RATE_SECONDS": "$rate_seconds",
  "SPURIOUS_NODES": "$spurious_nodes",
  "MACHINE": "$(uname -srm), $(nproc) CPUs ($cpu_model)",
  "BUILD": "$build_type, $compiler, $build",
  "COMMIT": "$commit" + (" plus uncommitted changes" if "$dirty" else ""),
  "DATE": "$(date -u +%Y-%m-%dT%H:%MZ)",
  "ELAPSED": "$elapsed",
  "CPU": "$cpu_total",
  "JOBS": "$jobs",
  "INCOMPLETE": """$incomplete""",
}
for k, v in values.items():
    text = text.replace("@" + k + "@", v)
open(sys.argv[2], "w").write(text)
PY
echo "measure-l2: wrote $out (${elapsed}s wall, ${cpu_total}s CPU)"
exit $status
