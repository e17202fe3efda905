"""Sentence alignment between a source story and its translation.

Gale and Church (1993): the length of a translation is roughly proportional to
the length of its source, so a bead (a group of source sentences paired with a
group of target sentences) costs the improbability of its length difference
plus the improbability of its shape. Shapes allowed: 1-1, 1-2, 2-1 (a split or
a merge), 1-0 (an omission) and 0-1 (an addition).

Lengths alone get lost in a run of similar sentences, so each bead also pays
for anchors that fail to meet across it: numbers (compared by value, so
"272.000" meets "272,000"), capitalised words that look like names (compared
accent-folded by their first letters), and the marks a translation keeps
(``?``, ``!``, brackets). Anchors that meet earn a small bonus.

Speed: what the aligner needs of a sentence (:class:`Unit`) is read once per
sentence (:func:`make_units` reads a whole story in one pass). The dynamic
programme only visits cells within a band around the path the two stories'
cumulative lengths predict, so the work is linear in the length of the story;
the band widens (and the programme reruns) only when the best path touches its
edge. The bead costs of every cell in the band are computed at once with numpy
from per-sentence bit masks (a number is the set of its readings, as bits over
the readings both sides share; a name is one bit), and the programme itself
only adds and compares.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import add
from typing import Sequence

import numpy as np

from . import numbers

# Shape priors (Gale & Church 1993, Table 5), as costs.
_PRIOR = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    # Only tried when the plain shapes leave a sentence unpaired (see :func:`align`): a translator
    # may split a long sentence in three, or the two sides' sentence breaks may disagree.
    (2, 2): 0.011,
    (1, 3): 0.0099 / 2,
    (3, 1): 0.0099 / 2,
}
_PRIOR_COST = {k: -math.log(v) for k, v in _PRIOR.items()}
SHAPES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
WIDE_SHAPES = SHAPES + ((2, 2), (1, 3), (3, 1))
_VARIANCE = 2.0
ANCHOR_MISS = 1.2
ANCHOR_HIT = 0.6
GAP_ANCHOR_SHARE = 0.25
# Band half-width around the predicted path, in sentences (doubled while the best path touches the edge).
MIN_BAND = 3
_MAX_LENGTH_COST = -math.log(1e-12)


@dataclass(frozen=True)
class Link:
    """Source sentence indices paired with target sentence indices (either may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.src), len(self.tgt)


@dataclass
class Unit:
    """What the aligner needs to know of one sentence."""

    text: str
    length: int = 0
    numbers: list = field(default_factory=list)  # list of frozenset values
    names: frozenset = frozenset()
    marks: tuple[int, int, int] = (0, 0, 0)  # ?, !, (

    def __post_init__(self) -> None:
        if not self.length:
            self.length = text_length(self.text)


