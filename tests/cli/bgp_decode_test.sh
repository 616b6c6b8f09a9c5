#!/usr/bin/env bash
# vipcastctl bgp-decode over every file of the shared BGP data set
# (../shared/data/bgp: ExaBGP hex messages, GoBGP crashers, tcpdump pcaps,
# RIPE RIS MRT dumps) and over hand-made malformed messages: exit codes,
# message counts, exact fields, the RFC 7606 / RFC 4271 handling of bad
# input, and usage errors. Every output line must be valid JSON. $1 is the
# vipcastctl binary; runs from the repository root.
set -euo pipefail
ctl="$1"
data="../shared/data/bgp"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -d "$data" ]] || fail "BGP test data missing: $(realpath -m "$data")"

expect_eq() {  # expected actual what
  if [[ "$1" != "$2" ]]; then
    printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$3" "$1" "$2" >&2
    exit 1
  fi
}

# decode OUT ARGS...: runs bgp-decode, requires exit 0, output in OUT.
decode() {
  local out="$1"
  shift
  local rc=0
  "$ctl" bgp-decode "$@" > "$out" 2> "$tmp/stderr" || rc=$?
  [[ $rc -eq 0 ]] || fail "bgp-decode $*: exit $rc: $(cat "$tmp/stderr")"
}

# jsonl FILE PYTHON-EXPR...: every line parses as a JSON object with a
# "type"; each expression (over `msgs`, the list of objects) must be true.
jsonl() {
  python3 - "$@" <<'PY'
import json, sys
path, checks = sys.argv[1], sys.argv[2:]
msgs = []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    try:
        obj = json.loads(line)
    except ValueError as e:
        sys.exit(f"{path}:{n}: invalid JSON: {e}: {line[:200]}")
    if not isinstance(obj, dict) or "type" not in obj:
        sys.exit(f"{path}:{n}: not an object with a type: {line[:200]}")
    msgs.append(obj)
def count(pred):
    return sum(1 for m in msgs if pred(m))
def err(m):
    return m.get("error")
for check in checks:
    if not eval(check):
        sys.exit(f"{path}: check failed: {check}")
PY
}

lines() { wc -l < "$1" | tr -d ' '; }

# ---------------------------------------------------------------- hex lines
# ExaBGP: 184 messages (UPDATE 179, OPEN 4, NOTIFICATION 1). As a 4-octet
# session: 177 well formed; two unknown well-known attributes and an
# AS_PATH that overruns are treat-as-withdraw, a bad MP_REACH next hop
# length disables the family, three NLRI fields that overrun reset.
decode "$tmp/exa.jsonl" --hex "$data/hex/exabgp-messages.txt"
expect_eq 184 "$(lines "$tmp/exa.jsonl")" "exabgp message count"
jsonl "$tmp/exa.jsonl" \
  'count(lambda m: m["type"] == "UPDATE") == 179' \
  'count(lambda m: m["type"] == "OPEN") == 4' \
  'count(lambda m: m["type"] == "NOTIFICATION") == 1' \
  'count(lambda m: not err(m)) == 177' \
  'count(lambda m: err(m) and err(m)["handling"] == "treat-as-withdraw") == 3' \
  'count(lambda m: err(m) and err(m)["handling"] == "session-reset" and err(m)["code"] == 3 and err(m)["subcode"] == 10) == 3' \
  '[ (err(m)["code"], err(m)["subcode"], m["source"]["line"]) for m in msgs if err(m) and err(m)["handling"] == "afi-safi-disable"] == [(3, 9, 326)]' \
  '[m for m in msgs if m["source"]["line"] == 6][0]["attributes"][1]["text"] == "57821 6939"' \
  '[m for m in msgs if m["source"]["line"] == 6][0]["nlri"] == ["1.0.64.0/18"]' \
  '[m for m in msgs if m["type"] == "NOTIFICATION"][0]["code_name"] == "Message Header Error"' \
  'all(m["capabilities"][1] == {"code": 65, "name": "four-octet-as", "asn": 65533} for m in msgs if m["type"] == "OPEN")'
