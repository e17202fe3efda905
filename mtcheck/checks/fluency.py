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
from itertools import accumulate
from typing import Iterable

import numpy as np

from .. import lm
from ..context import Context
from ..document import BODY, Document
from ..finding import Finding
from ..lm.edits import Edit, replacement_kind
from ..lm.scan import Candidate, scan
from ..lm.text import TOKEN_RE, normalise, tokens
from ..lexicon import word_class
from ..lm.words import choose_many
from ..rules import Rule, flag, ok, unsafe

# When an edit is taken, per kind: (minimum gain of the piece model, minimum
# gain of the word-bigram model, minimum of piece gain + WORD_WEIGHT x word
# gain, minimum surprisal peak over the story baseline), all in nats. Without a
# word-bigram table for the language only the piece gain is used
# (MIN_DELTA). Calibrated on the WMT German-English human references (which
# must stay quiet) and on the DEMETR perturbations the issue names; measured by
# `python scripts/evaluate.py --only demetr,refs,profile`. "form" edits are
# never taken (so, with a word table, not even tried): with these models they
# cannot be told from the references' own word choices. A word minimum of 0
# (both models must find the edit better) held for every swap and function-word
# flag on those sets before it was required, and lets WordGate drop most
# proposals before the piece model scores them.
ACCEPT: dict[str, tuple[float, float, float, float]] = {
    "swap": (2.0, 0.0, 13.0, -1e9),
    "function": (4.0, 0.0, 17.5, 4.0),
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
# Languages whose model decides alone (ACCEPT_BY_LANG) try fewer, likelier
# places: with no word table to sift the proposals cheaply, every one costs a
# piece-model window, and their stricter thresholds are rarely met elsewhere.
# Measured by `python scripts/evaluate_fluency_lang.py` (report half) against
# the full scan (SCAN): recall on the Spanish MT perturbations 5.0% -> 4.0%
# (swaps) and 8.5% -> 5.8% (function words), on held-out French 29.0% -> 27.3%
# and 21.0% -> 13.7%; held-out Spanish false alarms 0.65 -> 0.43 per 1,000
# words; WMT24 references unchanged (0.13); F on Spanish about 1.5 times faster.
_NARROW = dict(SCAN, per_sentence=6, min_excess=4.0, deep_excess=6.0)
SCAN_BY_LANG: dict[str, dict] = {"es": _NARROW, "fr": _NARROW}


# Of the words that could replace a function word, how many are tried (the ones
# the word-bigram table likes best between its neighbours); 0 tries them all.
FUNCTION_ALTERNATIVES = 3
BLOCKS = (BODY,)


def scan_settings(lang: str) -> dict:
    """The scan's budget for stories in ``lang``."""
    return SCAN_BY_LANG.get(lang, SCAN)

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
    return edit_prior(c.edit, norm[c.sentence], lang)


def edit_prior(e: Edit, toks: list[str], lang: str) -> float:
    """:func:`prior_bonus` of edit ``e`` in the sentence of normalised tokens ``toks``."""
    if e.kind == "function":
        return float("-inf") if e.start == 0 and _opening_kept(toks, lang) else 0.0
    if e.kind != "swap":
        return 0.0
    return _swap_prior(toks, e.start, lang)


def _opening_kept(toks: list[str], lang: str) -> bool:
    """Whether the sentence's opening word is one a function-word edit may not
    replace: "Or it's about..." -> "But": how to open a sentence is the writer's choice."""
    return toks[0] in _clash_words(lang) and toks[0] not in _rare_prepositions(lang)


def _swap_prior(toks: list[str], i: int, lang: str) -> float:
    """:func:`edit_prior` of swapping tokens ``i`` and ``i + 1``."""
    first, second = toks[i], toks[i + 1]
    if first in _ARTICLES and second not in _ARTICLES and second in _clash_words(lang):
        return ARTICLE_CLASH_BONUS
    if i == 0 or _floating_adverb(first, lang) or _floating_adverb(second, lang):
        return float("-inf")
    return 0.0


def _piece_ok(c: Candidate) -> bool:
    piece_min, _, _, peak_min = ACCEPT.get(c.edit.kind, (1e9, 1e9, 1e9, 1e9))
    return c.delta >= piece_min and c.peak >= peak_min


@lru_cache(maxsize=None)
def _class_chooser(lang: str):
    """Replacements of a function word only within FUNCTION_CLASSES_BY_LANG[lang]."""
    from ..lm.edits import FUNCTION_CLASSES

    classes = FUNCTION_CLASSES.get(lang, {})
    allowed = frozenset(w for k in FUNCTION_CLASSES_BY_LANG.get(lang, ()) for w in classes.get(k, ()))

    kept: dict[str, tuple[str, ...]] = {}  # word -> its alternatives within the classes (they depend on it alone)

    def pick(toks, i, alts):
        w = toks[i]
        got = kept.get(w)
        if got is None:
            got = kept[w] = tuple(a for a in alts if a in allowed) if w in allowed else ()
        return got

    def choose(requests):  # scan asks for all (toks, i, alts, sentence) of a story at once
        return [pick(r[0], r[1], r[2]) for r in requests]

    return choose


def _lang_ok(c: Candidate, by_lang: dict[str, tuple[float, float]]) -> bool:
    piece_min, peak_min = by_lang.get(c.edit.kind, (1e9, 1e9))
    return c.delta >= piece_min and c.peak >= peak_min


def accepted(c: Candidate, word_gain: float, bonus: float = 0.0) -> bool:
    """Whether both models agree that the edit makes the span far more probable."""
    piece_min, word_min, sum_min, peak_min = ACCEPT.get(c.edit.kind, (1e9, 1e9, 1e9, 1e9))
    return (c.delta >= piece_min and word_gain >= word_min
            and c.delta + WORD_WEIGHT * word_gain + bonus >= sum_min and c.peak >= peak_min)


def word_gains(wlm, norm: list[list[str]], cands: list[Candidate]) -> list[float]:
    """Per candidate: the word-bigram model's gain (nats) from its edit (:func:`word_gains_of`)."""
    return word_gains_of(wlm, norm, [(c.sentence, c.edit) for c in cands])


class WordGate:
    """The word-bigram table's opinion of every proposed edit of a story, asked
    before the piece model scores any (a ``gate`` for :func:`~mtcheck.lm.scan.scan`).

    Both models must find an edit better for it to be flagged (ACCEPT's word
    minimum), and the priors' vetoes hold whatever the models say, so edits
    failing either are dropped here, where one vectorised pass over the word
    table costs far less than the piece model's windows. Swaps are judged by
    the table before they are even proposed (``swap_ok``, for the scan: the
    gains of the swaps around every token where the scan will try them, which
    ``prepare`` is told first, come from one look-up), by the priors once
    proposed (fewer than the story's word pairs); ``choose`` proposes, of the
    replacements of one function word, only the ``keep`` the table likes best
    between its neighbours, and keeps their word gains from the same look-up.
    ``gain(edit)`` then gives each kept edit's word gain.
    """

    def __init__(self, wlm, norm: list[list[str]], lang: str, keep: int = FUNCTION_ALTERNATIVES):
        self.wlm, self.norm, self.lang = wlm, norm, lang
        self.words = StoryWords(wlm, norm)
        self._gains: dict[int, float] = {}  # id(edit) -> gain, for the edits let through
        self._swaps: np.ndarray | None = None  # per token of the story: the gain of swapping it with the next
        self._swap_ok: list[bool] | None = None  # per token of the story: whether that gain is enough
        self.keep = keep
        # (sentence, token, new word) -> word gain of that replacement, from the look-up that chose it
        self._sub_gains: dict[tuple[int, int, str], float] = {}
        self.choose = self._choose if keep else None

    def gain(self, e: Edit) -> float:
        return self._gains.get(id(e), 1e9)

    def prepare(self, swap_places: dict[int, list[int]]) -> None:
        """The swap gains the scan will read (``prepare`` of :func:`~mtcheck.lm.scan.scan`):
        at tokens ``j - 2`` to ``j`` of every ``j`` where it will try swaps, and nowhere else."""
        first = self.words.tok_first
        at = [first[si] + i for si, js in swap_places.items() for j in js for i in range(max(0, j - 2), j + 1)]
        self._swaps = self.words.swap_gains(_unique(np.array(at, dtype=np.int64)))
        self._swap_ok = None

    def swap_ok(self, si: int) -> list[bool]:
        """Per token of sentence ``si``: whether swapping it with the next is worth proposing."""
        if self._swaps is None:
            self._swaps = self.words.swap_gains()
        if self._swap_ok is None:
            # NaN (not two words) is never >= need; the prior's veto comes in __call__
            self._swap_ok = (self._swaps >= ACCEPT["swap"][1]).tolist()
        first = self.words.tok_first
        return self._swap_ok[first[si]:first[si + 1]]

    def _choose(self, requests: list) -> list[tuple[str, ...]]:
        """:func:`~mtcheck.lm.words.choose_many` for the story's ``(tokens, i,
        alternatives, sentence)`` requests, with each token's neighbours read
        from the story's words. The word gains of the replacements it keeps are
        worked out from the same look-up, so :meth:`__call__` need not ask the
        table for those pairs again (about 1 us a pair on rows no longer in cache),
        and one below its kind's word minimum (ACCEPT), which :meth:`__call__`
        would drop, is not proposed at all."""
        sw = self.words
        at = [sw.tok_first[r[3]] + r[1] for r in requests]  # each function word's token in the story
        q = sw.word_at[at]
        word = sw.is_word[at]
        prev = sw.w[q - 1]
        nxt = sw.w[np.where(word, q + 1, q)]  # after a word, the next slot; elsewhere the word it stands before
        scores: list = []
        picked = choose_many(self.wlm, requests, self.keep, neighbours=(prev.tolist(), nxt.tolist()), scores=scores)
        # a word replaced by a word: StoryWords.gains' arithmetic, on these scores
        sw.ensure_here(np.concatenate((q, q + 1)))
        base = (sw.here[q] + sw.here[q + 1]).tolist()
        gains = self._sub_gains
        for r, (req, chosen, ok) in enumerate(zip(requests, picked, word.tolist())):
            if not ok:
                continue
            toks, i, alts, si = req
            before, after = scores[r]
            kept = []
            for x in chosen:
                if x[:1].isalpha():
                    o = alts.index(x)
                    g = gains[si, i, x] = (float(before[o]) + float(after[o])) - base[r]
                    if g < ACCEPT[replacement_kind(toks[i], x)][1]:
                        continue  # __call__ would drop it: not even proposed
                kept.append(x)
            if len(kept) < len(chosen):
                picked[r] = tuple(kept)
        return picked

    def __call__(self, jobs: list[tuple[int, Edit]]) -> list[tuple[int, Edit]]:
        swaps = self._swaps
        known = self._sub_gains
        pre = [known.get((si, e.start, e.new[0])) if e.kind == "function" or e.kind == "article" else None
               for si, e in jobs]
        rest = [(si, e) for (si, e), g in zip(jobs, pre) if g is None and (e.kind != "swap" or swaps is None)]
        rest_gains = iter(self.words.gains(rest))
        out = []
        norm, lang = self.norm, self.lang
        first = self.words.tok_first
        for (si, e), g in zip(jobs, pre):
            kind = e.kind
            if kind == "swap" and swaps is not None:
                g = float(swaps[first[si] + e.start])  # proposed only where swap_ok allowed it
                if _swap_prior(norm[si], e.start, lang) == float("-inf"):
                    continue
            elif g is None:
                g = next(rest_gains)
            if kind != "swap" or swaps is None:
                if g < ACCEPT.get(kind, _NEVER)[1]:
                    continue
                if kind in ("swap", "function") and edit_prior(e, norm[si], lang) == float("-inf"):
                    continue
            self._gains[id(e)] = g
            out.append((si, e))
        return out


_NEVER = (1e9, 1e9, 1e9, 1e9)


class PriorGate:
    """The priors' vetoes (:func:`edit_prior`) as a ``gate`` for
    :func:`~mtcheck.lm.scan.scan`, for a language without a word table:
    a vetoed edit is never flagged, so the piece model need not score it."""

    def __init__(self, norm: list[list[str]], lang: str):
        self.norm, self.lang = norm, lang

    swap_ok = None  # every swap may be proposed; the vetoes are applied with the other edits'

    def choices(self, choices: list) -> list:
        """The scan's grouped replacements of a function word (``(slot,
        sentence, token, alternatives)``) the priors do not veto: the veto of
        one opening a sentence holds for every alternative (:func:`edit_prior`)."""
        norm, lang = self.norm, self.lang
        return [c for c in choices if c[2] or not _opening_kept(norm[c[1]], lang)]

    def __call__(self, jobs: list[tuple[int, Edit]]) -> list[tuple[int, Edit]]:
        # a prior may veto a swap, or a function word where it opens a sentence
        norm, lang = self.norm, self.lang
        return [(si, e) for si, e in jobs
                if not (e.kind == "swap" or e.kind == "function" and e.start == 0)
                or edit_prior(e, norm[si], lang) > float("-inf")]


def _unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` of an integer array, by sorting: numpy 2's hashing
    unique costs 40-130 us on the few hundred positions a story gives (sorting: 8-20)."""
    s = np.sort(a)
    return s[np.concatenate(([True], s[1:] != s[:-1]))] if len(s) else s


class StoryWords:
    """A story's words laid end to end for the word-bigram table (each sentence
    between boundaries, the bigram scores of the text as it stands looked up
    once), to score many edits in one look-up.

    The table holds words only, so an edit changes the bigrams from the word
    before its first word to the word after its last (sentence boundaries at
    either end). Repeats are not scored (their gain is taken as large).
    Tokens are counted through the whole story (``tok_first[si]``: where
    sentence ``si``'s begin), and ``word_at[t]`` is where token ``t``'s word
    (or, for another token, the next word) stands in ``w``.
    """

    def __init__(self, wlm, norm: list[list[str]]):
        self.wlm, self.norm = wlm, norm
        lengths = [len(toks) for toks in norm]
        self.tok_first = list(accumulate(lengths, initial=0))
        flat = [t for toks in norm for t in toks]
        is_word = [t[:1].isalpha() for t in flat]
        self.is_word = np.array(is_word, dtype=bool)
        sent = np.arange(len(norm), dtype=np.int64).repeat(lengths)
        before = self.is_word.cumsum() - self.is_word  # words before each token in the story
        # each sentence's words sit between a boundary before and one after
        self.word_at = before + 2 * sent + 1
        self.w = np.zeros(int(self.is_word.sum()) + 2 * len(norm), dtype=np.int64)
        self.w[self.word_at[self.is_word]] = wlm.word_ids([t for t, ok in zip(flat, is_word) if ok])
        # here[k]: the score of the bigram (w[k-1], w[k]) as the text stands; looked up only where an
        # edit needs it (NaN until then): most of a story's bigrams are nowhere near a surprising token
        self.here = np.full(len(self.w), np.nan)

    def ensure_here(self, q: np.ndarray) -> None:
        """Look up ``here`` at positions ``q`` where it is still missing."""
        self._pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), q)

    def _pairs(self, prev: np.ndarray, cur: np.ndarray, need: np.ndarray) -> np.ndarray:
        """``pair_scores(prev, cur)``, with ``here`` filled in at the positions of
        ``need`` that lack it, in the same look-up."""
        here, w = self.here, self.w
        miss = _unique(need)
        miss = miss[np.isnan(here[miss])]
        k = len(prev)
        if len(miss):
            sc = self.wlm.pair_scores(np.concatenate((prev, w[miss - 1])), np.concatenate((cur, w[miss])))
            here[miss] = sc[k:]
            return sc[:k]
        return self.wlm.pair_scores(prev, cur) if k else np.zeros(0, dtype=np.float32)

    def _swap_gains_at(self, q: np.ndarray) -> np.ndarray:
        """Gains of swapping the words at positions q and q + 1 of ``w``."""
        w, here = self.w, self.here
        a, b, before, after = w[q], w[q + 1], w[q - 1], w[q + 2]
        new = self._pairs(np.concatenate((before, b, a)), np.concatenate((b, a, after)),
                          np.concatenate((q, q + 1, q + 2))).astype(np.float64)
        k = len(q)
        return (new[:k] + new[k:2 * k] + new[2 * k:]) - (here[q] + here[q + 1] + here[q + 2])

    def swap_gains(self, at: np.ndarray | None = None) -> np.ndarray:
        """Per token of the story: the gain of swapping it with the next token
        (NaN where the two are not both words of one sentence, and, when ``at``
        is given, at every token not in it)."""
        n = len(self.is_word)
        out = np.full(n, np.nan)
        if n > 1:
            last = np.zeros(n, dtype=bool)  # a sentence's last token: no next token to swap with
            last[np.asarray(self.tok_first[1:], dtype=np.int64) - 1] = True
            ok = self.is_word[:-1] & self.is_word[1:] & ~last[:-1]
            if at is None:
                pair = ok.nonzero()[0]
            else:
                at = at[at < n - 1]
                pair = at[ok[at]]
            if len(pair):
                out[pair] = self._swap_gains_at(self.word_at[pair])
        return out

    def gains(self, jobs: list[tuple[int, Edit]]) -> list[float]:
        """Per ``(sentence, edit)``: the word-bigram model's gain (nats) from the edit."""
        out = [1e9] * len(jobs)
        swaps: list[tuple[int, int]] = []  # (job, position of its first word)
        subs: list[tuple[int, int]] = []
        sub_words: list[str] = []
        norm, first, word_at = self.norm, self.tok_first, self.word_at
        for ji, (si, e) in enumerate(jobs):
            kind = e.kind
            if kind == "repeat":
                continue
            q = int(word_at[first[si] + e.start])
            if kind == "swap" and e.end - e.start == 2:
                swaps.append((ji, q))
            elif len(e.new) == 1 and e.end - e.start == 1 and e.new[0][:1].isalpha() and norm[si][e.start][:1].isalpha():
                subs.append((ji, q))
                sub_words.append(e.new[0])
            else:
                out[ji] = _word_gain_slow(self.wlm, norm[si], e)
        if swaps:
            ji_s, q_s = zip(*swaps)
            for ji, g in zip(ji_s, self._swap_gains_at(np.array(q_s, dtype=np.int64)).tolist()):
                out[ji] = g
        if subs:
            ji_s, q_s = zip(*subs)
            q = np.array(q_s, dtype=np.int64)
            w, here = self.w, self.here
            x = np.array(self.wlm.word_ids(sub_words), dtype=np.int64)
            new = self._pairs(np.concatenate((w[q - 1], x)), np.concatenate((x, w[q + 1])),
                              np.concatenate((q, q + 1))).astype(np.float64)
            k = len(q)
            for ji, g in zip(ji_s, ((new[:k] + new[k:]) - (here[q] + here[q + 1])).tolist()):
                out[ji] = g
        return out


def word_gains_of(wlm, norm: list[list[str]], jobs: list[tuple[int, Edit]]) -> list[float]:
    """Per ``(sentence, edit)``: the word-bigram model's gain (nats) from the edit (:class:`StoryWords`)."""
    return StoryWords(wlm, norm).gains(jobs)


def _word_gain_slow(wlm, toks: list[str], e: Edit) -> float:
    """:func:`word_gains_of` for one edit of any shape (none of the scan's today)."""
    words = [t for t in toks if t[:1].isalpha()]
    ids = wlm.word_ids(words)
    ws = sum(1 for t in toks[:e.start] if t[:1].isalpha())
    we = sum(1 for t in toks[:e.end] if t[:1].isalpha())
    before = ids[ws - 1] if ws > 0 else 0
    after = ids[we] if we < len(ids) else 0
    old = [before] + ids[ws:we] + [after]
    new = [before] + wlm.word_ids([t for t in e.new if t[:1].isalpha()]) + [after]
    sc_old = wlm.pair_scores(np.array(old[:-1]), np.array(old[1:])).astype(np.float64).sum()
    sc_new = wlm.pair_scores(np.array(new[:-1]), np.array(new[1:])).astype(np.float64).sum()
    return float(sc_new - sc_old)


def story_tokens(doc: Document) -> tuple[list[tuple[int, int]], list[list[str]], list[list[str]]]:
    """The body sentences the model reads, as ``(start, end)`` offsets, then
    their normalised tokens and their raw ones (the tokens' own offsets are
    worked out again, by :func:`~mtcheck.lm.text.tokens`, only where a finding needs them)."""
    spans: list[tuple[int, int]] = []
    raw: list[list[str]] = []
    text, blocks, find = doc.text, doc.blocks, TOKEN_RE.findall
    for s in doc.sentences:
        if blocks[s.block].kind not in BLOCKS:
            continue
        t = find(text, s.start, s.end)
        if t:
            spans.append((s.start, s.end))
            raw.append(t)
    norm = [list(map(normalise, r)) for r in raw]
    return spans, norm, raw


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    model = lm.model_for(ctx.target_lang, ctx.services.get("profile"))
    if model is None:
        return []
    spans, norm, raw = story_tokens(doc)
    if not spans:
        return []
    wlm = lm.word_model(ctx.target_lang)
    by_lang = ACCEPT_BY_LANG.get(ctx.target_lang) if wlm is None else None
    # kinds never taken are not tried either (without any table, every kind is)
    skip = frozenset(k for k, t in (by_lang or (ACCEPT if wlm is not None else {})).items() if min(t) >= 1e9)
    if by_lang is not None:
        # no word table, a calibrated default model (es, fr): the piece gain alone, within the classes tried
        gate = PriorGate(norm, ctx.target_lang)
        result = scan(model, norm, raw, words=model.word_list, skip=skip, choose=_class_chooser(ctx.target_lang),
                      gate=gate, swap_ok=gate.swap_ok, min_delta={k: t[0] for k, t in by_lang.items()},
                      bound=True, **scan_settings(ctx.target_lang))
        kept = [c for c in result.candidates if _lang_ok(c, by_lang)]
        gain_of = {id(c): 0.0 for c in kept}
    elif wlm is None:
        result = scan(model, norm, raw, words=model.word_list, skip=skip, min_delta=MIN_DELTA, **SCAN)
        kept = result.candidates  # min_delta already kept only those gaining MIN_DELTA
        gain_of = {id(c): 0.0 for c in kept}
    else:
        # the word table and the priors first (WordGate), the piece model for what they leave
        lang = ctx.target_lang
        gate = WordGate(wlm, norm, lang)
        result = scan(model, norm, raw, words=model.word_list, skip=skip, choose=gate.choose, gate=gate,
                      swap_ok=gate.swap_ok, prepare=gate.prepare, min_delta={k: t[0] for k, t in ACCEPT.items()},
                      **SCAN)
        kept = []
        for c in result.candidates:
            if _piece_ok(c):
                b = prior_bonus(c, norm, lang)
                if accepted(c, gate.gain(c.edit), b):
                    kept.append(c)
        gain_of = {id(c): 0.0 if c.edit.kind == "repeat" else gate.gain(c.edit) for c in kept}
    best: dict[int, list[Candidate]] = {}
    for c in kept:
        best.setdefault(c.sentence, []).append(c)
    out: list[Finding] = []
    for si, cands in best.items():
        cands.sort(key=lambda c: -(c.delta + WORD_WEIGHT * min(gain_of[id(c)], 50.0)))
        taken: list[tuple[int, int]] = []
        toks = tokens(doc.text, *spans[si])
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
