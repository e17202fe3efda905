"""Small local edits the fluency check tries at an improbable position.

An edit replaces tokens ``[start, end)`` of a sentence with ``new`` tokens
(normalised forms; the check rebuilds the surface text). The kinds:

- ``swap``: two adjacent words change places ("than more" -> "more than");
- ``function``: a function word becomes another of its class (prepositions,
  articles and determiners, conjunctions, pronouns, auxiliaries);
- ``form``: a content word becomes another form of the same stem
  ("importance tests" -> "important tests"), from the model's word list;
- ``article``: "a" and "an" exchanged, proposed only where the next word's
  opening sound (spelling, acronym letters, number) calls for the other one;
- ``repeat``: a word (or a pair of tokens) said three or more times in a row keeps one.

Names are left alone: no swap moves a capitalised word (except a sentence's
first), a contraction or a possessive, and only words common in the model's
word list change form; questions are not tried for swaps (their inversions
are the norm).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence

# Classes of function words; a word is only ever replaced by one of its class.
FUNCTION_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "article": ("a", "an", "the"),
        "determiner": ("this", "that", "these", "those", "its", "his", "her", "their", "our", "some", "any",
                       "each", "every", "no"),
        # the commonest prepositions: a rarer one in their place is tried back to them
        "preposition": ("of", "in", "on", "at", "to", "for", "with", "by", "from", "about", "into", "as"),
        "conjunction": ("and", "or", "but", "nor", "than", "if", "because", "while", "although", "whether"),
        "pronoun": ("he", "she", "it", "they", "we", "him", "them", "us", "who", "which", "whom", "whose"),
        "auxiliary": ("is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
                      "did", "will", "would", "can", "could", "should", "may", "might", "must"),
    },
    # Spanish and French: the same classes. Elided forms (l', d', qu') are not
    # tokens of their own (mtcheck.lm.text keeps "l'homme" whole), so they are absent.
    "es": {
        "article": ("el", "la", "los", "las", "un", "una", "unos", "unas", "lo"),
        "determiner": ("este", "esta", "estos", "estas", "ese", "esa", "esos", "esas", "su", "sus", "nuestro",
                       "nuestra", "algunos", "algunas", "cada", "otro", "otra", "todos", "todas"),
        "preposition": ("de", "en", "a", "por", "para", "con", "sin", "sobre", "entre", "desde", "hasta", "del",
                        "al"),
        "conjunction": ("y", "e", "o", "u", "pero", "sino", "que", "si", "porque", "aunque", "como", "cuando",
                        "mientras"),
        "pronoun": ("él", "ella", "ellos", "ellas", "le", "les", "lo", "la", "los", "las", "se", "nos", "quien",
                    "quienes", "cual", "cuales"),
        "auxiliary": ("es", "son", "era", "eran", "fue", "fueron", "ser", "sido", "está", "están", "estaba",
                      "estaban", "ha", "han", "había", "habían", "haber", "habrá", "sería", "será", "puede",
                      "pueden", "podría", "debe", "deben"),
    },
    "fr": {
        "article": ("le", "la", "les", "un", "une", "des", "du", "au", "aux"),
        "determiner": ("ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos",
                       "chaque", "quelques", "plusieurs", "tout", "toute", "tous", "toutes"),
        "preposition": ("de", "à", "en", "dans", "par", "pour", "sur", "avec", "sans", "sous", "entre", "vers",
                        "chez", "du", "au", "aux", "des"),
        "conjunction": ("et", "ou", "mais", "donc", "car", "ni", "que", "si", "quand", "comme", "lorsque",
                        "puisque", "bien"),
        "pronoun": ("il", "elle", "ils", "elles", "on", "nous", "vous", "le", "la", "les", "lui", "leur", "se",
                    "qui", "que", "dont", "où", "y", "en"),
        "auxiliary": ("est", "sont", "était", "étaient", "a", "ont", "avait", "avaient", "été", "être", "avoir",
                      "sera", "seront", "serait", "aura", "auront", "aurait", "peut", "peuvent", "pourrait",
                      "doit", "doivent"),
    },
}


RARE_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "en": ("over", "under", "after", "before", "between", "through", "during", "against", "among", "without",
           "within", "toward", "towards", "upon", "across", "along", "around", "behind", "beyond", "inside",
           "outside", "down", "up", "off", "since", "until"),
    "es": ("ante", "bajo", "contra", "durante", "mediante", "según", "tras", "hacia"),
    "fr": ("après", "avant", "contre", "depuis", "derrière", "devant", "durant", "malgré", "parmi", "pendant",
           "selon", "envers"),
}


@lru_cache(maxsize=None)
def function_words(lang: str) -> dict[str, tuple[str, ...]]:
    """Each function word -> the other words of its class (a word in two classes gets both).

    Rarer prepositions (``RARE_PREPOSITIONS``) map to the common ones, not back."""
    out: dict[str, list[str]] = {}
    for words in FUNCTION_CLASSES.get(lang, {}).values():
        for w in words:
            out.setdefault(w, []).extend(x for x in words if x != w and x not in out[w])
    for w in RARE_PREPOSITIONS.get(lang, ()):
        out.setdefault(w, []).extend(x for x in FUNCTION_CLASSES[lang]["preposition"] if x not in out[w])
    return {w: tuple(v) for w, v in out.items()}


class Edit(NamedTuple):  # not a frozen dataclass: cheaper to define at start-up
    start: int  # first token replaced
    end: int  # one past the last
    new: tuple[str, ...]
    kind: str


class WordList:
    """A sorted word list with counts, for finding forms that share a stem.

    Look-ups bisect the sorted list (no index to build: loading stays cheap).
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int], *, presorted: bool = False):
        if presorted:
            self.words, self.counts = list(words), list(counts)
        else:
            pairs = sorted(zip(words, counts))
            self.words = [w for w, _ in pairs]
            self.counts = [int(c) for _, c in pairs]

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def count(self, word: str) -> int:
        i = bisect.bisect_left(self.words, word)
        return self.counts[i] if i < len(self.words) and self.words[i] == word else 0

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


