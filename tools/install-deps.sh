#!/usr/bin/env bash
# Installs every Debian package listed in tools/debian-packages.txt that is not
# installed yet. Idempotent: a second run installs nothing and takes a second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="$here/debian-packages.txt"

mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$list" | awk '{print $1}')
missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#wanted[@]} Debian packages from tools/debian-packages.txt are installed"
  exit 0
fi

echo "deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: need root to install packages; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
