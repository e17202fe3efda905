"""Small local edits the fluency check tries at an improbable position.

An edit replaces tokens ``[start, end)`` of a sentence with ``new`` tokens
(normalised forms; the check rebuilds the surface text). The kinds:

- ``swap``: two adjacent words change places ("than more" -> "more than");
- ``function``: a function word becomes another of its class (prepositions,
  articles and determiners, conjunctions, pronouns, auxiliaries);
- ``form``: a content word becomes another form of the same stem
  ("importance tests" -> "important tests"), from the model's word list;
- ``repeat``: a run of three or more equal words keeps one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

# Classes of function words; a word is only ever replaced by one of its class.
FUNCTION_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "article": ("a", "an", "the"),
        "determiner": ("this", "that", "these", "those", "its", "his", "her", "their", "our", "some", "any",
                       "each", "every", "no"),
        "preposition": ("of", "in", "on", "at", "to", "for", "with", "by", "from", "about", "into", "over",
                        "under", "after", "before", "between", "through", "during", "against", "among",
                        "without", "within", "toward", "towards", "upon", "across", "along", "around", "behind",
                        "beyond", "inside", "outside", "down", "up", "off", "out", "since", "until", "via", "as"),
        "conjunction": ("and", "or", "but", "nor", "than", "if", "because", "while", "although", "whether"),
        "pronoun": ("he", "she", "it", "they", "we", "him", "them", "us", "who", "which", "whom", "whose"),
        "auxiliary": ("is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
                      "did", "will", "would", "can", "could", "should", "may", "might", "must"),
    },
}


@lru_cache(maxsize=None)
def function_words(lang: str) -> dict[str, tuple[str, ...]]:
    """Each function word -> the other words of its class (a word in two classes gets both)."""
    out: dict[str, list[str]] = {}
    for words in FUNCTION_CLASSES.get(lang, {}).values():
        for w in words:
            out.setdefault(w, []).extend(x for x in words if x != w and x not in out[w])
    return {w: tuple(v) for w, v in out.items()}


@dataclass(frozen=True)
class Edit:
    start: int  # first token replaced
    end: int  # one past the last
    new: tuple[str, ...]
    kind: str


class WordList:
    """A sorted word list with counts, for finding forms that share a stem."""

    def __init__(self, words: Sequence[str], counts: Sequence[int]):
        pairs = sorted(zip(words, counts))
        self.words = [w for w, _ in pairs]
        self.counts = [int(c) for _, c in pairs]
        self._index = {w: i for i, w in enumerate(self.words)}

    def __contains__(self, word: str) -> bool:
        return word in self._index

    def count(self, word: str) -> int:
        i = self._index.get(word)
        return self.counts[i] if i is not None else 0

    def forms(self, word: str, limit: int = 10) -> list[str]:
        """Other words sharing the stem of ``word`` (its first len-4 letters, at least 4)."""
        if len(word) < 5 or not word.isalpha():
            return []
        stem = word[: max(4, len(word) - 4)]
        lo = bisect.bisect_left(self.words, stem)
        hi = bisect.bisect_left(self.words, stem + "\uffff")
        cands = [
            (self.counts[i], self.words[i]) for i in range(lo, min(hi, lo + 400))
            if self.words[i] != word and self.words[i].isalpha() and abs(len(self.words[i]) - len(word)) <= 5
        ]
        cands.sort(reverse=True)
        return [w for _, w in cands[:limit]]


def _is_word(t: str) -> bool:
    return t[:1].isalpha()


def edits_at(
    toks: Sequence[str],
    raw: Sequence[str],
    j: int,
    lang: str,
    words: WordList | None,
    *,
    max_forms: int = 10,
) -> Iterator[Edit]:
    """Edits that could explain an improbable token ``j`` (it or the two before it)."""
    fw = function_words(lang)
    n = len(toks)
    seen: set[tuple[int, int, tuple[str, ...]]] = set()

    def emit(e: Edit):
        key = (e.start, e.end, e.new)
        if key not in seen and tuple(toks[e.start:e.end]) != e.new:
            seen.add(key)
            return e
        return None

    for i in range(max(0, j - 2), j + 1):
        t = toks[i]
        if not _is_word(t):
            continue
        # swap with the next word
        if i + 1 < n and _is_word(toks[i + 1]) and toks[i + 1] != t:
            e = emit(Edit(i, i + 2, (toks[i + 1], t), "swap"))
            if e:
                yield e
        alts = fw.get(t)
        if alts:
            for a in alts:
                e = emit(Edit(i, i + 1, (a,), "function"))
                if e:
                    yield e
        elif words is not None and raw[i][:1].islower():
            for a in words.forms(t, max_forms):
                e = emit(Edit(i, i + 1, (a,), "form"))
                if e:
                    yield e


def repeat_runs(toks: Sequence[str], min_run: int = 3) -> Iterator[Edit]:
    """Runs of ``min_run`` or more equal words: keep one."""
    i, n = 0, len(toks)
    while i < n:
        k = i + 1
        while k < n and toks[k] == toks[i]:
            k += 1
        if k - i >= min_run and _is_word(toks[i]):
            yield Edit(i, k, (toks[i],), "repeat")
        i = k
