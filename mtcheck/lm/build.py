"""Building n-gram tables from a stream of sentences, in bounded memory.

:class:`NgramCounter` counts the k-grams (k = 1..order) of sentences of piece
ids in chunks. Counts are merged in memory until they pass ``max_in_memory``
entries; then they are spilled to disk in ``PARTITIONS`` files by a hash of the
n-gram's context, so that every context's continuations land in one partition
and each partition can be totalled, scored and pruned on its own.
:meth:`NgramCounter.model` returns the :class:`~mtcheck.lm.ngram.NgramLM`.
Peak memory is set by ``chunk_tokens`` and ``max_in_memory`` (plus the pruned
model itself, capped by ``max_ngrams``), not by the size of the archive.
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
from typing import Iterable, Sequence

import numpy as np

from .ngram import BITS, NgramLM, count_stream, merge_counts, positions

PARTITIONS = 16
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _partition(keys: np.ndarray) -> np.ndarray:
    ctx = (keys >> BITS).astype(np.uint64)
    return ((ctx * _GOLDEN) >> np.uint64(60)).astype(np.int64) % PARTITIONS


def order_table(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``log(c(ctx, w) / c(ctx))`` for sorted keys of one order (all continuations present)."""
    ctx = keys >> BITS
    starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]])
    totals = np.add.reduceat(counts, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(keys)]))
    return np.log(counts) - np.log(totals[group])


