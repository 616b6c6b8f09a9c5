#!/bin/bash
# End-to-end check of vipcast-speaker's HTTP endpoint (/metrics, /healthz,
# /readyz) in Linux network namespaces.
#
# usage: metrics_scrape_test.sh SPEAKER_BINARY MANIFEST_DIR
#
# Topology (all created here, all removed on exit, names unique per run):
#   $P-sw  : bridge br0
#   $P-n1, $P-n2: eth0 10.10.0.11-12/24, VIP 10.10.0.240/32 on lo with
#             arp_ignore=1/arp_announce=2 (as in l2_failover_test.sh); one
#             vipcast-speaker each, metrics on the default 0.0.0.0:7472
#   $P-cli : eth0 10.10.0.100/24, the client that scrapes and sends ARP
# Checks:
#   - /readyz becomes 200, /healthz is 200 "ok", an unknown path is 404;
#   - /metrics is text/plain version 0.0.4 and passes `promtool check
#     metrics` apart from MetalLB's own naming (counters without _total,
#     gauges with it), which is kept for compatibility;
#   - metallb_speaker_announced{ip=VIP,protocol="layer2"} is 1 on exactly
#     one node (the owner) and absent on the other;
#   - metallb_layer2_requests_received{ip=VIP} on the owner grows by the
#     ARP requests the client sends (arping);
#   - an invalid manifest sets metallb_k8s_client_config_stale_bool to 1 and
#     counts an update error; removing it sets it back to 0;
#   - without SIGHUP, a manifest edit (a new pool and service api) makes
#     api's VIP 10.10.0.241 appear in metallb_speaker_announced, and the
#     status file (--status) renamed over with api at 10.10.0.242 moves it
#     there, each within a bounded wait below the 10 s safety poll; the
#     "manifests applied" log lines name the trigger, and at least one of the
#     two must be "changed" (the inotify watcher, not the safety poll);
#   - a second speaker whose metrics port is taken exits 1 with a clear
#     error;
#   - SIGTERM still exits 0.
# Every wait is bounded; nothing is asserted about elapsed time.
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no curl/arping).
set -u

SPEAKER=${1:?speaker binary}
MANIFESTS=${2:?manifest dir}
VIP=10.10.0.240
PORT=7472
P="vc$$m"              # unique per run
NODES="n1 n2"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [cli]=10.10.0.100)
declare -A PID=()

skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED metrics_scrape_test: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || skip "ip netns is unavailable"
command -v curl >/dev/null || skip "curl is missing"
command -v arping >/dev/null || skip "arping is missing"
HAVE_PROMTOOL=1
command -v promtool >/dev/null || {
  HAVE_PROMTOOL=0
  echo "!!! promtool is missing (Debian package prometheus): format not linted"
}
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-metrics-scrape.XXXXXX)
CREATED=()

cleanup() {
  # Only what this run started and created: our PIDs, our namespaces.
  for n in "${!PID[@]}"; do kill -9 "${PID[$n]}" 2>/dev/null; done
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAIL: $*"
  for n in $NODES; do echo "---- speaker $n log (last 15 lines)"; tail -n 15 "$TMP/$n.log"; done
  exit 1
}

addns() { ip netns add "$1" && CREATED+=("$1"); }

# ---------------------------------------------------------------- topology
addns "$P-sw" || fail "cannot create namespace $P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
ip -n "$P-sw" link set br0 up
for h in $NODES cli; do
  addns "$P-$h" || fail "cannot create namespace $P-$h"
  ip -n "$P-sw" link add "v-$h" type veth peer name eth0 netns "$P-$h"
  ip -n "$P-sw" link set "v-$h" master br0 up
  ip -n "$P-$h" link set lo up
  ip -n "$P-$h" addr add "${IP[$h]}/24" dev eth0
  ip -n "$P-$h" link set eth0 up
done
for n in $NODES; do
  ip netns exec "$P-$n" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1 \
    net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_announce=2
  ip -n "$P-$n" addr add "$VIP/32" dev lo
done

