#!/usr/bin/env python3
"""Draws the posts to be labelled by hand (see labelling-guideline.md).

Reads ../shared/corpus/ and writes, OUTSIDE the repository (default
/work/labelling/), batches of posts for readers: batch-NN.jsonl with
{"id", "text"} only (no source, account or existing label, so readers label
blind), and sample.jsonl with what the readers must not see (source, account,
existing hand label) for the later join. Nothing written here is committed:
the project keeps only labels keyed by the SHA-256 of the text.

The draw is deterministic (fixed seed) and stratified:
- English posts of pro-ISIS accounts that carry a published per-tweet label
  (to measure our readers against it), capped per account;
- other English posts of pro-ISIS accounts, capped per account (tweets of one
  account look alike);
- Arabic posts of pro-ISIS accounts, capped per account;
- topic-matched English negatives (posts about ISIS by non-supporters);
- topic-matched Arabic negatives: general Arabic tweets that talk about
  religion, war, politics or violence (chosen by topic words; the label is
  decided by reading, never by the words).

Round 2 (--round 2) draws 4,000 more English posts of the accounts that
carry published per-tweet labels (at most 250 per account, none already
drawn or published), as batches 07-14, read by one reader each (one batch
by two, to measure agreement again).

Usage: sample_for_labelling.py [--out DIR] [--batch 500] [--round 1|2]
"""

import argparse
import hashlib
import json
import os
import random
import re

_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# ../shared/corpus beside the project (a worktree may sit one level deeper).
CORPUS = next((p for p in (os.path.join(_ROOT, "..", "shared", "corpus"),
                           os.path.join(_ROOT, "..", "..", "shared", "corpus"))
               if os.path.isdir(p)), os.path.join(_ROOT, "..", "shared", "corpus"))
ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z]")
# Topic words that make an Arabic tweet a topic-matched negative candidate.
AR_TOPIC = [
    "داعش", "الدولة الاسلامية", "الدولة الإسلامية", "جهاد", "مجاهد", "شهيد", "الشهداء",
    "الكفار", "كافر", "الرافض", "الخلافة", "إرهاب", "ارهاب", "الله أكبر", "الله اكبر",
    "قتل", "سوريا", "العراق", "الشيعة", "اليهود", "المرتد", "الطاغوت", "الإخوان",
    "الاخوان", "الجيش",
]
# How many posts of each stratum, and the per-account cap.
PLAN = {
    "labelled_en": (450, 25),
    "isis_en": (1350, 40),
    "isis_ar": (450, 120),
    "about_isis_en": (450, None),
    "topic_ar": (300, None),
}
SEED = 20261203


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def is_arabic(text):
    return len(ARABIC.findall(text)) > len(LATIN.findall(text))


def capped(rows, n, cap, rng):
    """n rows drawn at random, at most `cap` per account."""
    rows = rows[:]
    rng.shuffle(rows)
    per = {}
    out = []
    for r in rows:
        u = r.get("user")
        if cap is not None and u is not None:
            if per.get(u, 0) >= cap:
                continue
            per[u] = per.get(u, 0) + 1
        out.append(r)
        if len(out) == n:
            break
    return out


def strata():
    labelled = read("pro_isis_accounts_tweet_labels.jsonl")
    isis = read("pro_isis_accounts_tweets.jsonl")
    about = read("about_isis_tweets_translated.jsonl")
    arabic = read("arabic_tweets_astd.jsonl") + read("arabic_offensive_osact2022.jsonl")
    return {
        "labelled_en": ("pro_isis_accounts_tweet_labels", [r for r in labelled if not is_arabic(r["text"])]),
        "isis_en": ("pro_isis_accounts_tweets", [r for r in isis if not is_arabic(r["text"])]),
        "isis_ar": ("pro_isis_accounts_tweets", [r for r in isis if is_arabic(r["text"])]),
        "about_isis_en": ("about_isis_tweets_translated", about),
        "topic_ar": ("arabic_negatives", [r for r in arabic if any(k in r["text"] for k in AR_TOPIC)]),
    }


def round_two(args):
    """4,000 English posts of the accounts with published labels."""
    published = read("pro_isis_accounts_tweet_labels.jsonl")
    users = {r["user"] for r in published}
    taken = {sha(r["text"]) for r in published}
    with open(os.path.join(args.out, "sample.jsonl"), encoding="utf-8") as f:
        taken |= {json.loads(line)["sha256"] for line in f}
    rows = [r for r in read("pro_isis_accounts_tweets.jsonl")
            if r["user"] in users and not is_arabic(r["text"]) and sha(r["text"]) not in taken]
    rng = random.Random(SEED + 2)
    sample = []
    for r in capped(rows, 4000, 250, rng):
        h = sha(r["text"])
        sample.append({"id": h[:12], "sha256": h, "stratum": "round2_en", "source": "pro_isis_accounts_tweets",
                       "user": r["user"], "published_label": None, "text": r["text"]})
    with open(os.path.join(args.out, "sample2.jsonl"), "w", encoding="utf-8") as f:
        for s in sample:
            f.write(json.dumps({k: v for k, v in s.items() if k != "text"}, ensure_ascii=False) + "\n")
    for b in range(0, len(sample), args.batch):
        path = os.path.join(args.out, "batch-%02d.jsonl" % (b // args.batch + 7))
        with open(path, "w", encoding="utf-8") as f:
            for s in sample[b:b + args.batch]:
                f.write(json.dumps({"id": s["id"], "text": s["text"]}, ensure_ascii=False) + "\n")
    print(json.dumps({"total": len(sample), "accounts": len({s["user"] for s in sample})}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/work/labelling")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--round", type=int, default=1)
    args = ap.parse_args()
    if args.round == 2:
        return round_two(args)
    rng = random.Random(SEED)
    seen = set()
    sample = []
    for name, (source, rows) in strata().items():
        n, cap = PLAN[name]
        fresh = [r for r in rows if sha(r["text"]) not in seen]
        for r in capped(fresh, n, cap, rng):
            h = sha(r["text"])
            seen.add(h)
            sample.append({
                "id": h[:12], "sha256": h, "stratum": name, "source": source,
                "user": r.get("user"), "published_label": r.get("label"), "text": r["text"],
            })
    rng.shuffle(sample)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "sample.jsonl"), "w", encoding="utf-8") as f:
        for s in sample:
            f.write(json.dumps({k: v for k, v in s.items() if k != "text"}, ensure_ascii=False) + "\n")
    for b in range(0, len(sample), args.batch):
        path = os.path.join(args.out, "batch-%02d.jsonl" % (b // args.batch + 1))
        with open(path, "w", encoding="utf-8") as f:
            for s in sample[b:b + args.batch]:
                f.write(json.dumps({"id": s["id"], "text": s["text"]}, ensure_ascii=False) + "\n")
    counts = {}
    for s in sample:
        counts[s["stratum"]] = counts.get(s["stratum"], 0) + 1
    print(json.dumps({"total": len(sample), "strata": counts}))


if __name__ == "__main__":
    main()
