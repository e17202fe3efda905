"""Improbable spans and the small edits that would make them probable.

:func:`scan` scores every sentence of a story once (one vectorised pass), picks
the few most surprising tokens of each sentence against the story's own
baseline, tries the local edits of :mod:`mtcheck.lm.edits` around them, and
scores all those variants in a second vectorised pass. Only the window an
edit can change is rescored: its new pieces and the three after them (a
4-gram over pieces sees no further back), with the three before as history.

All variant windows of a story are laid out as ranges of one pool of piece
ids and scored in one call, so the work per candidate is a few integers.
"""
from __future__ import annotations

from itertools import accumulate, chain, islice, repeat
from operator import attrgetter, itemgetter
from typing import Callable, Mapping, NamedTuple, Sequence

import numpy as np

from .edits import Choice, Edit, SentenceEdits, WordList, article_edits, repeat_runs
from .model import LanguageModel, StreamScores

_SHALLOW = frozenset({"swap"})
_DEEP = frozenset({"swap", "function", "form"})
AFTER = 3  # tokens after an edit counted in its window's surprisal


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


def _chosen(jobs: list, nears: dict, choose, grouped: bool = False) -> tuple[list[tuple[int, Edit]], list[tuple[int, int, int, tuple[str, ...]]]]:
    """``jobs`` with each :class:`~mtcheck.lm.edits.Choice` replaced by the
    edits it stands for (the replacements ``choose`` keeps, or all).

    With ``grouped``, a choice whose replacements are all plain "function"
    edits is not spelt out: it comes back, with the other jobs, as
    ``(slot, sentence, token, alternatives)`` (``slot``: how many of the
    returned jobs stand before it), so that :func:`score_edits` can score its
    alternatives without an :class:`Edit` for each (a language without a word
    table proposes a dozen per function word, and scores nearly all of them
    too low to keep)."""
    slots = [k for k, (_, e) in enumerate(jobs) if type(e) is Choice]
    if not slots:
        return jobs, []
    requests = []
    for k in slots:
        si, c = jobs[k]
        near = nears[si]
        requests.append((near.toks, c.i, near.fw[near.toks[c.i]], si))
    picked = choose(requests) if choose is not None else [r[2] for r in requests]
    out: list[tuple[int, Edit]] = []
    groups: list[tuple[int, int, int, tuple[str, ...]]] = []
    done = 0
    for k, alts in zip(slots, picked):
        out += jobs[done:k]  # the edits up to this choice, as they were
        si, c = jobs[k]
        near = nears[si]
        if grouped and near.all_function(c.i, c.kinds):
            if alts:
                groups.append((len(out), si, c.i, tuple(alts)))
        else:
            out += zip(repeat(si), near.replacements(c.i, c.kinds, alts))
        done = k + 1
    out += jobs[done:]
    return out, groups


