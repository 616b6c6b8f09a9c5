#!/usr/bin/env bash
# Runs each libFuzzer target.
#   tools/run-fuzzers.sh smoke SECONDS   # `make check`: every target, SECONDS each
#   tools/run-fuzzers.sh long SECONDS    # `make fuzz`: long campaign, corpus kept
# A crash fails the run and names the input; copy it into
# fuzz/regressions/<target>/ so ctest replays it forever after.
set -euo pipefail
mode="${1:-smoke}"
seconds="${2:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! grep -q '^ *vipcast_fuzzer(' fuzz/CMakeLists.txt; then
  echo "fuzz: no fuzz targets defined in fuzz/CMakeLists.txt"
  exit 0
fi

# Smoke runs reuse the ASan+UBSan build that `make check` has just made (it
# carries libFuzzer coverage); long campaigns use the optimised fuzz preset.
preset=fuzz
[ "$mode" = smoke ] && preset=asan
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"

out="build/$preset/fuzz-runs/$mode"
mkdir -p "$out"
mapfile -t targets < <(find "build/$preset/fuzz" -maxdepth 1 -type f -name '*_fuzzer' -perm -u+x | sort)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz target binaries were built" >&2
  exit 1
fi

status=0
summary=()
for bin in "${targets[@]}"; do
  target="$(basename "$bin" _fuzzer)"
  seeds="fuzz/corpus/$target"
  work="$out/corpus/$target"
  artifacts="$out/artifacts/$target/"
  mkdir -p "$work" "$artifacts"
  [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  log="$out/$target.log"
  echo "fuzz: $target for ${seconds}s (corpus $(ls "$work" | wc -l) inputs)"
  if "$bin" "$work" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1; then
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    summary+=("$target: ok, $execs executions, coverage $cov edges")
  else
    status=1
    summary+=("$target: FAILED, see $log; crashing input(s): $(ls "$artifacts" | tr '\n' ' ')")
    tail -40 "$log" >&2
  fi
done
printf 'fuzz summary (%s, %ss each):\n' "$mode" "$seconds"
printf '  %s\n' "${summary[@]}"
exit $status