def text_length(text: str) -> int:
    """Characters that are not white space."""
    return len("".join(text.split()))


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: "Zürich" -> "zurich"."""
    return fold_text(word)


_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold_text(text: str) -> str:
    """:func:`fold` of any text (decomposed, accents dropped, lower case, "ß" as "ss"), with C-level
    string operations rather than a Python loop over its characters."""
    if text.isascii():
        return text.lower()
    n = unicodedata.normalize("NFKD", text)
    if not n.isascii():
        n = _COMBINING_RE.sub("", n)
        if not n.isascii() and any(unicodedata.combining(c) for c in set(n)):
            n = "".join(ch for ch in n if not unicodedata.combining(ch))
    return n.lower().replace("ß", "ss")


# A capital not preceded by a word character (the look-behind comes after the capital, which lets
# the regular-expression engine skip ahead to capitals).
_CAP_RE = re.compile(r"([A-ZÀ-ÖØ-ÞĀ-Ž](?<![\w][A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’\-]*)")


@lru_cache(maxsize=65536)
def _name_key(word: str) -> str:
    w = fold(word.split("'")[0].split("’")[0])
    return w[:5] if len(w) >= 3 else ""


def name_keys(text: str) -> frozenset:
    """Capitalised words not at the start of the sentence, folded to five letters."""
    keys = set()
    for m in _CAP_RE.finditer(text):
        if m.start() == 0:
            continue
        k = _name_key(m.group(1))
        if k:
            keys.add(k)
    return frozenset(keys)


def _marks(text: str) -> tuple[int, int, int]:
    return text.count("?"), text.count("!"), text.count("(")


def make_unit(text: str, lang: str) -> Unit:
    qs = numbers.extract(text, lang)
    return Unit(
        text=text,
        numbers=[q.values for q in qs if not q.is_word],
        names=name_keys(text),
        marks=_marks(text),
    )


_DIGITS_RE = re.compile(r"\d+(?:[.,:]\d+)*")


def make_units(text: str, spans: Sequence[tuple[int, int]], lang: str,
               quantities: Sequence[Sequence[numbers.Quantity]] | None = None, light: bool = False) -> list[Unit]:
    """Units for the sentences ``text[s:e]`` of one story, read in one pass over the text.

    ``quantities`` (one list per span), when the caller has them already, saves reading the numbers
    again. ``light`` takes each run of digits as it is written for a number anchor (enough to align
    two texts in one language).
    """
    if not spans:
        return []
    if light:
        quantities = [[frozenset((m,)) for m in _DIGITS_RE.findall(text, s, e)] for s, e in spans]
    elif quantities is None:
        quantities = split_by_spans(numbers.extract(text, lang, spans[0][0], spans[-1][1]), spans)
    starts = [s for s, _ in spans]
    keys: list[set] = [set() for _ in spans]
    for m in _CAP_RE.finditer(text, spans[0][0], spans[-1][1]):
        p = m.start()
        k = bisect_right(starts, p) - 1
        if k < 0 or p == starts[k] or p >= spans[k][1]:
            continue
        key = _name_key(m.group(1))
        if key:
            keys[k].add(key)
    out = []
    for (s, e), qs, ks in zip(spans, quantities, keys):
        t = text[s:e]
        nums = qs if light else [q.values for q in qs if not q.is_word]
        out.append(Unit(t, text_length(t), nums, frozenset(ks), _marks(t)))
    return out


def story_units(text: str, spans: Sequence[tuple[int, int]], lang: str, cache: dict | None = None,
                light: bool = False):
    """Per-sentence quantities and units of one story: ``(quantities, units)``, one entry per span.

    ``cache`` (a dict kept for one document, such as ``ctx.services["sentence_units"]``) shares
    them between callers: the S and R families both read the translation's sentences.
    ``light`` units (for two texts in one language) take their number anchors straight from the
    digits, without reading them (no quantities are returned then); full units, when already
    made, serve as well.
    """
    key = (id(text), lang)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None and hit[0] is text and hit[1] == spans:
            return hit[2], hit[3]
    # The same text again (one source or reference checked against several translations).
    with _RECENT_LOCK:
        found = _RECENT.get((text, lang, tuple(spans)))
        if found is None and light:
            found = _RECENT.get((text, lang, tuple(spans), "light"))
    if found is not None:
        quants, units = found
    else:
        if light:
            quants = []
            units = make_units(text, spans, lang, light=True)
            lru_key = (text, lang, tuple(spans), "light")
        else:
            quants = (split_by_spans(numbers.extract(text, lang, spans[0][0], spans[-1][1]), spans) if spans
                      else [])
            units = make_units(text, spans, lang, quants)
            lru_key = (text, lang, tuple(spans))
        with _RECENT_LOCK:
            _RECENT[lru_key] = (quants, units)
            if len(_RECENT) > RECENT_STORIES:
                _RECENT.popitem(last=False)
        if cache is not None and not light:
            cache[key] = (text, list(spans), quants, units)
    return quants, units


# Stories read lately, by content: a source or a reference is often checked against several
# translations in a row. Quantities and units are never modified once made.
RECENT_STORIES = 32
_RECENT: "OrderedDict[tuple, tuple[list, list]]" = OrderedDict()
_RECENT_LOCK = threading.Lock()


def split_by_spans(qs: Sequence[numbers.Quantity], spans: Sequence[tuple[int, int]]) -> list[list]:
    """Quantities (sorted by start) shared out among sorted, disjoint spans; any outside them are dropped."""
    out: list[list] = [[] for _ in spans]
    if not qs:
        return out
    starts = [s for s, _ in spans]
    for q in qs:
        k = bisect_right(starts, q.start) - 1
        if k >= 0 and q.start < spans[k][1]:
            out[k].append(q)
    return out


def _norm_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@lru_cache(maxsize=4096)
def _length_cost(l1: int, l2: int, ratio: float) -> float:
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2.0
    delta = (ratio * l1 - l2) / math.sqrt(max(mean, 1.0) * _VARIANCE * ratio)
    p = math.erfc(abs(delta) / math.sqrt(2.0))
    return -math.log(max(p, 1e-12))


# -log erfc(z) on a fine grid, for :func:`_length_costs` (linear interpolation is exact to about
# 1e-6 here; past the grid erfc is below 1e-12 and the cost is capped).
_ERFC_STEP = 0.0005
_ERFC_Z = np.arange(0.0, 5.2, _ERFC_STEP)
_ERFC_COST = np.minimum(np.array([-math.log(max(math.erfc(z), 1e-12)) for z in _ERFC_Z]), _MAX_LENGTH_COST)


def _length_costs(l1: np.ndarray, l2: np.ndarray, ratio: float) -> np.ndarray:
    """:func:`_length_cost` over arrays (by interpolation in a table of -log erfc)."""
    l1 = l1.astype(np.float64)
    l2 = l2.astype(np.float64)
    mean = np.maximum((l1 + l2 / ratio) * 0.5, 1.0)
    z = np.abs(ratio * l1 - l2) / np.sqrt(mean * (_VARIANCE * ratio * 2.0))
    cost = np.interp(z, _ERFC_Z, _ERFC_COST)
    cost[(l1 + l2) == 0] = 0.0
    return cost


# -- anchors as bit masks ---------------------------------------------------------------

_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _masks(sets: Sequence[Sequence], bit: dict) -> list[list[int]]:
    """Each item's bit mask over ``bit`` (a dict item -> bit index)."""
    out = []
    for group in sets:
        row = []
        for values in group:
            mask = 0
            for v in values:
                b = bit.get(v)
                if b is not None:
                    mask |= 1 << b
            row.append(mask)
        out.append(row)
    return out


