"""F: fluency against the reference model (mtcheck/lm).

F001 flags a span that is improbable under the reference language model AND
that a small local edit makes far more probable: two words swapped back, a
function word replaced by another of its class, a content word in another form
of its stem, a word repeated three or more times kept once. Improbable is
judged against the story's own baseline (its median token surprisal), not an
absolute threshold, so a story full of rare names is not flagged for them. The
rewrite is offered as an ``unsafe`` suggestion: the model knows general
English, not the story's facts.

Which model: the shipped default for the target language, mixed with the
newsroom profile when ``--profile`` / ``profile`` names one of that language
(:func:`mtcheck.lm.model_for`); no model for the language, no F findings. The
scorer itself is in ``ctx.services["lm_score"]`` for the other families.
"""
from __future__ import annotations

from typing import Iterable

from .. import lm
from ..context import Context
from ..document import BODY, Document
from ..finding import Finding
from ..lm.scan import Candidate, scan
from ..lm.text import normalise, tokens
from ..rules import Rule, flag, ok, unsafe

# Calibrated on the WMT 2021 German-English human references (flags) and on
# edits of the same kinds injected into them (recall); see scripts/build_lm.py
# and the README's "Reference model" section.
# Minimum gain (nats) of the edited window over the original, per kind of edit.
MIN_DELTA = {"swap": 10.0, "function": 12.0, "article": 1.0, "form": 9.0, "repeat": 4.0}
# Where edits are tried (see mtcheck.lm.scan.scan): the most surprising tokens of
# each sentence against the story's baseline; deeper edits only where a token
# is far off it. These bound the work per story.
SCAN = {"per_sentence": 4, "min_excess": 4.0, "deep_excess": 8.0, "article_excess": -1e9, "max_forms": 5}
BLOCKS = (BODY,)

F001 = Rule(
    "F001", "improbable-span", "warning",
    "A span the reference model finds improbable, which a small edit makes far more probable.",
    description="""
The reference language model (a SentencePiece n-gram model, see `mtcheck/lm`;
with `--profile`, mixed with one learned from the newsroom's own archive by
`mtcheck learn`) scores every token of the story. Where a token is far more
surprising than the story's own baseline, mtcheck tries small local edits
around it: swapping two adjacent words, replacing a function word (preposition,
article, conjunction, pronoun, auxiliary) with another of its class, another
form of a word's stem ("importance" -> "important"), dropping repeats of a word
said three or more times. It flags the span only when an edit makes it much
more probable, and shows that edit as an unsafe suggestion: machine
translation garbles word order and function words in ways no single rule
names, but the model knows general English, not the story, so read the
suggestion before taking it.
""",
    fix="never",
    examples=(
        flag("The ministers met in Brussels and signed an major agreement on energy prices."),
        flag("The company said that than more 300 workers would lose their jobs this year."),
        flag("Police said the driver was taken to hospital hospital hospital hospital after the crash."),
        ok("The ministers met in Brussels and signed a major agreement on energy prices."),
        ok("The company said that more than 300 workers would lose their jobs this year."),
        ok("Zelenskyy told Kuleba and Shmyhal that Ukrenergo would restore power to Kharkiv by Tuesday."),
    ),
    target_langs=(),
)

RULES = [F001]


def _case_like(word: str, like: str) -> str:
    if like[:1].isupper() and not like.isupper():
        return word[:1].upper() + word[1:]
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word


def _rewrite(doc_text: str, toks: list[tuple[int, int, str]], c: Candidate, sentence_start: bool) -> str:
    e = c.edit
    first = toks[e.start]
    if e.kind == "swap":
        (_, e1, r1), (s2, _, r2) = toks[e.start], toks[e.start + 1]
        gap = doc_text[e1:s2]
        if sentence_start and e.start == 0 and r1[:1].isupper() and r1[1:].islower():
            return r2[:1].upper() + r2[1:] + gap + r1[:1].lower() + r1[1:]
        return r2 + gap + r1
    if e.kind == "repeat":
        return first[2]
    return _case_like(e.new[0], first[2])


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    model = lm.model_for(ctx.target_lang, ctx.services.get("profile"))
    if model is None:
        return []
    sents: list[list[tuple[int, int, str]]] = []
    for s in doc.sentences:
        if doc.blocks[s.block].kind not in BLOCKS:
            continue
        t = tokens(doc.text, s.start, s.end)
        if t:
            sents.append(t)
    if not sents:
        return []
    norm = [[normalise(t) for _, _, t in s] for s in sents]
    raw = [[t for _, _, t in s] for s in sents]
    result = scan(model, norm, raw, words=model.word_list, **SCAN)
    best: dict[int, list[Candidate]] = {}
    for c in result.candidates:
        if c.delta < MIN_DELTA.get(c.edit.kind, 1e9):
            continue
        best.setdefault(c.sentence, []).append(c)
    out: list[Finding] = []
    for si, cands in best.items():
        cands.sort(key=lambda c: -c.delta)
        taken: list[tuple[int, int]] = []
        toks = sents[si]
        for c in cands:
            e = c.edit
            if any(e.start < b and a < e.end for a, b in taken):
                continue
            taken.append((e.start, e.end))
            start, end = toks[e.start][0], toks[e.end - 1][1]
            span = doc.text[start:end]
            rewrite = _rewrite(doc.text, toks, c, True)
            out.append(F001.finding(
                start, end,
                f"“{span}” is improbable here; “{rewrite}” is far more likely (check the wording).",
                (unsafe(rewrite),),
                confidence=round(min(0.95, 0.5 + c.delta / 40.0), 2),
                edit=e.kind, gain=round(c.delta, 2),
            ))
    return out
