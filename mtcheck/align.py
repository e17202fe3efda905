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

The dynamic programme only visits cells within a band around the diagonal,
so the work is linear in the length of the story.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from . import numbers

# Shape priors (Gale & Church 1993, Table 5), as costs.
_PRIOR = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
_PRIOR_COST = {k: -math.log(v) for k, v in _PRIOR.items()}
_VARIANCE = 2.0
ANCHOR_MISS = 1.2
ANCHOR_HIT = 0.6
GAP_ANCHOR_SHARE = 0.25
# Band half-width around the diagonal, in sentences.
MIN_BAND = 12


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
            self.length = sum(1 for ch in self.text if not ch.isspace())


def fold(word: str) -> str:
    """Lower case without accents: "Zürich" -> "zurich"."""
    nfkd = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in nfkd if not unicodedata.combining(ch)).lower().replace("ß", "ss")


_CAP_RE = re.compile(r"(?<![\w])([A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*)")


def name_keys(text: str) -> frozenset:
    """Capitalised words not at the start of the sentence, folded to five letters."""
    keys = set()
    for m in _CAP_RE.finditer(text):
        if m.start() == 0:
            continue
        w = fold(m.group(1).split("'")[0].split("’")[0])
        if len(w) >= 3:
            keys.add(w[:5])
    return frozenset(keys)


def make_unit(text: str, lang: str) -> Unit:
    qs = numbers.extract(text, lang)
    return Unit(
        text=text,
        numbers=[q.values for q in qs if q.kind != "word"],
        names=name_keys(text),
        marks=(text.count("?"), text.count("!"), text.count("(")),
    )


def _norm_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@lru_cache(maxsize=4096)
def _length_cost(l1: int, l2: int, ratio: float) -> float:
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2.0
    delta = (ratio * l1 - l2) / math.sqrt(max(mean, 1.0) * _VARIANCE * ratio)
    p = 2.0 * (1.0 - _norm_cdf(abs(delta)))
    return -math.log(max(p, 1e-12))


def _anchor_cost(src: Sequence[Unit], tgt: Sequence[Unit]) -> float:
    s_nums = [v for u in src for v in u.numbers]
    t_nums = [v for u in tgt for v in u.numbers]
    s_names = frozenset().union(*(u.names for u in src)) if src else frozenset()
    t_names = frozenset().union(*(u.names for u in tgt)) if tgt else frozenset()
    t_vals = set().union(*t_nums) if t_nums else set()
    s_vals = set().union(*s_nums) if s_nums else set()
    hit = miss = 0
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


def expected_ratio(src_lang: str | None, tgt_lang: str | None) -> float:
    if not src_lang or not tgt_lang or src_lang == tgt_lang:
        return 1.0
    if tgt_lang == "en":
        return _PRIOR_RATIO["en"]
    if src_lang == "en":
        return _PRIOR_FROM_EN.get(tgt_lang, 1.0)
    return 1.0


def align(src: Sequence[Unit], tgt: Sequence[Unit], *, band: int | None = None,
          prior_ratio: float = 1.0) -> list[Link]:
    """The cheapest chain of beads covering both sides, in order.

    The length ratio is the story's own, pulled towards ``prior_ratio`` (worth
    ``PSEUDO_CHARS`` characters), so a short story with an omission does not
    talk itself into a skewed ratio.
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
    ratio = min(2.5, max(0.4, ratio))
    width = band if band is not None else max(MIN_BAND, abs(n - m) + 4)

    def lo_hi(i: int) -> tuple[int, int]:
        centre = i * m / n
        return max(0, int(centre - width)), min(m, int(math.ceil(centre + width)))

    INF = float("inf")
    cost: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        lo, hi = lo_hi(i)
        row = cost[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = INF, None
            for (di, dj), prior in _PRIOR_COST.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi].get(pj)
                if prev is None:
                    continue
                s_units = src[pi:i]
                t_units = tgt[pj:j]
                ls = sum(u.length for u in s_units)
                lt = sum(u.length for u in t_units)
                if di and dj:
                    c = prior + _length_cost(ls, lt, ratio) + _anchor_cost(s_units, t_units)
                else:
                    # An omitted or added sentence: its anchors are expected to go unmatched, so
                    # they cost little here, and much in any bead that pairs it wrongly.
                    c = prior + GAP_ANCHOR_SHARE * _anchor_cost(s_units, t_units)
                total = prev + c
                if total < best:
                    best, arg = total, (di, dj)
            if arg is not None:
                row[j] = best
                back[i][j] = arg
    if m not in cost[n]:
        # The band missed the corner (should not happen); fall back to a wider band.
        return align(src, tgt, band=max(n, m), prior_ratio=prior_ratio)
    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = back[i][j]
        step = cost[i][j] - cost[i - di][j - dj]
        links.append(Link(tuple(range(i - di, i)), tuple(range(j - dj, j)), step))
        i, j = i - di, j - dj
    links.reverse()
    return _pair_gaps(links)


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