# ---------------------------------------------------------------- speakers
mkdir "$TMP/manifests" && cp -r "$MANIFESTS"/. "$TMP/manifests/" || fail "cannot copy $MANIFESTS"
MANIFESTS="$TMP/manifests"
head -c 32 /dev/urandom | base64 > "$TMP/secret"
# status_file WEB_IP [API_IP]: the controller's status file format
# (prod/controller/status_yaml.cc) on stdout.
status_file() {
  printf '# Written by the test, in the format of vipcast-controller.\n'
  printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: "web"\n  namespace: "default"\n'
  printf '  annotations:\n    metallb.io/ip-allocated-from-pool: "lan"\n'
  printf 'spec:\n  type: LoadBalancer\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: "%s"\n' "$1"
  [ -n "${2:-}" ] || return 0
  printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: "api"\n  namespace: "default"\n'
  printf '  annotations:\n    metallb.io/ip-allocated-from-pool: "extra"\n'
  printf 'spec:\n  type: LoadBalancer\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: "%s"\n' "$2"
}
status_file "$VIP" >"$TMP/status.yaml"
MEMBERS="${IP[n1]}:7946,${IP[n2]}:7946"
for n in $NODES; do
  ip netns exec "$P-$n" "$SPEAKER" --node "$n" --manifests "$MANIFESTS" --status "$TMP/status.yaml" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --log-level info 2>"$TMP/$n.log" &
  PID[$n]=$!
done

# $1 node, $2 path; the response (headers and body) from the client namespace.
http() {
  ip netns exec "$P-cli" curl -s -i -m 3 "http://${IP[$1]}:$PORT$2" | tr -d '\r'
}
status() { http "$1" "$2" | head -n 1 | awk '{print $2}'; }
scrape() { ip netns exec "$P-cli" curl -s -m 3 "http://${IP[$1]}:$PORT/metrics"; }
# $1 node, $2 metric name, $3 label text that must appear; the value or "".
value() {
  scrape "$1" | awk -v name="$2" -v want="$3" \
    'index($0, name "{") == 1 && index($0, want) > 0 { print $NF; exit }'
}

# ---------------------------------------------------------------- readiness
for n in $NODES; do
  ok=""
  for _ in $(seq 1 100); do
    [ "$(status "$n" /readyz)" = 200 ] && { ok=1; break; }
    sleep 0.1
  done
  [ -n "$ok" ] || fail "$n: /readyz never became 200 (last: $(http "$n" /readyz | tail -n 1))"
  [ "$(status "$n" /healthz)" = 200 ] || fail "$n: /healthz is not 200"
  [ "$(http "$n" /healthz | tail -n 1)" = ok ] || fail "$n: /healthz body is not ok"
  [ "$(status "$n" /nothing)" = 404 ] || fail "$n: /nothing is not 404"
  http "$n" /metrics | grep -qi '^content-type: text/plain; version=0.0.4' ||
    fail "$n: /metrics has no text/plain; version=0.0.4 content type"
done
echo "readyz 200, healthz ok, 404 and content type right on $NODES"

# ---------------------------------------------------------------- owner
ANNOUNCED="ip=\"$VIP\",node=\"NODE\",protocol=\"layer2\",service=\"default/web\""
owners() {
  for n in $NODES; do
    [ "$(value "$n" metallb_speaker_announced "${ANNOUNCED/NODE/$n}")" = 1 ] && echo -n "$n "
  done
}
OWNER=""
for _ in $(seq 1 150); do
  o=$(owners)
  if [ "$(echo $o | wc -w)" = 1 ]; then
    sleep 0.5  # settled: still exactly one?
    [ "$(owners)" = "$o" ] && { OWNER=$(echo $o); break; }
  fi
  sleep 0.1
done
[ -n "$OWNER" ] || fail "no single node reports metallb_speaker_announced for $VIP (got '$(owners)')"
OTHER=$(echo $NODES | tr ' ' '\n' | grep -vx "$OWNER")
scrape "$OTHER" | grep -q "^metallb_speaker_announced{.*ip=\"$VIP\"" &&
  fail "$OTHER also has a metallb_speaker_announced series for $VIP"
echo "owner $OWNER reports metallb_speaker_announced 1; $OTHER has no series"

# ---------------------------------------------------------------- promtool
# MetalLB's names that break the naming lint, kept for compatibility (the
# same list as tests/prod/metrics_registry_test.cc).
ACCEPTED='^((metallb_(layer2|bfd)|vipcast_layer2)_[a-z_]+ counter metrics should have "_total" suffix|metallb_bgp_(announced|pending)_prefixes_total non-counter metrics should not have "_total" suffix)$'
if [ $HAVE_PROMTOOL = 1 ]; then
  for n in $NODES; do
    scrape "$n" >"$TMP/$n.prom"
    [ -s "$TMP/$n.prom" ] || fail "$n: empty /metrics"
    promtool check metrics <"$TMP/$n.prom" >"$TMP/$n.lint" 2>&1
    rc=$?
    [ $rc = 0 ] || [ $rc = 3 ] || fail "$n: promtool check metrics exit $rc: $(cat "$TMP/$n.lint")"
    bad=$(grep -Ev "$ACCEPTED" "$TMP/$n.lint")
    [ -z "$bad" ] || fail "$n: promtool findings: $bad"
    echo "$n: promtool check metrics passed ($(grep -c . "$TMP/$n.lint") accepted MetalLB naming findings," \
      "$(grep -c '^[a-z]' "$TMP/$n.prom") series)"
  done
