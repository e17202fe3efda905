"""Word-level evidence of untranslated source language, for the U family.

Every word of the story is screened once against the cross-language Zipf table
(:mod:`mtcheck.lexicon`): a word is evidence of source language ``L`` in target
language ``T`` when it is much more frequent in ``L`` than in ``T``. The
screen is a cached dictionary look-up per word form; only the few words that
pass it get their context built (neighbours, capitalisation, quotation...),
and the decision is made over the word sequence, not word by word:

- capitalised runs are names ("Palacio de la Moneda", "Le Figaro"), and so are
  lower-case name particles before a capitalised word ("Simone de Beauvoir");
- a conjunction of the source language between two names is not a particle
  ("Joe Biden Y Vladimir Putin");
- established loanwords and Latin stay silent; acronyms stay silent;
- weak evidence (a function word that is also a target-language word, "la",
  "die") only counts next to strong evidence;
- German capitalises nouns, so for a German source a capitalised noun where
  English puts a common noun ("the Fleisch industry") is evidence too.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import compress, count, repeat
from operator import is_
from typing import Iterable, NamedTuple, Sequence

from .. import lexicon
from ..document import DATELINE, HEADLINE, SIGNATURE, Document

# -- thresholds (Zipf units; measured on DEMETR dev and WMT references, issue 4) --------
STRONG_MIN_SRC = 2.0       # a word must be at least this common in the source language
STRONG_GAP = 1.5           # ... this much more common there than in the target
STRONG_MAX_TGT = 3.0       # ... and no more common than this in the target
COMMON_MIN_SRC = 4.0       # a common source word may be a rarer target word:
COMMON_GAP = 2.5           # ... with this gap
COMMON_MAX_TGT = 4.0       # ... up to this target frequency
EN_MIN_SRC = 5.0           # common English words left in Spanish or French copy ...
EN_GAP = 2.0               # ... have inflated target frequencies: web text everywhere quotes English
EN_MAX_TGT = 4.2
WEAK_MIN_SRC = 3.0         # weak evidence: a source-language word that is also a target word
WEAK_GAP = 1.0
JOIN_GAP = 2.0             # a weak word at the edge of a span stays in it with this gap
INITIAL_MIN_SRC = 3.5      # sentence-initial words are judged on their lower-case form, stricter:
INITIAL_GAP = 2.0          # names of parties and clubs open sentences too ("Podemos", "Flamengo"),
INITIAL_MAX_TGT = 1.2      # and English news uses them, so they have some target frequency
INITIAL_MAX_TGT_CAPNOUN = 1.5
INITIAL_MIN_SRC_UNSEEN = 2.8   # a sentence-initial word English never uses ("Ricercando")
CAPITALISED_NOUN_LANGS = frozenset({"de"})
CAP_MIN_SRC = 4.0          # German capitalised nouns mid-sentence, after a determiner or adjective
CAP_GAP = 2.0
CAP_MAX_TGT = 2.7
CAP_MIN_SRC_UNSEEN = 3.5   # ... elsewhere only words no other language uses ("Kalifornien", "Ausweitung")
CAP_MIN_SRC_SLOT_UNSEEN = 3.0  # ... after a determiner, rarer unseen words too ("a Wirtschaftsstandort")
CAP_MIN_SRC_ATTRIBUTIVE = 4.2  # ... before an English noun, only common nouns ("the Fleisch industry")
CAP_MIN_SRC_RUN = 2.8      # ... at the head of an otherwise English capitalised run ("United Nationen")
INITIAL_MIN_SRC_CAPNOUN = 4.5  # German: an initial noun may be a name ("Söder", "Thüringen")
COMPOUND_MIN_LEN = 10      # unknown German compounds are split into known words
NAMELIKE_MIN_SRC = 3.5     # a capitalised word this common in the source ...
NAMELIKE_GAP = 1.5         # ... and this source-like makes its run a source-language name
CONTINUE_MAX_TGT = 2.0     # a lower-case word after a capitalised common source word continues its name

NONE, WEAK, STRONG, CONJ = 0, 1, 2, 3
SCREEN_GAP = 15            # (Zipf x 10) no STRONG rule fires below this gap ...
SCREEN_MAX_TGT = 42        # ... or above this target frequency

_SPACE = " \u00a0\u202f\u2009\t"
_OPENERS = frozenset("“\"«„‘'([{—–-:¿¡")
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", "\"": "\"", "‘": "’", "‹": "›"}
_QUOTE_RE = re.compile(r"[“«„\"‘‹]")
_TLD = r"\.(?:com|org|net|es|fr|de|it|pt|br|mx|ar|gov|edu|eu|info)\b"
_HAS_TLD_RE = re.compile(_TLD, re.IGNORECASE)
# Spans that are not prose: markup, URLs, e-mail addresses, hashtags and handles, domain names.
_EXCLUDERS = (
    (lambda t: "<" in t, re.compile(r"<[^<>\n]{1,200}>")),
    (lambda t: "://" in t or "www." in t, re.compile(r"(?:https?://|www\.)\S+")),
    (lambda t: "@" in t, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\w-]+")),
    (lambda t: "#" in t, re.compile(r"#[\w-]+")),
    (lambda t: _HAS_TLD_RE.search(t) is not None, re.compile(r"(?<![\w.-])[\w-]+(?:\.[\w-]+)*" + _TLD + r"(?:/\S*)?", re.IGNORECASE)),
)
_TAG_RE = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?>")
_SPLIT_RE = re.compile(r"['\-]")
_ABBREV_AFTER_RE = re.compile(r"\.(?:[^\W\d_]\.|\s*[\d(]|\s+[a-z])")
_ELISION_CAP_RE = re.compile(r"['’][A-ZÀ-ÖØ-Þ]")
# Words after which a foreign term is mentioned, not used: "the so-called Mittelstand".
_MENTION_BEFORE = frozenset(
    "so-called called dubbed nicknamed termed term word words known slogan motto name named titled entitled "
    "hashtag meaning literally llamado llamada denominado denominada conocido conocida término palabra lema "
    "appelé appelée dit dite surnommé surnommée terme mot".split()
)
_KNOWN_AS = frozenset("known conocido conocida connu connue".split())
_CONJ_WORDS = frozenset("y e i o u et ou und oder ed and or".split())
_DETERMINERS = frozenset(
    "the a an this that these those its his her their our my your whose some any no every each another such "
    "all both many several few more most much other first last new old own entire whole same big small great "
    "main major minor high low large long short young full free real true local deep hard strong weak good bad "
    "poor rich certain various severe huge vast tiny little next previous former total".split()
)
_ADJ_SUFFIXES = ("al", "ic", "ive", "ous", "ful", "less", "able", "ible", "ish", "ary", "ian", "ern", "ese", "est")
_SLOT_NONE, _SLOT_DETERMINER, _SLOT_POSSESSIVE = 0, 1, 2
_FUNCTION_WORDS = frozenset(
    "of in on at to for from by with as and or but nor than that which who whom whose where when while if "
    "is are was were be been being has have had do does did will would can could may might must shall should "
    "a an the this these those it its he she they we you i not no so too also only just even still then there "
    "here about after before during since until into onto over under between among against through around "
    "two three four five six seven eight nine ten one first last".split()
)

# Screening results per (target, languages): word form -> languages it may be evidence of.
_SCREEN: dict[tuple[str, tuple[str, ...]], dict[str, tuple[str, ...]]] = {}
_SCREEN_MAX = 300_000


class _ScreenPlan(NamedTuple):
    """What screening asks about every new spelling, for one target and set of languages."""

    langs: tuple[str, ...]
    rows: tuple[tuple[str, int, dict], ...]  # (language, its column in the Zipf table, its lexicon into the target)
    # A one-word lexicon entry tagged solo or conj -> the languages (in ``langs`` order) whose lexicon has it:
    # evidence whatever the word's frequencies.
    flagged: dict[str, tuple[str, ...]]
    compounds: frozenset[str]  # the languages of CAPITALISED_NOUN_LANGS among ``langs``


@lru_cache(maxsize=None)
def _screen_plan(target: str, langs: tuple[str, ...]) -> _ScreenPlan:
    """The screening plan for ``langs`` in ``target`` text, worked out once per process."""
    columns = lexicon.languages()
    rows = tuple((lang, columns.index(lang), lexicon.bilingual(lang, target)) for lang in langs)
    flagged: dict[str, tuple[str, ...]] = {}
    for lang, _, lex in rows:
        for key, e in lex.items():
            if len(key) == 1 and ("solo" in e.tags or "conj" in e.tags):
                flagged[key[0]] = flagged.get(key[0], ()) + (lang,)
    return _ScreenPlan(langs, rows, flagged, CAPITALISED_NOUN_LANGS.intersection(langs))


def _lexicon_entry(lex: dict, low: str) -> lexicon.Entry | None:
    """A lower-case word's entry in a bilingual lexicon, or that of its elided
    head ("dell'" for "dell'anno")."""
    e = lex.get((low,))
    if e is None and "'" in low:
        e = lex.get((low.split("'", 1)[0] + "'",))
    return e


# Words that ask for two names after them: a capital letter between the two is a conjunction.
_PAIR_CUES = frozenset({"between", "both", "entre", "zwischen", "tra", "fra"})


class Word:
    """One word of the story as the scan sees it (a plain class with slots, not a
    dataclass: cheaper to define at start-up)."""

    __slots__ = ("idx", "start", "end", "text", "low", "cap", "acronym", "sent", "vec",
                 "initial", "adj_prev", "adj_next", "loan", "excluded", "quote", "paren")

    def __init__(
        self,
        idx: int,  # index in Document.words
        start: int,
        end: int,
        text: str,
        low: str,
        cap: bool,  # Titlecase: "Putin", "Y"
        acronym: bool,  # "NATO", "UN", "G7", "McDonald"
        sent: int,  # index into Analysis.sentences; -1 outside checked text
        vec: bytes | None,
        initial: bool = False,  # first word of a sentence or of a quotation
        adj_prev: bool = False,  # only spaces between this word and the previous one
        adj_next: bool = False,
        loan: bool = False,  # part of an accepted loanword or phrase of the target language
        excluded: bool = False,  # inside a URL, an e-mail address, a hashtag, markup
        quote: int = -1,  # index of the quotation that holds it
        paren: int = -1,  # index of the parenthesis that holds it
    ) -> None:
        self.idx, self.start, self.end, self.text, self.low = idx, start, end, text, low
        self.cap, self.acronym, self.sent, self.vec = cap, acronym, sent, vec
        self.initial, self.adj_prev, self.adj_next, self.loan = initial, adj_prev, adj_next, loan
        self.excluded, self.quote, self.paren = excluded, quote, paren

    def __repr__(self) -> str:
        return "Word(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


class Region(NamedTuple):  # not a dataclass: cheaper to define at start-up
    start: int
    end: int


class Span(NamedTuple):  # not a dataclass: cheaper to define at start-up
    """A run of evidence words in one language."""

    words: list[Word]
    lang: str
    conj: bool = False  # a conjunction between two names (safe fix)

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end


def _normalise(text: str) -> str:
    return (text.replace("’", "'") if "’" in text else text).casefold()


class Analysis:
    """The words of a document, screened; context built on demand for the candidates."""

    def __init__(self, doc: Document, target: str):
        self.doc = doc
        self.text = doc.text
        self.target = target
        self.langs = lexicon.languages()
        self.jt = self.langs.index(target) if target in self.langs else -1
        # The story's words as parallel lists (Document.word_columns): indices are word indices.
        self.word_starts, self.word_ends, self.word_texts = doc.word_columns
        self.sentences: list[tuple[int, int, int]] = []  # (start, end, block) of checked sentences
        self._sent_starts: list[int] = []
        self.quotes: list[Region] = []
        self.parens: list[Region] = []
        self.title_case_blocks: set[int] = set()
        self._words: dict[int, Word] = {}
        self._levels: dict[tuple[int, str], int] = {}
        self._ctx_levels: dict[tuple[int, str], int] = {}
        self._compounds: dict[tuple[str, str], tuple[float, float]] = {}
        self._screened: dict[tuple[str, ...], list[tuple[int, tuple[str, ...]]]] = {}
        self._excluded: list[tuple[int, int]] = []
        self._code_sents: set[int] = set()
        self._loans = lexicon.loanwords(target)
        self._joined = lexicon.joined_names_containing()
        self._quote_starts: list[int] = []
        self._paren_starts: list[int] = []
        if self.jt >= 0 and self.word_texts:
            self._prepare()
            self._quote_starts = [r.start for r in self.quotes]
            self._paren_starts = [r.start for r in self.parens]

    # -- document-level preparation (proportional to sentences and quote marks, not words) ---
    def _prepare(self) -> None:
        doc, text = self.doc, self.text
        skip = {i for i, b in enumerate(doc.blocks) if b.kind in (DATELINE, SIGNATURE)}
        # Document.sentences are (start, end, block) tuples already: kept as they are, not rebuilt.
        self.sentences = [s for s in doc.sentences if s.block not in skip] if skip else list(doc.sentences)
        self._sent_starts = [s[0] for s in self.sentences]
        if "<" in text:  # markup somewhere: which sentences hold a tag
            for k, (start, end, _) in enumerate(self.sentences):
                if text.find("<", start, end) >= 0 and _TAG_RE.search(text, start, end):
                    self._code_sents.add(k)
        excluded = []
        for trigger, rx in _EXCLUDERS:
            if trigger(text):
                excluded.extend((m.start(), m.end()) for m in rx.finditer(text))
        self._excluded = sorted(excluded)
        # A story with no quotation mark (or no bracket) at all skips that search in every block.
        quotes, parens = _QUOTE_RE.search(text) is not None, "(" in text
        for i, b in enumerate(doc.blocks):
            if b.kind in skip:
                continue
            if b.kind == HEADLINE:
                words = text[b.start:b.end].split()
                long = [w for w in words if len(w) >= 4 and w[0].isalpha()]
                if long and sum(w[0].isupper() for w in long) >= 0.6 * len(long):
                    self.title_case_blocks.add(i)
            if quotes:
                self._find_quotes(b.start, b.end)
            if parens:
                self._find_parens(b.start, b.end)

    def _find_quotes(self, start: int, end: int) -> None:
        text = self.text
        pos = start
        while True:
            m = _QUOTE_RE.search(text, pos, end)
            if not m:
                break
            ch = m.group()
            if ch == "‘" and m.start() > 0 and text[m.start() - 1].isalnum():
                pos = m.end()
                continue
            closer = _QUOTE_PAIRS[ch]
            j = m.end()
            while True:
                j = text.find(closer, j, end)
                # A closing ’ inside a word is an apostrophe: keep looking.
                if j < 0 or closer != "’" or j + 1 >= len(text) or not text[j + 1].isalpha():
                    break
                j += 1
            if j < 0:
                pos = m.end()
                continue
            self.quotes.append(Region(m.end(), j))
            pos = j + 1

    def _find_parens(self, start: int, end: int) -> None:
        text = self.text
        pos = start
        while True:
            i = text.find("(", pos, end)
            if i < 0:
                break
            j = text.find(")", i + 1, end)
            if j < 0:
                break
            self.parens.append(Region(i + 1, j))
            pos = j + 1

    # -- screening: one cached look-up per word -------------------------------------------
    def screened(self, langs: Sequence[str]) -> list[tuple[int, tuple[str, ...]]]:
        """(word index, languages) for every word that may be evidence of one of ``langs``."""
        langs = tuple(l for l in langs if l in self.langs and l != self.target)
        hit = self._screened.get(langs)
        if hit is not None:
            return hit
        cache = _SCREEN.setdefault((self.target, langs), {})
        if len(cache) > _SCREEN_MAX:
            cache.clear()
        # Map and compress, not a loop: this is the one pass over every word of the story.
        texts = self.word_texts
        found = list(map(cache.get, texts))
        if None in found:  # spellings not screened before: screen each once, then look every word up again
            new = list(set(compress(texts, map(is_, found, repeat(None)))))
            cache.update(zip(new, self._screen_all(new, _screen_plan(self.target, langs))))
            found = list(map(cache.__getitem__, texts))
        out = list(compress(zip(count(), found), found))  # (index, languages) where any
        self._screened[langs] = out
        return out

    def _screen_all(self, spellings: list[str], plan: _ScreenPlan) -> list[tuple[str, ...]]:
        """The languages of ``plan`` that each of ``spellings`` may be evidence of.

        Most new spellings are common target words (only a lexicon tag can make them
        evidence) or unknown to the table: those take one dictionary look-up here;
        the rest compare frequencies language by language as :meth:`_screen` does.
        """
        # One case fold of all the spellings: it works character by character, and no token holds "\n".
        lows = _normalise("\n".join(spellings)).split("\n")
        vecs = lexicon.raw_many(lows)
        jt, every, flagged, compounds = self.jt, plan.langs, plan.flagged, plan.compounds
        out: list[tuple[str, ...]] = []
        for text, low, v in zip(spellings, lows, vecs):
            if not text[0].isalpha():
                out.append(())
            elif "'" in low:
                out.append(self._screen(text, low, v, plan))  # an elided head may be in the lexicon
            elif v is None:
                if "-" in low:
                    out.append(every)
                elif compounds and text[0].isupper() and len(low) >= COMPOUND_MIN_LEN:
                    hit = flagged.get(low, ())
                    out.append(tuple(lang for lang in every if lang in hit or lang in compounds))
                else:
                    out.append(flagged.get(low, ()))
            elif v[jt] > SCREEN_MAX_TGT:
                out.append(flagged.get(low, ()))
            else:
                least, hit = v[jt] + SCREEN_GAP, flagged.get(low, ())
                out.append(tuple(lang for lang, j, _ in plan.rows if v[j] >= least or lang in hit))
        return out

    def _screen(self, text: str, low: str, v: bytes | None, plan: _ScreenPlan) -> tuple[str, ...]:
        """The languages of ``plan`` that ``text`` (folded: ``low``; Zipf bytes: ``v``) may be evidence of."""
        jt = self.jt
        out = []
        for lang, j, lex in plan.rows:
            if v is not None and v[j] - v[jt] >= SCREEN_GAP and v[jt] <= SCREEN_MAX_TGT:
                out.append(lang)  # every STRONG rule needs this much; WEAK words join spans as neighbours
                continue
            e = _lexicon_entry(lex, low)  # self._entry(low, lang), with the lexicon from the plan
            if e is not None and ("solo" in e.tags or "conj" in e.tags):
                out.append(lang)
            elif v is None and ("-" in low or "'" in low):
                out.append(lang)
            elif v is None and lang in CAPITALISED_NOUN_LANGS and text[0].isupper() and len(low) >= COMPOUND_MIN_LEN:
                out.append(lang)
        return tuple(out)

    # -- words and their context -------------------------------------------------------------
    def word(self, i: int) -> Word | None:
        """The word at index ``i`` of Document.words, with its context (None for numbers)."""
        w = self._words.get(i)
        if w is not None or i in self._words:
            return w
        texts = self.word_texts
        if not (0 <= i < len(texts)):
            return None
        t = texts[i]
        if not t[0].isalpha():
            self._words[i] = None
            return None
        up = t.isupper()
        cap = t[0].isupper() and (not up or len(t) == 1)
        acronym = (up and len(t) > 1) or (not t.isalpha() and any(ch.isdigit() for ch in t))
        if cap and not up and len(t) > 1 and not acronym:
            rest = t[1:]
            if "-" not in rest and "'" not in rest and "’" not in rest and not rest.islower():
                acronym = True  # "McDonald", "iPhone"-like mixed case: a name
        low = _normalise(t)
        start, end = self.word_starts[i], self.word_ends[i]
        k = bisect.bisect_right(self._sent_starts, start) - 1
        sent = k if k >= 0 and start < self.sentences[k][1] else -1
        w = Word(i, start, end, t, low, cap and not acronym, acronym, sent, lexicon.raw(low))
        self._words[i] = w
        if sent < 0:
            return w
        text = self.text
        s_start = self.sentences[sent][0]
        if i == 0 or self.word_ends[i - 1] <= s_start:
            w.initial = True
        else:
            gap = text[self.word_ends[i - 1]:start]
            stripped = gap.strip(_SPACE)
            w.adj_prev = not stripped and bool(gap) and texts[i - 1][0].isalpha()
            if stripped and stripped[-1] in _OPENERS and cap:
                w.initial = True
        if i + 1 < len(texts) and self.word_starts[i + 1] < self.sentences[sent][1]:
            gap = text[end:self.word_starts[i + 1]]
            w.adj_next = bool(gap) and not gap.strip(_SPACE) and texts[i + 1][0].isalpha()
        if sent in self._code_sents:
            w.excluded = True
        elif self._excluded:
            k = bisect.bisect_right(self._excluded, (start, 1 << 60)) - 1
            if k >= 0 and self._excluded[k][0] <= start < self._excluded[k][1]:
                w.excluded = True
        if self.quotes:
            k = bisect.bisect_right(self._quote_starts, start) - 1
            if k >= 0 and end <= self.quotes[k].end:
                w.quote = k
        if self.parens:
            k = bisect.bisect_right(self._paren_starts, start) - 1
            if k >= 0 and end <= self.parens[k].end:
                w.paren = k
        w.loan = self._is_loan(i, low)
        return w

    def _is_loan(self, i: int, low: str) -> bool:
        loans = self._loans
        if low in loans.words:
            return True
        for phrases in (loans.containing.get(low, ()), self._joined.get(low, ())):
            for phrase, k in phrases:
                a = i - k
                if a < 0 or a + len(phrase) > len(self.word_texts):
                    continue
                if all(_normalise(self.word_texts[a + m]) == phrase[m] for m in range(len(phrase))):
                    return True
        return False

    def prev(self, w: Word) -> Word | None:
        p = self.word(w.idx - 1)
        return p if p is not None and p.sent == w.sent else None

    def next(self, w: Word) -> Word | None:
        n = self.word(w.idx + 1)
        return n if n is not None and n.sent == w.sent else None

    def region_words(self, region: Region) -> list[Word]:
        a = bisect.bisect_left(self.word_starts, region.start)
        b = bisect.bisect_left(self.word_starts, region.end)
        return [w for w in (self.word(i) for i in range(a, b)) if w is not None and w.end <= region.end]

    def sentence_words(self, sent: int) -> list[Word]:
        s, e, _ = self.sentences[sent]
        return self.region_words(Region(s, e))

    # -- frequency helpers ---------------------------------------------------------------------
    def zz(self, w: Word, lang: str) -> tuple[float, float]:
        """(source Zipf, target Zipf) of a word, from its best part for compounds."""
        j = self.langs.index(lang)
        v = w.vec
        if v is not None:
            return v[j] / 10.0, v[self.jt] / 10.0
        if "-" in w.low or "'" in w.low:
            best = (0.0, 0.0)
            for part in _SPLIT_RE.split(w.low):
                if len(part) < 3:
                    continue
                pv = lexicon.raw(part)
                if pv is None:
                    continue
                zs, zt = pv[j] / 10.0, pv[self.jt] / 10.0
                if zs - zt > best[0] - best[1]:
                    best = (zs, zt)
            return best
        return 0.0, 0.0

    def _entry(self, low: str, lang: str) -> lexicon.Entry | None:
        return _lexicon_entry(lexicon.bilingual(lang, self.target), low)

    def entry(self, w: Word, lang: str) -> lexicon.Entry | None:
        return self._entry(w.low, lang)

    def sourcelike(self, w: Word, lang: str) -> bool:
        """A capitalised word that reads as a common word of the source language."""
        zs, zt = self.zz(w, lang)
        return zs >= NAMELIKE_MIN_SRC and zs - zt >= NAMELIKE_GAP

    def _foreign_common(self, w: Word) -> bool:
        """A common word of some other language, rare in the target one ("Assemblée", "Juntos")."""
        v = w.vec
        if v is None or v[self.jt] > CONTINUE_MAX_TGT * 10:
            return False
        return max(b for k, b in enumerate(v) if k != self.jt) >= NAMELIKE_MIN_SRC * 10

    def compound(self, low: str, lang: str) -> tuple[float, float]:
        """(source, target) Zipf of an unknown compound split into two known words.

        "kindesmisshandlungen" = "kindes" + "misshandlungen": the lower source
        frequency of the two parts, and the head's target frequency; (0, 0) when
        no split into two words common in the source language exists.
        """
        key = (low, lang)
        hit = self._compounds.get(key)
        if hit is not None:
            return hit
        j = self.langs.index(lang)
        best = (0.0, 0.0)
        raw = lexicon.raw
        for i in range(4, len(low) - 3):
            head = raw(low[i:])
            if head is None or head[j] < 30 or head[j] - head[self.jt] < 15:
                continue
            mod = raw(low[:i])
            if mod is None or mod[j] < 30:
                continue
            zs = min(head[j], mod[j]) / 10.0
            if zs > best[0]:
                best = (zs, head[self.jt] / 10.0)
        self._compounds[key] = best
        return best

    def _unseen(self, w: Word, lang: str) -> bool:
        """A word no other language of the table uses: "Kalifornien", "Nordkorea"."""
        v = w.vec
        if v is None:
            return len(w.low) >= COMPOUND_MIN_LEN and self.compound(w.low, lang)[0] > 0
        j = self.langs.index(lang)
        return all(b < 10 for k, b in enumerate(v) if k != j)

    # -- classification --------------------------------------------------------------------
    def level(self, w: Word, lang: str) -> int:
        key = (w.idx, lang)
        hit = self._levels.get(key)
        if hit is None:
            hit = self._level(w, lang)
            self._levels[key] = hit
        return hit

    def _level(self, w: Word, lang: str) -> int:
        if w.sent < 0 or w.excluded or w.loan or w.acronym or lang == self.target or lang not in self.langs:
            return NONE
        if self.target == "en" and (w.low.endswith("'s") or w.low.endswith("s'")):
            return NONE  # an English possessive is English grammar: "Seehofer's", "Dingolfing’s"
        if len(w.text) <= 4 and _ABBREV_AFTER_RE.match(self.text, w.end):
            return NONE  # an abbreviation: "e.g.", "i.e.", "est. 1990", "ca. 50"
        block = self.sentences[w.sent][2]
        zs, zt = self.zz(w, lang)
        gap = zs - zt
        e = self.entry(w, lang)
        if w.cap:
            if block in self.title_case_blocks or "-" in w.low:
                return NONE
            return self._cap_level(w, lang, zs, zt, e, block)
        if "'" in w.low and _ELISION_CAP_RE.search(w.text):
            return NONE  # "d'Estaing", "Conseil d'État", "Fratelli d'Italia": part of a name
        if w.adj_prev and (e is None or "conj" not in e.tags):
            p = self.prev(w)
            if p is not None and p.cap and not p.initial and self._foreign_common(p):
                return NONE  # a foreign name goes on: "Assemblée nationale", "Juntos por el Cambio"
        # Lower-case word.
        if e is not None and "solo" in e.tags:
            return STRONG
        if zs >= STRONG_MIN_SRC and gap >= STRONG_GAP and zt <= STRONG_MAX_TGT:
            return STRONG
        if zs >= COMMON_MIN_SRC and gap >= COMMON_GAP and zt <= COMMON_MAX_TGT:
            return STRONG
        if lang == "en" and zs >= EN_MIN_SRC and gap >= EN_GAP and zt <= EN_MAX_TGT:
            return STRONG  # English into another language: every corpus holds some English ("people", "better")
        if (zs >= WEAK_MIN_SRC and gap >= WEAK_GAP) or e is not None:
            return WEAK
        return NONE

    def _cap_level(self, w: Word, lang: str, zs: float, zt: float, e, block: int) -> int:
        gap = zs - zt
        prv, nxt = self.prev(w), self.next(w)
        in_run = (nxt is not None and w.adj_next and (nxt.cap or nxt.acronym)) or (
            prv is not None and w.adj_prev and (prv.cap or prv.acronym) and not w.initial
        )
        if not in_run:
            # Joined to another capitalised word by a particle or conjunction: "Wissenschaft und Politik".
            if nxt is not None and w.adj_next and not nxt.cap and nxt.adj_next and self._linker(nxt):
                n2 = self.next(nxt)
                in_run = n2 is not None and n2.cap
            if not in_run and prv is not None and w.adj_prev and not prv.cap and prv.adj_prev and self._linker(prv):
                p2 = self.prev(prv)
                in_run = p2 is not None and p2.cap
        if w.initial:
            if in_run or self._name_elsewhere(w):
                return NONE
            if w.quote >= 0 and self._in_title(w):
                return NONE  # a title in quotation marks: “Daheim”, “Wir in Bayern”
            headline = self.doc.blocks[block].kind == HEADLINE
            if headline:
                return WEAK if e is not None or (zs >= WEAK_MIN_SRC and gap >= WEAK_GAP) else NONE
            nxt_lower = nxt is not None and w.adj_next and not nxt.cap and not nxt.acronym
            if e is not None and "solo" in e.tags and nxt_lower:
                return STRONG  # "Nach a red card", "Und the others"
            capnoun = lang in CAPITALISED_NOUN_LANGS
            min_src = INITIAL_MIN_SRC_CAPNOUN if capnoun else INITIAL_MIN_SRC
            max_tgt = INITIAL_MAX_TGT_CAPNOUN if capnoun else INITIAL_MAX_TGT
            if zs >= min_src and gap >= INITIAL_GAP and zt <= max_tgt:
                return STRONG
            if not capnoun and zt == 0 and zs >= INITIAL_MIN_SRC_UNSEEN:
                return STRONG  # "Ricercando the Internet": unknown to English
            if capnoun and zs >= CAP_MIN_SRC_UNSEEN and self._unseen(w, lang):
                return STRONG  # "Persönliches engagement"
            if e is not None or (zs >= WEAK_MIN_SRC and gap >= WEAK_GAP):
                return WEAK
            return NONE
        if lang not in CAPITALISED_NOUN_LANGS or len(w.text) <= 2 or self._in_title(w) or w.low in lexicon.names():
            return NONE
        if w.vec is None and len(w.low) >= COMPOUND_MIN_LEN:
            zs, zt = self.compound(w.low, lang)
            gap = zs - zt
        if gap < CAP_GAP or zt > CAP_MAX_TGT or zs < CAP_MIN_SRC_RUN or self._name_elsewhere(w):
            return NONE
        if self.text[w.end:w.end + 2].lstrip(_SPACE)[:1].isdigit():
            return NONE  # "Bundesstraße 83"
        if in_run:
            return STRONG if self._mixed_run(w, lang) else NONE
        unseen = self._unseen(w, lang)
        slot = self._noun_slot(prv, w)
        if slot and self._attributive(w):
            # "the Fleisch industry" reads like "the Kassel hospital": only common nouns.
            return STRONG if zs >= CAP_MIN_SRC_ATTRIBUTIVE else NONE
        if slot == _SLOT_POSSESSIVE:
            return STRONG if zs >= CAP_MIN_SRC else NONE
        if slot:
            if zs >= CAP_MIN_SRC or (unseen and zs >= CAP_MIN_SRC_SLOT_UNSEEN):
                return STRONG
        elif unseen and zs >= CAP_MIN_SRC_UNSEEN:
            return STRONG
        return NONE

    def _attributive(self, w: Word) -> bool:
        """Followed by an English content word, as a modifier: "the Meuthen troop"."""
        n = self.next(w) if w.adj_next else None
        if n is None or n.cap or n.acronym or n.low in _FUNCTION_WORDS:
            return False
        v = n.vec
        return v is not None and v[self.jt] >= 35

    def _in_title(self, w: Word) -> bool:
        """Inside a short quotation, or one of capitalised words: a title or a name (“Tagesspiegel”)."""
        if w.quote < 0:
            return False
        q = self.region_words(self.quotes[w.quote])
        return len(q) <= 3 or all(o.cap or o.acronym or o.low in lexicon.name_particles() for o in q)

    def _linker(self, w: Word) -> bool:
        """A particle or conjunction of another language that joins the words of a name."""
        if w.low not in lexicon.name_particles() and w.low not in _CONJ_WORDS:
            return False
        v = w.vec
        return v is None or v[self.jt] < 50  # not "of", "and", "the" in English text

    @staticmethod
    def _noun_slot(prv: Word | None, w: Word) -> int:
        """A capitalised word after a determiner or adjective, where English puts a common noun.

        Place and person names follow prepositions and verbs ("in Freital", "near
        Kirchheim", "told Söder"); a German noun left in the text sits where the
        English noun would: "the Fleisch industry", "a Gruppe of", "emotional Reaktion".
        """
        if prv is None or not w.adj_prev:
            return _SLOT_NONE
        p = prv.low
        if p.endswith("'s") or p.endswith("s'"):
            return _SLOT_POSSESSIVE
        if prv.cap or prv.acronym:
            return _SLOT_NONE
        return _SLOT_DETERMINER if p in _DETERMINERS or "-" in p or p.endswith(_ADJ_SUFFIXES) else _SLOT_NONE

    def _mixed_run(self, w: Word, lang: str) -> bool:
        """A capitalised run of common target words headed by a source noun: "United Nationen"."""
        run = [w]
        o = w
        while o.adj_prev:
            p = self.prev(o)
            if p is None or not (p.cap or p.acronym) or p.initial:
                break
            run.insert(0, p)
            o = p
        if len(run) < 2 or len(run) > 3 or (w.adj_next and self.next(w) is not None and self.next(w).cap):
            return False  # the source noun must be the head: not "Spielbank Restaurant"
        for o in run[:-1]:
            if o.acronym:
                return False
            if o.low.endswith("'s"):
                # English possessive: "South Africa's Haupt attractions", but "Nuremberg's Südstadt"
                # is a district: after a possessive only common nouns count.
                if self.zz(w, lang)[0] < CAP_MIN_SRC:
                    return False
                continue
            zs, zt = self.zz(o, lang)
            if not (zt >= 3.5 and zt - zs >= 1.0):
                return False
        return True

    def _name_elsewhere(self, w: Word) -> bool:
        """The same capitalised form used mid-sentence elsewhere in the story: a name."""
        text = self.text
        form = w.text
        pos = text.find(form)
        while pos >= 0:
            if pos != w.start:
                end = pos + len(form)
                if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
                    before = text[max(0, pos - 3):pos].rstrip(_SPACE)
                    if before and before[-1].isalpha() or (before and before[-1] in ",;"):
                        return True  # preceded by a word or a comma: mid-sentence
            pos = text.find(form, pos + 1)
        return False

    # -- candidates ----------------------------------------------------------------------------
    def candidate_langs(self) -> tuple[str, ...]:
        return tuple(l for l in self.langs if l != self.target)

    # -- spans -----------------------------------------------------------------------------------
    def context_level(self, w: Word, lang: str) -> int:
        key = (w.idx, lang)
        hit = self._ctx_levels.get(key)
        if hit is None:
            hit = self._context_level(w, lang)
            self._ctx_levels[key] = hit
        return hit

    def _context_level(self, w: Word, lang: str) -> int:
        lv = self.level(w, lang)
        particles = lexicon.name_particles()
        e = self.entry(w, lang) if (lv or w.cap or w.low in particles) else None
        if e is not None and "conj" in e.tags and self._between_caps(w):
            # Between two capitalised words: two names joined by an untranslated conjunction,
            # or one source-language name ("Stiftung Wissenschaft und Politik"): never evidence.
            return CONJ if self._between_names(w, lang) else NONE
        if lv == NONE:
            return NONE
        if not w.cap and (w.low in particles or (e is not None and "particle" in e.tags)):
            # Name particle: up to three particles followed by a capitalised (not all-caps) word.
            o, k = w, 0
            while True:
                n = self.next(o) if o.adj_next else None
                if n is None:
                    break
                if n.cap:
                    return NONE
                if n.low not in particles or k >= 2:
                    break
                o, k = n, k + 1
        return lv

    def _between_caps(self, w: Word) -> bool:
        if not (w.adj_prev and w.adj_next):
            return False
        prv, nxt = self.prev(w), self.next(w)
        return prv is not None and nxt is not None and prv.cap and nxt.cap and not nxt.initial

    def _between_names(self, w: Word, lang: str) -> bool:
        if w.loan or w.excluded:
            return False
        if w.acronym or (w.cap and len(w.text) > 1 and not w.text[1:].islower()):
            return False
        prv, nxt = self.prev(w), self.next(w)
        if len(prv.text) == 1 or len(nxt.text) == 1:
            return False  # "X Y Z", initials
        if self.sentences[w.sent][2] in self.title_case_blocks and w.cap and len(w.text) > 1:
            return False
        # Source-language words in the capitalised runs on both sides: one institution name
        # ("Wissenschaft und Politik", "Asuntos Exteriores y Cooperación") stays silent.
        left = right = False
        n_left = n_right = 0
        o = prv
        while o is not None and o.cap:
            left = left or (self.sourcelike(o, lang) and not o.initial)
            n_left += 1
            o = self.prev(o) if o.adj_prev else None
        before = o  # the word before the left-hand name, if adjacent
        o = nxt
        while o is not None and o.cap:
            right = right or self.sourcelike(o, lang)
            n_right += 1
            o = self.next(o) if o.adj_next else None
        if left and right:
            return False
        if len(w.text) == 1 and w.cap and max(n_left, n_right) < 2:
            # "John Y Smith": a middle initial, unless full names stand on a side or
            # "between"/"both" asks for two names ("a summit between Biden Y Putin").
            return before is not None and before.low in _PAIR_CUES
        return True

    def spans(self, lang: str, candidates: Iterable[int] | None = None) -> list[Span]:
        """Runs of evidence words of ``lang`` (names, particles and loanwords removed).

        Groups grow from each STRONG (or conjunction) candidate of the screen over
        adjacent WEAK or STRONG words; weak words at the edges stay only when they
        are clearly source-language ("la bataille", not "an afdler").
        """
        if candidates is None:
            candidates = [i for i, langs in self.screened((lang,)) if lang in langs]
        out: list[Span] = []
        done = -1
        for i in candidates:
            if i <= done:
                continue
            w = self.word(i)
            if w is None or w.sent < 0:
                continue
            lv = self.context_level(w, lang)
            if lv == CONJ:
                out.append(Span([w], lang, conj=True))
                done = i
                continue
            if lv != STRONG:
                continue
            group = [(w, lv)]
            o = w
            while o.adj_prev:
                p = self.prev(o)
                if p is None or p.idx <= done:
                    break
                plv = self.context_level(p, lang)
                if plv not in (WEAK, STRONG):
                    break
                group.insert(0, (p, plv))
                o = p
            o = w
            while o.adj_next:
                n = self.next(o)
                if n is None:
                    break
                nlv = self.context_level(n, lang)
                if nlv not in (WEAK, STRONG):
                    break
                group.append((n, nlv))
                o = n
            done = group[-1][0].idx
            a, b = 0, len(group) - 1
            while a < b and group[a][1] == WEAK and not self._weak_joins(group[a][0], lang):
                a += 1
            while b > a and group[b][1] == WEAK and not self._weak_joins(group[b][0], lang):
                b -= 1
            out.append(Span([g for g, _ in group[a:b + 1]], lang))
        return out

    def _weak_joins(self, w: Word, lang: str) -> bool:
        zs, zt = self.zz(w, lang)
        return zs - zt >= JOIN_GAP

    # -- regions -------------------------------------------------------------------------------
    def region_share(self, words: Iterable[Word], lang: str) -> tuple[int, int, int]:
        """(words counted, evidence words, strong words) over a region."""
        n = ev = strong = 0
        for w in words:
            if w.acronym or w.excluded or (w.cap and not w.initial):
                continue
            n += 1
            lv = self.level(w, lang)
            if lv == NONE and w.initial:
                zs, zt = self.zz(w, lang)
                if zs >= WEAK_MIN_SRC and zs - zt >= WEAK_GAP:
                    lv = WEAK
            if lv >= WEAK:
                ev += 1
            if lv == STRONG:
                strong += 1
        return n, ev, strong

    def mentioned(self, span: Span) -> bool:
        """A term mentioned, not used: "the so-called Mittelstand", "Kurzarbeit (short-time work)"."""
        first = span.words[0]
        p = self.prev(first)
        if p is not None and p.low in _MENTION_BEFORE:
            return True
        if p is not None and p.low in ("as", "como", "comme"):
            pp = self.prev(p)
            if pp is not None and pp.low in _KNOWN_AS:
                return True
        text = self.text
        after = text[span.end:span.end + 3].lstrip(_SPACE + ",")
        if after.startswith("("):
            return True
        if text[max(0, span.start - 2):span.start].endswith("(") and text[span.end:span.end + 1] == ")":
            return True
        return False
