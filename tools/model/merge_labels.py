#!/usr/bin/env python3
"""Joins the two readers' labels and the adjudication into tools/model/labels.jsonl.

Inputs (outside the repository, written by sample_for_labelling.py and the
readers): sample.jsonl, a-labels/labels-NN-A.jsonl, labels-NN-B.jsonl,
adjudicated.jsonl. Output: one line per post, keyed by the SHA-256 of the
post's text (never the text): {"sha256", "source", "stratum", "a", "b",
"label", "adjudicated", "why"}. Prints the agreement figures.

Usage: merge_labels.py [--dir /work/labelling] [--out tools/model/labels.jsonl]
"""

import argparse
import glob
import json
import os


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def by_id(paths):
    out = {}
    for p in paths:
        for r in read_jsonl(p):
            out[r["id"]] = r
    return out


def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return po, (po - pe) / (1 - pe)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/work/labelling")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "labels.jsonl"))
    args = ap.parse_args()
    sample = by_id([os.path.join(args.dir, "sample.jsonl")])
    a = by_id(glob.glob(os.path.join(args.dir, "a-labels", "labels-*-A.jsonl")))
    b = by_id(glob.glob(os.path.join(args.dir, "labels-*-B.jsonl")))
    adj = by_id([os.path.join(args.dir, "adjudicated.jsonl")])
    missing = [i for i in sample if i not in a or i not in b]
    if missing:
        raise SystemExit(f"{len(missing)} posts lack a reader's label, e.g. {missing[0]}")
    rows = []
    for i, s in sorted(sample.items(), key=lambda kv: kv[1]["sha256"]):
        la, lb = a[i]["label"], b[i]["label"]
        if la == lb:
            label, why, adjudicated = la, a[i]["why"], False
        elif i in adj:
            label, why, adjudicated = adj[i]["label"], adj[i]["why"], True
        else:
            raise SystemExit(f"post {i}: readers disagree and no adjudication")
        rows.append({
            "sha256": s["sha256"], "source": s["source"], "stratum": s["stratum"],
            "a": la, "b": lb, "label": label, "adjudicated": adjudicated, "why": why,
        })
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    po, k = kappa([(r["a"], r["b"]) for r in rows])
    pos = sum(r["label"] for r in rows)
    print(json.dumps({
        "posts": len(rows), "positives": pos, "agreement": round(po, 4),
        "cohen_kappa": round(k, 4), "adjudicated": sum(r["adjudicated"] for r in rows),
    }))


if __name__ == "__main__":
    main()