fi

# ---------------------------------------------------------------- layer 2 counter
REQ="ip=\"$VIP\""
before=$(value "$OWNER" metallb_layer2_requests_received "$REQ")
before=${before:-0}
ip netns exec "$P-cli" arping -c 3 -w 5 -I eth0 "$VIP" >"$TMP/arping.txt" 2>&1 ||
  fail "arping got no reply from $VIP: $(cat "$TMP/arping.txt")"
after=$before
for _ in $(seq 1 50); do
  after=$(value "$OWNER" metallb_layer2_requests_received "$REQ")
  after=${after:-0}
  [ $((after - before)) -ge 3 ] && break
  sleep 0.1
done
[ $((after - before)) -ge 3 ] ||
  fail "metallb_layer2_requests_received{$REQ} on $OWNER went $before -> $after after 3 ARP requests"
replies=$(value "$OWNER" metallb_layer2_responses_sent "$REQ")
[ "${replies:-0}" -ge 3 ] || fail "metallb_layer2_responses_sent{$REQ} on $OWNER is '${replies:-}'"
echo "metallb_layer2_requests_received on $OWNER: $before -> $after (3 arping requests);" \
  "responses_sent $replies"
# The owner's gratuitous announcements (request + reply per round, a 5 s
# burst when it takes the VIP) are counted.
garp=$(value "$OWNER" metallb_layer2_gratuitous_sent "$REQ")
[ "${garp:-0}" -ge 2 ] || fail "metallb_layer2_gratuitous_sent{$REQ} on $OWNER is '${garp:-}'"
echo "metallb_layer2_gratuitous_sent on $OWNER: $garp"

# ---------------------------------------------------------------- stale config
plain() { scrape "$1" | awk -v name="$2" '$1 == name { print $2; exit }'; }
[ "$(plain n1 metallb_k8s_client_config_loaded_bool)" = 1 ] || fail "config_loaded_bool is not 1"
[ "$(plain n1 metallb_k8s_client_config_stale_bool)" = 0 ] || fail "config_stale_bool is not 0"
errors_before=$(plain n1 metallb_k8s_client_update_errors_total)
cat >"$MANIFESTS/zz-broken.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: broken, namespace: metallb-system}
spec:
  addresses: [10.10.0.250-10.10.0.245]
YAML
stale=""
for _ in $(seq 1 50); do
  stale=$(plain n1 metallb_k8s_client_config_stale_bool)
  [ "$stale" = 1 ] && break
  sleep 0.1
done
[ "$stale" = 1 ] || fail "config_stale_bool did not become 1 after an invalid manifest"
errors_after=$(plain n1 metallb_k8s_client_update_errors_total)
[ "${errors_after:-0}" -gt "${errors_before:-0}" ] ||
  fail "update_errors_total did not grow ($errors_before -> $errors_after)"
[ "$(status n1 /readyz)" = 200 ] || fail "/readyz is not 200 on the last good config"
rm -f "$MANIFESTS/zz-broken.yaml"
for _ in $(seq 1 50); do
  stale=$(plain n1 metallb_k8s_client_config_stale_bool)
  [ "$stale" = 0 ] && break
  sleep 0.1
done
[ "$stale" = 0 ] || fail "config_stale_bool stayed 1 after the invalid manifest was removed"
echo "invalid manifest: stale_bool 0 -> 1 -> 0, update_errors_total $errors_before -> $errors_after"

