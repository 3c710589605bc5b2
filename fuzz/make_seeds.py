#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (committed; run again
after the packs or formats change). Seeds are text written for the project
and the packs' own files: never corpus text."""

import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "model"))
import modelfile  # noqa: E402

TEXTS = [
    "Brothers, J0IN the c a l i p h a t e! Support: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "Братья, переведите на карту 4012 8888 8888 1881 — ИГИЛ джихадом",
    "للدعم: ادعموا الإخوة الدولة الإسلامية باقية وتتمدد ٤٠١٢٨٨٨٨٨٨٨٨١٨٨١",
    "donate 0x52908400098527886E0F7030069857D2E4169EE7 or +7 912 345-67-89, t.me/somechannel",
    "IBAN DE89 3704 0044 0532 0130 00, YooMoney 4100 1234 5678 9012, WebMoney Z123456789012",
    "\u200bj\u200bo\u200bi\u200bn\u00ad the ca\u0301liphate 😀 ＩＳＩＳ ١٢٣",
    "news: police said the court reported on the case of the Islamic State",
]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    packs = os.path.join(ROOT, "extension", "packs")
    # The built-in packs' shapes, a few rules of each (whole packs are slow
    # to compile on every input).
    for name in json.load(open(os.path.join(packs, "index.json")))["packs"]:
        p = json.load(open(os.path.join(packs, name), encoding="utf-8"))
        for k, rule in enumerate(p["rules"][:8]):
            part = dict(p, rules=[rule])
            write("pack", f"{name[:-5]}-{k}.json", json.dumps(part, ensure_ascii=False, indent=1).encode())
    write("pack", "small.json", json.dumps({"id": "s", "name": "s", "version": "1", "rules": [
        {"id": "k", "category": "extremism", "severity": "high", "kind": "keyword", "patterns": ["джихад*", "join the caliphate"],
         "options": {"stem_max": 4, "except": ["джихадистский"]}, "examples": {"match": ["джихадом"], "no_match": ["джинсы"]}},
        {"id": "r", "category": "x", "severity": "low", "kind": "regex", "patterns": ["\\bunit[- ]?\\d{3}\\b"]},
        {"id": "c", "category": "donation", "severity": "low", "kind": "keyword", "patterns": ["donate"], "options": {"standalone": False}},
        {"id": "i", "category": "donation", "severity": "low", "kind": "identifier", "patterns": ["btc", "card"]},
        {"id": "x", "category": "donation", "severity": "high", "kind": "context",
         "context": {"kind": "donation_request", "cues": ["c"], "targets": ["btc", "card"], "window": 100}}]},
        ensure_ascii=False).encode())
    for i, t in enumerate(TEXTS):
        b = t.encode()
        write("scan", f"text{i}", bytes([1]) + struct.pack("<H", 20) + b)
        write("ids", f"text{i}", b)
        write("fold", f"text{i}", bytes([10]) + b)
        q = t[5:40]
        write("anchor", f"text{i}", "\x1f".join([t + " " + t, q.replace("a", "e", 1), t[:5], t[40:60], "5"]).encode())
    # A small valid model (256 weights) and its header alone.
    h = modelfile.zero_header()
    h["spec"]["buckets_log2"] = 8
    path = os.path.join(HERE, "corpus", "model", "small.flm")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    modelfile.write(path, h, [(i * 7) % 255 - 127 for i in range(256)])
    write("model", "header.json", json.dumps(h).encode())
    print("seeds written under", os.path.join(HERE, "corpus"))


if __name__ == "__main__":
    main()
