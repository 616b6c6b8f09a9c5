#!/usr/bin/env bash
# `make demo`: runs the scenario of ../shared/specs/scenario-format.md
# (sim/scenarios/l2-announcer-crash.yaml: three nodes, the announcer of a
# layer 2 VIP crashes at 10 s) in ns-3 with the engine unchanged, prints the
# summary table and where the report is.
set -euo pipefail
build="${1:-build/default}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
sim="$build/sim/runner/vipcast-sim"
scenario="sim/scenarios/l2-announcer-crash.yaml"
out="reports/sim/l2-announcer-crash"

cat <<EOT
vipcast demo: a layer 2 failover rehearsed in ns-3
\$ vipcast-sim run $scenario --out $out
EOT
status=0
"$sim" run "$scenario" --out "$out" || status=$?
echo
echo "report: $root/$out/report.md (plot: timeline.svg, data: report.json, trace.jsonl)"
exit $status