# The same messages on a 2-octet session (--as2): AS_PATHs read differently.
decode "$tmp/exa2.jsonl" --as2 --hex "$data/hex/exabgp-messages.txt"
expect_eq 184 "$(lines "$tmp/exa2.jsonl")" "exabgp --as2 message count"
jsonl "$tmp/exa2.jsonl" 'count(lambda m: not err(m)) == 167' \
  'count(lambda m: err(m) and err(m)["handling"] == "treat-as-withdraw") == 12'

# Bodies without a header: every one fails the marker check (1/1).
decode "$tmp/bodies.jsonl" --hex "$data/hex/exabgp-decoding-bodies.txt"
expect_eq 6 "$(lines "$tmp/bodies.jsonl")" "exabgp bodies count"
jsonl "$tmp/bodies.jsonl" \
  'all(err(m)["code"] == 1 and err(m)["subcode"] == 1 and err(m)["handling"] == "session-reset" for m in msgs)'

# GoBGP crashers as hex: all header errors (marker), never a crash.
decode "$tmp/crash.jsonl" --hex "$data/crashers/gobgp-bad-len.hex.txt"
expect_eq 11 "$(lines "$tmp/crash.jsonl")" "gobgp crasher count"
jsonl "$tmp/crash.jsonl" \
  'all(err(m)["code"] == 1 and err(m)["handling"] == "session-reset" for m in msgs)'

# The expected-output file is JSON, not hex: unreadable input, naming the
# file and the line.
rc=0
"$ctl" bgp-decode --hex "$data/hex/exabgp-decoding-expected.txt" > "$tmp/out" 2> "$tmp/err" || rc=$?
[[ $rc -eq 2 ]] || fail "non-hex file: exit $rc, want 2"
[[ ! -s "$tmp/out" ]] || fail "non-hex file: printed to stdout"
grep -q 'exabgp-decoding-expected.txt: line 4: not hex at column 1' "$tmp/err" ||
  fail "non-hex file: $(cat "$tmp/err")"

