"""Corpus and sentence scores with sacrebleu: BLEU, chrF, chrF++ and TER.

``mtcheck score`` prints the same numbers as sacrebleu's own ``corpus_bleu``,
``corpus_chrf`` and ``corpus_ter`` on line-aligned files, with sacrebleu's
signatures so a score can be reproduced. Only tokenizers that work offline are
offered (13a, intl, char); sacrebleu's flores and spm tokenizers download a
model at run time and are refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .errors import MtcheckError

TOKENIZERS = ("13a", "intl", "char")
METRICS = ("bleu", "chrf", "chrf++", "ter")


class ScoreError(MtcheckError):
    """Files that cannot be scored together (different line counts, no lines)."""


@dataclass
class Scores:
    bleu: float
    chrf: float
    chrfpp: float
    ter: float
    signatures: dict[str, str]
    sentences: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict:
        d: dict = {
            "bleu": self.bleu,
            "chrf": self.chrf,
            "chrf++": self.chrfpp,
            "ter": self.ter,
            "signatures": dict(self.signatures),
        }
        if self.sentences:
            d["sentences"] = self.sentences
        return d


def _metrics(tokenize: str):
    if tokenize not in TOKENIZERS:
        raise ScoreError(f"tokenizer {tokenize!r} is not offered (use one of {', '.join(TOKENIZERS)})")
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {
        "bleu": BLEU(tokenize=tokenize),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }


def score(hyps: Sequence[str], refs: Sequence[Sequence[str]], *, tokenize: str = "13a",
          sentences: bool = False) -> Scores:
    """Corpus scores of ``hyps`` against one or more reference streams (each line-aligned)."""
    if not refs:
        raise ScoreError("at least one reference is needed")
    for i, r in enumerate(refs, start=1):
        if len(r) != len(hyps):
            raise ScoreError(f"reference {i} has {len(r)} lines but the hypothesis has {len(hyps)}")
    if not hyps:
        raise ScoreError("nothing to score: the hypothesis is empty")
    metrics = _metrics(tokenize)
    refs = [list(r) for r in refs]
    hyps = list(hyps)
    results = {name: m.corpus_score(hyps, refs) for name, m in metrics.items()}
    sigs = {name: str(m.get_signature()) for name, m in metrics.items()}
    per_line: list[dict[str, float]] = []
    if sentences:
        from sacrebleu.metrics import BLEU

        # As sacrebleu's sentence_bleu: effective order, so a short line is not zeroed.
        metrics = dict(metrics, bleu=BLEU(tokenize=tokenize, effective_order=True))
        for i, h in enumerate(hyps):
            rs = [r[i] for r in refs]
            per_line.append({name: round(m.sentence_score(h, rs).score, 4) for name, m in metrics.items()})
    return Scores(
        bleu=results["bleu"].score,
        chrf=results["chrf"].score,
        chrfpp=results["chrf++"].score,
        ter=results["ter"].score,
        signatures=sigs,
        sentences=per_line,
    )


def sentence_chrf(hyp: str, ref: str) -> float:
    """chrF of one sentence (0-100): sacrebleu's ``sentence_chrf(hyp, [ref])``."""
    return chrf_many([(hyp, ref)])[0]


# sacrebleu's CHRF() defaults: character n-grams up to 6, no word n-grams, beta 2, white space
# removed, no lower-casing, no epsilon smoothing.
CHRF_ORDER = 6
CHRF_BETA = 2


def _f_score(stats: Sequence[tuple[float, float, float]], beta: int = CHRF_BETA) -> float:
    """sacrebleu's ``CHRF._compute_f_score`` (effective-order averaging) for one segment."""
    factor = beta ** 2
    avg_prec = avg_rec = 0.0
    effective = 0
    for n_hyp, n_ref, n_match in stats:
        if n_hyp > 0 and n_ref > 0:
            avg_prec += n_match / n_hyp
            avg_rec += n_match / n_ref
            effective += 1
    if effective == 0:
        return 0.0
    avg_prec /= effective
    avg_rec /= effective
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return 100 * score
    return 0.0


def _stats_from(match: Sequence[float], hyp_len: int, ref_len: int, order: int) -> list[tuple[float, float, float]]:
    out = []
    for n in range(1, order + 1):
        nh, nr = max(hyp_len - n + 1, 0), max(ref_len - n + 1, 0)
        # sacrebleu counts no hypothesis n-grams of an order the reference has none of.
        out.append((nh if nr > 0 else 0, nr, match[n - 1]))
    return out


