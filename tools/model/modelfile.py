#!/usr/bin/env python3
"""Writes and reads flaglight model files (the format of src/model/format.rs).

    offset  size    what
    0       8       magic b"FLMODEL\\0"
    8       2       format version, u16 little-endian (1)
    10      4       header length H, u32 little-endian
    14      H       header, UTF-8 JSON
    14+H    2^bits  weights, int8
    end-32  32      SHA-256 of every byte before it

Usage (bootstrap: an all-zero model that never fires, so the CLI builds
before the first training): modelfile.py --zero extension/models/extremism.flm
"""

import hashlib
import json
import struct
import sys

MAGIC = b"FLMODEL\0"
VERSION = 1


def write(path, header, weights):
    """weights: bytes-like of int8 values (len 2**spec.buckets_log2)."""
    body = bytearray(MAGIC)
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body += struct.pack("<HI", VERSION, len(head))
    body += head
    body += bytes(w & 0xFF for w in weights)
    body += hashlib.sha256(body).digest()
    with open(path, "wb") as f:
        f.write(body)
    return len(body)


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == MAGIC, "not a model file"
    version, hlen = struct.unpack("<HI", data[8:14])
    assert version == VERSION, f"format version {version}"
    assert hashlib.sha256(data[:-32]).digest() == data[-32:], "checksum"
    header = json.loads(data[14:14 + hlen])
    weights = [b - 256 if b > 127 else b for b in data[14 + hlen:-32]]
    return header, weights


def default_spec():
    return {"buckets_log2": 18, "seed": 0x5EED, "char_min": 2, "char_max": 5,
            "words": True, "bigrams": True, "per_script": True}


def zero_header():
    cal = {"a": 1.0, "b": 0.0, "threshold": 0.99}
    return {
        "name": "flaglight-extremism", "version": "0.0.0", "labels": ["other", "extremism"],
        "category": "extremism", "spec": default_spec(), "scale": 1.0, "bias": -10.0,
        "calibration": {"latin": cal, "cyrillic": cal, "arabic": cal},
        "bands": [{"min": 0.5, "severity": "medium"}], "top_words": 5,
        "about": {"note": "bootstrap: all weights zero, never fires"},
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--zero":
        h = zero_header()
        n = write(sys.argv[2], h, [0] * (1 << h["spec"]["buckets_log2"]))
        print(f"{sys.argv[2]}: {n} bytes")
    else:
        sys.exit(__doc__)