# ------------------------------------------------------------------ raw bytes
# The GoBGP crasher files: one header error each (their markers are '0'
# octets, or absent), and the stream ends there.
raw_outputs=()
for f in "$data"/crashers/gobgp-bad-len/*; do
  decode "$tmp/raw-$(basename "$f").jsonl" "$f"
  raw_outputs+=("$tmp/raw-$(basename "$f").jsonl")
done
expect_eq 11 "${#raw_outputs[@]}" "gobgp crasher files"
cat "${raw_outputs[@]}" > "$tmp/raw.jsonl"
expect_eq 11 "$(lines "$tmp/raw.jsonl")" "one message per raw crasher"
jsonl "$tmp/raw.jsonl" \
  'all(err(m)["code"] == 1 and err(m)["handling"] == "session-reset" for m in msgs)' \
  'all(m["source"] == {"stream_offset": 0} for m in msgs)'

# All 184 ExaBGP messages as one raw byte stream (from stdin): the framer
# finds every message, decoded exactly as from the hex lines.
python3 - "$data/hex/exabgp-messages.txt" "$tmp/exa.bin" <<'PY'
import sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
open(sys.argv[2], "wb").write(b"".join(bytes.fromhex(l) for l in lines))
PY
decode "$tmp/stream.jsonl" - < "$tmp/exa.bin"
expect_eq 184 "$(lines "$tmp/stream.jsonl")" "raw stream message count"
python3 - "$tmp/exa.jsonl" "$tmp/stream.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
for x, y in zip(a, b):
    x.pop("source"); y.pop("source")
    assert x == y, (x, y)
PY
# A stream cut inside its last message: that message is reported with the
# codec's length error; the ones before are intact.
head -c -5 "$tmp/exa.bin" > "$tmp/cut.bin"
decode "$tmp/cut.jsonl" "$tmp/cut.bin"
expect_eq 184 "$(lines "$tmp/cut.jsonl")" "cut stream count"
jsonl "$tmp/cut.jsonl" 'err(msgs[-1])["code"] == 1 and err(msgs[-1])["subcode"] == 2'
cmp -s <(head -n 183 "$tmp/cut.jsonl") <(head -n 183 "$tmp/stream.jsonl") ||
  fail "cut stream: the messages before the cut changed"

# ---------------------------------------------------------- malformed input
# Hand-made messages, one per handling class (RFC 7606 2) and the OPEN
# checks. msg TYPE BODY-HEX prints the whole message in hex.
msg() { python3 -c 'import sys; b = bytes.fromhex(sys.argv[2]); print(("ff" * 16 + "%04x%02x" % (len(b) + 19, int(sys.argv[1]))) + b.hex())' "$1" "$2"; }
update() {  # ATTRIBUTES-HEX NLRI-HEX
  python3 -c 'import sys; a = bytes.fromhex(sys.argv[1]); print("0000%04x" % len(a) + a.hex() + sys.argv[2])' "$1" "$2"
}
origin=40010100
as_path=4002060201 ; as_path="${as_path}0000fde8"   # AS_SEQUENCE 65000, 4 octets
next_hop=400304c0000201                             # 192.0.2.1
nlri=18c63364                                       # 198.51.100.0/24
{
  echo "# 1: well formed"
  msg 2 "$(update "$origin$as_path$next_hop" "$nlri")"
  echo "# 2: NEXT_HOP of 5 octets: treat-as-withdraw (RFC 7606 7.3)"
  msg 2 "$(update "${origin}${as_path}400305c000020101" "$nlri")"
  echo "# 3: ATOMIC_AGGREGATE of 1 octet: attribute-discard (RFC 7606 7.6)"
  msg 2 "$(update "$origin$as_path${next_hop}40060100" "$nlri")"
  echo "# 4: MP_REACH_NLRI with a 4-octet IPv6 next hop: afi-safi-disable (RFC 7606 7.11)"
  msg 2 "$(update "${origin}${as_path}800e1200020104c0000201004020010db800000000" "")"
  echo "# 5: NLRI prefix that overruns the message: session-reset (RFC 7606 5.3)"
  msg 2 "$(update "$origin$as_path$next_hop" 18c633)"
  echo "# 6: OPEN, My AS is AS_TRANS without the 4-octet AS capability (RFC 6793 4.1)"
  msg 1 045ba0005ac000020100
  echo "# 7: OPEN, My AS 65001 but 4-octet AS capability 65002 (RFC 6793 4.1)"
  msg 1 04fde9005ac000020108020641040000fdea
  echo "# 8: OPEN, hold time 1 (RFC 4271 6.2)"
  msg 1 04fde90001c000020100
  echo "# 9: unknown message type 7"
  msg 7 ""
  echo "# 10: KEEPALIVE with a body"
  msg 4 00
  echo "# 11: ROUTE-REFRESH BoRR with ORF data (RFC 7313 5)"
  msg 5 000101010203
} > "$tmp/bad.hex"
decode "$tmp/bad.jsonl" --hex "$tmp/bad.hex"
expect_eq 11 "$(lines "$tmp/bad.jsonl")" "malformed message count"
jsonl "$tmp/bad.jsonl" \
  '"error" not in msgs[0] and msgs[0]["nlri"] == ["198.51.100.0/24"]' \
  'err(msgs[1])["handling"] == "treat-as-withdraw" and (err(msgs[1])["code"], err(msgs[1])["subcode"]) == (3, 5) and msgs[1]["withdraw"] == ["198.51.100.0/24"]' \
  'err(msgs[2])["handling"] == "attribute-discard" and msgs[2]["usable"]["nlri"] == ["198.51.100.0/24"] and all(a["type"] != 6 for a in msgs[2]["usable"]["attributes"])' \
  'err(msgs[3])["handling"] == "afi-safi-disable" and err(msgs[3])["afi_safi"] == {"afi": 2, "safi": 1}' \
  'err(msgs[4])["handling"] == "session-reset" and (err(msgs[4])["code"], err(msgs[4])["subcode"]) == (3, 10)' \
  'msgs[5]["type"] == "OPEN" and msgs[5]["my_as"] == 23456 and (err(msgs[5])["code"], err(msgs[5])["subcode"], err(msgs[5])["handling"]) == (2, 2, "session-reset")' \
  'msgs[6]["peer_as"] == 65002 and (err(msgs[6])["code"], err(msgs[6])["subcode"]) == (2, 2) and "65001" in err(msgs[6])["reason"]' \
  '(err(msgs[7])["code"], err(msgs[7])["subcode"], err(msgs[7])["handling"]) == (2, 6, "session-reset")' \
  'msgs[8]["type"] == 7 and (err(msgs[8])["code"], err(msgs[8])["subcode"]) == (1, 3)' \
  'msgs[9]["type"] == "KEEPALIVE" and (err(msgs[9])["code"], err(msgs[9])["subcode"]) == (1, 2)' \
  'msgs[10]["type"] == "ROUTE-REFRESH" and (err(msgs[10])["code"], err(msgs[10])["subcode"]) == (7, 1)' \
  'all(m["source"]["line"] == 2 * i + 2 for i, m in enumerate(msgs))'

# --------------------------------------------------------------------- pcap
# Messages per capture. Equal to tshark's count (see the data README) except
# where a header error ends the stream, as it ends the session (RFC 4271
# 6.1): aigp-oobr (tshark 9), as-path-oobr (13), ub (5); and where the data
# after a broken message is reported as one more line: pmsi_tunnel-oobr (the
# trailing octets, fewer than a header: 1/2) and vpn_rt-oobr (the octets after
# the message do not start with a marker: 1/1); tshark counts 1 for each.
declare -A pcap_count=(
  [bgp-4byte-asn.pcap]=35 [bgp-addpath.pcap]=1 [bgp-aigp-2.pcap]=1 [bgp-aigp-oobr.pcap]=2
  [bgp-aigp.pcap]=2 [bgp-as-path-oobr.pcap]=8 [bgp-bfd-cease.pcap]=1
  [bgp-bgp_capabilities_print-oobr-1.pcap]=1 [bgp-bgp_capabilities_print-oobr-2.pcap]=1
  [bgp-bgpsec.pcap]=32 [bgp-cease-hard-reset.pcap]=3 [bgp-encap.pcap]=1
  [bgp-enhanced-route-refresh-subtype.pcapng]=8 [bgp-enhanced-route-refresh.pcapng]=1
  [bgp-evpn.pcap]=1 [bgp-extended-msg.pcapng]=1
  [bgp-extended-optional-parameters-length.pcapng]=1 [bgp-extended-shutdown-msg.pcapng]=1
  [bgp-infinite-loop.pcap]=4 [bgp-large-community.pcap]=5 [bgp-link-bw-extcommunity.pcapng]=6
  [bgp-lu-multiple-labels.pcap]=20 [bgp-malformed-hard-reset.pcap]=1 [bgp-orf.pcapng]=2
  [bgp-ovs.pcapng]=4 [bgp-role.pcapng]=12 [bgp-rt-prefix.pcap]=8
  [bgp-shutdown-communication.pcapng]=1 [bgp-shutdown-msg-variations.pcap]=1 [bgp-ub.pcap]=1
  [bgp_mp_reach_nlri-oobr.pcap]=1 [bgp_mvpn_6_and_7_oobr.pcap]=2
  [bgp_notification_rr_msg_error.pcap]=1 [bgp_pmsi_tunnel-oobr.pcap]=2
  [bgp_vpn_attrset.pcap]=1 [bgp_vpn_rt-oobr.pcap]=2
  [bgpsec_invalid_signature_block_length.pcap]=1 [mpbgp-linklocal-nexthop.pcap]=1
)
files=0
for f in "$data"/pcap/*; do
  name="$(basename "$f")"
  [[ -n "${pcap_count[$name]:-}" ]] || fail "no expected count for $name"
  decode "$tmp/$name.jsonl" --pcap "$f"
  expect_eq "${pcap_count[$name]}" "$(lines "$tmp/$name.jsonl")" "$name message count"
  files=$((files + 1))
done
expect_eq 38 "$files" "pcap file count"
cat "$tmp"/*.pcap*.jsonl > "$tmp/all-pcap.jsonl"
jsonl "$tmp/all-pcap.jsonl" 'all("frame" in m["source"] and "flow" in m["source"] for m in msgs)' \
  'len(msgs) == 177'  # the sum of the table above
# Types as tshark counts them, and a few exact fields.
jsonl "$tmp/bgp-4byte-asn.pcap.jsonl" \
  'sorted({t: count(lambda m, t=t: m["type"] == t) for t in ("OPEN","UPDATE","NOTIFICATION","KEEPALIVE")}.items()) == [("KEEPALIVE", 16), ("NOTIFICATION", 1), ("OPEN", 8), ("UPDATE", 10)]'
jsonl "$tmp/bgp-large-community.pcap.jsonl" \
  'all(not err(m) for m in msgs)' \
  'any(a.get("name") == "LARGE_COMMUNITIES" and len(a["value"]) > 0 for m in msgs for a in m["attributes"])'
jsonl "$tmp/bgp-enhanced-route-refresh-subtype.pcapng.jsonl" \
  'sorted(m["subtype_name"] for m in msgs if m["type"] == "ROUTE-REFRESH") == ["BoRR", "EoRR", "normal"]'
jsonl "$tmp/bgp-shutdown-communication.pcapng.jsonl" \
  'msgs[0]["type"] == "NOTIFICATION" and (msgs[0]["code"], msgs[0]["subcode"]) == (6, 2) and msgs[0]["shutdown_communication"]["valid"]'
jsonl "$tmp/bgp-bfd-cease.pcap.jsonl" 'msgs[0]["subcode_name"] == "BFD Down"'
jsonl "$tmp/bgp-cease-hard-reset.pcap.jsonl" 'msgs[2]["type"] == "NOTIFICATION" and msgs[2]["source"]["frame"] == 3'
jsonl "$tmp/bgp-aigp.pcap.jsonl" 'msgs[0]["source"]["flow"].endswith(":179")'  # Juniper Ethernet framing
jsonl "$tmp/bgp-infinite-loop.pcap.jsonl" \
  'all((err(m)["code"], err(m)["subcode"], err(m)["handling"]) == (1, 2, "session-reset") for m in msgs)'
jsonl "$tmp/bgp-bgpsec.pcap.jsonl" \
  'count(lambda m: err(m) and err(m)["handling"] == "treat-as-withdraw") == 20'

# A capture cut inside a frame is unreadable: exit 2, naming file and frame.
head -c 300 "$data/pcap/bgp-4byte-asn.pcap" > "$tmp/cut.pcap"
rc=0
"$ctl" bgp-decode --pcap "$tmp/cut.pcap" > "$tmp/out" 2> "$tmp/err" || rc=$?
[[ $rc -eq 2 ]] || fail "truncated pcap: exit $rc, want 2"
grep -q 'cut.pcap: frame [0-9]* at offset [0-9]*: captured length' "$tmp/err" ||
  fail "truncated pcap: $(cat "$tmp/err")"
rc=0
"$ctl" bgp-decode --pcap "$data/hex/exabgp-messages.txt" > /dev/null 2> "$tmp/err" || rc=$?
[[ $rc -eq 2 ]] && grep -q 'not a pcap or pcapng file' "$tmp/err" || fail "hex as pcap: exit $rc"

# ---------------------------------------------------------------------- MRT
# Record counts from the data README; every message of the real dumps is
# well formed for its session (2-octet AS in 2002, 4-octet in 2016).
decode "$tmp/mrt2002.jsonl" --mrt "$data/mrt/updates.20020722.2238.gz"
expect_eq 1028 "$(lines "$tmp/mrt2002.jsonl")" "MRT 2002 message count"
jsonl "$tmp/mrt2002.jsonl" \
  'count(lambda m: m["type"] == "UPDATE") == 393 and count(lambda m: m["type"] == "KEEPALIVE") == 615' \
  'count(lambda m: m["type"] == "OPEN") == 13 and count(lambda m: m["type"] == "NOTIFICATION") == 7' \
  'all(not err(m) for m in msgs)' \
  'msgs[0]["source"]["record"] >= 1 and "peer_ip" in msgs[0]["source"]'
decode "$tmp/mrt2016.jsonl" --mrt "$data/mrt/updates.20160811.1600.gz"
expect_eq 17384 "$(lines "$tmp/mrt2016.jsonl")" "MRT 2016 message count"
jsonl "$tmp/mrt2016.jsonl" \
  'count(lambda m: m["type"] == "UPDATE") == 17216 and count(lambda m: m["type"] == "KEEPALIVE") == 168' \
  'all(not err(m) for m in msgs)'
decode "$tmp/long.jsonl" --mrt "$data/mrt/updates.long_withdrawal.gz"
jsonl "$tmp/long.jsonl" 'len(msgs) == 1' \
  'len([a for a in msgs[0]["attributes"] if a["type"] == 15][0]["withdrawn"]) == 4096'
decode "$tmp/mask.jsonl" --mrt "$data/mrt/updates.nlri_mask_trailing_bits.gz"
jsonl "$tmp/mask.jsonl" 'len(msgs) == 1' \
  '(err(msgs[0])["code"], err(msgs[0])["subcode"], err(msgs[0])["handling"]) == (3, 10, "session-reset")'
# Uncompressed input works too; a truncated gzip is unreadable.
gzip -dc "$data/mrt/updates.20020722.2238.gz" > "$tmp/plain.mrt"
decode "$tmp/plain.jsonl" --mrt "$tmp/plain.mrt"
cmp -s "$tmp/plain.jsonl" "$tmp/mrt2002.jsonl" || fail "plain MRT decodes differently from gzip"
head -c 5000 "$data/mrt/updates.20020722.2238.gz" > "$tmp/cut.gz"
rc=0
"$ctl" bgp-decode --mrt "$tmp/cut.gz" > /dev/null 2> "$tmp/err" || rc=$?
[[ $rc -eq 2 ]] && grep -q 'cut.gz: gzip data truncated' "$tmp/err" || fail "truncated gzip: exit $rc: $(cat "$tmp/err")"
head -c 1000 "$tmp/plain.mrt" > "$tmp/cut.mrt"
rc=0
"$ctl" bgp-decode --mrt "$tmp/cut.mrt" > /dev/null 2> "$tmp/err" || rc=$?
[[ $rc -eq 2 ]] && grep -q 'cut.mrt: record [0-9]* at offset [0-9]*:' "$tmp/err" ||
  fail "truncated MRT: exit $rc: $(cat "$tmp/err")"

# -------------------------------------------------------------------- usage
usage_rc() { local rc=0; "$ctl" bgp-decode "$@" > /dev/null 2> "$tmp/err" || rc=$?; echo $rc; }
expect_eq 2 "$(usage_rc)" "no file"
grep -q 'usage: vipcastctl bgp-decode' "$tmp/err" || fail "usage message: $(cat "$tmp/err")"
expect_eq 2 "$(usage_rc a b)" "two files"
expect_eq 2 "$(usage_rc --hex --pcap x)" "two input kinds"
expect_eq 2 "$(usage_rc --frobnicate x)" "unknown flag"
expect_eq 2 "$(usage_rc --hex=yes x)" "flag with a value"
expect_eq 2 "$(usage_rc --mrt --as2 "$data/mrt/updates.long_withdrawal.gz")" "--as2 with --mrt"
expect_eq 0 "$(usage_rc --help)" "--help"
expect_eq 2 "$(usage_rc --hex "$tmp/missing.txt")" "missing file"
grep -q 'missing.txt: No such file or directory' "$tmp/err" || fail "missing file: $(cat "$tmp/err")"

echo "bgp_decode_test: OK"
