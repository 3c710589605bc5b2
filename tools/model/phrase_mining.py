#!/usr/bin/env python3
"""Finds candidate phrases for the built-in extremism packs in the labelled data.

Prints word n-grams (1-4 words, in the engine's folded form) that are much
more frequent in posts labelled as propaganda than in the topic-matched
negatives (posts about ISIS by non-supporters, the non-propaganda posts of
pro-ISIS accounts, Arabic politics/religion/offensive tweets, Russian
sensitive-topic sentences), with counts. It prints counts and phrases only,
never a post: a person reads the candidates and writes pack rules in their
own words (see the README's "Rule packs" section).

Data (read from ../shared/corpus/, never copied into the project), as
train.py reads it:
- strong positives/negatives: the two-reader tweet labels
  (tools/model/labels.jsonl, keyed by SHA-256 of the text) and the corpus's
  published tweet labels;
- weak positives: the other tweets of pro-ISIS accounts (account-level
  labels: many are not propaganda, so they only count as a second column);
- negatives: about_isis (topic-matched), general English tweets, ordinary
  forum sentences, Arabic general and offensive tweets, Russian sensitive
  topics.

Split: every account (or, without one, every post) goes to part A (mining)
or B (held out) by a hash of its name with a fixed seed, so phrases are
mined on A and measured on B. `--eval-dir DIR` writes {"text","label","lang"}
files of both parts for `flaglight eval` (outside the project: corpus text
must not be committed); `--measure` runs the packs on both parts and prints
precision/recall and false-positive rates.

There are no real Russian propaganda posts in the corpus: Russian rules are
checked against the Russian negatives only.

Usage:
  phrase_mining.py [--lang en|ar] [--part A] [--top 150] [--min-accounts 3]
  phrase_mining.py --eval-dir /tmp/pm
  phrase_mining.py --measure [--packs extension/packs] [--part A|B|all]
"""

import argparse
import collections
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_io import HERE, ROOT, corpus, read_jsonl, script_of, sha  # noqa: E402

SEED = "20261203"
HELD_OUT = 0.4  # share of accounts in part B
# Words of the folded text: letters and digits (and the apostrophes of
# transliterations); URLs, mentions and hashtags' '#' are dropped first.
URL = re.compile(r"https?://\S+|www\.\S+|@\w+")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def lang_of(text):
    """As the engine's Script::of: the script most letters are in."""
    return {"arabic": "ar", "cyrillic": "ru", "latin": "en"}[script_of(text)]


def part_of(group):
    """'A' (mining) or 'B' (held out), fixed by the account's name."""
    h = int(hashlib.sha256((SEED + ":" + group).encode("utf-8")).hexdigest()[:8], 16)
    return "B" if h / 0xFFFFFFFF < HELD_OUT else "A"


class Post:
    __slots__ = ("text", "label", "strength", "group", "lang", "source", "part")

    def __init__(self, text, label, strength, group, source):
        self.text, self.label, self.strength = text, int(label), strength
        self.group, self.source = group, source
        self.lang = lang_of(text)
        self.part = part_of(group)


def load():
    """Every post once: strong labels first, then weak positives, then negatives."""
    posts, seen = [], set()

    def add(text, label, strength, group, source):
        h = sha(text)
        if h in seen:
            return
        seen.add(h)
        posts.append(Post(text, label, strength, group, source))

    isis = corpus("pro_isis_accounts_tweets.jsonl")
    published = corpus("pro_isis_accounts_tweet_labels.jsonl")
    user_of = {sha(r["text"]): r["user"] for r in isis + published}
    texts = {}
    for name in ["pro_isis_accounts_tweets.jsonl", "pro_isis_accounts_tweet_labels.jsonl",
                 "about_isis_tweets_translated.jsonl", "arabic_tweets_astd.jsonl",
                 "arabic_offensive_osact2022.jsonl"]:
        for r in corpus(name):
            texts.setdefault(sha(r["text"]), r["text"])
    for r in read_jsonl(os.path.join(HERE, "labels.jsonl")):
        h = r["sha256"]
        if h in texts:
            src = "topic_neg" if r["source"] in ("about_isis_tweets_translated", "arabic_negatives") \
                else "account_post"
            add(texts[h], r["label"], "strong", user_of.get(h, h), src)
    for r in published:
        add(r["text"], r["label"], "strong", r["user"], "account_post")
    for r in isis:
        add(r["text"], 1, "weak", r["user"], "account_weak")
    for r in corpus("about_isis_tweets_translated.jsonl"):
        add(r["text"], 0, "neg", sha(r["text"]), "about_isis")
    rng = random.Random(SEED)
    general = corpus("general_tweets_en.jsonl")
    rng.shuffle(general)
    for r in general[:8000]:
        add(r["text"], 0, "neg", sha(r["text"]), "general_en")
    storm = [r for r in corpus("stormfront_hate_en.jsonl") if r.get("label") == "noHate"]
    rng.shuffle(storm)
    for r in storm[:3000]:
        add(r["text"], 0, "neg", sha(r["text"]), "forum_en")
    for name in ["arabic_tweets_astd.jsonl", "arabic_offensive_osact2022.jsonl"]:
        for r in corpus(name):
            add(r["text"], 0, "neg", sha(r["text"]), "arabic_general")
    for r in corpus("russian_sensitive_topics.jsonl"):
        add(r["text"], 0, "neg", sha(r["text"]), "russian_topics")
    return posts