def _hot_tokens(excess: np.ndarray, first: list[int], min_excess: float) -> dict[int, list[tuple[int, float]]]:
    """Per sentence (``first[si]``: where its tokens begin in the story), its
    tokens at least ``min_excess`` over the baseline as ``(token, excess)``,
    the most surprising first, ties in sentence order; sentences with none are absent."""
    at = (excess >= min_excess).nonzero()[0]
    if not len(at):
        return {}
    sent = np.searchsorted(np.asarray(first[1:], dtype=np.int64), at, "right")
    order = np.lexsort((at, -excess[at], sent))
    out: dict[int, list[tuple[int, float]]] = {}
    for k, si, x in zip(at[order].tolist(), sent[order].tolist(), excess[at[order]].tolist()):
        out.setdefault(si, []).append((k - first[si], x))
    return out


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
    min_delta: "Mapping[str, float] | None" = None,
    prepare: "Callable[[dict[int, list[int]]], None] | None" = None,
    bound: bool = False,
) -> ScanResult:
    """Score a story and its candidate edits.

    Budget per sentence: every repeat run; "a"/"an" where it or the next token
    is ``article_excess`` over the baseline; at the ``per_sentence`` most
    surprising tokens at least ``min_excess`` over it, word swaps; where a
    token is ``deep_excess`` over, also function-word and word-form changes.
    Kinds in ``skip`` are not tried (a caller that would never take them);
    ``choose(requests)``, when given, picks which replacements of a function
    word are worth trying, for all the story's ``(tokens, i, alternatives,
    sentence)`` requests at once (see :func:`mtcheck.lm.words.choose_many`). ``gate``,
    when given, sees every proposed ``(sentence, edit)`` and returns the ones
    worth scoring: a caller with a cheaper opinion (a word model) spares the
    piece model most of the work; ``swap_ok(sentence)``, when given, says per
    token whether a swap with the next is worth proposing at all; a gate
    with a ``choices`` method (or no gate) also takes a function word's
    replacements grouped, one ``(slot, sentence, token, alternatives)`` for
    all of them (see :func:`_chosen`), so none becomes an Edit unless it is kept.
    ``prepare``, when given, is called once before any edit is proposed, with
    the tokens of each sentence around which swaps will be tried: of
    ``swap_ok``'s answer, only tokens ``j - 2`` to ``j`` of those ``j`` are
    read, so the caller may work its opinion out for those alone.
    ``min_delta``, when given, is the least gain per kind a caller would ever
    take (a kind absent from it: none): only those candidates are returned;
    with ``bound``, edits that cannot reach it are not scored at all (see
    :func:`score_edits`).
    """
    if not sentences:
        return ScanResult([], 0.0, [])
    stream = model.score_stream(sentences)
    scores = stream.tokens
    flat = stream.flat
    is_tok = np.ones(len(flat), dtype=bool)
    is_tok[stream.first[1:] - 1] = False  # every sentence's EOS score but the last ...
    is_tok[-1] = False  # ... and the last
    allv = -flat[is_tok]  # every token's surprisal, sentence after sentence
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
    excess = allv - baseline  # every token's excess surprisal over the story baseline
    ex_all = excess.tolist()
    lengths = [len(toks) for toks in sentences]
    first = list(accumulate(lengths, initial=0))
    hot = _hot_tokens(excess, first, min_excess)
    articles = "article" not in skip
    # the kinds tried at a token: by its excess, and in a question (no swaps there)
    kinds_at = {(deep, question): (_DEEP if deep else _SHALLOW) - skip - (_SHALLOW if question else frozenset())
                for deep in (False, True) for question in (False, True)}
    # where edits are tried, per sentence with surprising tokens: (token, kinds), the most surprising first
    trials: dict[int, list[tuple[int, frozenset[str]]]] = {}
    for si, places in hot.items():
        rw = raw[si]
        question = rw[-1] == "?"
        picked = trials[si] = []
        for j, x in places:  # the most surprising first (ties in sentence order)
            if len(picked) >= per_sentence:
                break
            if j and not rw[j][:1].islower() and not rw[j - 1][:1].islower():
                continue  # inside a name or a run of figures: no edit there explains it
            picked.append((j, kinds_at[x >= deep_excess, question]))
    if prepare is not None:
        prepare({si: [j for j, kinds in picked if "swap" in kinds] for si, picked in trials.items()})
    for si, toks in enumerate(sentences):
        n = lengths[si]
        if not n:
            continue
        rw = raw[si]
        jobs.extend(zip(repeat(si), repeat_runs(toks, rw)))
        if articles:
            for e in article_edits(toks, rw):
                if max(ex_all[first[si] + e.start:first[si] + e.start + 2]) >= article_excess:
                    jobs.append((si, e))
        picked = trials.get(si)
        if picked is None:
            continue
        near = nears[si] = SentenceEdits(toks, rw, lang, words, max_forms=max_forms, defer=True,
                                         swap_ok=swap_ok(si) if swap_ok is not None else None)
        for j, kinds in picked:
            if kinds:
                jobs.extend(zip(repeat(si), near.at(j, kinds)))
    jobs, choices = _chosen(jobs, nears, choose, grouped=gate is None or hasattr(gate, "choices"))
    if gate is not None:
        passed = gate(jobs) if jobs else jobs
        if choices:
            choices = _recount_slots(jobs, passed, gate.choices(choices))
        jobs = passed
    if not jobs and not choices:
        return ScanResult(scores, baseline, [])

    return ScanResult(scores, baseline, score_edits(model, sentences, stream, baseline, jobs, min_delta, choices,
                                                          bound=bound))


def _recount_slots(jobs: list[tuple[int, Edit]], passed: list[tuple[int, Edit]], choices: list) -> list:
    """``choices`` with each ``slot`` (counted in ``jobs``) counted in ``passed``,
    the jobs a gate let through, in their order."""
    if len(passed) == len(jobs) or not choices:
        return choices
    alive = set(map(id, map(itemgetter(1), passed)))
    before = list(accumulate((id(e) in alive for _, e in jobs), initial=0))
    return [(before[slot], si, i, alts) for slot, si, i, alts in choices]


