"""Improbable spans and the small edits that would make them probable.

:func:`scan` scores every sentence of a story once (one vectorised pass), picks
the few most surprising tokens of each sentence against the story's own
baseline, tries the local edits of :mod:`mtcheck.lm.edits` around them, and
scores all those variants in a second vectorised pass. Only the window an
edit can change is rescored: the three tokens before it as history, the edit,
and the three tokens after it (a 4-gram over pieces sees no further).

All variant windows of a story are laid out as ranges of one pool of piece
ids and scored in one call, so the work per candidate is a few integers.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np

from .edits import Choice, Edit, SentenceEdits, WordList, article_edits, repeat_runs
from .model import BOS, EOS, LanguageModel

_SHALLOW = frozenset({"swap"})
_DEEP = frozenset({"swap", "function", "form"})
AFTER = 3  # tokens after an edit whose scores it can change
BEFORE = 3  # tokens of history kept before it


class Candidate(NamedTuple):  # not a dataclass: cheaper to define at start-up
    sentence: int
    edit: Edit
    delta: float  # score(variant window) - score(original window), nats
    surprisal: float  # the original window's excess surprisal over the story baseline
    peak: float  # the most surprising token's excess over the baseline, in the edited tokens and the one after


class ScanResult(NamedTuple):  # not a dataclass: cheaper to define at start-up
    scores: list[np.ndarray]  # per sentence: token scores, then the end-of-sentence score
    baseline: float
    candidates: list[Candidate]


def _median(values: np.ndarray) -> float:
    """``float(np.median(values))`` of a 1-D float array, to the bit.

    np.median imports numpy.ma on its first call (15-50 ms of a cold start) to
    check for masked arrays; this is the same computation without it: the middle
    value, or the mean of the two middle values ((a + b) / 2, as np.mean
    computes it), NaN when any value is NaN (sorted last).
    """
    v = np.sort(values)
    n = len(v)
    if n and np.isnan(v[-1]):
        return float("nan")
    h = n // 2
    if n % 2:
        return float(v[h])
    return (float(v[h - 1]) + float(v[h])) / 2.0


def _chosen(jobs: list, nears: dict, choose) -> list[tuple[int, Edit]]:
    """``jobs`` with each :class:`~mtcheck.lm.edits.Choice` replaced by the
    edits it stands for (the replacements ``choose`` keeps, or all)."""
    slots = [k for k, (_, e) in enumerate(jobs) if type(e) is Choice]
    if not slots:
        return jobs
    requests = []
    for k in slots:
        si, c = jobs[k]
        near = nears[si]
        requests.append((near.toks, c.i, near.fw[near.toks[c.i]]))
    picked = choose(requests) if choose is not None else [alts for _, _, alts in requests]
    out: list[tuple[int, Edit]] = []
    at = dict(zip(slots, picked))
    for k, (si, e) in enumerate(jobs):
        if type(e) is Choice:
            out.extend((si, x) for x in nears[si].replacements(e.i, e.kinds, at[k]))
        else:
            out.append((si, e))
    return out


def score_story(model: LanguageModel, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Per sentence: token scores, then the end-of-sentence score."""
    return model.score_sentences(sentences)


