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
#  - a restart keeps every address;
#  - HTTP on 127.0.0.1 (--metrics-address 127.0.0.1:0, the port read from the
#    log): /healthz, /readyz, and /metrics, where
#    metallb_allocator_addresses_in_use_total{pool="lan"} follows a service
#    added and removed, a pool's series appear with it and disappear when it
#    is removed, the client counters count updates and rejected updates, and
#    `promtool check metrics` (if installed) reports nothing but MetalLB's
#    allocator gauges ending in _total; a second controller on the same port
#    exits 1.
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
# put FILE: stdin to FILE by rename, as editors save. A plain `>` truncates
# first, and a pass that runs in between (e.g. the one the controller's own
# status write triggers) would read an empty, valid manifest.
put() {
  local swap
  swap="$(dirname "$1")/.$(basename "$1").swp"
  cat >"$swap" && mv "$swap" "$1"
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

# --- HTTP helpers -----------------------------------------------------
PORT=""
# http PATH: the response (status line, headers, body) from 127.0.0.1:$PORT.
http() { curl -s -i -m 3 "http://127.0.0.1:$PORT$1" | tr -d '\r'; }
http_status() { http "$1" | head -n 1 | awk '{print $2}'; }
scrape() { curl -s -m 3 "http://127.0.0.1:$PORT/metrics"; }
# value NAME [LABELS]: the sample of NAME{LABELS} (NAME alone without labels), or "".
value() {
  local series=$1
  [[ -n "${2:-}" ]] && series="$1{$2}"
  scrape | awk -v s="$series" '$1 == s { print $2; exit }'
}
value_is() { [[ "$(value "$1" "${2:-}")" == "$3" ]]; }
no_series_with() { ! scrape | grep -q -- "$1"; }
ready() { [[ "$(http_status /readyz)" == 200 ]]; }

# --- the daemon -------------------------------------------------------
serving_logged_more_than() { [[ $(grep -c '"msg":"serving metrics"' "$TMP/log") -gt $1 ]]; }
start() {
  local starts
  starts=$(grep -c '"msg":"serving metrics"' "$TMP/log" 2>/dev/null)
  "$CONTROLLER" --manifests "$TMP/m" --status "$TMP/status.yaml" \
    --metrics-address 127.0.0.1:0 2>>"$TMP/log" &
  PID=$!
  wait_for "the controller to start" log_has '"msg":"starting"'
  wait_for "the metrics port to be logged" serving_logged_more_than "${starts:-0}"
  PORT=$(grep '"msg":"serving metrics"' "$TMP/log" | tail -n 1 |
    sed -n 's/.*"port":"\([0-9]*\)".*/\1/p')
  [[ -n "$PORT" && "$PORT" != 0 ]] || fail "no metrics port in the log"
}
stop() {
  kill -TERM "$PID"
  local rc=0
  wait "$PID" || rc=$?
  PID=""
  [[ $rc -eq 0 ]] || fail "SIGTERM: exit $rc, want 0"
}

start
echo "controller pid $PID, metrics on 127.0.0.1:$PORT"

HAVE_CURL=1
command -v curl >/dev/null || {
  HAVE_CURL=0
  echo "!!! curl is missing: the HTTP checks are skipped"
}
if [[ $HAVE_CURL == 1 ]]; then
  wait_for "/readyz 200" ready
  [[ "$(http_status /healthz)" == 200 ]] || fail "/healthz is not 200"
  [[ "$(http /healthz | tail -n 1)" == ok ]] || fail "/healthz body is not ok"
  [[ "$(http_status /nothing)" == 404 ]] || fail "/nothing is not 404"
  http /metrics | grep -qi '^content-type: text/plain; version=0.0.4' ||
    fail "/metrics has no text/plain; version=0.0.4 content type"
  wait_for "in_use{lan} = 1" value_is metallb_allocator_addresses_in_use_total 'pool="lan"' 1
  value_is metallb_allocator_addresses_total 'pool="lan"' 8 || fail "addresses_total{lan} is not 8"
  value_is metallb_k8s_client_config_loaded_bool "" 1 || fail "config_loaded_bool is not 1"
  echo "ok: /readyz 200, /healthz ok, 404, content type; in_use{lan} 1 of 8"
fi

service web >"$TMP/m/svc.yaml.new"  # not *.yaml: not a manifest
{ service web; service api; } | put "$TMP/m/svc.yaml"
wait_for "api in the status file" status_has 'name: "api"'
[[ "$(ip_of api)" == 10.0.0.241 ]] || fail "api got '$(ip_of api)', want 10.0.0.241"
[[ "$(ip_of web)" == 10.0.0.240 ]] || fail "web moved when api was added"
echo "ok: a new service appears in the status file"

if [[ $HAVE_CURL == 1 ]]; then
  wait_for "in_use{lan} = 2" value_is metallb_allocator_addresses_in_use_total 'pool="lan"' 2
  updates_before=$(value metallb_k8s_client_updates_total)
  service extra | put "$TMP/m/extra.yaml"
  wait_for "in_use{lan} = 3 after a service was added" \
    value_is metallb_allocator_addresses_in_use_total 'pool="lan"' 3
  value_is metallb_allocator_services_allocated_total 'pool="lan"' 3 ||
    fail "services_allocated_total{lan} is not 3"
  rm -f "$TMP/m/extra.yaml"
  wait_for "in_use{lan} = 2 after the service was removed" \
    value_is metallb_allocator_addresses_in_use_total 'pool="lan"' 2
  updates_after=$(value metallb_k8s_client_updates_total)
  [[ "${updates_after:-0}" -ge $((${updates_before:-0} + 2)) ]] ||
    fail "updates_total went $updates_before -> $updates_after over two edits"
  echo "ok: in_use{lan} 2 -> 3 -> 2 as a service was added and removed;" \
    "updates_total $updates_before -> $updates_after"

  put "$TMP/m/dmz.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: dmz, namespace: metallb-system}
spec:
  addresses: [192.168.50.0/30, "fd00:50::/126"]
YAML
  wait_for "the dmz pool's series" value_is metallb_allocator_addresses_total 'pool="dmz"' 8
  value_is metallb_allocator_ipv6_addresses_total 'pool="dmz"' 4 ||
    fail "ipv6_addresses_total{dmz} is not 4"
  value_is metallb_allocator_addresses_in_use_total 'pool="dmz"' 0 ||
    fail "in_use{dmz} is not 0"

  if command -v promtool >/dev/null; then
    scrape >"$TMP/metrics.prom"
    promtool check metrics <"$TMP/metrics.prom" >"$TMP/lint" 2>&1
    rc=$?
    [[ $rc == 0 || $rc == 3 ]] || fail "promtool check metrics exit $rc: $(cat "$TMP/lint")"
    # MetalLB's allocator gauges end in _total (internal/allocator/stats.go);
    # kept for dashboard compatibility, as tests/prod/controller_metrics_test.
    ACCEPTED='^metallb_allocator_(ipv[46]_)?(addresses|addresses_in_use|services_allocated)_total non-counter metrics should not have "_total" suffix$'
    bad=$(grep -Ev "$ACCEPTED" "$TMP/lint")
    [[ -z "$bad" ]] || fail "promtool findings: $bad"
    echo "ok: promtool check metrics: $(grep -c . "$TMP/lint") accepted MetalLB naming findings," \
      "$(grep -c '^[a-z]' "$TMP/metrics.prom") series"
  else
    echo "!!! promtool is missing (Debian package prometheus): format not linted"
  fi

  rm -f "$TMP/m/dmz.yaml"
  wait_for "the dmz pool's series to disappear" no_series_with 'pool="dmz"'
  value_is metallb_allocator_addresses_total 'pool="lan"' 8 || fail "lan's series went too"
  echo "ok: a pool's series appear with it and disappear when it is removed"
fi

# An editor's save: write a swap file, rename it over the manifest.
pool 10.0.1.0/29 >"$TMP/m/.pool.yaml.swp"
mv "$TMP/m/.pool.yaml.swp" "$TMP/m/pool.yaml"
wait_for "the pool change to move web" status_has '"10.0.1.0"'
wait_for "a moved log line" log_has '"msg":"service moved"'
echo "ok: rename-over pool change moved the addresses"

cp "$TMP/status.yaml" "$TMP/status.before"
pool "10.0.1.9-10.0.1.0" | put "$TMP/m/pool.yaml"
wait_for "the rejection to be logged" log_has 'manifests rejected'
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "an invalid edit changed the status file"
echo "ok: an invalid edit is rejected, status file byte-identical"
if [[ $HAVE_CURL == 1 ]]; then
  wait_for "config_stale_bool = 1" value_is metallb_k8s_client_config_stale_bool "" 1
  errors=$(value metallb_k8s_client_update_errors_total)
  [[ "${errors:-0}" -ge 1 ]] || fail "update_errors_total is '$errors' after a rejected edit"
  ready || fail "/readyz is not 200 on the last good configuration"
  echo "ok: rejected edit: config_stale_bool 1, update_errors_total $errors, still ready"
fi

pool 10.0.1.0/29 | put "$TMP/m/pool.yaml"
kill -HUP "$PID"
wait_for "SIGHUP to be handled" log_has 'SIGHUP: reloading'
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "the fixed manifests changed the addresses"
echo "ok: fixed manifests and SIGHUP keep the same assignments"

rm -f "$TMP/status.yaml"
wait_for "the removed status file to be rewritten" test -f "$TMP/status.yaml"
cmp -s "$TMP/status.yaml" "$TMP/status.before" || fail "the rewritten status file differs"
echo "ok: a removed status file is rewritten"

if [[ $HAVE_CURL == 1 ]]; then
  value_is metallb_k8s_client_config_stale_bool "" 0 || fail "config_stale_bool stayed 1"
  # A second controller on the same metrics port exits 1 before any pass.
  "$CONTROLLER" --manifests "$TMP/m" --status "$TMP/dup-status.yaml" \
    --metrics-address "127.0.0.1:$PORT" 2>"$TMP/dup.log"
  rc=$?
  [[ $rc -eq 1 ]] || fail "a controller with a taken metrics port exited $rc, want 1"
  grep -q '"msg":"cannot serve metrics"' "$TMP/dup.log" || fail "no bind error logged"
  [[ ! -e "$TMP/dup-status.yaml" ]] || fail "the failed controller wrote a status file"
  echo "ok: taken metrics port -> exit 1, nothing written"
fi

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

# --- not ready on invalid manifests ---------------------------------------
if [[ $HAVE_CURL == 1 ]]; then
  "$CONTROLLER" --manifests "$TMP/bad" --status "$TMP/bad-status.yaml" \
    --metrics-address 127.0.0.1:0 2>"$TMP/log" &
  PID=$!
  wait_for "the metrics port to be logged" serving_logged_more_than 0
  PORT=$(grep '"msg":"serving metrics"' "$TMP/log" | sed -n 's/.*"port":"\([0-9]*\)".*/\1/p')
  wait_for "the rejection to be logged" log_has 'manifests rejected'
  [[ "$(http_status /readyz)" == 503 ]] || fail "/readyz is not 503 without a good configuration"
  http /readyz | grep -q 'no configuration accepted yet' || fail "/readyz gives no reason"
  [[ "$(http_status /healthz)" == 200 ]] || fail "/healthz is not 200 while the loop runs"
  value_is metallb_k8s_client_config_loaded_bool "" 0 || fail "config_loaded_bool is not 0"
  value_is metallb_k8s_client_update_errors_total "" 1 || fail "update_errors_total is not 1"
  no_series_with metallb_allocator_ || fail "allocator series without a configuration"
  stop
  echo "ok: invalid manifests at start: /readyz 503 with the reason, /healthz 200, no pool series"
fi
echo "PASS"
