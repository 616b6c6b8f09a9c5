#!/usr/bin/env bash
# vipcast-sim's command line and exit statuses: invalid scenarios get one
# message per problem naming file, line and field (exit 2); bad arguments
# exit 2 with usage; every scenario of the suite validates.
#   cli_test.sh VIPCAST_SIM SOURCE_DIR WORKDIR
set -uo pipefail
sim=$1 src=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail=0
check() {  # check NAME WANT_RC WANT_GREP... -- CMD...
  local name=$1 want=$2
  shift 2
  local greps=()
  while [[ $1 != -- ]]; do greps+=("$1"); shift; done
  shift
  "$@" >"$work/$name.out" 2>&1
  local rc=$?
  if ((rc != want)); then
    echo "FAIL $name: exit $rc, want $want"; cat "$work/$name.out"; fail=1; return
  fi
  for g in "${greps[@]}"; do
    if ! grep -qF -- "$g" "$work/$name.out"; then
      echo "FAIL $name: output lacks: $g"; cat "$work/$name.out"; fail=1; return
    fi
  done
  echo "ok $name"
}

bad=$here/invalid/two-problems.yaml
check two-problems 2 "$bad:13: faults[0].crash:" "$bad:15: expect[0].max_outage.traffic:" -- \
  "$sim" run "$bad" --out "$work/r"
test "$(wc -l <"$work/two-problems.out")" -eq 2 || { echo "FAIL two-problems: not one line per problem"; fail=1; }
test ! -e "$work/r" || { echo "FAIL two-problems: a report was written for an invalid scenario"; fail=1; }
nolink=$here/invalid/link-not-in-topology.yaml
check link-not-in-topology 2 "$nolink:15: faults[0].link_down.peer:" "no link joins node-0 and node-1 in l2-switch" -- "$sim" validate "$nolink"
test "$(wc -l <"$work/link-not-in-topology.out")" -eq 1 || { echo "FAIL link-not-in-topology: not one line"; fail=1; }
norouter=$here/invalid/bgp-expect-without-router.yaml
check bgp-expect-without-router 2 "$norouter:12" "expect[0].bgp_sessions.router" "unknown host \"router-0\"" -- "$sim" validate "$norouter"
check missing-file 2 "no-such.yaml" -- "$sim" run "$work/no-such.yaml"
check no-args 2 "usage: vipcast-sim run" -- "$sim"
check bad-seeds 2 "--seeds 5-1: range ends before it starts" -- "$sim" run "$bad" --seeds 5-1
check unknown-option 2 "unknown option --fast" -- "$sim" run "$bad" --fast
for s in "$src"/sim/scenarios/*.yaml; do
  check "validate-$(basename "$s" .yaml)" 0 "valid" -- "$sim" validate "$s"
done
exit $fail
