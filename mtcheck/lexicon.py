"""Word frequencies across languages and the bilingual lexicons of the U family.

``zipf(word)`` gives a word's Zipf frequency (log10 of its frequency per
billion words) in each of en, es, fr, de, it, pt, from the compact table
``corpora/lexicon/zipf.bin`` built from wordfreq by
``scripts/build_wordfreq_tables.py``. The table is an open-addressed hash
table stored as two flat arrays, so loading it is one decompression and a
``frombytes`` call, with no per-word work (issue 4: loading <= 0.1 s).

Only words that can be evidence of an untranslated word are in it (see the
build script); any other word reads as zeros, "rare everywhere".
"""
from __future__ import annotations

import sys
import zlib
from array import array
from functools import lru_cache
from itertools import repeat
from operator import and_, mod
from typing import NamedTuple

from . import resources
from .document import _WORD_RE

TABLE = "lexicon/zipf.bin"
_ZERO: dict[str, float] = {}


class _Table(NamedTuple):
    langs: tuple[str, ...]
    slots: int
    fps: array
    codes: bytes


@lru_cache(maxsize=1)
def _table() -> _Table:
    p = resources.path(TABLE)
    data = p.read_bytes()
    eol = data.find(b"\n")
    magic, langs, slots, _keys = data[:eol].decode("ascii").split("\t")
    if magic != "MTZIPF2":
        raise ValueError(f"{p}: not an mtcheck frequency table")
    n = int(slots)
    rest = memoryview(data)[eol + 1:]  # a view: slicing the 2 MB of bytes would copy them
    fps = array("H")
    fps.frombytes(rest[: 2 * n])
    if sys.byteorder != "little":
        fps.byteswap()
    # The exact output size as the buffer: zlib then never grows and copies it (~4 ms).
    codes = zlib.decompress(rest[2 * n :], bufsize=n * len(langs.split(",")))
    return _Table(tuple(langs.split(",")), n, fps, codes)


def languages() -> tuple[str, ...]:
    return _table().langs


def _normalise(word: str) -> str:
    return word.replace("’", "'").casefold()


_cache: dict[str, bytes | None] = {}
_CACHE_MAX = 200_000


def raw(word: str) -> bytes | None:
    """The table's bytes for ``word`` (Zipf x 10 per language), None when absent."""
    key = _normalise(word)
    hit = _cache.get(key, b"")
    if hit != b"":
        return hit
    t = _table()
    b = key.encode("utf-8")
    out = _probe(t, zlib.crc32(b) % t.slots, (zlib.crc32(b[::-1]) & 0xFFFF) or 1)
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[key] = out
    return out


def _probe(t, i: int, fp: int) -> bytes | None:
    """The codes stored for the key of fingerprint ``fp`` whose probe starts at slot ``i`` (linear probing), or None."""
    fps, n = t.fps, t.slots
    while True:
        f = fps[i]
        if not f:
            return None
        if f == fp:
            k = len(t.langs)
            return t.codes[i * k : i * k + k]
        i += 1
        if i == n:
            i = 0


def raw_many(keys: list[str]) -> list[bytes | None]:
    """:func:`raw` for many words already normalised (``’`` as ``'``, case-folded: normalising
    is idempotent) and holding no line break, remembered like it.

    The keys are encoded, reversed and hashed by ``map`` over one joined buffer, without a
    Python-level call per key: a new spelling costs a third of a :func:`raw` call.
    """
    t = _table()
    data = "\n".join(keys).encode("utf-8")
    backwards = data[::-1].split(b"\n")  # each key's bytes reversed, the last key first
    backwards.reverse()
    # The slot a key's probe starts at, and its fingerprint ((crc32 of the reversed bytes & 0xFFFF) or 1).
    out = list(map(_probe, repeat(t), map(mod, map(zlib.crc32, data.split(b"\n")), repeat(t.slots)),
                   map(max, map(and_, map(zlib.crc32, backwards), repeat(0xFFFF)), repeat(1))))
    if len(_cache) + len(keys) >= _CACHE_MAX:
        _cache.clear()
    _cache.update(zip(keys, out))
    return out