class _Side:
    """One side's anchors as flat arrays, one element per group of 1 to ``kmax`` consecutive
    sentences: the sentences (0..n-1), then the pairs (the pair i, i+1 at ``offset[2] + i``), then
    the triples. Bit masks wider than 64 bits are split into 64-bit words, one array per word;
    the numbers of a group are columns (its first number, its second...), one array each.
    (Flat arrays only: numpy's fancy indexing and reductions over short axes cost more than the
    arithmetic, and numpy converts flat lists faster than nested ones.)"""

    def __init__(self, units: Sequence[Unit], val_bit: dict, name_bit: dict, kmax: int = 2):
        n = len(units)
        self.n = n
        sizes = [k for k in range(1, kmax + 1) if k <= n]
        self.offset = {}
        rows = 0
        for k in sizes:
            self.offset[k] = rows
            rows += n - k + 1

        def grouped(values: list, combine=None) -> list:
            out = list(values)
            if combine is None:
                if 2 in sizes:
                    out += [a + b for a, b in zip(values, values[1:])]
                if 3 in sizes:
                    out += [a + b + c for a, b, c in zip(values, values[1:], values[2:])]
            else:
                if 2 in sizes:
                    out += [combine(a, b) for a, b in zip(values, values[1:])]
                if 3 in sizes:
                    out += [combine(combine(a, b), c) for a, b, c in zip(values, values[1:], values[2:])]
            return out

        self.length = np.array(grouped([u.length for u in units]), dtype=np.int64)
        nq = [len(u.numbers) for u in units]
        nq_g = grouped(nq)
        names = [u.names for u in units]
        nn_g = [len(x) for x in grouped(names, frozenset.__or__)]
        marks = [u.marks for u in units]
        self.marks_live = any(any(mk) for mk in marks)
        mk_g = [grouped([mk[k] for mk in marks]) for k in range(3)]
        self.nn = np.array(nn_g, dtype=np.int64)
        # The anchor cost of a bead if none of this group's anchors met the other side's.
        self.base_miss = np.array([ANCHOR_MISS * (q + 0.5 * min(x, 3) + 0.5 * (m0 + m1 + m2))
                                   for q, x, m0, m1, m2 in zip(nq_g, nn_g, *mk_g)], dtype=np.float64)
        if self.marks_live:
            self.marks = [np.array(m, dtype=np.int64) for m in mk_g]
        self.numbers_live = False
        if val_bit:
            wv = -(-len(val_bit) // 64)
            live = [[q for q in row if q] for row in _masks([u.numbers for u in units], val_bit)]
            if any(live):
                self.numbers_live = True
                groups = grouped(live)
                width = max(len(r) for r in groups)
                self.q = [[_u64([_word(r[c], w) if c < len(r) else 0 for r in groups]) for w in range(wv)]
                          for c in range(width)]
                unions = []
                for r in groups:
                    x = 0
                    for q in r:
                        x |= q
                    unions.append(x)
                self.v = [_u64([_word(x, w) for x in unions]) for w in range(wv)]
        self.names_live = False
        if name_bit:
            wk = -(-len(name_bit) // 64)
            masks = [sum(1 << name_bit[k] for k in x if k in name_bit) for x in names]
            if any(masks):
                self.names_live = True
                masks = grouped(masks, int.__or__)
                self.names = [_u64([_word(x, w) for x in masks]) for w in range(wk)]
        # An omitted or added sentence: its anchors are expected to go unmatched, so
        # they cost little here, and much in any bead that pairs it wrongly.
        share = GAP_ANCHOR_SHARE * ANCHOR_MISS
        self.gap = [share * (q + 0.5 * min(len(x), 3) + 0.5 * sum(mk)) for q, x, mk in zip(nq, names, marks)]


def _word(mask: int, w: int) -> int:
    return (mask >> (64 * w)) & 0xFFFFFFFFFFFFFFFF


def _u64(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def _anchor_costs(S: _Side, T: _Side, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Anchor cost of the beads pairing group ``a`` of S with group ``b`` of T (one per element)."""
    miss = S.base_miss[a] + T.base_miss[b]  # as if nothing met
    if S.numbers_live and T.numbers_live:
        va = [v[a] for v in S.v]
        vb = [v[b] for v in T.v]
        hits = None
        for side, idx, other in ((S, a, vb), (T, b, va)):
            for col in side.q:
                x = col[0][idx] & other[0]
                for w in range(1, len(col)):
                    x |= col[w][idx] & other[w]
                hit = x != 0
                hits = hit.astype(np.int64) if hits is None else hits + hit
        # A number that meets the other side is a hit instead of a miss.
        miss -= (ANCHOR_MISS + ANCHOR_HIT) * hits
    if S.names_live and T.names_live:
        common = _popcount1(S.names[0][a] & T.names[0][b])
        for w in range(1, len(S.names)):
            common += _popcount1(S.names[w][a] & T.names[w][b])
        if common.any():
            nna, nnb = S.nn[a], T.nn[b]
            # 2 hits per shared name, and fewer names left unmatched on each side.
            miss = miss - ANCHOR_HIT * 2 * common + 0.5 * ANCHOR_MISS * (
                np.minimum(nna - common, 3) - np.minimum(nna, 3) + np.minimum(nnb - common, 3) - np.minimum(nnb, 3))
    if S.marks_live and T.marks_live:
        # base_miss counted every mark as unmatched; a mark on both sides is a hit instead.
        for ms, mt in zip(S.marks, T.marks):
            ma, mb = ms[a], mt[b]
            both = np.minimum(ma, mb)
            miss = miss - (ANCHOR_HIT + ANCHOR_MISS) * both
    return miss


def _popcount1(x: np.ndarray) -> np.ndarray:
    """Set bits of each element of a one-dimensional uint64 array."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x).astype(np.int64)
    return _POP8[x.view(np.uint8).reshape(-1, 8)].sum(axis=1)


def _anchor_cost(src: Sequence[Unit], tgt: Sequence[Unit]) -> float:
    """The anchor cost of one bead (the reference for the vectorised costs)."""
    s_nums = [v for u in src for v in u.numbers]
    t_nums = [v for u in tgt for v in u.numbers]
    s_names = frozenset().union(*(u.names for u in src)) if src else frozenset()
    t_names = frozenset().union(*(u.names for u in tgt)) if tgt else frozenset()
    t_vals = set().union(*t_nums) if t_nums else set()
    s_vals = set().union(*s_nums) if s_nums else set()
    hit = miss = 0.0
    for v in s_nums:
        if v & t_vals:
            hit += 1
        else:
            miss += 1
    for v in t_nums:
        if v & s_vals:
            hit += 1
        else:
            miss += 1
    common = len(s_names & t_names)
    hit += 2 * common
    miss += min(len(s_names) - common, 3) * 0.5 + min(len(t_names) - common, 3) * 0.5
    s_marks = [sum(u.marks[k] for u in src) for k in range(3)]
    t_marks = [sum(u.marks[k] for u in tgt) for k in range(3)]
    for a, b in zip(s_marks, t_marks):
        hit += min(a, b)
        miss += abs(a - b) * 0.5
    return ANCHOR_MISS * miss - ANCHOR_HIT * hit


# Expected characters of translation per source character, before the story says otherwise.
_PRIOR_RATIO = {"en": 0.9}  # into English from es, fr, it, pt, de
_PRIOR_FROM_EN = {"es": 1.12, "fr": 1.12, "it": 1.08, "pt": 1.05, "de": 1.12}
PSEUDO_CHARS = 400
# Languages whose sentence lengths the aligner's length model is calibrated for: alphabetic
# European languages, whose translations of one another run within about 15% of each other.
CALIBRATED = frozenset({"en", "es", "fr", "de", "it", "pt", "ca", "nl"})


def expected_ratio(src_lang: str | None, tgt_lang: str | None) -> float:
    if not src_lang or not tgt_lang or src_lang == tgt_lang:
        return 1.0
    if tgt_lang == "en":
        return _PRIOR_RATIO["en"]
    if src_lang == "en":
        return _PRIOR_FROM_EN.get(tgt_lang, 1.0)
    return 1.0


def calibrated(src_lang: str | None, tgt_lang: str | None) -> bool:
    """Whether the length model knows this pair: sentence lengths then tell omissions and additions."""
    return bool(src_lang and tgt_lang) and (src_lang == tgt_lang or (src_lang in CALIBRATED and tgt_lang in CALIBRATED))


def _centres(src: Sequence[Unit], tgt: Sequence[Unit]) -> list[int]:
    """For each source boundary i (0..n), the target boundary the cumulative lengths predict."""
    m = len(tgt)
    cs = [0]
    for u in src:
        cs.append(cs[-1] + u.length + 1)
    ct = [0]
    for u in tgt:
        ct.append(ct[-1] + u.length + 1)
    scale = ct[-1] / cs[-1]
    out = [min(m, bisect_left(ct, c * scale)) for c in cs]
    out[0], out[-1] = 0, m
    return out


def align(src: Sequence[Unit], tgt: Sequence[Unit], *, band: int | None = None,
          prior_ratio: float = 1.0, ratio_bounds: tuple[float, float] = (0.4, 2.5)) -> list[Link]:
    """The cheapest chain of beads covering both sides, in order.

    The length ratio is the story's own, pulled towards ``prior_ratio`` (worth
    ``PSEUDO_CHARS`` characters), so a short story with an omission does not
    talk itself into a skewed ratio (and is kept within ``ratio_bounds``).
    ``band`` fixes the band's half-width (in sentences); by default it starts at
    ``MIN_BAND`` and doubles while the best path touches its edge. When the
    plain shapes leave a sentence unpaired, the alignment is run again with the
    wider shapes 2-2, 1-3 and 3-1 too (a split in three, breaks that disagree),
    so most stories pay only for the plain shapes.
    """
    n, m = len(src), len(tgt)
    if n == 0 and m == 0:
        return []
    if n == 0:
        return [Link((), (j,)) for j in range(m)]
    if m == 0:
        return [Link((i,), ()) for i in range(n)]
    total_s = sum(u.length for u in src) or 1
    total_t = sum(u.length for u in tgt) or 1
    ratio = (total_t + prior_ratio * PSEUDO_CHARS) / (total_s + PSEUDO_CHARS)
    ratio = min(ratio_bounds[1], max(ratio_bounds[0], ratio))
    vals_s = set().union(*(v for u in src for v in u.numbers))
    vals_t = set().union(*(v for u in tgt for v in u.numbers))
    val_bit = {v: k for k, v in enumerate(vals_s & vals_t)}
    names_common = frozenset().union(*(u.names for u in src)) & frozenset().union(*(u.names for u in tgt))
    name_bit = {k: b for b, k in enumerate(names_common)}
    if band is None:
        diagonal = _diagonal(src, tgt, ratio)
        if diagonal is not None:
            return diagonal
    centres = _centres(src, tgt)
    links = _run(src, tgt, val_bit, name_bit, centres, band, ratio, SHAPES)
    if any(not link.src or not link.tgt for link in links):
        links = _run(src, tgt, val_bit, name_bit, centres, band, ratio, WIDE_SHAPES)
    return _pair_gaps(links)


# The 1-1 diagonal is taken without the dynamic programme when both sides have as many sentences,
# every pair's lengths fit (a length cost under this: p > 0.005) and no pair's anchors disagree.
# (On 320 WMT stories of 25 lines, a source or a reference against a system output, the
# programme chose that same diagonal every time it applied, even at p > 0.001.)
DIAGONAL_MAX_LENGTH_COST = -math.log(0.005)


def _diagonal(src: Sequence[Unit], tgt: Sequence[Unit], ratio: float) -> list[Link] | None:
    """The alignment of two stories that translate each other sentence by sentence, if they plainly
    do (most do): far cheaper than the programme, which would find the same path."""
    if len(src) != len(tgt):
        return None
    prior = _PRIOR_COST[(1, 1)]
    links = []
    for i, (s, t) in enumerate(zip(src, tgt)):
        lc = _length_cost(s.length, t.length, ratio)
        if lc > DIAGONAL_MAX_LENGTH_COST:
            return None
        if (s.numbers or s.names) and (t.numbers or t.names):
            met = not s.names.isdisjoint(t.names)
            if not met and s.numbers and t.numbers:
                t_vals = frozenset().union(*t.numbers)
                met = any(not v.isdisjoint(t_vals) for v in s.numbers)
            if not met:
                return None
        links.append(Link((i,), (i,), prior + lc))
    return links


def _run(src, tgt, val_bit, name_bit, centres, band, ratio, shapes) -> list[Link]:
    n, m = len(src), len(tgt)
    kmax = max(max(di, dj) for di, dj in shapes)
    S = _Side(src, val_bit, name_bit, kmax)
    T = _Side(tgt, val_bit, name_bit, kmax)
    width = band if band is not None else MIN_BAND
    while True:
        result = _align_band(S, T, centres, width, ratio, shapes)
        if result is not None:
            links, touched = result
            if not touched or band is not None or width >= max(n, m):
                return links
        elif width >= max(n, m):
            raise RuntimeError("alignment failed")  # cannot happen: the full table reaches the corner
        width = max(n, m) if band is not None else width * 2


_PAD = 3  # cells of padding left of each row: the widest step back in the target


def _align_band(S: _Side, T: _Side, centres: list[int], width: int, ratio: float,
                shapes: Sequence[tuple[int, int]] = SHAPES):
    """The dynamic programme within ``width`` of ``centres``: (links, whether the path touched the
    band's edge), or None when the band does not reach the corner."""
    n, m = S.n, T.n
    lo_l, hi_l = [], []
    for i in range(n + 1):
        a = centres[max(0, i - 1)]
        b = centres[min(n, i + 1)]
        lo_l.append(max(0, min(a, centres[i]) - width))
        hi_l.append(min(m, max(b, centres[i]) + width))
    lo_l[0] = 0
    hi_l[n] = m
    sizes = [h - l + 1 for l, h in zip(lo_l, hi_l)]
    base = [0]
    for s in sizes:
        base.append(base[-1] + s)
    ncell = base[-1]
    inf = float("inf")
    # Every paired bead of every cell at once: which groups it pairs (a on the source side, b on
    # the target side) and where its cost goes, listed row by row (C-level list extends), then
    # one vectorised cost computation.
    paired = [(di, dj) for di, dj in shapes if di and dj and di <= n and dj <= m]
    a_l: list[int] = []
    b_l: list[int] = []
    at_l: list[int] = []
    counts: list[int] = []
    for k, (di, dj) in enumerate(paired):
        oa, ob = S.offset[di], T.offset[dj]
        for i in range(di, n + 1):
            j0 = max(lo_l[i], dj)
            cnt = hi_l[i] - j0 + 1
            if cnt <= 0:
                continue
            a_l += [oa + i - di] * cnt
            b_l += range(ob + j0 - dj, ob + hi_l[i] - dj + 1)
            at = k * ncell + base[i] + j0 - lo_l[i]
            at_l += range(at, at + cnt)
        counts.append(len(a_l) - sum(counts))
    a = np.array(a_l, dtype=np.int64)
    b = np.array(b_l, dtype=np.int64)
    prior = np.repeat(np.array([_PRIOR_COST[s] for s in paired]), counts)
    c = prior + _length_costs(S.length[a], T.length[b], ratio) + _anchor_costs(S, T, a, b)
    full = np.full(len(paired) * ncell, inf)
    full[np.array(at_l, dtype=np.int64)] = c
    flat = full.tolist()
    cost = {shape: flat[k * ncell:(k + 1) * ncell] for k, shape in enumerate(paired)}
    p10, p01 = _PRIOR_COST[(1, 0)], _PRIOR_COST[(0, 1)]
    g10 = [p10 + g for g in S.gap]
    g01 = [p01 + g for g in T.gap]

    # Rows hold cells lo-_PAD .. hi (padding on the left), padded on the right as the band moves
    # on, so that every slice below is in range. A row is the element-wise minimum of the beads
    # arriving from the rows above (C-level ``map``), then the 0-1 beads run along it; which bead
    # won is worked out again only for the cells on the best path.
    rows: list[list[float]] = []
    row0 = [inf] * _PAD + [0.0]
    for j in range(1, hi_l[0] + 1):
        row0.append(row0[-1] + g01[j - 1])
    rows.append(row0)
    back_rows = sorted({di for di, _ in paired} | {1})
    for i in range(1, n + 1):
        lo_i, hi_i = lo_l[i], hi_l[i]
        w = hi_i - lo_i + 1
        c0 = base[i]
        need = {}
        for di in back_rows:
            if i - di < 0:
                continue
            prev, l = rows[i - di], lo_l[i - di]
            if len(prev) < hi_i - l + _PAD + 1:
                prev.extend([inf] * (hi_i - l + _PAD + 1 - len(prev)))
            need[di] = (prev, lo_i - l + _PAD)  # index of column lo_i in that row
        cands = []
        for di, dj in paired:
            if di in need:
                prev, at = need[di]
                cands.append(map(add, prev[at - dj:at - dj + w], cost[(di, dj)][c0:c0 + w]))
        prev, at = need[1]
        cands.append(map(add, prev[at:at + w], repeat(g10[i - 1], w)))
        row = [inf] * _PAD
        row += map(min, *cands) if len(cands) > 1 else cands[0]
        last = row[_PAD]
        for k in range(_PAD + 1, w + _PAD):
            v = last + g01[lo_i + k - _PAD - 1]
            if v < row[k]:
                row[k] = v
            last = row[k]
        rows.append(row)
    if rows[n][m - lo_l[n] + _PAD] == inf:
        return None
    order = [s for s in shapes if s in cost or s in ((1, 0), (0, 1))]
    links: list[Link] = []
    touched = False
    i, j = n, m
    while i > 0 or j > 0:
        if (j == lo_l[i] and j > 0) or (j == hi_l[i] and j < m):
            touched = True
        here = rows[i][j - lo_l[i] + _PAD]
        step_shape = None
        # The first bead, in the order of ``shapes``, that gives this cell its cost.
        for si, sj in order:
            pi, pj = i - si, j - sj
            if pi < 0 or pj < 0 or not (lo_l[pi] <= pj <= hi_l[pi]):
                continue
            if (si, sj) == (1, 0):
                c = g10[i - 1]
            elif (si, sj) == (0, 1):
                c = g01[j - 1]
            else:
                c = cost[(si, sj)][base[i] + j - lo_l[i]]
            if rows[pi][pj - lo_l[pi] + _PAD] + c == here:
                step_shape = (si, sj)
                break
        if step_shape is None:
            raise RuntimeError("alignment backtrace lost its path")
        di, dj = step_shape
        step = here - rows[i - di][j - dj - lo_l[i - di] + _PAD]
        links.append(Link(tuple(range(i - di, i)), tuple(range(j - dj, j)), step))
        i, j = i - di, j - dj
    links.reverse()
    return links, touched


def _pair_gaps(links: list[Link]) -> list[Link]:
    """An omission next to an addition is one sentence translated badly: pair them (1-1)."""
    out: list[Link] = []
    for link in links:
        if out:
            prev = out[-1]
            if (prev.shape == (1, 0) and link.shape == (0, 1)) or (prev.shape == (0, 1) and link.shape == (1, 0)):
                out[-1] = Link(prev.src + link.src, prev.tgt + link.tgt, prev.cost + link.cost)
                continue
        out.append(link)
    return out


def align_texts(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str) -> list[Link]:
    """Align two lists of sentences."""
    return align([make_unit(s, src_lang) for s in src], [make_unit(t, tgt_lang) for t in tgt],
                 prior_ratio=expected_ratio(src_lang, tgt_lang))