class NgramCounter:
    def __init__(
        self,
        order: int,
        vocab_size: int,
        *,
        chunk_tokens: int = 2_000_000,
        max_in_memory: int = 12_000_000,
        tmpdir: str | None = None,
        bos: int = 1,
    ):
        self.order = order
        self.vocab_size = vocab_size
        self.chunk_tokens = chunk_tokens
        self.max_in_memory = max_in_memory
        self.bos = bos
        self._buf: list[int] = []
        self._lens: list[int] = []
        self._wbuf: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.tables: list[tuple[np.ndarray, np.ndarray]] = [
            (np.zeros(0, dtype=np.int64), np.zeros(0)) for _ in range(order)
        ]
        self.unigram = np.zeros(vocab_size)
        self._tmp_parent = tmpdir
        self._tmp: str | None = None
        self._runs = 0
        self.tokens = 0
        self.sentences = 0

    # -- input ----------------------------------------------------------------------
    def add(self, sentence_ids: Sequence[int]) -> None:
        """One sentence of piece ids, without BOS/EOS."""
        self._buf.append(self.bos)
        self._buf.extend(sentence_ids)
        self._buf.append(2)
        self._lens.append(len(sentence_ids) + 2)
        self.tokens += len(sentence_ids)
        self.sentences += 1
        if len(self._buf) >= self.chunk_tokens:
            self.flush()

    def add_weighted(self, ids: np.ndarray, pos: np.ndarray, weights: np.ndarray) -> None:
        """Fragments (not whole sentences) with a weight per id, e.g. a bigram list's counts."""
        self._merge(count_stream(ids, pos, self.order, weights=weights, bos=self.bos))

    def flush(self) -> None:
        if not self._buf:
            return
        ids = np.asarray(self._buf, dtype=np.int64)
        pos = positions(self._lens)
        self._buf, self._lens = [], []
        self._merge(count_stream(ids, pos, self.order, bos=self.bos))

    def _merge(self, counted: list[tuple[np.ndarray, np.ndarray]]) -> None:
        uk, uc = counted[0]
        np.add.at(self.unigram, uk, uc)
        for k in range(1, self.order):
            self.tables[k] = merge_counts(self.tables[k], counted[k])
        if sum(len(t[0]) for t in self.tables[1:]) > self.max_in_memory:
            self._spill()

    def _spill(self) -> None:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="mtcheck-ngrams-", dir=self._tmp_parent)
        for k in range(1, self.order):
            keys, counts = self.tables[k]
            if len(keys) == 0:
                continue
            part = _partition(keys)
            for p in range(PARTITIONS):
                sel = part == p
                if sel.any():
                    np.save(os.path.join(self._tmp, f"o{k + 1}-p{p}-r{self._runs}.keys.npy"), keys[sel])
                    np.save(os.path.join(self._tmp, f"o{k + 1}-p{p}-r{self._runs}.counts.npy"), counts[sel].astype(np.float32))
            self.tables[k] = (np.zeros(0, dtype=np.int64), np.zeros(0))
        self._runs += 1

    # -- output ---------------------------------------------------------------------
    def model(
        self,
        *,
        min_counts: Sequence[float] = (1, 1, 2, 2),
        max_ngrams: int = 20_000_000,
        meta: dict | None = None,
        unk: int = 0,
    ) -> NgramLM:
        """The model; n-grams of order k seen fewer than ``min_counts[k-1]`` times are pruned,
        and the threshold rises until at most ``max_ngrams`` n-grams remain."""
        self.flush()
        total = float(self.unigram.sum()) or 1.0
        floor = math.log(0.5 / total)
        uni = np.full(self.vocab_size, floor)
        seen = self.unigram > 0
        uni[seen] = np.log(self.unigram[seen] / total)
        uni[unk] = min(uni[unk], floor)
        keys_out: list[np.ndarray] = []
        logp_out: list[np.ndarray] = []
        counts_out: list[np.ndarray] = []
        try:
            for k in range(2, self.order + 1):
                m = min_counts[k - 1] if k - 1 < len(min_counts) else 1
                parts = []
                for keys, counts in self._order_parts(k):
                    if len(keys) == 0:
                        continue
                    lp = order_table(keys, counts)
                    keep = counts >= m
                    parts.append((keys[keep], lp[keep], counts[keep].astype(np.float32)))
                if parts:
                    keys = np.concatenate([p[0] for p in parts])
                    lp = np.concatenate([p[1] for p in parts])
                    cnt = np.concatenate([p[2] for p in parts])
                    order_ = np.argsort(keys, kind="stable")
                    keys, lp, cnt = keys[order_], lp[order_], cnt[order_]
                else:
                    keys, lp, cnt = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.float32)
                keys_out.append(keys)
                logp_out.append(lp)
                counts_out.append(cnt)
            # Cap the size: raise the count threshold of the highest orders first.
            while sum(len(k) for k in keys_out) > max_ngrams:
                k = max(range(len(keys_out)), key=lambda i: (len(keys_out[i]) > 0, i))
                threshold = float(np.min(counts_out[k])) + 1 if len(counts_out[k]) else 0
                keep = counts_out[k] >= threshold
                keys_out[k], logp_out[k], counts_out[k] = keys_out[k][keep], logp_out[k][keep], counts_out[k][keep]
        finally:
            self.close()
        info = {"tokens": int(self.tokens), "sentences": int(self.sentences), **(meta or {})}
        return NgramLM(
            self.order, self.vocab_size, uni.astype(np.float32),
            [np.ascontiguousarray(k, dtype=np.int64) for k in keys_out],
            [lp.astype(np.float16) for lp in logp_out], info,
        )

    def _order_parts(self, k: int) -> Iterable[tuple[np.ndarray, np.ndarray]]:
        mem_keys, mem_counts = self.tables[k - 1]
        if self._tmp is None:
            yield mem_keys, mem_counts
            return
        part = _partition(mem_keys) if len(mem_keys) else np.zeros(0, dtype=np.int64)
        for p in range(PARTITIONS):
            acc = (mem_keys[part == p], mem_counts[part == p])
            for r in range(self._runs):
                base = os.path.join(self._tmp, f"o{k}-p{p}-r{r}")
                if os.path.exists(base + ".keys.npy"):
                    acc = merge_counts(acc, (np.load(base + ".keys.npy"), np.load(base + ".counts.npy").astype(np.float64)))
            yield acc

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
