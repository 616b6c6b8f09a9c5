#!/bin/bash
# End-to-end test of vipcast-controller in file mode: a temporary directory
# only (no network, no root). Runs the real binary and checks:
#  - --once: exit 0 and a status file; bad flags and invalid manifests exit 2;
#  - the daemon: the status file follows manifest edits (a plain write, an
#    editor-style rename over the file, a new service, a pool change) within
#    a bounded wait shorter than the 10 s safety poll, so the inotify
#    watcher is what noticed; an invalid edit leaves the status file
#    byte-identical; SIGHUP reloads; a status file removed behind its back
#    is rewritten; SIGTERM exits 0; no FILE.tmp.<pid> is ever left behind;
#  - a restart keeps every address.
# Every wait is bounded; nothing asserts on how long a step took.
#
# usage: controller_test.sh CONTROLLER_BINARY
# Exit: 0 pass, 1 fail.
set -u

CONTROLLER=${1:?controller binary}
WAIT_STEPS=${WAIT_STEPS:-80}  # x 0.1 s: 8 s, below the 10 s safety poll
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vipcast-controller-test.XXXXXX")
PID=""

cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
  fi
  if [[ -n "${KEEP_LOGS:-}" ]]; then
    echo "logs kept in $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  if [[ -f "$TMP/log" ]]; then
    echo "--- controller log (last 30 lines)"
    tail -n 30 "$TMP/log"
  fi
  if [[ -f "$TMP/status.yaml" ]]; then
    echo "--- status.yaml"
    cat "$TMP/status.yaml"
  fi
  exit 1
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND every 0.1 s, bounded.
wait_for() {
  local what=$1
  shift
  for ((i = 0; i < WAIT_STEPS; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for: $what"
}

status_has() { grep -q -- "$1" "$TMP/status.yaml" 2>/dev/null; }
# ip_of NAME: the first ingress IP of service NAME in the status file.
ip_of() {
  awk -v name="  name: \"$1\"" '
    $0 == name { found = 1 }
    found && /- ip: / { gsub(/[" ]|-|ip:/, ""); print; exit }
  ' "$TMP/status.yaml"
}
log_has() { grep -q -- "$1" "$TMP/log" 2>/dev/null; }
no_temp_files() {
  local left
  left=$(find "$TMP" -name 'status.yaml.tmp.*' | head -n 1)
  [[ -z "$left" ]] || fail "temporary file left behind: $left"
}

pool() {
  cat <<YAML
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: metallb-system}
spec:
  addresses: [$1]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: metallb-system}
YAML
}

service() {
  cat <<YAML
---
apiVersion: v1
kind: Service
metadata: {name: $1, namespace: default}
spec:
  type: LoadBalancer
  ports:
  - port: 80
YAML
}

mkdir -p "$TMP/m"
pool 10.0.0.240/29 >"$TMP/m/pool.yaml"
service web >"$TMP/m/svc.yaml"

# --- one pass ---------------------------------------------------------
"$CONTROLLER" --manifests "$TMP/m" --status "$TMP/status.yaml" --once 2>"$TMP/once.log"
rc=$?
[[ $rc -eq 0 ]] || fail "--once exited $rc: $(cat "$TMP/once.log")"
status_has '"10.0.0.240"' || fail "--once did not assign 10.0.0.240 to web"
status_has 'metallb.io/ip-allocated-from-pool: "lan"' || fail "no pool annotation"
echo "ok: --once wrote the status file"

"$CONTROLLER" --manifests "$TMP/m" --frobnicate 2>"$TMP/usage.log"
rc=$?
[[ $rc -eq 2 ]] || fail "a bad flag exited $rc, want 2"
grep -q "usage:" "$TMP/usage.log" || fail "a bad flag printed no usage"
echo "ok: bad flag -> exit 2 with usage"

"$CONTROLLER" --manifests "$TMP/m" --status "$TMP/absent/status.yaml" --once 2>"$TMP/nodir.log"
rc=$?
[[ $rc -eq 1 ]] || fail "an unwritable status file with --once exited $rc, want 1"
grep -q 'cannot write the status file' "$TMP/nodir.log" || fail "no write error logged"
echo "ok: unwritable status file with --once -> exit 1"

mkdir -p "$TMP/bad"
pool "10.0.0.250-10.0.0.240" >"$TMP/bad/pool.yaml"
"$CONTROLLER" --manifests "$TMP/bad" --status "$TMP/bad-status.yaml" --once 2>"$TMP/bad.log"
rc=$?
[[ $rc -eq 2 ]] || fail "invalid manifests with --once exited $rc, want 2"
grep -q 'pool.yaml:[0-9]' "$TMP/bad.log" || fail "the error does not name file:line"
[[ ! -e "$TMP/bad-status.yaml" ]] || fail "invalid manifests produced a status file"
echo "ok: invalid manifests with --once -> exit 2, error names file:line, nothing written"

# --- the daemon -------------------------------------------------------
start() {
  "$CONTROLLER" --manifests "$TMP/m" --status "$TMP/status.yaml" 2>>"$TMP/log" &
  PID=$!
  wait_for "the controller to start" log_has '"msg":"starting"'
}
stop() {
  kill -TERM "$PID"
  local rc=0
  wait "$PID" || rc=$?
  PID=""
  [[ $rc -eq 0 ]] || fail "SIGTERM: exit $rc, want 0"
}

start
echo "controller pid $PID"

service web >"$TMP/m/svc.yaml.new"  # not *.yaml: not a manifest
{ service web; service api; } >"$TMP/m/svc.yaml"
wait_for "api in the status file" status_has 'name: "api"'
[[ "$(ip_of api)" == 10.0.0.241 ]] || fail "api got '$(ip_of api)', want 10.0.0.241"
[[ "$(ip_of web)" == 10.0.0.240 ]] || fail "web moved when api was added"
echo "ok: a new service appears in the status file"

# An editor's save: write a swap file, rename it over the manifest.
pool 10.0.1.0/29 >"$TMP/m/.pool.yaml.swp"
mv "$TMP/m/.pool.yaml.swp" "$TMP/m/pool.yaml"
wait_for "the pool change to move web" status_has '"10.0.1.0"'
wait_for "a moved log line" log_has '"msg":"service moved"'
echo "ok: rename-over pool change moved the addresses"

cp "$TMP/status.yaml" "$TMP/status.before"
pool "10.0.1.9-10.0.1.0" >"$TMP/m/pool.yaml"
wait_for "the rejection to be logged" log_has 'manifests rejected'
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "an invalid edit changed the status file"
echo "ok: an invalid edit is rejected, status file byte-identical"

pool 10.0.1.0/29 >"$TMP/m/pool.yaml"
kill -HUP "$PID"
wait_for "SIGHUP to be handled" log_has 'SIGHUP: reloading'
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "the fixed manifests changed the addresses"
echo "ok: fixed manifests and SIGHUP keep the same assignments"

rm -f "$TMP/status.yaml"
wait_for "the removed status file to be rewritten" test -f "$TMP/status.yaml"
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "the rewritten status file differs"
echo "ok: a removed status file is rewritten"

kill -0 "$PID" 2>/dev/null || fail "the controller died"
stop
log_has '"msg":"exiting"' || fail "no exit log line"
no_temp_files
echo "ok: SIGTERM -> exit 0, no temporary files"

# --- restart: every service keeps its address ----------------------------
web_ip=$(ip_of web)
api_ip=$(ip_of api)
[[ -n "$web_ip" && -n "$api_ip" ]] || fail "web or api has no address before the restart"
# A new service that sorts first: a fresh allocation would give it 10.0.1.0.
{ service aaa; service web; service api; } >"$TMP/m/svc.yaml"
start
wait_for "aaa in the status file" status_has 'name: "aaa"'
[[ "$(ip_of web)" == "$web_ip" ]] || fail "web moved on restart: $web_ip -> $(ip_of web)"
[[ "$(ip_of api)" == "$api_ip" ]] || fail "api moved on restart: $api_ip -> $(ip_of api)"
[[ "$(ip_of aaa)" == 10.0.1.2 ]] || fail "aaa got '$(ip_of aaa)', want the free 10.0.1.2"
log_has '"services_kept":"2"' || fail "the restart did not reclaim both services"
stop
no_temp_files
echo "ok: restart keeps every address"
echo "PASS"
