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

from functools import lru_cache
from typing import Iterable

from .. import lm
from ..context import Context
from ..document import BODY, Document
from ..finding import Finding
from ..lm.scan import Candidate, scan
from ..lm.text import normalise, tokens
from ..lexicon import word_class
from ..lm.words import chooser
from ..rules import Rule, flag, ok, unsafe

# When an edit is taken, per kind: (minimum gain of the piece model, minimum
# gain of the word-bigram model, minimum of piece gain + WORD_WEIGHT x word
# gain, minimum surprisal peak over the story baseline), all in nats. Without a
# word-bigram table for the language only the piece gain is used
# (MIN_DELTA). Calibrated on the WMT German-English human references (which
# must stay quiet) and on the DEMETR perturbations the issue names; measured by
# `python scripts/evaluate.py --only demetr,refs,profile`. "form" edits are
# never taken (so, with a word table, not even tried): with these models they
# cannot be told from the references' own word choices.
ACCEPT: dict[str, tuple[float, float, float, float]] = {
    "swap": (2.0, -1e9, 13.0, -1e9),
    "function": (4.0, -1e9, 17.5, 4.0),
    "article": (-2.0, -1e9, 1.0, -1e9),
    "form": (1e9, 1e9, 1e9, 1e9),
    "repeat": (4.0, -1e9, -1e9, -1e9),
}
WORD_WEIGHT = 1.0
MIN_DELTA = {"swap": 10.0, "function": 12.0, "article": 1.0, "form": 9.0, "repeat": 4.0}
# Languages with a shipped piece model but no word-bigram table: per kind,
# (minimum gain of the piece model, minimum surprisal peak over the story
# baseline), in nats; the priors' vetoes apply, and a kind at 1e9 is neither
# tried nor taken ("a"/"an" is English; word forms cannot be told from the
# agreement the writer chose). A function word is only replaced within the
# classes of FUNCTION_CLASSES_BY_LANG: auxiliaries and determiners carry tense,
# number and deixis, which these small models cannot judge ("habían" -> "ha").
# Chosen on the even half of `python scripts/evaluate_fluency_lang.py
# --calibrate` (WMT24 English-Spanish references, held-out Spanish and French
# prose, seeded perturbations); the script reports the odd half.
ACCEPT_BY_LANG: dict[str, dict[str, tuple[float, float]]] = {
    "es": {"swap": (16.0, 0.0), "function": (13.0, 0.0), "article": (1e9, 1e9), "form": (1e9, 1e9),
           "repeat": (4.0, -1e9)},
    "fr": {"swap": (16.0, 0.0), "function": (13.0, 0.0), "article": (1e9, 1e9), "form": (1e9, 1e9),
           "repeat": (4.0, -1e9)},
}
FUNCTION_CLASSES_BY_LANG = {
    "es": ("article", "preposition", "conjunction", "pronoun"),
    "fr": ("article", "preposition", "conjunction", "pronoun"),
}
# Where edits are tried (see mtcheck.lm.scan.scan): the most surprising tokens of
# each sentence against the story's baseline; deeper edits only where a token
# is far off it. These bound the work per story.
SCAN = {"per_sentence": 10, "min_excess": 3.0, "deep_excess": 4.0, "article_excess": -1e9, "max_forms": 8}
# Of the words that could replace a function word, how many are tried (the ones
# the word-bigram table likes best between its neighbours); 0 tries them all.
FUNCTION_ALTERNATIVES = 3
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
more probable under both the piece model and a word-bigram table distilled
from a large general English model (CMU Sphinx's; Spanish and French have no
such table: their smaller piece models decide alone, with stricter
thresholds), and shows that edit as an unsafe suggestion: machine
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


# An article straight before a preposition, conjunction, auxiliary or pronoun
# ("the in tiebreak", "the and Ofcom", "a establish") is almost never English:
# a swap that undoes it gets this much (nats) on top of the models' gains.
ARTICLE_CLASH_BONUS = 6.0
_ARTICLES = frozenset({"a", "an", "the"})


