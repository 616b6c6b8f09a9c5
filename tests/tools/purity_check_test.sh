#!/usr/bin/env bash
# The purity check must fail on a tree that reads a clock or includes a
# socket header, and pass on a clean one: a check that cannot fail proves nothing.
set -euo pipefail
check="$(cd "$(dirname "$0")/../.." && pwd)/tools/check-engine-purity.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/engine/x"
echo 'int F() { return 1; }' > "$tmp/engine/x/clean.cc"
"$check" "$tmp/engine" || { echo "clean tree rejected"; exit 1; }
for bad in '#include <chrono>' '#include <sys/socket.h>' '#include <thread>' '#include <boost/asio.hpp>' \
           '#include "ns3/core-module.h"' '#include <tins/tins.h>' '#include <filesystem>' \
           'auto t = std::chrono::steady_clock::now();' 'auto n = YAML::LoadFile("x");'; do
  echo "$bad" > "$tmp/engine/x/bad.cc"
  if "$check" "$tmp/engine" 2>/dev/null; then echo "not caught: $bad"; exit 1; fi
done
echo "purity check catches every forbidden construct"
