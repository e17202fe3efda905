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
from typing import Sequence

import numpy as np

LN10 = math.log(10.0)
UNKNOWN = -7.0  # log10 P of a word the table does not know
BOUNDARY = 0  # the id of <s> and </s>


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
        get = self.ids.get
        return [get(w, -1) for w in words]

    def pair_scores(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """Natural-log P(cur | prev) for arrays of ids (-1 = unknown)."""
        prev = np.asarray(prev, dtype=np.int64)
        cur = np.asarray(cur, dtype=np.int64)
        out = np.where(cur >= 0, self.uni[np.maximum(cur, 0)], UNKNOWN).astype(np.float32)
        known = (prev >= 0) & (cur >= 0)
        out = out + np.where(prev >= 0, self.backoff[np.maximum(prev, 0)], 0.0)
        if known.any() and len(self.keys):
            key = (prev[known].astype(np.uint32) << np.uint32(16)) | cur[known].astype(np.uint32)
            pos = np.searchsorted(self.keys, key)
            pos_c = np.minimum(pos, len(self.keys) - 1)
            hit = self.keys[pos_c] == key
            sub = out[known]
            sub[hit] = self.logp[pos_c[hit]].astype(np.float32)
            out[known] = sub
        return out * LN10

    def sequence_score(self, words: Sequence[str]) -> float:
        """Natural-log score of a word sequence between sentence boundaries."""
        ids = [BOUNDARY] + self.word_ids(words) + [BOUNDARY]
        return float(self.pair_scores(np.array(ids[:-1]), np.array(ids[1:])).sum())


def chooser(wlm: "WordBigramLM", keep: int = 3):
    """A ``choose`` for :func:`mtcheck.lm.edits.edits_at`: of the words that
    could replace a function word, the ``keep`` this table likes best between
    its neighbours (a and an always stay: the article check needs both)."""
    cache: dict[tuple[int, int, tuple[str, ...]], tuple[str, ...]] = {}

    def choose(toks, i, alts):
        if len(alts) <= keep:
            return alts
        prev = next((t for t in reversed(toks[:i]) if t[:1].isalpha()), None)
        nxt = next((t for t in toks[i + 1:] if t[:1].isalpha()), None)
        p_id = BOUNDARY if prev is None else wlm.ids.get(prev, -1)
        n_id = BOUNDARY if nxt is None else wlm.ids.get(nxt, -1)
        got = cache.get((p_id, n_id, alts))
        if got is not None:
            return got
        if len(cache) > 50_000:
            cache.clear()
        a_ids = np.array(wlm.word_ids(alts), dtype=np.int64)
        k = len(alts)
        sc = (wlm.pair_scores(np.full(k, p_id), a_ids) + wlm.pair_scores(a_ids, np.full(k, n_id)))
        order = np.argsort(-sc, kind="stable")[:keep].tolist()
        picked = [alts[o] for o in sorted(order)]
        picked += [a for a in alts if a in ("a", "an") and a not in picked]
        got = cache[(p_id, n_id, alts)] = tuple(picked)
        return got
    return choose