def score_edits(model: LanguageModel, sentences: Sequence[Sequence[str]], stream: StreamScores,
                baseline: float, jobs: list[tuple[int, Edit]],
                min_delta: "Mapping[str, float] | None" = None,
                choices: "Sequence[tuple[int, int, int, tuple[str, ...]]]" = (), *,
                bound: bool = False) -> list[Candidate]:
    """Each ``(sentence, edit)`` as a :class:`Candidate` (only those gaining at
    least ``min_delta[kind]``, when given), in order; with ``choices``
    (``(slot, sentence, token, alternatives)``, as :func:`_chosen` groups
    them), also each "function" edit replacing that token by one of the
    alternatives, among the jobs' candidates before job ``slot``. A choice's
    :class:`Edit` is made only when its candidate is returned. A "swap" edit
    exchanges its two tokens (as :class:`~mtcheck.lm.edits.SentenceEdits`
    makes it): its new pieces are the story's own, in the other order.

    An edit changes the scores of its new pieces and of the ``n - 1`` pieces
    after them (a 4-gram sees three back), the end of the sentence among them
    when it is that close; every other piece keeps its score. So each variant
    is laid out as the ``n - 1`` pieces before the edit (or the sentence from
    its opening), the new pieces and those after, all variants as ranges of
    one pool (the story's stream, then each new token sequence's pieces), and
    only the new and following pieces are scored, in one call; the gain is
    their sum minus the same stretch of the story's own scores. The windows'
    surprisal and peak come from the story's token scores.

    With ``bound`` (and ``min_delta``), a window is scored only when its
    gain could reach the floor: each of its pieces is given the best score
    the model has for it after the piece before it, whatever came earlier
    (:meth:`~mtcheck.lm.model.LanguageModel.pair_bounds`), a look-up or two
    per edit instead of a window; the candidates returned are the same."""
    history = max(t.order for t, _ in model.tables) - 1  # pieces an n-gram looks back
    bounds = stream.bounds
    ntok_all = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    sent_b = stream.first  # where each sentence's bounds begin
    # rows: every job, then every alternative of every choice
    job_si, edits = zip(*jobs) if jobs else ((), ())
    m_jobs = len(jobs)
    _, c_si, c_i, c_alts = zip(*choices) if choices else ((), (), (), ())
    c_n = np.fromiter(map(len, c_alts), dtype=np.int64, count=len(choices))
    m = m_jobs + int(c_n.sum())
    kinds = list(map(attrgetter("kind"), edits))
    c_start = np.array(c_i, dtype=np.int64).repeat(c_n)
    si_a = np.concatenate((np.array(job_si, dtype=np.int64), np.array(c_si, dtype=np.int64).repeat(c_n)))
    start = np.concatenate((np.fromiter(map(attrgetter("start"), edits), dtype=np.int64, count=m_jobs), c_start))
    end = np.concatenate((np.fromiter(map(attrgetter("end"), edits), dtype=np.int64, count=m_jobs), c_start + 1))
    ntok = ntok_all[si_a]
    sb = sent_b[si_a]
    first = bounds[sb]  # the sentence's first piece (its BOS just before)
    p_start, p_end, eos = bounds[sb + start], bounds[sb + end], bounds[sb + ntok]
    pool, n_start, n_len = _new_pieces(model, stream, edits, kinds, list(chain.from_iterable(c_alts)),
                                       sb + start, p_start, p_end)
    a_len = np.minimum(history, eos + 1 - p_end)  # the pieces after, up to and including the EOS
    o_len = p_end - p_start + a_len  # the stretch of the story an edit's window replaces
    old = np.bincount(np.arange(m, dtype=np.int64).repeat(o_len), weights=stream.lp[_ranges(p_start, o_len)],
                      minlength=m)
    row = None  # which rows are scored (None: all)
    if min_delta is not None:
        floor = np.fromiter(map(min_delta.get, chain(kinds, repeat("function", m - m_jobs)),
                                repeat(1e18)), dtype=np.float64, count=m)
        if bound:
            reach = _reach(model, stream, pool, n_start, n_len, p_start, p_end, a_len)
            if reach is not None:
                # a tiny margin: the bound and the score add the same terms in other orders
                row = (reach - old >= floor - 1e-6).nonzero()[0]
                if not len(row):
                    return []
                start, end, ntok, sb, floor, old = start[row], end[row], ntok[row], sb[row], floor[row], old[row]
                first, p_start, p_end, n_start, n_len, a_len = (
                    first[row], p_start[row], p_end[row], n_start[row], n_len[row], a_len[row])
    new_sum = _window_sums(model, pool, first, p_start, p_end, n_start, n_len, a_len, history)
    delta = new_sum - old
    if min_delta is not None:
        # only the candidates a caller would take go on (most of them, in a language without a word table)
        rows = (delta >= floor).nonzero()[0]
        if not len(rows):
            return []
        delta, start, end, ntok, sb = delta[rows], start[rows], end[rows], ntok[rows], sb[rows]
        rows = (rows if row is None else row[rows]).tolist()
    else:
        rows = range(m)

    # the windows' surprisal and peak: the story's token scores (each sentence's tokens, then its EOS)
    flat = stream.flat
    stop = np.minimum(ntok, end + AFTER)
    length = stop - start
    acc = _row_sums(flat, sb + start, length)  # left to right, as sum() adds
    surprisal = -acc - baseline * length
    peak_len = np.minimum(end + 1, ntok + 1) - start
    peak = -_row_mins(flat, sb + start, peak_len) - baseline
    found = zip(rows, delta.tolist(), surprisal.tolist(), peak.tolist())
    if not choices:
        return [Candidate(jobs[r][0], jobs[r][1], d, s, p) for r, d, s, p in found]
    return _in_job_order(found, jobs, choices, m_jobs + c_n.cumsum() - c_n)


