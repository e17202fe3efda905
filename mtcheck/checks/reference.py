"""Reference-aware checks (R): a human reference translation of the same story.

They run only when a reference is given (``--reference FILE`` or
``reference=`` in the API). Target and reference sentences are aligned with
the same aligner as the S family (both sides in the target language, so
numbers and names anchor even better), and each aligned target sentence is
scored with sentence-level chrF against its reference sentence: sacrebleu's
chrF, computed for the whole story at once (:func:`mtcheck.scores.chrf_many`).

A story has its own level: a literary story scores lower than a list of
football results, so a sentence is judged against the story's own chrF
distribution (median and spread), not against a fixed bar.
"""
from __future__ import annotations

from statistics import median
from typing import Iterable

from ..align import align, story_units
from ..context import Context
from ..document import Document
from ..finding import Finding
from ..rules import Rule, flag, ok


def _ref(text: str) -> str:
    return "reference: " + text


_STORY_OK = (
    "The storm hit the coast of Valencia on Monday. More than 12,000 homes were left without power. "
    "Schools will reopen on Thursday, the regional government said. The army helped clear the roads. "
    "Farmers counted losses in the orange groves."
)
_STORY_REF = (
    "The storm hit the coast of Valencia on Monday. More than 12,000 homes were left without electricity. "
    "Schools will reopen on Thursday, the regional government said. The army helped to clear the roads. "
    "Farmers counted their losses in the orange groves."
)

LOW_CHRF = Rule(
    "R001", "reference-divergence", "info",
    "This sentence diverges far more from the reference than the rest of the story does.",
    description="""
Each target sentence is aligned to the reference and scored with chrF. A
sentence far below the story's own distribution (more than two spreads
under its median, and under an absolute bar) is shown with its reference
sentence: it is worth a second look, though a free but correct rendering can
land there too.
""",
    examples=(
        flag(_STORY_OK.replace("Schools will reopen on Thursday, the regional government said.",
                               "The kids go back to their classes when the week is nearly done, say the bosses."),
             note=_ref(_STORY_REF)),
        flag(_STORY_OK.replace("More than 12,000 homes were left without power.",
                               "A lot of houses had issues with some things."),
             note=_ref(_STORY_REF)),
        ok(_STORY_OK, note=_ref(_STORY_REF)),
        ok("The storm hit the coast. Schools will reopen.", note=_ref("A storm hit the coast. Schools reopen.")),
    ),
    tags=("reference",),
)

RULES: list[Rule] = [LOW_CHRF]

MIN_SENTENCES = 4
ABSOLUTE_BAR = 40.0
MIN_GAP = 25.0


def _snippet(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    ref = ctx.reference_doc
    if ref is None or not ref.text.strip() or not doc.text.strip():
        return []
    from ..scores import chrf_many

    lang = ctx.target_lang
    t_spans = [(s.start, s.end) for s in doc.sentences]
    r_spans = [(s.start, s.end) for s in ref.sentences]
    if not t_spans or not r_spans:
        return []
    # The translation's sentences are read once for the S and R families.
    cache = ctx.services.setdefault("sentence_units", {})
    # Both sides in one language: digits as written anchor the alignment well enough, so the
    # numbers are not read (the S family's full units are used when it has made them).
    _, t_units = story_units(doc.text, t_spans, lang, cache, light=True)
    _, r_units = story_units(ref.text, r_spans, lang, None, light=True)
    links = align(r_units, t_units)
    pairs: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    for link in links:
        if not link.src or not link.tgt:
            continue
        hyp = " ".join(doc.text[t_spans[j][0]:t_spans[j][1]] for j in link.tgt)
        refs = " ".join(ref.text[r_spans[i][0]:r_spans[i][1]] for i in link.src)
        pairs.append((hyp, refs))
        spans.append((t_spans[link.tgt[0]][0], t_spans[link.tgt[-1]][1]))
    if len(pairs) < MIN_SENTENCES:
        return []
    values = chrf_many(pairs)
    mid = median(values)
    spread = median(abs(v - mid) for v in values) * 1.4826
    bar = min(ABSOLUTE_BAR, mid - max(MIN_GAP, 2.0 * spread))
    out: list[Finding] = []
    for value, (s, e), (_, refs) in zip(values, spans, pairs):
        if value < bar:
            out.append(LOW_CHRF.finding(
                s, e,
                f'chrF {value:.0f} against the story\'s median {mid:.0f}; the reference reads: "{_snippet(refs)}"',
                reference=refs, chrf=round(value, 2),
            ))
    return out
