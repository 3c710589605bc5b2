#!/usr/bin/env python3
"""Trains flaglight's post-level model and writes extension/models/extremism.flm.

Why scikit-learn: a logistic regression over a sparse matrix of hashed
features is what it does best (liblinear), and the team reads Python. The
features are not computed here: `flaglight model-features` (the engine's own
folding and hashing) writes them, so training and scanning cannot disagree.

Data (read from ../shared/corpus/, never copied into the project; see
tools/model/MODEL_CARD.md for counts and figures):
- English, tweet level: our two-reader labels (tools/model/labels.jsonl,
  keyed by SHA-256 of the text) and the corpus's published per-tweet labels
  (where both exist, both are kept: a soft label);
- English negatives: posts about ISIS by non-supporters (topic-matched),
  general tweets, ordinary forum sentences (Stormfront `noHate`);
- Arabic: tweets of pro-ISIS accounts (account level, as the Arabic
  evaluation is) against general and offensive Arabic tweets;
- Russian: sensitive-topic sentences as negatives, and the posts the team
  wrote (tools/model/data/written_*.jsonl) in every language.

Method: 5-fold cross-validation grouped by account (tweets of one account
look alike; posts without an account are their own group). The regularisation,
each script's calibration (Platt) and threshold are chosen on the
out-of-fold predictions only; the figures reported are out-of-fold. The
shipped weights are then fitted on all the data and quantised to int8.

Usage: tools/model/train.py [--cli target/release/flaglight] [--out extension/models/extremism.flm]
"""

import argparse
import json
import os
import random
import struct
import subprocess
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, os.path.dirname(__file__))
import modelfile  # noqa: E402
from corpus_io import HERE, ROOT, corpus, read_jsonl, script_of, sha  # noqa: E402

SEED = 20261203


class Data:
    """Rows of (text, label, weight, group, script, source)."""

    def __init__(self):
        self.rows = []
        self.counts = {}

    def add(self, text, label, group, source, weight=1.0):
        self.rows.append((text, int(label), float(weight), group, script_of(text), source))
        key = f"{source}:{int(label)}"
        self.counts[key] = self.counts.get(key, 0) + 1


def load_data(rng):
    d = Data()
    ours = {r["sha256"]: r for r in read_jsonl(os.path.join(HERE, "labels.jsonl"))}
    isis = corpus("pro_isis_accounts_tweets.jsonl")
    published = corpus("pro_isis_accounts_tweet_labels.jsonl")
    user_of = {sha(r["text"]): r["user"] for r in isis + published}
    used = set()
    # Tweet-level labels: ours (two readers, adjudicated) for every stratum
    # except the Arabic pro-ISIS one (account level below).
    texts = {}
    for name in ["pro_isis_accounts_tweets.jsonl", "pro_isis_accounts_tweet_labels.jsonl",
                 "about_isis_tweets_translated.jsonl", "arabic_tweets_astd.jsonl",
                 "arabic_offensive_osact2022.jsonl"]:
        for r in corpus(name):
            texts.setdefault(sha(r["text"]), r["text"])
    for h, r in ours.items():
        if r["stratum"] == "isis_ar" or h not in texts:
            continue
        d.add(texts[h], r["label"], user_of.get(h, h), "labels_ours")
        used.add(h)
    for r in published:
        if script_of(r["text"]) == "arabic":
            continue
        d.add(r["text"], r["label"], r["user"], "labels_published")
        used.add(sha(r["text"]))
    # Arabic tweets of pro-ISIS accounts: account level.
    for r in isis:
        if script_of(r["text"]) == "arabic":
            d.add(r["text"], 1, r["user"], "isis_accounts_ar")
            used.add(sha(r["text"]))
    # Negatives.
    for r in corpus("about_isis_tweets_translated.jsonl"):
        if sha(r["text"]) not in used:
            d.add(r["text"], 0, sha(r["text"]), "about_isis_en")
    general = corpus("general_tweets_en.jsonl")
    rng.shuffle(general)
    for r in general[:8000]:
        d.add(r["text"], 0, sha(r["text"]), "general_en")
    storm = [r for r in corpus("stormfront_hate_en.jsonl") if r.get("label") == "noHate"]
    rng.shuffle(storm)
    for r in storm[:3000]:
        d.add(r["text"], 0, sha(r["text"]), "forum_en")
    for name in ["arabic_tweets_astd.jsonl", "arabic_offensive_osact2022.jsonl"]:
        for r in corpus(name):
            if sha(r["text"]) not in used:
                d.add(r["text"], 0, sha(r["text"]), "arabic_general")
    ru = corpus("russian_sensitive_topics.jsonl")
    for r in ru:
        d.add(r["text"], 0, sha(r["text"]), "russian_topics")
    for lang in ["en", "ru", "ar"]:
        path = os.path.join(HERE, "data", f"written_{lang}.jsonl")
        if os.path.exists(path):
            for r in read_jsonl(path):
                d.add(r["text"], r["label"], sha(r["text"]), f"written_{lang}")
    return d