def fold_all(texts):
    """The engine's folded form of each text (tools/model/fold.mjs, the Wasm build)."""
    inp = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    out = subprocess.run(["node", os.path.join(HERE, "fold.mjs")], input=inp.encode("utf-8"),
                         capture_output=True, check=True).stdout.decode("utf-8")
    folded = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(folded) == len(texts), "fold.mjs returned a different number of lines"
    return folded


def grams(folded, n_max=4):
    words = WORD.findall(folded)
    out = set()
    for n in range(1, n_max + 1):
        for i in range(len(words) - n + 1):
            out.add(" ".join(words[i:i + n]))
    return out


def mine(posts, lang, part, top, min_accounts):
    """Candidate n-grams of one language, mined on one part."""
    mine_posts = [p for p in posts if p.lang == lang and (part == "all" or p.part == part)]
    folded = fold_all([URL.sub(" ", p.text) for p in mine_posts])
    pos, pos_acc, weak, neg_topic, neg_other = (collections.Counter() for _ in range(5))
    acc_seen = collections.defaultdict(set)
    weak_acc = collections.defaultdict(set)
    n_pos = n_weak = n_topic = n_other = 0
    for p, f in zip(mine_posts, folded):
        g = grams(f)
        if p.strength == "strong" and p.label == 1:
            n_pos += 1
            pos.update(g)
            for x in g:
                acc_seen[x].add(p.group)
        elif p.strength == "weak":
            n_weak += 1
            weak.update(g)
            for x in g:
                weak_acc[x].add(p.group)
        elif p.source in ("topic_neg", "about_isis", "account_post") or (
                lang == "ar" and p.source == "arabic_general"):
            n_topic += 1
            neg_topic.update(g)
        else:
            n_other += 1
            neg_other.update(g)
    for x, s in acc_seen.items():
        pos_acc[x] = len(s)
    print(f"# {lang}, part {part}: {n_pos} labelled positives, {n_weak} weak (account-level) posts, "
          f"{n_topic} topic-matched negatives, {n_other} other negatives")
    print("# score = log2 of (positive rate / topic-negative rate), add-0.5 smoothing;"
          " weak = share of account-level posts; columns: score pos accounts weak% topic other phrase")
    rows = []
    for x, c in pos.items():
        if pos_acc[x] < min_accounts:
            continue
        rate_pos = (c + 0.5) / (n_pos + 1)
        rate_neg = (neg_topic[x] + neg_other[x] * 0.5 + 0.5) / (n_topic + 0.5 * n_other + 1)
        score = math.log2(rate_pos / rate_neg)
        rows.append((score, c, pos_acc[x], 100.0 * weak[x] / max(n_weak, 1), neg_topic[x], neg_other[x], x))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    for r in rows[:top]:
        print(f"{r[0]:5.2f} {r[1]:4d} {r[2]:3d} {r[3]:5.1f}% {r[4]:4d} {r[5]:4d}  {r[6]}")
    # The weaker signal: posts of pro-ISIS accounts (account-level labels)
    # against the same negatives, by the number of accounts using the phrase.
    print("\n# weak signal: account-level posts vs topic-matched negatives;"
          " columns: score weak-posts accounts labelled-pos topic other phrase")
    rows = []
    for x, c in weak.items():
        if len(weak_acc[x]) < 2 * min_accounts:
            continue
        rate_pos = (c + 0.5) / (n_weak + 1)
        rate_neg = (neg_topic[x] + neg_other[x] * 0.5 + 0.5) / (n_topic + 0.5 * n_other + 1)
        rows.append((math.log2(rate_pos / rate_neg), c, len(weak_acc[x]), pos[x], neg_topic[x], neg_other[x], x))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    for r in rows[:top]:
        print(f"{r[0]:5.2f} {r[1]:5d} {r[2]:3d} {r[3]:4d} {r[4]:4d} {r[5]:4d}  {r[6]}")