MIN_FORM_COUNT = 100  # both forms at least this common in the word list
_AN = frozenset({"a", "an"})
_NUMBER_HEAD_RE = re.compile(r"\d+(?:,\d{3})*")
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«"})


def edits_at(
    toks: Sequence[str],
    raw: Sequence[str],
    j: int,
    lang: str,
    words: WordList | None,
    *,
    kinds: frozenset[str] | set[str] = frozenset({"swap", "function", "article", "form"}),
    max_forms: int = 10,
    min_form_count: int = MIN_FORM_COUNT,
    seen: set | None = None,
    choose=None,
) -> Iterator[Edit]:
    """Edits of ``kinds`` that could explain an improbable token ``j``: swaps at
    it or the two tokens before it, word changes at it or the one before it;
    ``seen`` (shared across calls) skips repeats; ``choose(toks, i, alts)``, when
    given, picks which replacements of a function word are worth trying."""
    fw = function_words(lang)
    n = len(toks)
    if seen is None:
        seen = set()

    def new_edit(e: Edit) -> bool:
        key = (e.start, e.end, e.new)
        if key in seen or tuple(toks[e.start:e.end]) == e.new:
            return False
        seen.add(key)
        return True

    for i in range(max(0, j - 2), j + 1):
        t = toks[i]
        if not _is_word(t):
            continue
        # swap with the next word (names stay where they are)
        # (a name may trade places with a function word: "announced Saturday on")
        low_here = raw[i][:1].islower() or (i == 0 and raw[i][1:].islower())
        low_next = raw[i + 1][:1].islower() if i + 1 < n else False
        movable = (low_here and low_next) or (
            i > 0 and (low_here or low_next) and (t if low_here else toks[i + 1]) in fw)
        if ("swap" in kinds and i + 1 < n and movable and _is_word(toks[i + 1]) and toks[i + 1] != t
                and "'" not in t and "'" not in toks[i + 1]):
            e = Edit(i, i + 2, (toks[i + 1], t), "swap")
            if new_edit(e):
                yield e
        if i < j - 1:
            continue  # a word changed two tokens back rarely explains this one
        alts = fw.get(t)
        if alts:
            if choose is not None and "function" in kinds:
                alts = choose(toks, i, alts)
            for a in alts:
                kind = "article" if t in _AN and a in _AN else "function"
                if kind in kinds:
                    e = Edit(i, i + 1, (a,), kind)
                    if new_edit(e):
                        yield e
        elif "form" in kinds and words is not None and raw[i][:1].islower() and words.count(t) >= min_form_count:
            for a in words.forms(t, max_forms):
                if words.count(a) >= min_form_count:
                    e = Edit(i, i + 1, (a,), "form")
                    if new_edit(e):
                        yield e