@lru_cache(maxsize=None)
def _lang_index(lang: str) -> int:
    try:
        return _table().langs.index(lang)
    except ValueError:
        return -1


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang`` (0.0 when rare or not an evidence word)."""
    r = raw(word)
    j = _lang_index(lang)
    if r is None or j < 0:
        return 0.0
    return r[j] / 10.0


def zipfs(word: str) -> dict[str, float]:
    r = raw(word)
    if r is None:
        return _ZERO
    return {lang: r[j] / 10.0 for j, lang in enumerate(_table().langs)}


# -- bilingual lexicons, loanwords, name particles ------------------------------------

LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "ca": "Catalan",
    "nl": "Dutch",
    "ro": "Romanian",
}


class Entry(NamedTuple):
    """One source word or phrase of a bilingual lexicon."""

    source: str
    translations: tuple[str, ...]
    tags: frozenset[str]


def phrase_key(text: str) -> tuple[str, ...]:
    """Lower-case word tuple of a phrase, split the way Document splits words."""
    return tuple(_normalise(m.group()) for m in _WORD_RE.finditer(text) if m.group()[:1].isalnum())


@lru_cache(maxsize=None)
def bilingual(source: str, target: str) -> dict[tuple[str, ...], Entry]:
    """``corpora/lexicon/<source>-<target>.tsv`` keyed by lower-case word tuples."""
    out: dict[tuple[str, ...], Entry] = {}
    for row in resources.tsv(f"lexicon/{source}-{target}.tsv"):
        if len(row) < 2 or not row[0]:
            continue
        tags = frozenset(t.strip() for t in row[2].split(",")) if len(row) > 2 and row[2] else frozenset()
        key = phrase_key(row[0])
        if row[0].endswith("'"):  # elided article or preposition: d', l', dell'
            key = (_normalise(row[0]),)
        if key:
            out[key] = Entry(row[0], tuple(t.strip() for t in row[1].split("|") if t.strip()), tags)
    return out


class Phrases(NamedTuple):
    words: frozenset[str]  # one-word entries
    containing: dict[str, tuple[tuple[tuple[str, ...], int], ...]]  # word -> (longer entry, position of the word)


def _index(phrases: list[tuple[str, ...]]) -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    out: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for key in phrases:
        for k, word in enumerate(key):
            out.setdefault(word, []).append((key, k))
    return {w: tuple(v) for w, v in out.items()}


@lru_cache(maxsize=None)
def loanwords(lang: str) -> Phrases:
    """Words and phrases accepted in ``lang`` text (``corpora/lexicon/loanwords-<lang>.txt``)."""
    words: set[str] = set()
    longer: list[tuple[str, ...]] = []
    for line in resources.lines(f"lexicon/loanwords-{lang}.txt"):
        key = phrase_key(line)
        if len(key) == 1:
            words.add(key[0])
        elif key:
            longer.append(key)
    return Phrases(frozenset(words), _index(longer))


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    return frozenset(_normalise(w) for w in resources.lines("lexicon/name_particles.txt"))


@lru_cache(maxsize=1)
def names() -> frozenset[str]:
    """Capitalised words that English news uses as names although they are common source words."""
    return frozenset(_normalise(w) for w in resources.lines("lexicon/names.txt"))


@lru_cache(maxsize=1)
def joined_names_containing() -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """Names with a conjunction of another language inside ("Ortega y Gasset"), by each of their words."""
    return _index([k for k in (phrase_key(line) for line in resources.lines("lexicon/joined_names.txt")) if k])


@lru_cache(maxsize=None)
def word_class(lang: str, name: str) -> frozenset[str]:
    """A class of ``lexicon/word_classes.tsv`` ("free", "floating_adverb", ...); empty when absent."""
    for row in resources.tsv("lexicon/word_classes.tsv"):
        if len(row) >= 3 and row[0] == lang and row[1] == name:
            return frozenset(row[2].split())
    return frozenset()
