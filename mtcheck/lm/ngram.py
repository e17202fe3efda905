"""A compact stupid-backoff n-gram model over SentencePiece ids, in numpy.

Storage: for each order k >= 2 a sorted ``int64`` array of keys (the k ids
packed ``BITS`` bits apiece, oldest id highest, so a key's context is
``key >> BITS``) and a ``float16`` array of ``log(c(context, w) / c(context))``;
the unigram table is dense. Scoring a story is one vectorised pass: per order,
one batched look-up (:mod:`mtcheck.lm.sortedkeys`) per order.

Stupid backoff (Brants et al., 2007): the score of ``w`` after a history is the
relative frequency of the longest seen n-gram ending in ``w``, times ``ALPHA``
for every order it had to back off. It is not a normalised probability, which
is fine for what mtcheck does with it: compare a span with a small edit of it.
"""
from __future__ import annotations

import json
import math
from typing import Sequence

import numpy as np

from .sortedkeys import SortedKeys

BITS = 15  # ids < 32768; four ids fit in an int64 key
MAX_VOCAB = 1 << BITS
MASK = MAX_VOCAB - 1
ALPHA = 0.4
LOG_ALPHA = math.log(ALPHA)
FORMAT = 1
INDEX_BLOCK = 16  # keys per block of the look-up index (mtcheck.lm.sortedkeys)


def shifted(ids: np.ndarray, d: int) -> np.ndarray:
    """``out[t] = ids[t - d]`` (0 where ``t < d``)."""
    if d == 0:
        return ids
    out = np.zeros_like(ids)
    if d < len(ids):
        out[d:] = ids[:-d]
    return out


def pack(ids: np.ndarray, k: int) -> np.ndarray:
    """The key of the k-gram ending at every position of ``ids``."""
    key = shifted(ids, k - 1).astype(np.int64)
    for d in range(k - 2, -1, -1):
        key = (key << BITS) | shifted(ids, d)
    return key


def positions(lengths: Sequence[int] | np.ndarray) -> np.ndarray:
    """Position within its sequence of every element of concatenated sequences."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = (lengths.cumsum() - lengths).repeat(lengths)
    return np.arange(total, dtype=np.int64) - starts


# -- counting ---------------------------------------------------------------------

def count_stream(
    ids: np.ndarray, pos: np.ndarray, order: int, *, weights: np.ndarray | None = None, bos: int = 1
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Counts of every k-gram (k = 1..order) of a flat id stream.

    ``pos`` is each id's position in its sentence (sentences open with ``bos``);
    a k-gram counts where it lies inside one sentence. ``weights`` (one per id)
    weight the k-gram ending there. Returns ``[(keys, counts)]`` by order, keys
    sorted and unique, counts ``float64``.
    """
    ids = np.asarray(ids, dtype=np.int64)
    out = []
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    for k in range(1, order + 1):
        ok = pos >= k - 1
        if k == 1:
            ok = ok & (ids != bos)
        keys = pack(ids, k)[ok]
        if w is None:
            u, c = np.unique(keys, return_counts=True)
            out.append((u, c.astype(np.float64)))
        else:
            u, inv = np.unique(keys, return_inverse=True)
            out.append((u, np.bincount(inv.ravel(), weights=w[ok], minlength=len(u))))
    return out


