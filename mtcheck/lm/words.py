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
from itertools import chain, repeat
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
        self._class_ids: dict[tuple[str, ...], list[int]] = {}

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

    def class_ids(self, words: tuple[str, ...]) -> list[int]:
        """:meth:`word_ids` of a tuple of words asked for again and again (a class
        of function words), remembered."""
        got = self._class_ids.get(words)
        if got is None:
            got = self._class_ids[words] = self.word_ids(words)
        return got

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
    always stay). The same choices as :func:`chooser`, in one look-up.

    ``neighbours``, when given, are the ids of the word before and the word
    after each request's token (what this function would otherwise find in its
    tokens). ``scores``, when given a list, receives for every request
    (those with ``keep`` or fewer alternatives too) the scores of its
    alternatives after the word before and before the word after:
    ``scores[r] = (before, after)``, float32 arrays in the order of its
    alternatives, from the same look-up."""
    out: list[tuple[str, ...] | None] = [None] * len(requests)
    todo = []  # the requests looked up
    for r, req in enumerate(requests):
        if len(req[2]) <= keep and scores is None:
            out[r] = req[2]
        else:
            todo.append(r)
    if not todo:
        return out  # type: ignore[return-value]
    alts_of = [requests[r][2] for r in todo]
    k = np.fromiter(map(len, alts_of), dtype=np.int64, count=len(todo))
    n = int(k.sum())
    aa = np.fromiter(chain.from_iterable(map(wlm.class_ids, alts_of)), dtype=np.int64, count=n)
    if neighbours is not None:
        prev_ids = [neighbours[0][r] for r in todo]
        next_ids = [neighbours[1][r] for r in todo]
    else:
        get = wlm.ids.get
        prev_ids, next_ids = [], []
        for r in todo:
            toks, i = requests[r][:2]
            prev = next((t for t in reversed(toks[:i]) if t[:1].isalpha()), None)
            nxt = next((t for t in toks[i + 1:] if t[:1].isalpha()), None)
            prev_ids.append(BOUNDARY if prev is None else get(prev, -1))
            next_ids.append(BOUNDARY if nxt is None else get(nxt, -1))
    both = wlm.pair_scores(np.concatenate((np.array(prev_ids, dtype=np.int64).repeat(k), aa)),
                           np.concatenate((aa, np.array(next_ids, dtype=np.int64).repeat(k))))
    before, after = both[:n], both[n:]
    first = k.cumsum() - k
    if scores is not None:
        scores[:] = [None] * len(requests)
        for r, s, e in zip(todo, first.tolist(), (first + k).tolist()):
            scores[r] = (before[s:e], after[s:e])
    big = (k > keep).nonzero()[0]
    for x in (k <= keep).nonzero()[0].tolist():
        out[todo[x]] = alts_of[x]
    if len(big):
        # every request with more than ``keep`` alternatives as a row, its scores negated and padded
        # with +inf (sorted last), so that one stable argsort ranks them all
        width = int(k[big].max())
        cols = np.arange(width, dtype=np.int64)
        at = first[big][:, None] + cols
        neg = -(before + after)
        block = np.where(cols < k[big][:, None], neg.take(np.minimum(at, n - 1)), np.float32(np.inf))
        order = block.argsort(axis=1, kind="stable")[:, :keep]
        order.sort(axis=1)
        for x, row in zip(big.tolist(), order.tolist()):
            alts = alts_of[x]
            chosen = [alts[o] for o in row]
            chosen += [a for a in alts if (a == "a" or a == "an") and a not in chosen]
            out[todo[x]] = tuple(chosen)
    return out  # type: ignore[return-value]