@lru_cache(maxsize=None)
def _clash_words(lang: str) -> frozenset[str]:
    from ..lm.edits import FUNCTION_CLASSES

    classes = FUNCTION_CLASSES.get(lang, {})
    return frozenset(w for k in ("preposition", "conjunction", "auxiliary", "pronoun") for w in classes.get(k, ()))


# Where an adverb goes is a matter of style more than of grammar ("we
# unfortunately must", "has not arrived yet"): swaps that only move one are not
# proposed. Classes "floating_adverb" and "ly_not_adverb" of
# corpora/lexicon/word_classes.tsv (English only for now).


@lru_cache(maxsize=None)
def _rare_prepositions(lang: str) -> frozenset[str]:
    from ..lm.edits import RARE_PREPOSITIONS

    return frozenset(RARE_PREPOSITIONS.get(lang, ()))


def _floating_adverb(w: str, lang: str) -> bool:
    if w in word_class(lang, "floating_adverb"):
        return True
    return lang == "en" and len(w) > 3 and w.endswith("ly") and w not in word_class(lang, "ly_not_adverb")


def prior_bonus(c: Candidate, norm: list[list[str]], lang: str) -> float:
    """Linguistic priors on an edit: a veto (-inf) for changing the connective
    that opens a sentence, for a swap that only moves a floating adverb or
    opens a sentence; a bonus for a swap that undoes an article clash."""
    e = c.edit
    toks = norm[c.sentence]
    if e.kind == "function":
        # "Or it's about..." -> "But": how to open a sentence is the writer's choice
        opening = e.start == 0 and toks[0] in _clash_words(lang) and toks[0] not in _rare_prepositions(lang)
        return float("-inf") if opening else 0.0
    if e.kind != "swap":
        return 0.0
    first, second = toks[e.start], toks[e.start + 1]
    if first in _ARTICLES and second not in _ARTICLES and second in _clash_words(lang):
        return ARTICLE_CLASH_BONUS
    if e.start == 0 or _floating_adverb(first, lang) or _floating_adverb(second, lang):
        return float("-inf")
    return 0.0


@lru_cache(maxsize=4)
def _chooser(wlm, keep: int):
    """One chooser per word table, so its cache of contexts serves every story of a run."""
    return chooser(wlm, keep)


def _piece_ok(c: Candidate) -> bool:
    piece_min, _, _, peak_min = ACCEPT.get(c.edit.kind, (1e9, 1e9, 1e9, 1e9))
    return c.delta >= piece_min and c.peak >= peak_min


@lru_cache(maxsize=None)
def _class_chooser(lang: str):
    """Replacements of a function word only within FUNCTION_CLASSES_BY_LANG[lang]."""
    from ..lm.edits import FUNCTION_CLASSES

    classes = FUNCTION_CLASSES.get(lang, {})
    allowed = frozenset(w for k in FUNCTION_CLASSES_BY_LANG.get(lang, ()) for w in classes.get(k, ()))

    def choose(toks, i, alts):
        return tuple(a for a in alts if a in allowed) if toks[i] in allowed else ()

    return choose


def _lang_ok(c: Candidate, by_lang: dict[str, tuple[float, float]]) -> bool:
    piece_min, peak_min = by_lang.get(c.edit.kind, (1e9, 1e9))
    return c.delta >= piece_min and c.peak >= peak_min


def _needs_word_gain(kind: str) -> bool:
    _, word_min, sum_min, _ = ACCEPT.get(kind, (1e9, 1e9, 1e9, 1e9))
    return word_min > -1e9 or sum_min > -1e9


def accepted(c: Candidate, word_gain: float, bonus: float = 0.0) -> bool:
    """Whether both models agree that the edit makes the span far more probable."""
    piece_min, word_min, sum_min, peak_min = ACCEPT.get(c.edit.kind, (1e9, 1e9, 1e9, 1e9))
    return (c.delta >= piece_min and word_gain >= word_min
            and c.delta + WORD_WEIGHT * word_gain + bonus >= sum_min and c.peak >= peak_min)