def merge_counts(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sum two sorted-unique count tables."""
    if len(a[0]) == 0:
        return b
    if len(b[0]) == 0:
        return a
    keys = np.concatenate([a[0], b[0]])
    counts = np.concatenate([a[1], b[1]])
    u, inv = np.unique(keys, return_inverse=True)
    return u, np.bincount(inv.ravel(), weights=counts, minlength=len(u))


class NgramLM:
    """The tables of one model (a plain class, not a dataclass: cheaper to define at start-up)."""

    def __init__(
        self,
        order: int,
        vocab_size: int,
        unigram: np.ndarray,  # float32 [vocab_size]: log relative frequency
        keys: list[np.ndarray] | None = None,  # orders 2..order
        logp: list[np.ndarray] | None = None,
        meta: dict | None = None,
        extras: dict | None = None,  # other named arrays stored alongside (a word list)
    ) -> None:
        self.order = order
        self.vocab_size = vocab_size
        self.unigram = unigram
        self.keys: list[np.ndarray] = [] if keys is None else keys
        self.logp: list[np.ndarray] = [] if logp is None else logp
        self.meta: dict = {} if meta is None else meta
        self.extras: dict = {} if extras is None else extras

    # -- building ---------------------------------------------------------------
    @classmethod
    def from_counts(
        cls,
        counts: list[tuple[np.ndarray, np.ndarray]],
        vocab_size: int,
        *,
        min_counts: Sequence[float] = (),
        unk: int = 0,
        meta: dict | None = None,
    ) -> "NgramLM":
        """A model from per-order count tables (as :func:`count_stream` makes).

        ``min_counts[k-1]``: n-grams of order k counted fewer times are pruned
        (after the context totals were taken, so the kept scores do not move).
        """
        if vocab_size > MAX_VOCAB:
            raise ValueError(f"vocabulary of {vocab_size} ids does not fit {BITS}-bit keys")
        order = len(counts)
        uk, uc = counts[0]
        total = float(uc.sum()) or 1.0
        uni = np.full(vocab_size, math.log(0.5 / total), dtype=np.float64)  # never seen: half a count
        uni[uk.astype(np.int64)] = np.log(uc / total)
        uni[unk] = min(uni[unk], math.log(0.5 / total))
        keys_out, logp_out = [], []
        for k in range(2, order + 1):
            keys, c = counts[k - 1]
            if len(keys) == 0:
                keys_out.append(np.zeros(0, dtype=np.int64))
                logp_out.append(np.zeros(0, dtype=np.float16))
                continue
            ctx = keys >> BITS
            starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]])
            totals = np.add.reduceat(c, starts)
            group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(keys)]))
            lp = np.log(c) - np.log(totals[group])
            m = min_counts[k - 1] if k - 1 < len(min_counts) else 0
            if m:
                keep = c >= m
                keys, lp = keys[keep], lp[keep]
            keys_out.append(np.ascontiguousarray(keys, dtype=np.int64))
            logp_out.append(lp.astype(np.float16))
        return cls(order, vocab_size, uni.astype(np.float32), keys_out, logp_out, dict(meta or {}))

    # -- storage ----------------------------------------------------------------
    def save(self, path: str, *, compress: bool = False) -> None:
        arrays = {"unigram": self.unigram}
        for k, (keys, lp) in enumerate(zip(self.keys, self.logp), start=2):
            arrays[f"keys{k}"] = keys
            arrays[f"logp{k}"] = lp
        header = {"format": FORMAT, "order": self.order, "vocab_size": self.vocab_size, "bits": BITS, **self.meta}
        for name, arr in self.extras.items():
            arrays[f"x_{name}"] = arr
        arrays["meta"] = np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8)
        (np.savez_compressed if compress else np.savez)(path, **arrays)

    @classmethod
    def load(cls, path, *, mapped: bool = False) -> "NgramLM":
        """Read a model saved by :meth:`save`.

        ``mapped``: map the file instead of reading it (see :func:`_mapped_npz`);
        only for files nobody rewrites while the process runs (the shipped
        models), since a mapped file truncated underneath crashes the process.
        """
        z = _mapped_npz(path) if mapped else None
        if z is None:
            with np.load(path, allow_pickle=False) as npz:
                z = {name: npz[name] for name in npz.files}
        header = json.loads(bytes(z["meta"]).decode("utf-8"))
        if header.get("format") != FORMAT or header.get("bits") != BITS:
            raise ValueError(f"{path}: not an mtcheck n-gram model of format {FORMAT}")
        order = int(header.pop("order"))
        vocab = int(header.pop("vocab_size"))
        header.pop("format", None)
        header.pop("bits", None)
        keys = [z[f"keys{k}"] for k in range(2, order + 1)]
        logp = [z[f"logp{k}"] for k in range(2, order + 1)]
        extras = {name[2:]: z[name] for name in z if name.startswith("x_")}
        return cls(order, vocab, z["unigram"], keys, logp, header, extras)

    @property
    def suffix_closed(self) -> bool:
        """Whether every n-gram's suffix (its last n - 1 ids) is in the table of
        the order below, so that a look-up may go up the orders and stop at the
        first miss. True of a table pruned by counts with thresholds that never
        fall as the order rises (a suffix is counted at least as often as the
        n-gram): what :meth:`from_counts` and :class:`~mtcheck.lm.build.NgramCounter`
        build, whose thresholds are kept in ``meta["min_counts"]``."""
        closed = self.__dict__.get("_suffix_closed")
        if closed is None:
            mc = self.meta.get("min_counts")
            closed = self._suffix_closed = (
                isinstance(mc, list) and len(mc) >= 2 and all(a <= b for a, b in zip(mc[1:], mc[2:])))
        return closed

    @property
    def size(self) -> int:
        return len(self.unigram) + sum(len(k) for k in self.keys)

    # -- scoring ----------------------------------------------------------------
    def score(self, ids: np.ndarray, pos: np.ndarray, *, orders: bool = False, at: np.ndarray | None = None):
        """Natural-log stupid-backoff score of every id given the ids before it.

        ``pos``: position in its sentence (0 = the sentence-opening id, scored 0).
        With ``orders``, also the order of the n-gram each score came from (1 =
        the unigram: the id was never seen after its predecessor). ``at``: score
        only these indices of ``ids`` (the others serve as history), in that order.
        """
        ids = np.asarray(ids, dtype=np.int64)
        n = self.order
        here = ids if at is None else ids[at]
        p = pos if at is None else pos[at]
        out = self.unigram[np.minimum(here, self.vocab_size - 1)].astype(np.float64) + (n - 1) * LOG_ALPHA
        todo = (p >= 1).nonzero()[0]
        found_k = np.ones(len(here), dtype=np.int8) if orders else None
        if self.suffix_closed:
            # Lowest order first, and only what it found goes on to the next:
            # an n-gram missing its suffix's (n-1)-gram is not in the table.
            for k in range(2, n + 1):
                cand = todo[p[todo] >= k - 1]
                if len(cand) == 0 or len(self.keys[k - 2]) == 0:
                    break
                hit, idx = self._lookup(k, ids, cand if at is None else at[cand])
                todo = cand[hit]
                out[todo] = self.logp[k - 2][idx[hit]].astype(np.float64) + (n - k) * LOG_ALPHA
                if found_k is not None:
                    found_k[todo] = k
        else:
            for k in range(n, 1, -1):
                if len(todo) == 0:
                    break
                cand = todo[p[todo] >= k - 1]
                if len(cand) == 0 or len(self.keys[k - 2]) == 0:
                    continue
                hit, idx = self._lookup(k, ids, cand if at is None else at[cand])
                where = cand[hit]
                out[where] = self.logp[k - 2][idx[hit]].astype(np.float64) + (n - k) * LOG_ALPHA
                if found_k is not None:
                    found_k[where] = k
                if hit.any():
                    found = np.zeros(len(here), dtype=bool)
                    found[where] = True
                    todo = todo[~found[todo]]
        out[p == 0] = 0.0
        if found_k is not None:
            found_k[p == 0] = n
            return out, found_k
        return out

    def pair_bounds(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """Per pair of ids: the highest score :meth:`score` can give ``cur``
        right after ``prev``, whatever comes before ``prev`` (``cur`` at
        position 1 or later). Where the bigram is in the table, that is its
        best extension's score (:meth:`_best_after_pairs`); where it is not, no
        longer n-gram ending in it is either (a suffix-closed table), so
        ``cur`` scores as a unigram after backing off every order. Only for a
        suffix-closed table."""
        if not self.suffix_closed:
            raise ValueError("pair bounds need a suffix-closed table")
        n = self.order
        cur = np.asarray(cur, dtype=np.int64)
        out = self.unigram[np.minimum(cur, self.vocab_size - 1)].astype(np.float64) + (n - 1) * LOG_ALPHA
        if n >= 2 and len(self.keys[0]) and len(cur):
            best = self.__dict__.get("_pair_best")
            if best is None:
                best = self._pair_best = self._best_after_pairs()
            hit, idx = self._indexes()[0].find((np.asarray(prev, dtype=np.int64) << BITS) | cur)
            out[hit] = best[idx[hit]]
        return out

    def _best_after_pairs(self) -> np.ndarray:
        """Per bigram of the table: the highest score any n-gram ending in it
        gives its last id (the bigram's own, or a longer one's, each with its
        backoff penalty), computed as :meth:`score` computes scores."""
        n = self.order
        pairs = self.keys[0]
        best = self.logp[0].astype(np.float64) + (n - 2) * LOG_ALPHA
        low = (1 << (2 * BITS)) - 1  # a key's last two ids
        for k in range(3, n + 1):
            keys = self.keys[k - 2]
            if len(keys):
                at = pairs.searchsorted(keys & low)
                np.maximum.at(best, at, self.logp[k - 2].astype(np.float64) + (n - k) * LOG_ALPHA)
        return best

    def _lookup(self, k: int, ids: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether the k-gram ending at each index ``g`` of ``ids`` is in the table, and where."""
        q = ids[g - (k - 1)]
        for d in range(k - 2, -1, -1):
            q = (q << BITS) | ids[g - d]
        return self._indexes()[k - 2].find(q)

    def _indexes(self) -> list[SortedKeys]:
        """The look-up index of each order's keys, built on the first look-up (not at load: start-up)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = self._index = [SortedKeys(t, INDEX_BLOCK) for t in self.keys]
        return index


def _mapped_npz(path) -> dict[str, np.ndarray] | None:
    """The arrays of an uncompressed ``.npz`` (``np.savez``), as read-only views
    of the memory-mapped file; None when a member is compressed or not a plain
    array (then :func:`np.load` reads it).

    np.load copies every member through zipfile, which also computes its CRC:
    ~20 ms for the shipped 9.5 MB model, at every cold start. Mapping the file
    costs nothing until the scorer touches a page, and the arrays hold the same
    bytes.
    """
    import io
    import mmap
    import struct
    import zipfile

    from numpy.lib import format as npy

    with open(path, "rb") as f:
        try:
            with zipfile.ZipFile(f) as zf:
                infos = zf.infolist()
        except zipfile.BadZipFile:
            return None
        if not infos or any(i.compress_type != zipfile.ZIP_STORED or not i.filename.endswith(".npy") for i in infos):
            return None
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    out: dict[str, np.ndarray] = {}
    for info in infos:
        h = info.header_offset
        if mm[h:h + 4] != b"PK\x03\x04":
            return None
        name_len, extra_len = struct.unpack("<HH", mm[h + 26:h + 30])
        start = h + 30 + name_len + extra_len
        head = io.BytesIO(mm[start:start + min(info.file_size, 65536)])
        try:
            version = npy.read_magic(head)
            if version == (1, 0):
                shape, fortran, dtype = npy.read_array_header_1_0(head)
            elif version == (2, 0):
                shape, fortran, dtype = npy.read_array_header_2_0(head)
            else:
                return None
        except ValueError:
            return None
        if dtype.hasobject:
            return None
        count = math.prod(shape)
        if head.tell() + count * dtype.itemsize > info.file_size:
            return None
        arr = np.frombuffer(mm, dtype=dtype, count=count, offset=start + head.tell())
        if not arr.flags["ALIGNED"]:
            # numpy copies a misaligned array before every searchsorted: once here is far cheaper
            arr = arr.copy()
        out[info.filename[:-4]] = arr.reshape(shape, order="F" if fortran else "C")
    return out
