"""Improbable spans and the small edits that would make them probable.

:func:`scan` scores every sentence of a story once (one vectorised pass), picks
the few most surprising tokens of each sentence against the story's own
baseline, tries the local edits of :mod:`mtcheck.lm.edits` around them, and
scores all those variants in a second vectorised pass. Only the window an
edit can change is rescored: the three tokens before it as history, the edit,
and the three tokens after it (a 4-gram over pieces sees no further).

Besides the score difference, each candidate records the *junction orders*:
the longest n-gram the model knew at the first piece of every edited token and
of the token after the edit, before and after the edit. "Never seen after its
neighbour" (order 1) turning into "seen" is stronger evidence than a score
difference alone, which also rewards merely commoner wording.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .edits import Edit, WordList, edits_at, repeat_runs
from .model import BOS, EOS, LanguageModel

AFTER = 3  # tokens after an edit whose scores it can change
BEFORE = 3  # tokens of history kept before it


@dataclass
class Candidate:
    sentence: int
    edit: Edit
    delta: float  # score(variant window) - score(original window), nats
    surprisal: float  # the original window's excess surprisal over the story baseline
    peak: float  # the most surprising token's excess over the baseline, in the edited tokens and the one after
    prior: float = 0.0  # context-free score of the new tokens minus the old ones'
    old_order: int = 0  # lowest junction order before the edit
    new_order: int = 0  # ... and after it

    @property
    def gain(self) -> float:
        """How much better the edit fits its context, its words' own frequency aside."""
        return self.delta - self.prior


@dataclass
class ScanResult:
    scores: list[np.ndarray]  # per sentence: token scores, then the end-of-sentence score
    orders: list[np.ndarray]  # per sentence: the n-gram order at each token's first piece, then EOS's
    baseline: float
    candidates: list[Candidate]


def score_story(model: LanguageModel, sentences: Sequence[Sequence[str]]):
    """Per sentence: token scores (+ EOS) and first-piece orders (+ EOS)."""
    ids, pos, bounds = model.encode(sentences)
    lp, order = model.score_ids(ids, pos, orders=True)
    allb = np.concatenate(bounds)
    sums = np.add.reduceat(lp, allb)
    firsts = order[allb]
    cuts = np.cumsum([len(b) for b in bounds])[:-1]
    return np.split(sums, cuts), np.split(firsts, cuts)


def scan(
    model: LanguageModel,
    sentences: Sequence[Sequence[str]],
    raw: Sequence[Sequence[str]],
    *,
    words: WordList | None = None,
    per_sentence: int = 3,
    min_excess: float = 2.0,
    max_forms: int = 10,
    prior_weight: int = 200,
) -> ScanResult:
    if not sentences:
        return ScanResult([], [], 0.0, [])
    scores, orders = score_story(model, sentences)
    surpr = [-s[:-1] for s in scores]
    allv = np.concatenate(surpr)
    if len(allv) == 0:
        return ScanResult(scores, orders, 0.0, [])
    baseline = float(np.median(allv))
    prior = model.meta.get("surprisal_median")
    if prior is not None and len(allv) < prior_weight:
        # A short text is a poor baseline on its own: pull it towards the model's.
        w = len(allv) / float(prior_weight)
        baseline = w * baseline + (1 - w) * float(prior)

    jobs: list[tuple[int, Edit]] = []
    for si, (toks, u) in enumerate(zip(sentences, surpr)):
        if not len(toks):
            continue
        jobs.extend((si, e) for e in repeat_runs(toks))
        excess = u - baseline
        for j in np.argsort(-excess, kind="stable")[:per_sentence]:
            if excess[j] < min_excess:
                break
            jobs.extend((si, e) for e in edits_at(toks, raw[si], int(j), model.lang, words, max_forms=max_forms))
    if not jobs:
        return ScanResult(scores, orders, baseline, [])

    # One stream of every variant window; each scored piece carries its job index.
    pieces = model.tokeniser.pieces
    flat: list[int] = []
    posl: list[int] = []
    seg: list[int] = []
    junction: list[int] = []  # (stream index) first pieces whose order is checked
    junction_job: list[int] = []
    uni_ids: list[int] = []
    uni_seg: list[int] = []
    uni_sign: list[float] = []
    sent_pieces: dict[int, list[tuple[int, ...]]] = {}
    for ji, (si, e) in enumerate(jobs):
        toks = sentences[si]
        tp = sent_pieces.get(si)
        if tp is None:
            tp = sent_pieces[si] = pieces(toks)
        n = len(toks)
        ws = max(0, e.start - BEFORE)
        stop = min(n, e.end + AFTER)
        if ws == 0:
            flat.append(BOS)
            posl.append(0)
            seg.append(-1)
            p = 1
        else:
            p = 8
        for pc in tp[ws:e.start]:
            flat.extend(pc)
            posl.extend(range(p, p + len(pc)))
            seg.extend([-1] * len(pc))
            p += len(pc)
        new_pieces = pieces(list(e.new))
        body = new_pieces + tp[e.end:stop]
        for bi, pc in enumerate(body):
            if bi <= len(new_pieces):
                junction.append(len(flat))
                junction_job.append(ji)
            flat.extend(pc)
            posl.extend(range(p, p + len(pc)))
            seg.extend([ji] * len(pc))
            p += len(pc)
        if stop == n:
            if len(body) == len(new_pieces):
                junction.append(len(flat))
                junction_job.append(ji)
            flat.append(EOS)
            posl.append(p)
            seg.append(ji)
        if e.kind != "repeat":
            for pc in new_pieces:
                uni_ids.extend(pc)
                uni_seg.extend([ji] * len(pc))
                uni_sign.extend([1.0] * len(pc))
            for pc in tp[e.start:e.end]:
                uni_ids.extend(pc)
                uni_seg.extend([ji] * len(pc))
                uni_sign.extend([-1.0] * len(pc))
        # A separator so the next window never reads this one as history.
        flat.append(BOS)
        posl.append(0)
        seg.append(-1)
    ids = np.asarray(flat, dtype=np.int64)
    pos = np.asarray(posl, dtype=np.int64)
    segs = np.asarray(seg, dtype=np.int64)
    lp, order = model.score_ids(ids, pos, orders=True)
    keep = segs >= 0
    new_sum = np.bincount(segs[keep], weights=lp[keep], minlength=len(jobs))
    new_order = np.full(len(jobs), 127, dtype=np.int64)
    np.minimum.at(new_order, np.asarray(junction_job, dtype=np.int64), order[np.asarray(junction, dtype=np.int64)])
    if uni_ids:
        u_lp = model.unigram_ids(np.asarray(uni_ids, dtype=np.int64)) * np.asarray(uni_sign)
        prior_d = np.bincount(np.asarray(uni_seg, dtype=np.int64), weights=u_lp, minlength=len(jobs))
    else:
        prior_d = np.zeros(len(jobs))

    out: list[Candidate] = []
    for ji, (si, e) in enumerate(jobs):
        s = scores[si]
        n = len(s) - 1
        stop = min(n, e.end + AFTER)
        old = float(s[e.start:stop].sum()) + (float(s[n]) if stop == n else 0.0)
        hi = min(e.end + 1, n + 1)
        out.append(Candidate(
            si, e, float(new_sum[ji]) - old,
            float(-s[e.start:stop].sum() - baseline * (stop - e.start)),
            float(np.max(-s[e.start:hi]) - baseline),
            float(prior_d[ji]),
            int(orders[si][e.start:hi].min()),
            int(new_order[ji]),
        ))
    return ScanResult(scores, orders, baseline, out)
