#!/usr/bin/env bash
# Runs each measurement tool with tiny parameters and checks that it exits 0
# and prints a table row, so the tools behind reports/l2-engine.md cannot rot.
#   smoke_test.sh <l2_failover> <l2_spurious> <membership_message_rates>
set -euo pipefail
failover=$1 spurious=$2 rates=$3
out=$("$failover" --nodes 3 --seeds 5)
echo "$out"
grep -q '^| default | 3 | 5 |' <<<"$out"
grep -q '^| metallb | 3 | 5 |' <<<"$out"
out=$("$spurious" --nodes 4 --loss 0.05 --minutes 1)
echo "$out"
grep -q '^| default | 4 | 5% |' <<<"$out"
grep -q '^| metallb | 4 | 5% |' <<<"$out"
out=$("$rates" 2 5)
echo "$out"
grep -q '5 nodes: sent' <<<"$out"
# The speaker level exists only when built with engine/speaker (exit 2 and a
# "built without" message otherwise).
set +e
out=$("$failover" --level speaker --nodes 3 --seeds 2 2>&1)
rc=$?
set -e
echo "$out"
if [[ $rc -eq 2 ]]; then
  grep -q 'built without engine/speaker' <<<"$out"
else
  [[ $rc -eq 0 ]]
  grep -q '^| default | 3 | 2 |' <<<"$out"
  out=$("$spurious" --level speaker --nodes 3 --loss 0.05 --minutes 1 --profiles default)
  echo "$out"
  grep -q '^| default | 3 | 5% |' <<<"$out"
fi
