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
    """chrF of one sentence (0-100)."""
    return _chrf().sentence_score(hyp, [ref]).score


_CHRF = None


def _chrf():
    global _CHRF
    if _CHRF is None:
        from sacrebleu.metrics import CHRF

        _CHRF = CHRF()
    return _CHRF


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