def _in_job_order(found, jobs: list[tuple[int, Edit]], choices: Sequence[tuple[int, int, int, tuple[str, ...]]],
                  c_first: np.ndarray) -> list[Candidate]:
    """The candidates of ``found`` (``(row, delta, surprisal, peak)``: a job's
    row, or one of a choice's, which begin at ``c_first``), each where its edit
    stood among the jobs: a choice's alternatives, in their order, before job ``slot``."""
    m_jobs = len(jobs)
    keyed = []
    for r, d, s, p in found:
        if r < m_jobs:
            keyed.append(((r, 1, 0, 0), Candidate(jobs[r][0], jobs[r][1], d, s, p)))
        else:
            c = int(c_first.searchsorted(r, "right")) - 1
            slot, si, i, alts = choices[c]
            a = r - int(c_first[c])
            keyed.append(((slot, 0, c, a), Candidate(si, Edit(i, i + 1, (alts[a],), "function"), d, s, p)))
    keyed.sort(key=itemgetter(0))
    return [c for _, c in keyed]


def _window_sums(model: LanguageModel, pool: np.ndarray, first: np.ndarray, p_start: np.ndarray,
                 p_end: np.ndarray, n_start: np.ndarray, n_len: np.ndarray, a_len: np.ndarray,
                 history: int) -> np.ndarray:
    """Per edit, the summed scores of its window's new pieces (``pool[n_start:]``,
    ``n_len`` of them) and the ``a_len`` story pieces from ``p_end``, each
    given the ``history`` pieces before the edit at ``p_start`` (fewer at a
    sentence's opening, ``first``): all windows laid out end to end and scored in one call."""
    m = len(p_start)
    full = p_start - first >= history
    h_begin = np.where(full, p_start - history, first - 1)
    slot_start = np.stack([h_begin, n_start, p_end], axis=1).ravel()
    slot_len = np.stack([p_start - h_begin, n_len, a_len], axis=1).ravel()
    ids = pool[_ranges(slot_start, slot_len)]
    # positions count up from each window's start (0 at a BOS, else 8: a full history; n <= 9)
    w_len = slot_len.reshape(m, 3).sum(axis=1)
    w_first = w_len.cumsum() - w_len
    win = np.arange(m, dtype=np.int64).repeat(w_len)
    pos = np.arange(len(ids), dtype=np.int64) - w_first[win] + np.where(full, 8, 0)[win]
    s_len = n_len + a_len  # scored: the new pieces and those after
    lp = model.score_ids(ids, pos, at=_ranges(w_first + (p_start - h_begin), s_len))
    return np.bincount(np.arange(m, dtype=np.int64).repeat(s_len), weights=lp, minlength=m)