_SILENT_H = ("hour", "honest", "honor", "honour", "heir", "herb")
_YOO = ("uni", "use", "usu", "uti", "ure", "uro", "eu", "one", "once", "ubiq", "ufo", "uk", "ukr", "uga", "ura")
_VOWEL_LETTER_NAMES = "AEFHILMNORSX"  # letters whose names start with a vowel sound ("an FBI agent")


def expected_article(word: str) -> str | None:
    """"a" or "an" by the sound that opens ``word`` (its raw form); None when unsure."""
    if not word:
        return None
    if word[0].isdigit():
        # the number as read: its first digit group with thousands separators ("1-1" is "one-one")
        digits = _NUMBER_HEAD_RE.match(word).group().replace(",", "")
        if digits.startswith("8") or (digits[:2] in ("11", "18") and len(digits) in (2, 5)):
            return "an"
        return "a"
    if not word[0].isalpha():
        return None
    core = word.split("-")[0]
    if core.isupper():  # a letter or an acronym read letter by letter (NATO is read as a word: unsure)
        if len(core) > 3 and any(c in "AEIOU" for c in core[1:]):
            return None
        return "an" if core[0] in _VOWEL_LETTER_NAMES else "a"
    low = word.lower()
    if low.startswith(_SILENT_H):
        return "an"
    if low[0] in "aeiou":
        return "a" if low.startswith(_YOO) else "an"
    if low[0] == "h" or low[0] == "y":
        return None if low[0] == "h" and low.startswith(("herbal",)) else "a"
    return "a"


def article_edits(toks: Sequence[str], raw: Sequence[str] | None = None) -> Iterator[Edit]:
    """"a" <-> "an" where the next word's opening sound calls for the other one."""
    raw = raw if raw is not None else toks
    for i, t in enumerate(toks[:-1]):
        if t in _AN:
            if i and raw[i][:1].isupper():
                continue  # mid-sentence "A" is a label ("the A 8", "1.5 A", "Plan A"), not an article
            nxt = raw[i + 1]
            if nxt in _OPENERS and i + 2 < len(raw):
                nxt = raw[i + 2]  # a "runaway", an (unnamed) official
            want = expected_article(nxt)
            if want is not None and want != t:
                yield Edit(i, i + 1, (want,), "article")


def repeat_runs(toks: Sequence[str], raw: Sequence[str] | None = None, min_run: int = 3) -> Iterator[Edit]:
    """A token, or a pair of tokens ("(GBP (GBP (GBP"), repeated ``min_run`` or more
    times in a row: keep one. Compared on the raw tokens (numbers differ there)."""
    keys = [t.lower() for t in (raw if raw is not None else toks)]
    n = len(keys)
    if not any(a == b for a, b in zip(keys, keys[1:])) and not any(a == b for a, b in zip(keys, keys[2:])):
        return
    i = 0
    while i < n:
        found = False
        for unit in (1, 2):
            if i + unit * min_run > n:
                continue
            k = i + unit
            while k + unit <= n and keys[k:k + unit] == keys[i:i + unit]:
                k += unit
            reps = (k - i) // unit
            if reps >= min_run and any(x[:1].isalnum() for x in keys[i:i + unit]):
                yield Edit(i, k, tuple(toks[i:i + unit]), "repeat")
                i = k
                found = True
                break
        if not found:
            i += 1