def write_eval(posts, d):
    """{"text","label","lang"} files for `flaglight eval`, per part."""
    os.makedirs(d, exist_ok=True)
    files = {}
    for p in posts:
        if p.strength == "weak":
            name = f"weak_{p.part}"
        elif p.strength == "strong":
            name = f"labelled_{p.part}"
        else:
            name = f"neg_{p.source}"
        files.setdefault(name, []).append({"text": p.text, "label": p.label, "lang": p.lang})
    for name, rows in files.items():
        with open(os.path.join(d, name + ".jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{d}/{name}.jsonl: {len(rows)} posts, {sum(r['label'] for r in rows)} positive")


def flagged(cli, packs, texts):
    """Which posts the packs flag: an extremism finding at medium or above,
    as `flaglight eval` counts (built-in packs replaced by the files in `packs`)."""
    args = [cli, "scan", "--no-model", "--no-builtin", "--format", "jsonl"]
    for p in packs:
        args += ["--pack", p]
    lines = "".join(t.replace("\r", " ").replace("\n", " ") + "\n" for t in texts)
    out = subprocess.run(args + ["-"], input=lines.encode("utf-8"), capture_output=True, check=True).stdout
    hit = [False] * len(texts)
    rules = [set() for _ in texts]
    for line in out.decode("utf-8").splitlines():
        f = json.loads(line)
        if f["category"] == "extremism" and f["severity"] in ("medium", "high", "critical"):
            hit[f["line"] - 1] = True
            rules[f["line"] - 1].add(f"{f['pack']}/{f['rule']}")
    return hit, rules


def measure(posts, cli, packs):
    texts = [p.text for p in posts]
    hit, rules = flagged(cli, packs, texts)
    print("labelled posts (strong labels): precision / recall per language and part")
    for lang in ["en", "ar", "ru"]:
        for part in ["A", "B", "all"]:
            sel = [(h, p) for h, p in zip(hit, posts) if p.strength == "strong" and p.lang == lang
                   and (part == "all" or p.part == part)]
            if not sel:
                continue
            tp = sum(1 for h, p in sel if h and p.label)
            fp = sum(1 for h, p in sel if h and not p.label)
            pos = sum(1 for _, p in sel if p.label)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / pos if pos else 0.0
            print(f"  {lang} {part:3s}: {len(sel):5d} posts {pos:4d} positive  flagged {tp + fp:4d}"
                  f"  precision {prec:.3f}  recall {rec:.3f}")
    print("account-level posts (weak positives): share flagged")
    for lang in ["en", "ar"]:
        for part in ["A", "B"]:
            sel = [h for h, p in zip(hit, posts) if p.strength == "weak" and p.lang == lang and p.part == part]
            if sel:
                print(f"  {lang} {part}: {sum(sel)} of {len(sel)} ({100.0 * sum(sel) / len(sel):.2f} %)")
    print("negative sets: false-positive rate")
    for src in ["about_isis", "general_en", "forum_en", "arabic_general", "russian_topics"]:
        sel = [h for h, p in zip(hit, posts) if p.source == src]
        print(f"  {src}: {sum(sel)} of {len(sel)} ({100.0 * sum(sel) / len(sel):.2f} %)")
    print("per rule (medium or above): labelled positives / labelled negatives it flags in part A,"
          " in part B; posts of the negative sets it flags")
    tally = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for rs, p in zip(rules, posts):
        for r in rs:
            if p.strength == "strong":
                tally[r][(0 if p.part == "A" else 2) + (0 if p.label else 1)] += 1
            elif p.strength == "neg":
                tally[r][4] += 1
    for r, t in sorted(tally.items()):
        print(f"  {r}: A {t[0]} / {t[1]}  B {t[2]} / {t[3]}  negative sets {t[4]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="en", choices=["en", "ar", "ru"])
    ap.add_argument("--part", default="A", choices=["A", "B", "all"])
    ap.add_argument("--top", type=int, default=150)
    ap.add_argument("--min-accounts", type=int, default=3)
    ap.add_argument("--eval-dir")
    ap.add_argument("--measure", action="store_true")
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "flaglight"))
    ap.add_argument("--packs", default=os.path.join(ROOT, "extension", "packs"))
    args = ap.parse_args()
    posts = load()
    if args.eval_dir:
        if os.path.abspath(args.eval_dir).startswith(ROOT + os.sep):
            sys.exit("--eval-dir must be outside the project: corpus text is never committed")
        write_eval(posts, args.eval_dir)
    elif args.measure:
        packs = sorted(os.path.join(args.packs, f) for f in os.listdir(args.packs)
                       if f.startswith("extremism-") and f.endswith(".json"))
        measure(posts, args.cli, packs)
    else:
        mine(posts, args.lang, args.part, args.top, args.min_accounts)


if __name__ == "__main__":
    main()
