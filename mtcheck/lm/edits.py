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
from operator import eq
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


_tuple_new = tuple.__new__


def replacement_kind(word: str, new: str) -> str:
    """The kind of the edit replacing function word ``word`` by ``new``: "a" and
    "an" exchanged is an "article" edit, anything else a "function" edit."""
    return "article" if word in _AN and new in _AN else "function"


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


MIN_FORM_COUNT = 100  # both forms at least this common in the word list
_AN = frozenset({"a", "an"})
_NUMBER_HEAD_RE = re.compile(r"\d+(?:,\d{3})*")
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«"})


ALL_KINDS = frozenset({"swap", "function", "article", "form"})


def edits_at(
    toks: Sequence[str],
    raw: Sequence[str],
    j: int,
    lang: str,
    words: WordList | None,
    *,
    kinds: frozenset[str] | set[str] = ALL_KINDS,
    max_forms: int = 10,
    min_form_count: int = MIN_FORM_COUNT,
    choose=None,
) -> Iterator[Edit]:
    """Edits of ``kinds`` that could explain an improbable token ``j`` (see
    :class:`SentenceEdits`, which a caller asking about several tokens of one
    sentence should use instead)."""
    yield from SentenceEdits(toks, raw, lang, words, max_forms=max_forms, min_form_count=min_form_count,
                             choose=choose).at(j, kinds)


class Choice(NamedTuple):
    """A placeholder :meth:`SentenceEdits.at` gives (with ``defer``) for the
    replacements of the function word at ``i``: the caller chooses among them
    for many words at once, then calls :meth:`SentenceEdits.replacements`."""
    i: int
    kinds: frozenset[str] | set[str]


class SentenceEdits:
    """The local edits around the improbable tokens of one sentence.

    :meth:`at` gives, for an improbable token ``j``, swaps at it or the two
    tokens before it and word changes at it or the one before it. Nearby
    tokens ask for the same edits: each is worked out once per sentence and
    given out once (to the first token that asks). ``choose(toks, i, alts)``,
    when given, picks which replacements of a function word are worth trying;
    with ``defer``, a :class:`Choice` stands for them instead. ``swap_ok``,
    when given, says per token whether a swap with the next may be proposed.
    """

    def __init__(self, toks: Sequence[str], raw: Sequence[str], lang: str, words: WordList | None, *,
                 max_forms: int = 10, min_form_count: int = MIN_FORM_COUNT, choose=None, defer: bool = False,
                 swap_ok: Sequence[bool] | None = None):
        self.toks, self.raw, self.words = toks, raw, words
        self.fw = function_words(lang)
        self.max_forms, self.min_form_count, self.choose = max_forms, min_form_count, choose
        self.defer = defer
        self.swap_ok = swap_ok
        self.is_word = [t[:1].isalpha() for t in toks]
        # the tokens whose swaps, and whose word changes, were given out already
        self.given_swaps: set[int] = set()
        self.given_words: set[int] = set()

    def at(self, j: int, kinds: frozenset[str] | set[str] = ALL_KINDS) -> list:
        out: list = []
        is_word, given_swaps, given_words = self.is_word, self.given_swaps, self.given_words
        swaps = "swap" in kinds
        functions = "function" in kinds
        forms = "form" in kinds
        for i in range(max(0, j - 2), j + 1):
            if not is_word[i]:
                continue
            if swaps and i not in given_swaps:
                given_swaps.add(i)
                e = self._swap(i)
                if e is not None:
                    out.append(e)
            if i < j - 1:
                continue  # a word changed two tokens back rarely explains this one
            if self.toks[i] in self.fw:
                if functions and i not in given_words:
                    given_words.add(i)
                    if self.defer:
                        out.append(Choice(i, kinds))
                    else:
                        alts = self.fw[self.toks[i]]
                        if self.choose is not None:
                            alts = self.choose(self.toks, i, alts)
                        out.extend(self.replacements(i, kinds, alts))
            elif forms and i not in given_words:
                given_words.add(i)
                out.extend(self._forms(i))
        return out

    def _swap(self, i: int) -> Edit | None:
        """Swap with the next word (names stay where they are; a name may trade
        places with a function word: "announced Saturday on")."""
        toks, raw = self.toks, self.raw
        n = len(toks)
        if i + 1 >= n or not self.is_word[i + 1] or (self.swap_ok is not None and not self.swap_ok[i]):
            return None
        t, u = toks[i], toks[i + 1]
        if u == t or "'" in t or "'" in u:
            return None
        low_here = raw[i][:1].islower() or (i == 0 and raw[i][1:].islower())
        low_next = raw[i + 1][:1].islower()
        movable = (low_here and low_next) or (
            i > 0 and (low_here or low_next) and (t if low_here else u) in self.fw)
        return Edit(i, i + 2, (u, t), "swap") if movable else None

    def all_function(self, i: int, kinds) -> bool:
        """Whether every replacement of the word at ``i`` is a "function" edit
        (:meth:`replacements`: all but "a"/"an" exchanged, an "article" edit)."""
        return self.toks[i] not in _AN and "function" in kinds

    def replacements(self, i: int, kinds, alts: Sequence[str]) -> list[Edit]:
        """The function word at ``i`` replaced by each of ``alts``."""
        t = self.toks[i]
        if t not in _AN and "function" in kinds:
            # tuple.__new__: a NamedTuple's own __new__ is a Python function (twice the cost per edit)
            return [_tuple_new(Edit, (i, i + 1, (a,), "function")) for a in alts]
        out = []
        for a in alts:
            kind = replacement_kind(t, a)
            if kind in kinds:
                out.append(Edit(i, i + 1, (a,), kind))
        return out

    def _forms(self, i: int) -> list[Edit]:
        words, t = self.words, self.toks[i]
        if words is None or not self.raw[i][:1].islower() or words.count(t) < self.min_form_count:
            return []
        return [Edit(i, i + 1, (a,), "form") for a in words.forms(t, self.max_forms)
                if words.count(a) >= self.min_form_count]


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
    keys = list(map(str.lower, raw if raw is not None else toks))
    n = len(keys)
    if not any(map(eq, keys, keys[1:])) and not any(map(eq, keys, keys[2:])):
        return  # no token equals the next or the one after: no run (the common case, in C)
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
