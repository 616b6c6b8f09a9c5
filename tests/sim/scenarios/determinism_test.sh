#!/usr/bin/env bash
# Runs each scenario twice with its own seed and compares report.json and
# trace.jsonl byte for byte (scenario-format.md: "Same file and seed, same
# report.json and event trace, byte for byte").
#   determinism_test.sh VIPCAST_SIM WORKDIR SCENARIO...
set -uo pipefail
sim=$1 work=$2
shift 2
rm -rf "$work"
mkdir -p "$work"
status=0
for scenario in "$@"; do
  name=$(basename "$scenario" .yaml)
  for run in a b; do
    "$sim" run "$scenario" --quiet --out "$work/$name-$run" >"$work/$name-$run.log" 2>&1
    rc=$?
    if ((rc > 1)); then
      echo "FAIL $name: vipcast-sim exited $rc"; cat "$work/$name-$run.log"; status=1; continue 2
    fi
  done
  for f in report.json trace.jsonl report.md; do
    if ! cmp -s "$work/$name-a/$f" "$work/$name-b/$f"; then
      echo "FAIL $name: $f differs between two runs with the same seed"
      diff "$work/$name-a/$f" "$work/$name-b/$f" | head -20
      status=1
    fi
  done
  lines=$(wc -l <"$work/$name-a/trace.jsonl")
  echo "ok $name: report.json, trace.jsonl ($lines events), report.md identical"
done
exit $status
