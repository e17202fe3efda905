"""Membership and position of many keys at once in one large sorted array.

``np.searchsorted`` over a table of millions of keys spends most of its time
waiting for memory: each query's binary search is a chain of dependent reads,
and its last dozen steps land on cache lines no other query touched. Here a
sparse index (every ``block``-th key, small enough to stay in cache) narrows
every query to one block of consecutive keys, and the few steps left are taken
for all queries together, one vectorised gather per step: the reads of
different queries no longer wait for each other. About 1.5-2 times faster than
searchsorted on the reference model's tables inside a check (measured by
alternating the two in one process over 300 WMT stories).
"""
from __future__ import annotations

import numpy as np


SMALL = 48  # queries at most for a plain searchsorted (measured: 10 queries cost 30 us through the index)


class SortedKeys:
    """A sorted 1-D array of unique keys and its sparse index (built on first use)."""

    __slots__ = ("keys", "block", "_top", "_starts")

    def __init__(self, keys: np.ndarray, block: int = 16):
        if block < 1 or block & (block - 1):
            raise ValueError("block must be a power of two")
        self.keys = keys
        self.block = block
        self._top: np.ndarray | None = None
        self._starts: np.ndarray | None = None

    def _index(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each block starts, and its first key. Blocks are ``block`` keys
        long (fewer keys than that: a shorter power of two); the last one ends at
        the last key, overlapping the one before, so no block runs past the end."""
        n = len(self.keys)
        block = self.block
        while block > n:
            block >>= 1
        starts = np.arange(0, n - block + 1, block, dtype=np.intp)
        if starts[-1] != n - block:
            starts = np.append(starts, n - block)
        self.block = block
        self._starts = starts
        self._top = np.ascontiguousarray(self.keys[starts])
        return self._top, starts

    def find(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per query (of the keys' dtype): whether it is among the keys, and
        where (the same index as ``searchsorted`` where it is; meaningless where not)."""
        keys = self.keys
        if not len(keys):
            return np.zeros(len(q), dtype=bool), np.zeros(len(q), dtype=np.intp)
        if len(q) <= SMALL:
            # a few queries: the index's fixed cost (a dozen array passes) exceeds what it saves
            at = keys.searchsorted(q)
            np.minimum(at, len(keys) - 1, out=at)
            return keys.take(at) == q, at
        top, starts = (self._top, self._starts) if self._top is not None else self._index()
        # the block whose first key is the last one <= q (the first block when q is below every key) ...
        b = top.searchsorted(q, "right")
        b -= 1
        np.maximum(b, 0, out=b)
        lo = starts.take(b)
        # ... then, within it, the last key <= q, halving the step
        cand = np.empty_like(lo)
        step = self.block >> 1
        while step:
            np.add(lo, step, out=cand)
            np.copyto(lo, cand, where=keys.take(cand) <= q)
            step >>= 1
        return keys.take(lo) == q, lo
