#!/usr/bin/env bash
# Fills the BGP fuzz seed corpora from the shared BGP test data
# (../shared/data/bgp relative to the repository root, see its README):
#   fuzz/corpus/bgp_message/  selector octet + whole message
#   fuzz/corpus/bgp_open/     OPEN bodies
#   fuzz/corpus/bgp_update/   selector octet + UPDATE body
# from the ExaBGP hex messages, the GoBGP crashers (also copied verbatim)
# and a sample of the MRT dumps. The selector octet picks the session
# options exactly as fuzz/bgp_checks.h reads it (bit 0: 4-octet AS, bit 1:
# extended message). Files are named by their SHA-1, as libFuzzer does.
# Needs python3 (maintainer tool; the corpus files are committed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/bgp}"
if [ ! -d "$data" ]; then
  echo "make-bgp-corpus: BGP test data not found at $data" >&2
  exit 1
fi
exec python3 - "$root" "$data" <<'PY'
import gzip, hashlib, os, struct, sys

root, data = sys.argv[1], sys.argv[2]
out = {t: os.path.join(root, "fuzz", "corpus", t) for t in ("bgp_message", "bgp_open", "bgp_update")}
for d in out.values():
    os.makedirs(d, exist_ok=True)
counts = {t: 0 for t in out}

def put(target, blob):
    name = hashlib.sha1(blob).hexdigest()
    path = os.path.join(out[target], name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(blob)
        counts[target] += 1

def add_message(msg, selector):
    # Seeds above 4096 octets would raise libFuzzer's max_len ninefold and
    # slow every run; the data tests cover extended messages instead.
    if len(msg) > 4096:
        return
    put("bgp_message", bytes([selector]) + msg)
    if len(msg) >= 19 and msg[18] == 1:
        put("bgp_open", msg[19:])
    if len(msg) >= 19 and msg[18] == 2:
        put("bgp_update", bytes([selector]) + msg[19:])

def hex_lines(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield bytes.fromhex(line)

# ExaBGP: 4-octet AS sessions with extended message, and the 2-octet form.
for msg in hex_lines(os.path.join(data, "hex", "exabgp-messages.txt")):
    add_message(msg, 0x03)
    add_message(msg, 0x00)
for body in hex_lines(os.path.join(data, "hex", "exabgp-decoding-bodies.txt")):
    put("bgp_update", bytes([0x03]) + body)

# GoBGP crashers: verbatim (first octet doubles as selector) and with a
# selector and a repaired marker, so the fuzzer reaches the body parsers.
crashers = os.path.join(data, "crashers", "gobgp-bad-len")
for name in sorted(os.listdir(crashers)):
    with open(os.path.join(crashers, name), "rb") as f:
        blob = f.read()
    put("bgp_message", blob)
    fixed = b"\xff" * 16 + blob[16:]
    add_message(fixed, 0x00)
    add_message(fixed, 0x01)

# MRT (RFC 6396): every OPEN/NOTIFICATION/ROUTE-REFRESH and a sample of
# UPDATEs, chosen by distinct shape (size class and the two length fields).
for name, limit in (("updates.20020722.2238.gz", 150), ("updates.20160811.1600.gz", 250),
                    ("updates.nlri_mask_trailing_bits.gz", 1)):
    with gzip.open(os.path.join(data, "mrt", name)) as f:
        dump = f.read()
    pos, seen, taken = 0, set(), 0
    while pos + 12 <= len(dump):
        _, rtype, subtype, length = struct.unpack_from(">IHHI", dump, pos)
        body = dump[pos + 12 : pos + 12 + length]
        pos += 12 + length
        if rtype == 17:
            body = body[4:]
        if rtype not in (16, 17) or subtype not in (1, 4, 6, 7):
            continue
        as4 = subtype in (4, 7)
        off = 8 if as4 else 4
        afi = struct.unpack_from(">H", body, off + 2)[0]
        off += 4 + (8 if afi == 1 else 32)
        msg = body[off:]
        if len(msg) < 19:
            continue
        selector = 0x03 if as4 else 0x02
        mtype = msg[18]
        if mtype == 4:
            if ("ka", as4) in seen:
                continue
            seen.add(("ka", as4))
        elif mtype == 2:
            shape = (len(msg) // 16, msg[19:23])
            if shape in seen or taken >= limit:
                continue
            seen.add(shape)
            taken += 1
        add_message(msg, selector)

total = sum(os.path.getsize(os.path.join(d, n)) for d in out.values() for n in os.listdir(d))
for t, c in counts.items():
    print(f"{t}: {c} new files, {len(os.listdir(out[t]))} total")
print(f"total corpus size: {total} bytes")
if total > 2 * 1024 * 1024:
    sys.exit("corpus exceeds 2 MB")
PY
