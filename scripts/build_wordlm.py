#!/usr/bin/env python3
"""Build corpora/lm/en-words.npz, the word-bigram table behind F's second opinion.

    python scripts/build_wordlm.py            # fetch, convert, write corpora/lm/en-words.npz
    python scripts/build_wordlm.py --arpa FILE # from an ARPA file already written

Source: the generic US English language model of CMU Sphinx, as shipped in the
PyPI wheel ``pocketsphinx==5.1.1`` (``pocketsphinx/model/en-us/en-us.lm.bin``;
BSD-2-Clause, Carnegie Mellon University / Alpha Cephei; the same file as
Debian's ``pocketsphinx-en-us``): a pruned word trigram model, 72,547 words,
2,051,547 bigrams. Only its unigrams and bigrams are kept.

How: the wheel is downloaded into a temporary directory (never installed),
its ``NGramModel.write`` dumps the model as ARPA text in a child process, and
the 1- and 2-gram sections are read from that dump. (Writing the 3-gram
section fails in this pocketsphinx release, with an assertion in Debian's
``sphinx_lm_convert`` too, after the 2-grams are written; the child's exit
status is therefore not checked, the section counts are.) Then: the 65,535
commonest words become the vocabulary, bigrams whose probability the backoff
estimate already gives within ``PRUNE`` (log10) are dropped, and the rest are
stored as sorted 32-bit keys with float16 log-probabilities
(format in mtcheck/lm/words.py). Deterministic for the same wheel.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "corpora", "lm", "en-words.npz")
WHEEL = "pocketsphinx==5.1.1"
MODEL = "pocketsphinx/model/en-us/en-us.lm.bin"
VOCAB = 65535
PRUNE = 0.15

DUMP = """
import sys
sys.path.insert(0, sys.argv[1])
import pocketsphinx as ps
m = ps.NGramModel(ps.Config(), ps.LogMath(), sys.argv[2])
m.write(sys.argv[3], ps.NGramModel.str_to_type("arpa"))
"""


def log(msg: str) -> None:
    print(f"[build_wordlm] {msg}", file=sys.stderr, flush=True)


def dump_arpa(tmp: str) -> str:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp, WHEEL],
                   check=True, stdout=subprocess.DEVNULL)
    wheel = glob.glob(os.path.join(tmp, "pocketsphinx-*.whl"))[0]
    site = os.path.join(tmp, "site")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    arpa = os.path.join(tmp, "en-us.arpa")
    log("dumping the model as ARPA text (the 3-gram section is expected to fail) ...")
    subprocess.run([sys.executable, "-c", DUMP, site, os.path.join(site, MODEL), arpa],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return arpa


def read_arpa(path: str) -> tuple[dict[str, tuple[float, float]], list[tuple[str, str, float]], dict[int, int]]:
    counts: dict[int, int] = {}
    uni: dict[str, tuple[float, float]] = {}
    bi: list[tuple[str, str, float]] = []
    section = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("ngram "):
                k, n = line[6:].split("=")
                counts[int(k)] = int(n)
                continue
            if line.startswith("\\"):
                section = {"\\1-grams:": 1, "\\2-grams:": 2}.get(line.strip(), 0 if "-grams" in line else section)
                continue
            parts = line.rstrip("\n").split("\t")
            if section == 1 and len(parts) >= 2:
                uni[parts[1]] = (float(parts[0]), float(parts[2]) if len(parts) > 2 else 0.0)
            elif section == 2 and len(parts) >= 3:
                try:
                    bi.append((parts[1], parts[2], float(parts[0])))
                except ValueError:  # a line cut short where the dump stopped
                    pass
    return uni, bi, counts


def build(arpa: str, out: str) -> dict:
    uni, bi, counts = read_arpa(arpa)
    log(f"read {len(uni):,} unigrams (header {counts.get(1)}), {len(bi):,} bigrams (header {counts.get(2)})")
    if len(uni) != counts.get(1) or len(bi) < 0.999 * counts.get(2, 0):
        raise SystemExit("build_wordlm: the ARPA dump is incomplete")
    words = sorted((w for w in uni if w not in ("<s>", "</s>", "<unk>") and w.strip()),
                   key=lambda w: (-uni[w][0], w))[:VOCAB - 1]
    vocab = ["<s>"] + words
    ids = {w: i for i, w in enumerate(vocab)}
    u = np.array([uni.get("</s>", (-2.0, 0.0))[0]] + [uni[w][0] for w in words], dtype=np.float16)
    b = np.array([uni.get("<s>", (0.0, 0.0))[1]] + [uni[w][1] for w in words], dtype=np.float16)
    keys, logp = [], []
    kept = pruned = 0
    for w1, w2, p in bi:
        i1 = 0 if w1 == "<s>" else ids.get(w1)
        i2 = 0 if w2 == "</s>" else ids.get(w2)
        if i1 is None or i2 is None or (w1 == "<s>") != (i1 == 0) or w2 == "<s>" or w1 == "</s>":
            continue
        est = float(b[i1]) + float(u[i2])
        if abs(p - est) < PRUNE:
            pruned += 1
            continue
        keys.append((i1 << 16) | i2)
        logp.append(p)
        kept += 1
    if not (np.isfinite(u).all() and np.isfinite(b).all() and np.isfinite(np.array(logp, dtype=np.float16)).all()):
        raise SystemExit("build_wordlm: scores out of range; the ARPA dump is damaged")
    order = np.argsort(np.array(keys, dtype=np.uint32), kind="stable")
    k = np.array(keys, dtype=np.uint32)[order]
    lp = np.array(logp, dtype=np.float16)[order]
    meta = {"source": f"{WHEEL} {MODEL}", "vocab": len(vocab), "bigrams": int(len(k)), "pruned": pruned,
            "prune_log10": PRUNE, "licence": "BSD-2-Clause (Carnegie Mellon University)"}
    np.savez(out, vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8), uni=u, backoff=b,
             keys=k, logp=lp, meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8))
    log(f"wrote {out}: {len(vocab):,} words, {len(k):,} bigrams kept, {pruned:,} pruned, "
        f"{os.path.getsize(out) / 1e6:.1f} MB")
    return meta


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arpa", help="an ARPA dump already written (skips the download)")
    ap.add_argument("-o", "--output", default=OUT)
    args = ap.parse_args(argv)
    if args.arpa:
        build(args.arpa, args.output)
        return 0
    with tempfile.TemporaryDirectory(prefix="mtcheck-wordlm-") as tmp:
        build(dump_arpa(tmp), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
