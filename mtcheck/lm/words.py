"""A word-bigram backoff model: the second opinion the fluency check asks.

The piece n-gram model (:mod:`mtcheck.lm.ngram`) is trained on the text we can
ship, which is not news; a word-bigram table distilled from a large general
English language model (see corpora/README.md) knows far more word pairs. An
edit must convince both before F flags it.

Storage (``.npz``): ``vocab`` (UTF-8, one word per line, id = line number, id
0 = ``<s>``/``</s>``), ``uni`` (float16 log10 P(w)), ``backoff`` (float16 log10
backoff weights), ``keys`` (sorted uint32 ``w1 << 16 | w2``) and ``logp``
(float16 log10 P(w2 | w1)) of the bigrams. Ids fit 16 bits: the vocabulary is
the 65,535 commonest words; the rest score as unknown. Scores are natural logs.

Text is scored as the table was built: lower-cased words only; numbers and
punctuation are left out (the table has none).
"""
from __future__ import annotations

import math
from itertools import repeat
from typing import Sequence

import numpy as np

from .sortedkeys import SortedKeys

LN10 = math.log(10.0)
UNKNOWN = -7.0  # log10 P of a word the table does not know
BOUNDARY = 0  # the id of <s> and </s>
INDEX_BLOCK = 64  # keys per block of the look-up index (mtcheck.lm.sortedkeys)