def word_gains(wlm, norm: list[list[str]], cands: list[Candidate]) -> list[float]:
    """Per candidate: the word-bigram model's gain (nats) from the edit.

    The table holds words only, so an edit changes the bigrams from the word
    before its first word to the word after its last (sentence boundaries at
    either end). Repeats are not scored (their gain is taken as large).
    """
    per_sentence: dict[int, tuple[list[int], list[int]]] = {}
    prev: list[int] = []
    cur: list[int] = []
    sign: list[float] = []
    owner: list[int] = []
    for ci, c in enumerate(cands):
        if c.edit.kind == "repeat":
            continue
        got = per_sentence.get(c.sentence)
        if got is None:
            toks = norm[c.sentence]
            words = [t for t in toks if t[:1].isalpha()]
            following = [0] * (len(toks) + 1)  # word index of the first word at or after each token
            following[len(toks)] = len(words)
            w = len(words)
            for k in range(len(toks) - 1, -1, -1):
                if toks[k][:1].isalpha():
                    w -= 1
                following[k] = w
            got = per_sentence[c.sentence] = (wlm.word_ids(words), following)
        ids, following = got
        e = c.edit
        ws, we = following[e.start], following[e.end]
        before = ids[ws - 1] if ws > 0 else 0
        after = ids[we] if we < len(ids) else 0
        for seq, sg in (([before] + ids[ws:we] + [after], -1.0),
                        ([before] + wlm.word_ids([t for t in e.new if t[:1].isalpha()]) + [after], 1.0)):
            for a, b in zip(seq, seq[1:]):
                prev.append(a)
                cur.append(b)
                sign.append(sg)
                owner.append(ci)
    out = [1e9] * len(cands)
    if owner:
        import numpy as np

        sc = wlm.pair_scores(np.array(prev), np.array(cur)) * np.array(sign)
        sums = np.bincount(np.array(owner), weights=sc, minlength=len(cands))
        touched = set(owner)
        for ci in touched:
            out[ci] = float(sums[ci])
    return out


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
    wlm = lm.word_model(ctx.target_lang)
    by_lang = ACCEPT_BY_LANG.get(ctx.target_lang) if wlm is None else None
    skip = frozenset(k for k, t in ACCEPT.items() if wlm is not None and min(t) >= 1e9)
    if by_lang is not None:
        skip = frozenset(k for k, t in by_lang.items() if min(t) >= 1e9)
    choose = _chooser(wlm, FUNCTION_ALTERNATIVES) if wlm is not None and FUNCTION_ALTERNATIVES else None
    if by_lang is not None:
        choose = _class_chooser(ctx.target_lang)
    result = scan(model, norm, raw, words=model.word_list, skip=skip, choose=choose, **SCAN)
    if by_lang is not None:
        kept = [c for c in result.candidates if _lang_ok(c, by_lang) and prior_bonus(c, norm, ctx.target_lang) > -1e9]
        gain_of = {id(c): 0.0 for c in kept}
    elif wlm is None:
        kept = [c for c in result.candidates if c.delta >= MIN_DELTA.get(c.edit.kind, 1e9)]
        gain_of = {id(c): 0.0 for c in kept}
    else:
        # the piece model's minimums and the priors' vetoes first: word gains only for what is left
        lang = ctx.target_lang
        pre = [(c, b) for c in result.candidates if _piece_ok(c) and (b := prior_bonus(c, norm, lang)) > -1e9]
        scored = [c for c, _ in pre if _needs_word_gain(c.edit.kind)]
        gain_of = {id(c): g for c, g in zip(scored, word_gains(wlm, norm, scored))}
        kept = [c for c, b in pre if accepted(c, gain_of.get(id(c), 1e9), b)]
        gain_of = {id(c): gain_of.get(id(c), 0.0) for c in kept}
    best: dict[int, list[Candidate]] = {}
    for c in kept:
        best.setdefault(c.sentence, []).append(c)
    out: list[Finding] = []
    for si, cands in best.items():
        cands.sort(key=lambda c: -(c.delta + WORD_WEIGHT * min(gain_of[id(c)], 50.0)))
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
                edit=e.kind, gain=round(c.delta, 2), word_gain=round(min(gain_of[id(c)], 99.0), 2),
            ))
    return out