def _chrf_python(hyp: str, ref: str, order: int = CHRF_ORDER) -> float:
    """The plain computation (for pairs the vectorised one cannot encode)."""
    from collections import Counter

    h, r = "".join(hyp.split()), "".join(ref.split())
    match = []
    for n in range(1, order + 1):
        hc = Counter(h[i:i + n] for i in range(len(h) - n + 1))
        rc = Counter(r[i:i + n] for i in range(len(r) - n + 1))
        match.append(sum(min(c, rc[g]) for g, c in hc.items() if g in rc))
    return _f_score(_stats_from(match, len(h), len(r), order))


def chrf_many(pairs: Sequence[tuple[str, str]], order: int = CHRF_ORDER) -> list[float]:
    """sacrebleu's sentence-level chrF of many (hypothesis, reference) pairs, computed at once.

    Equal to ``sacrebleu.sentence_chrf(hyp, [ref]).score`` (up to float rounding), at a fraction
    of the cost: every character n-gram of every segment becomes one 64-bit key (pair, the n
    characters as small integers, which side), the keys are sorted once, and for each order the
    runs of equal n-grams give the clipped matches of every pair with a few array operations.
    Pairs whose alphabet is too large for the key fall back to the plain computation.
    """
    import numpy as np

    P = len(pairs)
    if P == 0:
        return []
    segs: list[str] = []
    for h, r in pairs:
        segs.append("".join(h.split()))
        segs.append("".join(r.split()))
    lens = [len(s) for s in segs]
    text = "".join(segs)
    N = len(text)
    if N == 0:
        return [0.0] * P
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    uniq, ids = np.unique(cp, return_inverse=True)
    b = len(uniq).bit_length()  # character ids run 1..V; 0 pads past a segment's end
    pb = max(1, (P - 1).bit_length())
    if order * b + pb + 1 > 62:
        return [_chrf_python(h, r, order) for h, r in pairs]
    lens_a = np.array(lens, dtype=np.int64)
    ids = ids.reshape(-1).astype(np.int64) + 1
    seg = np.repeat(np.arange(2 * P, dtype=np.int64), lens_a)
    room = np.cumsum(lens_a)[seg] - np.arange(N, dtype=np.int64)  # characters left in the segment
    padded = np.concatenate([ids, np.zeros(order, dtype=np.int64)])
    code = padded[:N].copy()
    for k in range(1, order):
        code <<= b
        code |= padded[k:k + N] * (room > k)
    key = ((seg >> 1) << (order * b + 1)) | (code << 1) | (seg & 1)
    key.sort()
    side = np.concatenate(([0], np.cumsum(key & 1)))  # reference characters so far
    mask = (1 << b) - 1
    match = np.empty((order, P))
    for n in range(1, order + 1):
        head = key >> (1 + b * (order - n))  # pair and the first n characters
        starts = np.flatnonzero(np.concatenate(([True], head[1:] != head[:-1])))
        ends = np.append(starts[1:], N)
        heads = head[starts]
        real = (heads & mask) != 0  # runs whose n-gram does not run past its segment
        starts, ends, heads = starts[real], ends[real], heads[real]
        on_ref = side[ends] - side[starts]
        on_hyp = (ends - starts) - on_ref
        match[n - 1] = np.bincount(heads >> (b * n), weights=np.minimum(on_hyp, on_ref), minlength=P)
    match_l = match.T.tolist()
    return [_f_score(_stats_from(match_l[p], lens[2 * p], lens[2 * p + 1], order)) for p in range(P)]


def read_lines(path: str) -> list[str]:
    """Lines of a UTF-8 text file (as sacrebleu reads them: newline stripped, nothing else)."""
    try:
        with open(path, encoding="utf-8", newline=None) as fh:
            return [line.rstrip("\n") for line in fh]
    except FileNotFoundError:
        raise ScoreError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ScoreError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except IsADirectoryError:
        raise ScoreError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ScoreError(f"{path}: {exc.strerror or exc}") from None


def format_text(s: Scores) -> str:
    lines = [
        f"BLEU   {s.bleu:6.2f}   {s.signatures['bleu']}",
        f"chrF   {s.chrf:6.2f}   {s.signatures['chrf']}",
        f"chrF++ {s.chrfpp:6.2f}   {s.signatures['chrf++']}",
        f"TER    {s.ter:6.2f}   {s.signatures['ter']}",
    ]
    if s.sentences:
        lines.append("")
        lines.append(f"{'line':>5}  {'BLEU':>7}  {'chrF':>7}  {'chrF++':>7}  {'TER':>7}")
        for i, d in enumerate(s.sentences, start=1):
            lines.append(f"{i:>5}  {d['bleu']:7.2f}  {d['chrf']:7.2f}  {d['chrf++']:7.2f}  {d['ter']:7.2f}")
    return "\n".join(lines)