def scan(
    model: LanguageModel,
    sentences: Sequence[Sequence[str]],
    raw: Sequence[Sequence[str]],
    *,
    words: WordList | None = None,
    per_sentence: int = 4,
    min_excess: float = 3.0,
    deep_excess: float = 6.0,
    article_excess: float = 2.0,
    max_forms: int = 5,
    prior_weight: int = 200,
    skip: frozenset[str] = frozenset(),
    choose=None,
    gate: "Callable[[list[tuple[int, Edit]]], list[tuple[int, Edit]]] | None" = None,
    swap_ok: "Callable[[int], Sequence[bool]] | None" = None,
) -> ScanResult:
    """Score a story and its candidate edits.

    Budget per sentence: every repeat run; "a"/"an" where it or the next token
    is ``article_excess`` over the baseline; at the ``per_sentence`` most
    surprising tokens at least ``min_excess`` over it, word swaps; where a
    token is ``deep_excess`` over, also function-word and word-form changes.
    Kinds in ``skip`` are not tried (a caller that would never take them);
    ``choose(requests)``, when given, picks which replacements of a function
    word are worth trying, for all the story's ``(tokens, i, alternatives)``
    requests at once (see :func:`mtcheck.lm.words.choose_many`). ``gate``,
    when given, sees every proposed ``(sentence, edit)`` and returns the ones
    worth scoring: a caller with a cheaper opinion (a word model) spares the
    piece model most of the work; ``swap_ok(sentence)``, when given, says per
    token whether a swap with the next is worth proposing at all.
    """
    if not sentences:
        return ScanResult([], 0.0, [])
    scores = score_story(model, sentences)
    surpr = [-s[:-1] for s in scores]
    allv = np.concatenate(surpr)
    if len(allv) == 0:
        return ScanResult(scores, 0.0, [])
    baseline = _median(allv)
    prior = model.meta.get("surprisal_median")
    if prior is not None and len(allv) < prior_weight:
        # A short text is a poor baseline on its own: pull it towards the model's.
        w = len(allv) / float(prior_weight)
        baseline = w * baseline + (1 - w) * float(prior)

    jobs: list[tuple[int, Edit]] = []
    nears: dict[int, SentenceEdits] = {}
    lang = model.lang
    ex_all = (allv - baseline).tolist()  # every token's excess surprisal over the baseline
    offset = 0
    for si, toks in enumerate(sentences):
        n = len(toks)
        ex = ex_all[offset:offset + n]
        offset += n
        if not n:
            continue
        jobs.extend((si, e) for e in repeat_runs(toks, raw[si]))
        for e in article_edits(toks, raw[si]):
            if max(ex[e.start:e.start + 2]) >= article_excess:
                jobs.append((si, e))
        question = raw[si][-1] == "?"
        rw = raw[si]
        near = nears[si] = SentenceEdits(toks, rw, lang, words, max_forms=max_forms, defer=True,
                                         swap_ok=swap_ok(si) if swap_ok is not None else None)
        tried = 0
        # the most surprising first (ties in sentence order)
        for j in sorted((j for j in range(n) if ex[j] >= min_excess), key=lambda j: -ex[j]):
            if tried >= per_sentence:
                break
            if j and not rw[j][:1].islower() and not rw[j - 1][:1].islower():
                continue  # inside a name or a run of figures: no edit there explains it
            tried += 1
            kinds = (_DEEP if ex[j] >= deep_excess else _SHALLOW) - skip
            if question:
                kinds = kinds - _SHALLOW
                if not kinds:
                    continue
            jobs.extend((si, e) for e in near.at(j, kinds))
    jobs = _chosen(jobs, nears, choose)
    if gate is not None and jobs:
        jobs = gate(jobs)
    if not jobs:
        return ScanResult(scores, baseline, [])

    # Every variant window, as ranges of one pool of piece ids: the pool holds
    # BOS, EOS, each sentence's pieces and each new token sequence's pieces.
    pieces = model.tokeniser.pieces
    pool: list[int] = [BOS, EOS]
    sent_at: dict[int, tuple[int, list[int]]] = {}  # sentence -> (pool offset, token piece offsets)
    new_at: dict[tuple[str, ...], tuple[int, int]] = {}
    r_start: list[int] = []  # ranges of the pool, in stream order
    r_len: list[int] = []
    r_job: list[int] = []  # the job a scored range belongs to, -1 for history and separators
    w_start: list[int] = []  # per job: the position its window's first piece takes
    for ji, (si, e) in enumerate(jobs):
        sa = sent_at.get(si)
        if sa is None:
            offs = [0]
            base = len(pool)
            for pc in pieces(sentences[si]):
                pool.extend(pc)
                offs.append(offs[-1] + len(pc))
            sa = sent_at[si] = (base, offs)
        base, offs = sa
        na = new_at.get(e.new)
        if na is None:
            flat_new = [x for pc in pieces(e.new) for x in pc]
            na = new_at[e.new] = (len(pool), len(flat_new))
            pool.extend(flat_new)
        n = len(offs) - 1
        ws = max(0, e.start - BEFORE)
        stop = min(n, e.end + AFTER)
        if ws == 0:
            r_start.append(0); r_len.append(1); r_job.append(-1)
            w_start.append(0)
        else:
            w_start.append(8)
        r_start.append(base + offs[ws]); r_len.append(offs[e.start] - offs[ws]); r_job.append(-1)
        r_start.append(na[0]); r_len.append(na[1]); r_job.append(ji)
        r_start.append(base + offs[e.end]); r_len.append(offs[stop] - offs[e.end]); r_job.append(ji)
        if stop == n:
            r_start.append(1); r_len.append(1); r_job.append(ji)
        r_start.append(0); r_len.append(1); r_job.append(-2)  # separator: the next window reads no history here
    pool_a = np.asarray(pool, dtype=np.int64)
    starts = np.asarray(r_start, dtype=np.int64)
    lens = np.asarray(r_len, dtype=np.int64)
    rjob = np.asarray(r_job, dtype=np.int64)
    total = int(lens.sum())
    first = np.cumsum(lens) - lens
    idx = np.repeat(starts - first, lens) + np.arange(total, dtype=np.int64)
    ids = pool_a[idx]
    seg = np.repeat(rjob, lens)
    # positions: count up from each window's start; separators are sentence openings (0)
    sep = seg == -2
    win = np.concatenate(([0], np.cumsum(sep)[:-1]))  # window index of every piece
    win_first = np.flatnonzero(np.concatenate(([True], sep[:-1])))
    pos = np.arange(total, dtype=np.int64) - win_first[win] + np.asarray(w_start, dtype=np.int64)[win]
    pos[sep] = 0
    lp = model.score_ids(ids, pos)
    keep = seg >= 0
    new_sum = np.bincount(seg[keep], weights=lp[keep], minlength=len(jobs))

    out: list[Candidate] = []
    lists: dict[int, list[float]] = {}
    new_sum_l = new_sum.tolist()
    for ji, (si, e) in enumerate(jobs):
        sl = lists.get(si)
        if sl is None:
            sl = lists[si] = scores[si].tolist()
        n = len(sl) - 1
        stop = min(n, e.end + AFTER)
        window = sl[e.start:stop]
        old = sum(window) + (sl[n] if stop == n else 0.0)
        out.append(Candidate(
            si, e, new_sum_l[ji] - old,
            -sum(window) - baseline * (stop - e.start),
            -min(sl[e.start:min(e.end + 1, n + 1)]) - baseline,
        ))
    return ScanResult(scores, baseline, out)