# ---------------------------------------------------------------- file watch
# No SIGHUP from here on. Each wait is bounded below the watcher's 10 s
# safety poll (50 x 0.1 s plus the scrapes' time is not a timing assertion:
# the log's trigger field says what noticed the change).
API1=10.10.0.241
API2=10.10.0.242
# announced_anywhere IP: 1 if some node reports metallb_speaker_announced
# for default/api at IP.
announced_anywhere() {
  for n in $NODES; do
    scrape "$n" | grep -q "^metallb_speaker_announced{ip=\"$1\",.*service=\"default/api\"} 1" &&
      { echo 1; return; }
  done
  echo 0
}
# applied_trigger NODE SOURCE: the trigger of the first "manifests applied"
# line on NODE in which default/api has SOURCE.
applied_trigger() {
  grep '"msg":"manifests applied"' "$TMP/$1.log" | grep "\"default/api\":\"$2\"" | head -n 1 |
    sed -n 's/.*"trigger":"\([a-z]*\)".*/\1/p'
}
updates_before=$(plain n1 metallb_k8s_client_updates_total)
cat >"$MANIFESTS/api.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: extra, namespace: metallb-system}
spec:
  addresses: [10.10.0.241-10.10.0.242]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: extra, namespace: metallb-system}
spec:
  ipAddressPools: [extra]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: default
  annotations: {metallb.io/address-pool: extra}
spec:
  type: LoadBalancer
  selector: {app: api}
  ports:
  - {name: http, protocol: TCP, port: 80, targetPort: 8080}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: api-1
  namespace: default
  labels: {kubernetes.io/service-name: api}
addressType: IPv4
endpoints:
- addresses: [10.244.1.3]
  nodeName: n1
- addresses: [10.244.2.3]
  nodeName: n2
YAML
seen=0
for _ in $(seq 1 50); do
  seen=$(announced_anywhere $API1)
  [ "$seen" = 1 ] && break
  sleep 0.1
done
[ "$seen" = 1 ] || fail "api's VIP $API1 was not announced after the manifest edit (no SIGHUP)"
updates_after=$(plain n1 metallb_k8s_client_updates_total)
[ "${updates_after:-0}" -gt "${updates_before:-0}" ] ||
  fail "updates_total did not move on the manifest edit ($updates_before -> $updates_after)"
t1=$(applied_trigger n1 allocated)
case "$t1" in changed|poll) ;; *) fail "n1: the manifest edit was applied by trigger '$t1'" ;; esac
echo "manifest edit: $API1 announced, updates_total $updates_before -> $updates_after," \
  "trigger $t1"

status_file "$VIP" "$API2" >"$TMP/status.yaml.new"
mv "$TMP/status.yaml.new" "$TMP/status.yaml"
moved=0
for _ in $(seq 1 50); do
  if [ "$(announced_anywhere $API2)" = 1 ] && [ "$(announced_anywhere $API1)" = 0 ]; then
    moved=1
    break
  fi
  sleep 0.1
done
[ "$moved" = 1 ] || fail "the status file renamed over did not move api from $API1 to $API2"
t2=$(applied_trigger n1 status-file)
case "$t2" in changed|poll) ;; *) fail "n1: the status file was applied by trigger '$t2'" ;; esac
[ "$t1" = changed ] || [ "$t2" = changed ] ||
  fail "neither change was noticed by inotify (triggers $t1, $t2)"
echo "status file renamed over: api moved $API1 -> $API2, trigger $t2"

# ---------------------------------------------------------------- bind failure
# Another speaker in n1's namespace: the membership port is free (7947) but
# the metrics port is n1's. It must exit 1 at start with a clear error.
ip netns exec "$P-n1" "$SPEAKER" --node n1 --manifests "$MANIFESTS" --secret-file "$TMP/secret" \
  --interface eth0 --membership-port 7947 --log-level info 2>"$TMP/dup.log" &
dup=$!
for _ in $(seq 1 50); do kill -0 $dup 2>/dev/null || break; sleep 0.1; done
if kill -0 $dup 2>/dev/null; then kill -9 $dup; fail "a speaker with a taken metrics port kept running"; fi
wait $dup; rc=$?
[ $rc = 1 ] || fail "a speaker with a taken metrics port exited $rc, expected 1: $(cat "$TMP/dup.log")"
grep -q '"msg":"cannot serve metrics".*in use' "$TMP/dup.log" ||
  fail "no clear bind error: $(cat "$TMP/dup.log")"
echo "taken metrics port: exit 1, $(grep -o '"error":"[^"]*"' "$TMP/dup.log")"

# ---------------------------------------------------------------- shutdown
for n in "${!PID[@]}"; do kill -TERM "${PID[$n]}" 2>/dev/null; done
for n in "${!PID[@]}"; do
  for _ in $(seq 1 30); do kill -0 "${PID[$n]}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${PID[$n]}" 2>/dev/null && fail "speaker $n still runs 3 s after SIGTERM"
  wait "${PID[$n]}"; rc=$?
  [ $rc = 0 ] || fail "speaker $n exited with $rc after SIGTERM"
  unset "PID[$n]"
done
echo "PASS"
