"""Word links between a source language and English, for S011 (a word the source cannot explain).

``corpora/bitext/dict/<src>-en.tsv.gz`` maps an English word to the folded
source-language words a bilingual dictionary links it with (built from Debian's
FreeDict packages by ``scripts/build_bilingual_dict.py``). A table is read
once per process, when first asked for: one decompression and one split per
line, the source words left as one string until a word is looked up.

:func:`explained` answers "can any word of this source sentence be what this
English word translates?", with light stemming on both sides: English endings
("demands", "demanded", "suddenly"), source inflections by shared prefix, and
German compounds (a source compound that holds a linked word: "Wirtschafts-
ministerium" holds "ministerium").
"""
from __future__ import annotations

import gzip
from functools import lru_cache

from . import resources

TABLE_DIR = "bitext/dict"

# English words that never need a counterpart (articles, pronouns, auxiliaries, prepositions,
# conjunctions, the commonest adverbs a translation adds or drops freely): class "free" of
# corpora/lexicon/word_classes.tsv.
def en_function_words() -> frozenset[str]:
    from .lexicon import word_class

    return word_class("en", "free")


@lru_cache(maxsize=None)
def table(src_lang: str) -> dict[str, str] | None:
    """English word -> space-separated folded source words; None when the pair has no table."""
    p = resources.path(f"{TABLE_DIR}/{src_lang}-en.tsv.gz")
    if not p.is_file():
        return None
    text = gzip.decompress(p.read_bytes()).decode("utf-8")
    out: dict[str, str] = {}
    for line in text.split("\n"):
        if not line or line[0] == "#":
            continue
        k, _, v = line.partition("\t")
        out[k] = v
    return out


def available(src_lang: str) -> bool:
    return table(src_lang) is not None


def english_forms(word: str) -> tuple[str, ...]:
    """``word`` (lower case) and the bases its English ending may come from."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    out = [w]
    n = len(w)

    def add(x: str) -> None:
        if len(x) >= 3 and x not in out:
            out.append(x)

    if n > 4 and w.endswith("ies"):
        add(w[:-3] + "y")
    if n > 3 and w.endswith("es"):
        add(w[:-2])
    if n > 3 and w.endswith("s") and not w.endswith("ss"):
        add(w[:-1])
    if n > 4 and w.endswith("ied"):
        add(w[:-3] + "y")
    if n > 4 and w.endswith("ed"):
        add(w[:-2])
        add(w[:-1])
        if w[-3] == w[-4]:
            add(w[:-3])
    if n > 5 and w.endswith("ing"):
        add(w[:-3])
        add(w[:-3] + "e")
        if w[-4] == w[-5]:
            add(w[:-4])
    if n > 5 and w.endswith("ily"):
        add(w[:-3] + "y")
    if n > 4 and w.endswith("ly"):
        add(w[:-2])
        add(w[:-2] + "e")
        if w.endswith("ally"):
            add(w[:-4])
        if w.endswith("bly"):
            add(w[:-1] + "e")
    if n > 4 and w.endswith("er"):
        add(w[:-2])
        add(w[:-1])
    if n > 5 and w.endswith("est"):
        add(w[:-3])
    return tuple(out)


@lru_cache(maxsize=65536)
def links(src_lang: str, word: str) -> frozenset[str]:
    """Folded source words linked to the English ``word`` or its bases (empty without a table)."""
    t = table(src_lang)
    if not t:
        return frozenset()
    out: set[str] = set()
    for f in english_forms(word):
        v = t.get(f)
        if v:
            out.update(v.split(" "))
    return frozenset(out)


def _prefix_match(a: str, b: str) -> bool:
    """Whether two folded source words look like forms of one word ("demandas", "demandé")."""
    if a == b:
        return True
    n = min(len(a), len(b))
    if n < 4:
        return False
    k = 0
    for x, y in zip(a, b):
        if x != y:
            break
        k += 1
    return k >= max(4, n - 3) if n <= 7 else k >= max(5, int(n * 0.7))


def explained_by(src_lang: str, word: str, src_words: frozenset[str]) -> str | None:
    """The source word (of ``src_words``, folded) that a dictionary link explains ``word`` by."""
    cands = links(src_lang, word)
    if not cands:
        return None
    hit = cands & src_words
    if hit:
        return min(hit)
    compound = src_lang in ("de", "nl")
    for s in src_words:
        for c in cands:
            if c[:1] != s[:1] and not compound:
                continue
            if _prefix_match(c, s):
                return s
            # A German compound holds the linked word: "wirtschaftsministerium" <- "ministerium".
            if compound and len(c) >= 4 and len(s) > len(c) and c in s and (
                    s.startswith(c) or s.endswith(c) or s[:-1].endswith(c) or s[:-2].endswith(c)
                    or s[:-3].endswith(c)):
                return s
    return None
