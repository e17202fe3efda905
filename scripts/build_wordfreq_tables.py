#!/usr/bin/env python3
"""Build the compact word-frequency table the U family ships (corpora/lexicon/zipf.bin).

    pip install wordfreq==3.1.1
    python scripts/build_wordfreq_tables.py            # writes corpora/lexicon/zipf.bin
    python scripts/build_wordfreq_tables.py --check    # rebuild in memory, compare, print stats

Data: wordfreq (Robyn Speer et al.), "large" lists for en, es, fr, de, it, pt;
CC-BY-SA 4.0, sources listed in wordfreq's README. Only what the checker needs
is kept: alphabetic words (letters with inner apostrophes or hyphens) whose
Zipf frequency is at least ``--min-zipf`` in some language *and* at least
``--min-gap`` higher in a source language than in its target language for one
of the language pairs mtcheck checks (es/fr/pt/de/it into English, English into
es/fr). A word left out is one that can never be evidence of an untranslated
word, so reading it as "rare everywhere" changes no decision.

Format (all integers little-endian): one header line
``MTZIPF2\\t<langs, comma-separated>\\t<slots>\\t<keys>\\n``, then ``slots``
uint16 fingerprints (0 = empty slot; stored raw, they do not compress), then
zlib-compressed ``slots * len(langs)`` bytes: the Zipf frequency of the word
in each language times ten (0 = below 1.0 or not listed). A word's slot is
``crc32(utf8) % slots`` with linear probing; its fingerprint is
``crc32(reversed utf8) & 0xffff`` (never 0). Keys are case-folded with ASCII
apostrophes, as wordfreq stores them. Loading is one decompression and two
``frombytes`` calls: no per-word work at start-up (issue 4: <= 0.1 s).
"""
from __future__ import annotations

import argparse
import math
import os
import re
import sys
import zlib
from array import array

LANGS = ("en", "es", "fr", "de", "it", "pt")
PAIRS = (("es", "en"), ("fr", "en"), ("pt", "en"), ("de", "en"), ("it", "en"), ("en", "es"), ("en", "fr"))
WORD_RE = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "corpora", "lexicon", "zipf.bin")
LOAD = 0.7  # slot occupancy


def key_hashes(word: str) -> tuple[int, int]:
    b = word.encode("utf-8")
    return zlib.crc32(b), (zlib.crc32(b[::-1]) & 0xFFFF) or 1


def build(min_zipf: float, min_gap: float) -> tuple[bytes, dict]:
    from wordfreq import get_frequency_dict

    zipf = {}
    for lang in LANGS:
        zipf[lang] = {
            w.replace("’", "'"): math.log10(f) + 9.0
            for w, f in get_frequency_dict(lang, "large").items()
        }
    candidates = set()
    for lang in LANGS:
        candidates.update(w for w, z in zipf[lang].items() if z >= min_zipf and WORD_RE.fullmatch(w))
    keys = []
    for w in sorted(candidates):
        for s, t in PAIRS:
            zs, zt = zipf[s].get(w, 0.0), zipf[t].get(w, 0.0)
            if zs >= min_zipf and zs - zt >= min_gap:
                keys.append(w)
                break
    slots = int(len(keys) / LOAD) | 1
    fps = array("H", bytes(2 * slots))
    codes = bytearray(slots * len(LANGS))
    probes = 0
    for w in keys:
        h, fp = key_hashes(w)
        i = h % slots
        while fps[i]:
            i = (i + 1) % slots
            probes += 1
        fps[i] = fp
        for j, lang in enumerate(LANGS):
            z = zipf[lang].get(w, 0.0)
            codes[i * len(LANGS) + j] = max(0, min(99, round(z * 10))) if z >= 1.0 else 0
    if sys.byteorder != "little":
        fps.byteswap()
    header = f"MTZIPF2\t{','.join(LANGS)}\t{slots}\t{len(keys)}\n".encode()
    blob = header + fps.tobytes() + zlib.compress(bytes(codes), 9)
    stats = {"keys": len(keys), "slots": slots, "extra_probes": probes, "bytes": len(blob)}
    return blob, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-zipf", type=float, default=2.0)
    ap.add_argument("--min-gap", type=float, default=1.0)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with the shipped table instead of writing")
    args = ap.parse_args(argv)
    blob, stats = build(args.min_zipf, args.min_gap)
    print(" ".join(f"{k}={v}" for k, v in stats.items()))
    if args.check:
        with open(args.out, "rb") as fh:
            same = fh.read() == blob
        print("identical to the shipped table" if same else "DIFFERS from the shipped table")
        return 0 if same else 1
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "wb") as fh:
        fh.write(blob)
    return 0


if __name__ == "__main__":
    sys.exit(main())
