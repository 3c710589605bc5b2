#!/usr/bin/env python3
"""Joins the two readers' labels and the adjudication into tools/model/labels.jsonl.

Inputs (outside the repository, written by sample_for_labelling.py and the
readers). Round 1: sample.jsonl, a-labels/labels-NN-A.jsonl,
labels-NN-B.jsonl, adjudicated.jsonl (every post read twice). Round 2:
sample2.jsonl, a-labels2/labels-NN-A.jsonl, labels-r2check-B.jsonl (a
second reading of every post the first reader called 1 or unsure, and of
250 others), adjudicated2.jsonl. Output: one line per post, keyed by the
SHA-256 of the post's text (never the text): {"sha256", "source",
"stratum", "round", "a", "b" (null when read once), "label", "adjudicated",
"why"}. Prints the agreement figures per round.

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


def join(sample, a, b, adj, round_no, need_b):
    """Rows of one round; `need_b`: every post must have a second reading."""
    rows = []
    for i, s in sorted(sample.items(), key=lambda kv: kv[1]["sha256"]):
        if i not in a or (need_b and i not in b):
            raise SystemExit(f"round {round_no}: post {i} lacks a reader's label")
        la = a[i]["label"]
        lb = b[i]["label"] if i in b else None
        if lb is None or la == lb:
            label, why, adjudicated = la, a[i]["why"], False
        elif i in adj:
            label, why, adjudicated = adj[i]["label"], adj[i]["why"], True
        else:
            raise SystemExit(f"round {round_no}: post {i}: readers disagree and no adjudication")
        rows.append({
            "sha256": s["sha256"], "source": s["source"], "stratum": s["stratum"], "round": round_no,
            "a": la, "b": lb, "label": label, "adjudicated": adjudicated, "why": why,
        })
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/work/labelling")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "labels.jsonl"))
    args = ap.parse_args()
    d = args.dir
    rows = join(by_id([os.path.join(d, "sample.jsonl")]),
                by_id(glob.glob(os.path.join(d, "a-labels", "labels-*-A.jsonl"))),
                by_id(glob.glob(os.path.join(d, "labels-0[1-6]-B.jsonl"))),
                by_id([os.path.join(d, "adjudicated.jsonl")]), 1, True)
    if os.path.exists(os.path.join(d, "sample2.jsonl")):
        rows += join(by_id([os.path.join(d, "sample2.jsonl")]),
                     by_id(glob.glob(os.path.join(d, "a-labels2", "labels-*-A.jsonl"))),
                     by_id([os.path.join(d, "labels-r2check-B.jsonl")]),
                     by_id([os.path.join(d, "adjudicated2.jsonl")]), 2, False)
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary = {}
    for rnd in sorted({r["round"] for r in rows}):
        rr = [r for r in rows if r["round"] == rnd]
        twice = [r for r in rr if r["b"] is not None]
        po, k = kappa([(r["a"], r["b"]) for r in twice])
        summary[f"round {rnd}"] = {
            "posts": len(rr), "positives": sum(r["label"] for r in rr), "read_twice": len(twice),
            "agreement_read_twice": round(po, 4), "cohen_kappa_read_twice": round(k, 4),
            "adjudicated": sum(r["adjudicated"] for r in rr),
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
