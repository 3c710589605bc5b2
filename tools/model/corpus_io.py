"""Reading the training corpus, shared by train.py and phrase_mining.py.

The corpus lives in ../shared/corpus beside the project (a worktree may sit
one level deeper) and is only ever read: no corpus text is written into the
project.
"""

import hashlib
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CORPUS = next((p for p in (os.path.join(ROOT, "..", "shared", "corpus"),
                           os.path.join(ROOT, "..", "..", "shared", "corpus"))
               if os.path.isdir(p)), os.path.join(ROOT, "..", "shared", "corpus"))
ARABIC = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def sha(text):
    """The key labels are stored under: SHA-256 of the text's UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus(name):
    """One corpus file's rows."""
    return read_jsonl(os.path.join(CORPUS, name))


def script_of(text):
    """As the engine's Script::of: the script most letters are in."""
    a, c, l = len(ARABIC.findall(text)), len(CYRILLIC.findall(text)), len(LATIN.findall(text))
    if a > max(l, c):
        return "arabic"
    if c > l:
        return "cyrillic"
    return "latin"