class WordBigramLM:
    def __init__(self, vocab: Sequence[str], uni: np.ndarray, backoff: np.ndarray, keys: np.ndarray,
                 logp: np.ndarray, meta: dict | None = None):
        keys, logp = np.asarray(keys), np.asarray(logp)
        self.ids = dict(zip(vocab, range(len(vocab))))
        self.uni = np.asarray(uni, dtype=np.float32)
        self.backoff = np.asarray(backoff, dtype=np.float32)
        # Left as stored (mapped: only looked-up rows are read) unless misaligned in the file, where
        # every searchsorted would copy the whole array first.
        self.keys = keys if keys.dtype == np.uint32 and keys.flags["ALIGNED"] else np.array(keys, dtype=np.uint32)
        self.logp = logp if logp.flags["ALIGNED"] else np.array(logp)
        self.meta = meta or {}
        self.index = SortedKeys(self.keys, INDEX_BLOCK)
        self._uni_ext = np.append(self.uni, np.float32(UNKNOWN))
        self._backoff_ext = np.append(self.backoff, np.float32(0.0))

    @classmethod
    def load(cls, path: str) -> "WordBigramLM":
        """Map the table (the shipped file is not rewritten under a running check); read it when it cannot be."""
        import json

        from .ngram import _mapped_npz

        z = _mapped_npz(path)
        if z is None:
            with np.load(path) as f:
                z = {k: f[k] for k in f.files}
        vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        meta = json.loads(bytes(z["meta"]).decode("utf-8")) if "meta" in z else {}
        return cls(vocab, z["uni"], z["backoff"], z["keys"], z["logp"], meta)

    def word_ids(self, words: Sequence[str]) -> list[int]:
        """Ids of lower-cased words (-1 for unknown ones)."""
        return list(map(self.ids.get, words, repeat(-1)))

    def pair_scores(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """Natural-log P(cur | prev) for arrays of ids (-1 = unknown)."""
        prev = np.asarray(prev, dtype=np.int64)
        cur = np.asarray(cur, dtype=np.int64)
        # id -1 reads the last element: UNKNOWN for a word, no backoff weight before one
        out = self._uni_ext.take(cur) + self._backoff_ext.take(prev)
        if len(self.keys):
            key = (prev.astype(np.uint32) << np.uint32(16)) | cur.astype(np.uint32)
            hit, pos = self.index.find(key)
            hit &= (prev >= 0) & (cur >= 0)  # an unknown id's key is no pair's
            out[hit] = self.logp.take(pos[hit])
        return out * LN10

    def sequence_score(self, words: Sequence[str]) -> float:
        """Natural-log score of a word sequence between sentence boundaries."""
        ids = [BOUNDARY] + self.word_ids(words) + [BOUNDARY]
        return float(self.pair_scores(np.array(ids[:-1]), np.array(ids[1:])).sum())


def chooser(wlm: "WordBigramLM", keep: int = 3):
    """A ``choose(toks, i, alts)`` for :class:`mtcheck.lm.edits.SentenceEdits`:
    of the words that could replace a function word, the ``keep`` this table
    likes best between its neighbours (a and an always stay: the article check
    needs both). One request at a time; :func:`choose_many` does many at once."""
    return lambda toks, i, alts: choose_many(wlm, [(toks, i, alts)], keep)[0]


def choose_many(wlm: "WordBigramLM", requests: Sequence[tuple[Sequence[str], int, tuple[str, ...]]],
                keep: int = 3, *, neighbours: tuple[Sequence[int], Sequence[int]] | None = None,
                scores: list | None = None) -> list[tuple[str, ...]]:
    """:func:`chooser` for many function words at once: per ``(tokens, i,
    alternatives)`` (any further items are ignored), the ``keep`` alternatives
    this table likes best between the words around ``tokens[i]`` (a and an
    always stay). The same choices as :func:`chooser`, in one look-up per class
    of function words.

    ``neighbours``, when given, are the ids of the word before and the word
    after each request's token (what this function would otherwise find in its
    tokens). ``scores``, when given a list, receives for every request
    (those with ``keep`` or fewer alternatives too) the scores of its
    alternatives after the word before and before the word after:
    ``scores[r] = (before, after)``, float32 arrays in the order of its
    alternatives, from the same look-up."""
    out: list[tuple[str, ...] | None] = [None] * len(requests)
    groups: dict[tuple[str, ...], list[int]] = {}
    for r, req in enumerate(requests):
        alts = req[2]
        if len(alts) <= keep and scores is None:
            out[r] = alts
        else:
            groups.setdefault(alts, []).append(r)
    if not groups:
        return out  # type: ignore[return-value]
    get = wlm.ids.get
    prev_ids: list[int] = []
    alt_ids: list[int] = []
    next_ids: list[int] = []
    spans = []
    for alts, rs in groups.items():
        a = wlm.word_ids(alts)
        k = len(alts)
        start = len(alt_ids)
        for r in rs:
            if neighbours is not None:
                prev_ids += [neighbours[0][r]] * k
                next_ids += [neighbours[1][r]] * k
            else:
                toks, i = requests[r][:2]
                prev = next((t for t in reversed(toks[:i]) if t[:1].isalpha()), None)
                nxt = next((t for t in toks[i + 1:] if t[:1].isalpha()), None)
                prev_ids += [BOUNDARY if prev is None else get(prev, -1)] * k
                next_ids += [BOUNDARY if nxt is None else get(nxt, -1)] * k
            alt_ids += a
        spans.append((alts, rs, start, k))
    aa = np.array(alt_ids, dtype=np.int64)
    both = wlm.pair_scores(np.concatenate((np.array(prev_ids, dtype=np.int64), aa)),
                           np.concatenate((aa, np.array(next_ids, dtype=np.int64))))
    n = len(aa)
    before, after = both[:n], both[n:]
    sc = before + after
    if scores is not None:
        scores[:] = [None] * len(requests)
    for alts, rs, start, k in spans:
        m = len(rs)
        if scores is not None:
            for x, r in enumerate(rs):
                at = start + x * k
                scores[r] = (before[at:at + k], after[at:at + k])
        if k <= keep:
            for r in rs:
                out[r] = alts
            continue
        block = sc[start:start + m * k].reshape(m, k)
        order = (-block).argsort(axis=1, kind="stable")[:, :keep]
        order.sort(axis=1)
        articles = [x for x in alts if x in ("a", "an")]
        for r, row in zip(rs, order.tolist()):
            chosen = [alts[o] for o in row]
            chosen += [x for x in articles if x not in chosen]
            out[r] = tuple(chosen)
    return out  # type: ignore[return-value]