SCRIPTS = ["latin", "cyrillic", "arabic"]


def features(cli, spec, texts):
    """CSR matrix of the engine's features (L2-normalised binary rows) and
    the script the engine reads each post in."""
    inp = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    out = subprocess.run([cli, "model-features", "--spec", json.dumps(spec)],
                         input=inp.encode("utf-8"), capture_output=True, check=True).stdout
    indptr, indices, scripts = [0], [], []
    pos = 0
    for _ in texts:
        scripts.append(SCRIPTS[out[pos]])
        (n,) = struct.unpack_from("<I", out, pos + 1)
        pos += 5
        indices.extend(struct.unpack_from(f"<{n}I", out, pos))
        pos += 4 * n
        indptr.append(len(indices))
    data = np.empty(len(indices), dtype=np.float64)
    for i in range(len(texts)):
        a, b = indptr[i], indptr[i + 1]
        if b > a:
            data[a:b] = 1.0 / np.sqrt(b - a)
    shape = (len(texts), 1 << spec["buckets_log2"])
    return csr_matrix((data, np.array(indices), np.array(indptr)), shape=shape), np.array(scripts)


def fit(X, y, w, c):
    m = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=2000)
    m.fit(X, y, sample_weight=w)
    return m


def prf(pred, y):
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def platt(raw, y):
    """(a, b) with p = sigmoid(a * raw + b), fitted on out-of-fold scores."""
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs")
    lr.fit(raw.reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def best_threshold(p, y, beta):
    """Threshold maximising F-beta on out-of-fold probabilities."""
    best = (0.0, 0.5)
    for t in np.arange(0.05, 0.96, 0.01):
        pr, rc, _ = prf(p >= t, y)
        fb = (1 + beta ** 2) * pr * rc / (beta ** 2 * pr + rc) if pr + rc else 0.0
        if fb > best[0]:
            best = (fb, float(t))
    return best[1]


# Posts whose labels decide each script's regularisation and threshold:
# real, per-post labels where they exist (the written posts train, but
# their easy positives would flatter the figures), the written posts where
# nothing else exists (Russian).
DEV_SOURCES = {
    "latin": {"labels_ours", "labels_published"},
    "arabic": {"isis_accounts_ar", "arabic_general", "labels_ours"},
    "cyrillic": {"written_ru", "russian_topics"},
}
GRID = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
# Function words: their n-grams may weigh, but they are never shown as the
# reason for a finding (the engine folds them before comparing).
QUIET_WORDS = sorted(set("""
a an the and or but if of to in on at by for from with without as is are was were be been being
it its this that these those there here he she they we you i me my your his her our their them us
not no so do does did have has had will would can could should may might must just than then also
rt via amp http https www com co
и в во не на что это как с со а но к ко у о об по за из от до же ли бы то так для мы вы он она они
его ее её их мне меня нас вас был была было были есть уже вот все всё ещё еще только или при
في من على إلى الى عن مع ان أن إن هذا هذه ذلك التي الذي و او أو ثم قد لا ما لم لن كل بعد قبل
هو هي هم انا أنا نحن انت أنت كان كانت يا
""".split()))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def out_of_fold(X, y, w, groups, c):
    """Raw scores (without intercept) of every post by the fold that did not see it."""
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(X, y, groups):
        m = fit(X[tr], y[tr], w[tr], c)
        oof[te] = X[te] @ m.coef_[0]
    return oof


def pack_flags(cli, texts):
    """Whether the built-in packs flag each post (an extremism finding at
    severity medium or above), as `flaglight eval` counts them."""
    lines = "".join(t.replace("\r", " ").replace("\n", " ") + "\n" for t in texts)
    out = subprocess.run([cli, "scan", "--no-model", "--format", "jsonl", "-"],
                         input=lines.encode("utf-8"), capture_output=True, check=True).stdout
    flagged = np.zeros(len(texts), dtype=bool)
    for line in out.decode("utf-8").splitlines():
        f = json.loads(line)
        if f["category"] == "extremism" and f["severity"] in ("medium", "high", "critical"):
            flagged[f["line"] - 1] = True
    return flagged


def three_ways(packs, model, y):
    """P/R/F1 of the packs alone, the model alone (out of fold) and both."""
    out = {}
    for name, pred in [("packs", packs), ("model", model), ("both", packs | model)]:
        p, r, f = prf(pred, y)
        out[name] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
    return out


def train_script(name, X, y, w, groups, sources, beta):
    """Chooses C, calibration and threshold on out-of-fold scores; fits on all."""
    dev = np.isin(sources, list(DEV_SOURCES[name]))
    best = None
    for c in GRID:
        oof = out_of_fold(X, y, w, groups, c)
        a, b = platt(oof[dev], y[dev])
        p = sigmoid(a * oof[dev] + b)
        f = prf(p >= best_threshold(p, y[dev], beta), y[dev])[2]
        print(f"  {name} C={c}: out-of-fold F1 {f:.3f}", flush=True)
        if best is None or f > best[0]:
            best = (f, c, oof, a, b)
    _, c, oof, a, b = best
    p = sigmoid(a * oof + b)
    t = best_threshold(p[dev], y[dev], beta)
    pr, rc, f = prf(p[dev] >= t, y[dev])
    figures = {"C": c, "oof_flags": p >= t, "posts": int(len(y)), "dev_posts": int(dev.sum()),
               "dev_positives": int(y[dev].sum()), "threshold": round(t, 2),
               "precision": round(pr, 3), "recall": round(rc, 3), "f1": round(f, 3), "by_source": {}}
    for src in sorted(set(sources.tolist())):
        k = sources == src
        figures["by_source"][src] = {
            "posts": int(k.sum()), "positives": int(y[k].sum()),
            "flagged": int(np.sum(p[k] >= t)), "flagged_positives": int(np.sum((p[k] >= t) & (y[k] == 1))),
        }
    final = fit(X, y, w, c)
    return final.coef_[0], {"a": a, "b": b, "threshold": round(t, 2)}, figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "flaglight"))
    ap.add_argument("--out", default=os.path.join(ROOT, "extension", "models", "extremism.flm"))
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--beta", type=float, default=1.0, help="F-beta the thresholds maximise")
    args = ap.parse_args()
    rng = random.Random(SEED)
    t0 = time.time()
    d = load_data(rng)
    spec = modelfile.default_spec()
    texts = [r[0] for r in d.rows]
    y = np.array([r[1] for r in d.rows])
    w = np.array([r[2] for r in d.rows])
    groups = np.array([int(sha(r[3])[:8], 16) for r in d.rows])
    sources = np.array([r[5] for r in d.rows])
    X, scripts = features(args.cli, spec, texts)
    print(f"{len(texts)} posts, {int(y.sum())} positive, features in {time.time() - t0:.0f} s", flush=True)

    # One model per script in one table: the spec hashes each script into
    # its own namespace, so the three fits touch (almost) disjoint weights.
    coef = np.zeros(X.shape[1])
    calibration, figures = {}, {}
    packs = pack_flags(args.cli, texts)
    for name in SCRIPTS:
        m = scripts == name
        if not (y[m] == 1).any():
            calibration[name] = {"a": 1.0, "b": -10.0, "threshold": 0.99}
            continue
        cs, calibration[name], figures[name] = train_script(
            name, X[m], y[m], w[m], groups[m], sources[m], args.beta)
        coef += cs
        # Packs, model and both on the development posts of this script.
        dev = np.isin(sources[m], list(DEV_SOURCES[name]))
        oof = figures[name].pop("oof_flags")
        figures[name]["dev_packs_model_both"] = three_ways(packs[m][dev], oof[dev], y[m][dev])
        for src in figures[name]["by_source"]:
            k = sources[m] == src
            figures[name]["by_source"][src]["packs_flagged"] = int(packs[m][k].sum())
        print(name, json.dumps({k: v for k, v in figures[name].items() if k != "by_source"}), flush=True)

    scale = float(np.abs(coef).max() / 127.0) or 1.0
    q = np.clip(np.round(coef / scale), -127, 127).astype(np.int8)
    header = {
        "name": "flaglight-extremism", "version": args.version, "labels": ["other", "extremism"],
        "category": "extremism", "spec": spec, "scale": scale, "bias": 0.0,
        "calibration": calibration,
        "bands": [{"min": 0.0, "severity": "medium"}, {"min": 0.9, "severity": "high"}],
        "top_words": 5, "quiet_words": QUIET_WORDS,
        "about": {"trained": time.strftime("%Y-%m-%d"), "method": "one logistic regression per script "
                  "(liblinear, balanced classes) over the engine's hashed features; C, Platt calibration "
                  "and the F1-best threshold chosen on out-of-fold scores of 5-fold cross-validation "
                  "grouped by account, on the development sources of each script",
                  "dev_sources": {k: sorted(v) for k, v in DEV_SOURCES.items()},
                  "data": d.counts, "out_of_fold": figures, "nonzero_weights": int(np.sum(q != 0))},
    }
    n = modelfile.write(args.out, header, q.tolist())
    print(f"wrote {args.out}: {n} bytes, {int(np.sum(q != 0))} non-zero weights in {time.time() - t0:.0f} s")
    with open(os.path.join(HERE, "figures.json"), "w", encoding="utf-8") as f:
        json.dump(header["about"], f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
