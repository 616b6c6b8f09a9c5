#!/usr/bin/env bash
# `make demo`. The failover simulator (vipcast-sim) is not built yet, so this
# demo says so and shows what exists today: the configuration validator and
# the IP allocator, on the example manifests in examples/l2-basic/.
set -euo pipefail
build="${1:-build/default}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ctl="$build/prod/ctl/vipcastctl"
example="examples/l2-basic"

cat <<EOT
vipcast demo
------------
vipcast-sim (the failover simulation) does not exist yet; until it lands this
demo runs the configuration validator and the IP allocator on $example/.
No simulation is run and no report is written.

\$ vipcastctl validate $example
EOT
"$ctl" validate "$example"
echo
echo "\$ vipcastctl allocate $example"
"$ctl" allocate "$example"
