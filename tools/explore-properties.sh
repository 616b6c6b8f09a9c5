#!/usr/bin/env bash
# Runs every rapidcheck suite with a fresh random seed (ctest pins one, see
# cmake/VipcastHelpers.cmake), ROUNDS times, to look for counterexamples the
# pinned seed does not reach. A failure prints rapidcheck's reproduce string:
# fix the bug, and keep the case as a unit test.
#   tools/explore-properties.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
build=${1:-build/default}
rounds=${2:-5}
[[ -f $build/CTestTestfile.cmake ]] || { echo "explore-properties: no ctest tree in $build (run make build)" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "explore-properties: ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
failed=0
for ((round = 1; round <= rounds; round++)); do
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  echo "== round $round/$rounds: seed=$seed"
  if ! RC_PARAMS="seed=$seed" ctest --test-dir "$build" -L property --output-on-failure; then
    failed=1
    echo "explore-properties: round $round failed with seed=$seed (rerun: RC_PARAMS=seed=$seed ctest --test-dir $build -L property)" >&2
  fi
done
exit $failed