def _new_pieces(model: LanguageModel, stream: StreamScores, edits: Sequence[Edit], kinds: list[str],
                alts: list[str], tok: np.ndarray, p_start: np.ndarray, p_end: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The new pieces of every edit (the jobs' ``edits`` of ``kinds``, then one
    row per alternative of ``alts``; ``tok``: where each edit's first token is in
    the stream's bounds) as ranges of one pool of piece ids: the stream, then
    every distinct new token sequence's pieces, then every swap's (its second
    token's pieces, then its first's). Returns the
    pool, and where each row's pieces begin in it and how many there are.
    A swap's pieces are the story's own, in the other order: no new token
    sequence, tokenisation or dictionary entry for it."""
    m_jobs = len(edits)
    m = m_jobs + len(alts)
    swap = np.fromiter(map("swap".__eq__, kinds), dtype=bool, count=m_jobs)
    news = [e.new for e, k in zip(edits, kinds) if k != "swap"]
    # each distinct new token sequence once: a job's (a tuple) or an alternative (a str)
    new_at = {x: k for k, x in enumerate(dict.fromkeys(chain(news, alts)))}
    seqs = [(x,) if type(x) is str else x for x in new_at]
    words_pieces = iter(model.tokeniser.pieces(list(chain.from_iterable(seqs))))  # every new word's, in one call
    new_pieces = [list(chain.from_iterable(islice(words_pieces, len(x)))) for x in seqs]
    new_len = np.fromiter(map(len, new_pieces), dtype=np.int64, count=len(new_pieces))
    seq_end = len(stream.ids) + new_len.cumsum()
    nw = np.fromiter(map(new_at.__getitem__, chain(news, alts)), dtype=np.int64, count=len(news) + len(alts))
    n_len = np.empty(m, dtype=np.int64)
    n_start = np.empty(m, dtype=np.int64)
    seq = np.ones(m, dtype=bool)
    seq[:m_jobs] = ~swap
    n_len[seq] = new_len[nw]
    n_start[seq] = seq_end[nw] - n_len[seq]
    pool = [stream.ids, np.fromiter(chain.from_iterable(new_pieces), dtype=np.int64)]
    sw = swap.nonzero()[0]
    if len(sw):
        mid = stream.bounds[tok[sw] + 1]  # where the second token's pieces begin
        begin, stop = p_start[sw], p_end[sw]
        n_len[sw] = sw_len = stop - begin
        n_start[sw] = (int(seq_end[-1]) if len(seq_end) else len(stream.ids)) + sw_len.cumsum() - sw_len
        pool.append(stream.ids[_ranges(np.stack([mid, begin], axis=1).ravel(),
                                       np.stack([stop - mid, mid - begin], axis=1).ravel())])
    return np.concatenate(pool), n_start, n_len


def _reach(model: LanguageModel, stream: StreamScores, pool: np.ndarray, n_start: np.ndarray, n_len: np.ndarray,
           p_start: np.ndarray, p_end: np.ndarray, a_len: np.ndarray) -> np.ndarray | None:
    """Per edit, an upper bound on the score of its window's scored pieces (its
    ``n_len`` new pieces at ``pool[n_start:]``, then the ``a_len`` pieces of the
    story from ``p_end``): the sum of each piece's best score after the piece
    before it, from one look-up of those pairs (None when the model cannot
    bound its scores)."""
    m = len(p_start)
    ids = stream.ids
    new = n_len > 0
    h = ids[p_start - 1]  # the piece before the edit (a BOS at a sentence's opening)
    a1 = ids[p_end]  # the first piece after it (the EOS at a sentence's end)
    n_first = pool[np.where(new, n_start, 0)]
    n_last = pool[np.where(new, n_start + n_len - 1, 0)]
    inner = _ranges(n_start + 1, np.maximum(n_len - 1, 0))  # the new pieces after the first
    after = _ranges(p_end + 1, a_len - 1)  # the story's pieces after the first one after
    prev = np.concatenate((h, n_last[new], pool[inner - 1], ids[after - 1]))
    cur = np.concatenate((np.where(new, n_first, a1), a1[new], pool[inner], ids[after]))
    best = model.pair_bounds(prev, cur)
    if best is None:
        return None
    each = np.arange(m, dtype=np.int64)
    owner = np.concatenate((each, each[new], each.repeat(np.maximum(n_len - 1, 0)), each.repeat(a_len - 1)))
    return np.bincount(owner, weights=best, minlength=m)


def _ranges(begin: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The indices ``begin[k] .. begin[k] + length[k] - 1`` of every k, end to end."""
    total = int(length.sum())
    first = length.cumsum() - length
    return (begin - first).repeat(length) + np.arange(total, dtype=np.int64)


def _gather(flat: np.ndarray, begin: np.ndarray, length: np.ndarray, pad: float) -> np.ndarray:
    width = int(length.max()) if len(length) else 0
    cols = np.arange(width, dtype=np.int64)
    idx = np.minimum(begin[:, None] + cols[None, :], len(flat) - 1)
    return np.where(cols[None, :] < length[:, None], flat[idx], pad)


def _row_sums(flat: np.ndarray, begin: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Sums of flat[begin:begin + length] per row, added left to right (the
    order of Python's sum(), so the figures match it to the bit)."""
    vals = _gather(flat, begin, length, 0.0)
    acc = vals[:, 0].copy()
    for k in range(1, vals.shape[1]):
        acc += vals[:, k]
    return acc


def _row_mins(flat: np.ndarray, begin: np.ndarray, length: np.ndarray) -> np.ndarray:
    return _gather(flat, begin, length, np.inf).min(axis=1)

