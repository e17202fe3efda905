"""P: punctuation and typography.

Quote and bracket balance live in ``_quotes.py``; source-locale typography,
number formats and mojibake in ``_typography.py``; the tables in
``corpora/punctuation/``. Every pattern is compiled once and run over the
whole text with ``finditer``; nothing here is per token.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import compress, count
from operator import eq
from typing import Iterable, Iterator

from .. import resources
from ..context import Context
from ..document import BODY, HEADLINE, Document
from ..finding import Finding, Suggestion
from ..rules import Rule, flag, ok, safe, unsafe
from ._quotes import Hit, bracket_hits, quote_hits
from ._typography import LANG_NAMES, mojibake_hits, number_format_hits, source_typography_hits

RULES: list[Rule] = [
    Rule(
        "P001", "unclosed-quote", "warning",
        "A quotation opened in a paragraph is never closed (or closed without being opened).",
        "An opening quote with no closing quote in its paragraph usually means the machine translation "
        "dropped the end of the quotation or moved it. A quotation that runs on into the next paragraph "
        "(which then opens with a quote mark, the English convention) and a sentence split over two lines "
        "are accepted. Apostrophes (Russia’s, players’) are told apart from closing single quotes.",
        fix="never",
        examples=(
            flag("Lavrov said the two agreed on a dialogue so that “the calm the emotions."),
            flag("The minister called the plan a \"disaster and left the room."),
            flag("The talks were frank” according to Blinken."),
            ok("“We agreed on a dialogue,” said Lavrov. Russia’s demands stand."),
            ok("“The first paragraph of a long quotation runs on.\n\n“And the second one closes it,” he said."),
            ok("Le ministre a parlé de « progrès réels » à Genève.", target_lang="fr"),
            ok("The fans’ chants and the players’ union were ‘loud’, he said."),
        ),
    ),
    Rule(
        "P002", "unbalanced-bracket", "warning",
        "A bracket is opened and never closed, or closed without being opened, in its paragraph.",
        "Brackets must pair within a paragraph. List markers such as “a)” and emoticons such as “:)” are not "
        "counted.",
        fix="never",
        examples=(
            flag("The North Atlantic Treaty Organization (NATO rejected the demand on Friday."),
            flag("The bloc) rejected the demand raised by Russia on Friday."),
            ok("The North Atlantic Treaty Organization (NATO) rejected the demand."),
            ok("The plan has two parts: a) a ceasefire and b) talks in Geneva."),
        ),
    ),
    Rule(
        "P003", "misdirected-quote", "warning",
        "A closing quote mark is used to open a quotation, or an opening one to close it.",
        "Curly quotes have a direction: “ opens and ” closes (‘ and ’ for single quotes, ’ also being the "
        "apostrophe). Machine translation and careless conversion leave the wrong one, as in "
        "“… Bulgaria and Romania “said the ministry”. The fix is safe when the quotation around it is "
        "otherwise balanced.",
        fix="sometimes",
        examples=(
            flag("“Among them are Bulgaria and Romania “said the diplomatic entity."),
            flag("Blinken called the meeting ”frank and substantial” on Friday."),
            flag("The talks were “frank“, according to Blinken."),
            flag("It was Russia‘s proposal, the ministry said."),
            flag("¡No estamos preparados¡ Y va a ser peligroso.", target_lang="es"),
            ok("“Among them are Bulgaria and Romania,” said the diplomatic entity."),
            ok("Blinken called the meeting “frank and substantial” on Friday."),
        ),
    ),
    Rule(
        "P004", "abbreviation-missing-period", "warning",
        "A dotted abbreviation has lost its final period (“U.S promised”).",
        "A form that keeps the inner periods but drops the last one is never a house style. The suggestion "
        "follows the story's own style: “U.S.” when the story writes U.S., “US” when it writes US. "
        "Undotted forms (US, UK, UN) are fine on their own.",
        fix="always",
        examples=(
            flag("After the meeting, U.S promised a written response next week."),
            flag("The U.K government said the U.K. would respond."),
            flag("Las tropas de EE.UU llegaron el viernes.", target_lang="es"),
            ok("After the meeting, the U.S. promised a written response."),
            ok("After the meeting, the US promised a written response."),
            ok("The meeting will start at 10 a.m. on Friday."),
        ),
    ),
    Rule(
        "P005", "missing-terminal-punctuation", "warning",
        "A body paragraph does not end with terminal punctuation.",
        "Body paragraphs end with a period, question or exclamation mark, ellipsis or colon, possibly followed "
        "by a closing quote or bracket. Headlines, datelines, captions and signatures are exempt. The added "
        "period is a safe fix when the paragraph clearly ends on a word.",
        fix="sometimes",
        examples=(
            flag("Moscow proposed the signing of a new treaty that excludes the deployment of nuclear weapons "
                 "outside the borders of both countries"),
            flag("The minister said the talks would continue next week,"),
            ok("Moscow proposed the signing of a new treaty on nuclear weapons."),
            ok("Baltic states to send anti-tank missiles to Ukraine\n\nEstonia, Latvia and Lithuania said on "
               "Friday they would send missiles."),
            ok("“We agreed that next week we will be presented with written responses,” said Lavrov."),
        ),
    ),
    Rule(
        "P006", "doubled-word", "warning",
        "A word is repeated (“the the”, “Spain Spain”).",
        "An immediately repeated word is almost always a machine-translation or editing slip. Legitimate "
        "doublings (“had had”, “that that”, “Bora Bora”) are listed in "
        "corpora/punctuation/legit_doubles.tsv; numbers in a run of numbers are not counted.",
        fix="always",
        examples=(
            flag("More than 28,000 deaths have been registered in Spain Spain."),
            flag("The the meeting lasted an hour and a half."),
            flag("He helped create the show in in 1989."),
            ok("He had had enough of the talks."),
            ok("She said that that was the end of the matter."),
            ok("The resort on Bora Bora reopened."),
            ok("Nous nous sommes rencontrés à Genève.", target_lang="fr"),
        ),
    ),
    Rule(
        "P007", "space-before-punctuation", "warning",
        "A space stands before punctuation (“Spain .”, “ago ,”, “( CSU )”, “do n't”).",
        "English and Spanish put no space before , . ; : ! ? ) % or after ( and inside quotes; tokenized "
        "machine-translation output does. In French the space before ; : ! ? » and after « is correct and not "
        "flagged.",
        fix="always",
        examples=(
            flag("So far , more than 272,000 infections have been registered in Spain ."),
            flag("Prime Minister Markus Söder ( CSU ) and his cabinet were accused."),
            flag("They do n't want to invade Ukraine, he said."),
            flag("¿ Qué pasará mañana ?", target_lang="es"),
            ok("So far, more than 272,000 infections have been registered in Spain."),
            ok("Le ministre a-t-il raison ? Il a répondu : « Non ».", target_lang="fr"),
            ok("The gun was a .45 caliber pistol, and the figures rose and fell ..."),
        ),
    ),
    Rule(
        "P008", "repeated-spaces", "info",
        "Two or more spaces in a row inside a line.",
        "A run of spaces inside a sentence is usually left where a word was deleted; two spaces after a "
        "sentence end are an old typing convention, reported for consistency only.",
        fix="always",
        examples=(
            flag("The meeting lasted an  hour and a half."),
            flag("The meeting lasted an hour.  The diplomats will meet again."),
            ok("The meeting lasted an hour. The diplomats will meet again."),
            ok("    Indented lines are left alone."),
        ),
    ),
    Rule(
        "P009", "source-typography", "warning",
        "Source-language typography is left in the translation (¿ ¡, « », „ “, dialogue dashes, 1º).",
        "Spanish inverted marks, guillemets, German low quotes, a dash opening a paragraph of dialogue and "
        "ordinal indicators belong to the source language's typography. They are not flagged where the "
        "target uses them (guillemets in French and Spanish, ¿ ¡ in Spanish).",
        fix="sometimes",
        examples=(
            flag("¿Who will pay for the reconstruction, asked the minister."),
            flag("The minister spoke of «real progress» in Geneva."),
            flag("The chancellor spoke of „real progress“ in Geneva."),
            flag("—We will not give in —said the minister."),
            flag("Il a demandé ¿ pourquoi ?", target_lang="fr"),
            ok("Who will pay for the reconstruction, asked the minister."),
            ok("El ministro habló de «progresos reales». ¿Quién pagará?", target_lang="es"),
            ok("Le ministre a parlé de « progrès réels ».", target_lang="fr"),
        ),
    ),
    Rule(
        "P010", "source-number-format", "warning",
        "A number keeps the source language's format (“2,4 billion”, “3.500 soldiers”, “2,000 millones”).",
        "English writes 2.4 billion and 3,500 soldiers; Spanish and French write 2,4 and 3.500 (French 3 500). "
        "Ambiguous forms are only flagged next to a word that makes the number a quantity. In Spanish, where "
        "some regions write 1.5 and 2,000, the flag is a warning only when the story uses the other convention "
        "elsewhere.",
        fix="sometimes",
        examples=(
            flag("The fund will receive 2,4 billion euros next year."),
            flag("More than 272.000 infections and 1.200.000 tests were registered."),
            flag("Russia has deployed 3.500 soldiers near the border."),
            flag("El crecimiento fue de 1.5 por ciento, con 2,5 millones de empleos.", target_lang="es"),
            flag("Le budget atteint 2,000 milliards et la hausse 1.5 %.", target_lang="fr"),
            ok("The fund will receive 2.4 billion euros and 3,500 soldiers will leave."),
            ok("Version 3.500 of the software was released; the meeting starts at 12.30 p.m."),
            ok("El crecimiento fue de 1,5 por ciento y 3.500 soldados.", target_lang="es"),
        ),
    ),
    Rule(
        "P011", "mojibake", "error",
        "UTF-8 text was decoded as Windows-1252 or Latin-1 (“BogotÃ¡”, “â€œ”).",
        "Mojibake appears when a system reads UTF-8 bytes as a single-byte encoding. The repaired text is "
        "suggested, as a safe fix when re-encoding it gives back exactly the garbled text. A replacement "
        "character � is reported without a fix.",
        fix="sometimes",
        examples=(
            flag("The talks in BogotÃ¡ ended on Friday."),
            flag("He called the talks â€œfrankâ€\x9d on Friday."),
            flag("The talks in Bogot\ufffd ended on Friday."),
            ok("The talks in Bogotá ended on Friday."),
            ok("São Paulo and “ESPAÑA” were mentioned; Ångström and Łódź too."),
        ),
    ),
]

_BY_CODE = {r.code: r for r in RULES}

# -- P003: inverted marks closing a sentence -------------------------------------

# The mark first, then the letter before it (a look-behind over both): a pattern that opens with a
# character set is searched by skipping to the next such character, one that opens with a
# look-behind by trying a match at every offset.
_INVERTED_CLOSE_RE = re.compile(r"[¡¿](?<=[^\W\d_][¡¿])(?=[\s\"”»]|$)")
_UPRIGHT = {"¡": "!", "¿": "?"}


def _inverted_close_hits(text: str) -> Iterator[Hit]:
    if "¡" not in text and "¿" not in text:
        return
    for m in _INVERTED_CLOSE_RE.finditer(text):
        ch = m.group()
        yield Hit("P003", m.start(), m.end(),
                  f"Inverted {ch} closes the sentence; the closing mark is {_UPRIGHT[ch]}.", (safe(_UPRIGHT[ch]),))


# -- P004 ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def _abbreviations(target: str) -> tuple[re.Pattern | None, dict[str, tuple[str, str]]]:
    """One pattern over the broken forms ("U.S" for "U.S."), and stem -> (dotted, undotted)."""
    forms: dict[str, tuple[str, str]] = {}
    for row in resources.tsv("punctuation/abbreviations.tsv"):
        if len(row) >= 3 and target in row[1].split(","):
            forms[row[0][:-1]] = (row[0], row[2])
    if not forms:
        return None, forms
    stems = sorted(forms, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(x) for x in stems) + r")(?![.\w])"), forms


def _count_word(text: str, word: str) -> int:
    return sum(1 for _ in re.finditer(rf"(?<![\w.]){re.escape(word)}(?![\w])", text))


def _abbreviation_hits(text: str, target: str) -> Iterator[Hit]:
    pattern, forms = _abbreviations(target)
    if pattern is None:
        return
    for m in pattern.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "._"):
            continue
        stem = m.group()
        dotted, undotted = forms[stem]
        n_dotted = _count_word(text, dotted) if dotted in text else 0
        n_plain = _count_word(text, undotted) if undotted != "-" else 0
        if n_plain > n_dotted:
            msg = f"“{stem}” has lost its final period; this story writes “{undotted}” elsewhere."
            sugg = (safe(undotted), safe(dotted))
        elif n_dotted:
            msg = f"“{stem}” has lost its final period; this story writes “{dotted}” elsewhere."
            sugg = (safe(dotted),)
        else:
            msg = f"“{stem}” has lost its final period; the abbreviation is “{dotted}”."
            sugg = (safe(dotted),) + ((unsafe(undotted),) if undotted != "-" else ())
        yield Hit("P004", m.start(), m.end(), msg, sugg)


# -- P005 ---------------------------------------------------------------------

_TERMINAL = set(".!?…:;")
_CLOSERS = set("”\"’»)]'")
_LAST_TOKEN_RE = re.compile(r"\S+$")
_FIRST_LETTER_RE = re.compile(r"[^\W\d_]")
_FREEFORM_END_RE = re.compile(r"(?:https?://|www\.|[#@])\S*$|(?:(?<!\w)[xX8]-?|[:;=]-?|[:;] )[()DPpO/|\\]$")
# When this share of a story's blocks (and at least three) end without terminal
# punctuation, counting the short lines taken for headlines after the first
# block, that is the story's own style (chat, listings), not a slip.
_UNTERMINATED_STYLE_SHARE = 0.2
_UNTERMINATED_STYLE_MIN = 3


# "... in the last round. dpa", "... said. (AP)"
_CREDIT_RE = re.compile(r"[.!?”\"]\s*(?:[-–—]\s*)?\(?([A-Za-z][A-Za-z ]{1,13}?)\)?$")


@lru_cache(maxsize=1)
def _credits() -> frozenset[str]:
    agencies = {row[0].lower() for row in resources.tsv("agencies.tsv") if row}
    return frozenset(agencies | resources.word_set("punctuation/agency_credits.txt"))


def _ends_freeform(text: str, start: int, end: int) -> bool:
    """A link, hashtag, emoticon, emoji or agency credit ends the paragraph."""
    if _FREEFORM_END_RE.search(text, start, end):
        return True
    k = end
    while k > start and text[k - 1] in "\u200d\ufe0f":
        k -= 1
    if k > start and unicodedata.category(text[k - 1]) == "So":
        return True
    tail = text[max(start, end - 20):end]
    m = _CREDIT_RE.search(tail)
    return bool(m and m.group(1).lower() in _credits())


_LIST_ITEM_RE = re.compile(r"(?:\d{1,2}[.)]|[a-z]\)|[-–•*·])\s")
_SENTENCE_INSIDE_RE = re.compile(r"[.!?…][\"”’»)]*\s")
_HEADLINE_SEPARATOR_RE = re.compile(r"(?<=\w): |\s[-–—|]\s")
_HEADLINE_MAX_WORDS = 25
# An unpunctuated one-sentence block this short may be a headline the block
# classifier took for body (it stops at 15 words): reported as info.
_HEADLINE_MAX_WORDS_LOOSE = 22


def _headline_like(text: str, s: int, e: int) -> bool:
    """One unpunctuated line in parts ("Place: what happened", "A - B - site")."""
    return (len(text[s:e].split()) <= _HEADLINE_MAX_WORDS and not _SENTENCE_INSIDE_RE.search(text, s, e)
            and _HEADLINE_SEPARATOR_RE.search(text, s, e) is not None)


def _unterminated(text: str, s: int, e: int) -> bool:
    j = e
    while j > s and (text[j - 1] in _CLOSERS or text[j - 1] == " "):
        j -= 1  # ... fun. "  (a stray space before the closing quote is P007's)
    if j == s or text[j - 1] in _TERMINAL:
        return False
    return not _ends_freeform(text, s, e)


def _terminal_hits(doc: Document, open_blocks: set[int]) -> Iterator[Hit]:
    text = doc.text
    blocks = doc.blocks
    body = [(bi, b.body_start, b.end) for bi, b in enumerate(blocks) if b.kind == BODY and b.end > b.body_start]
    missing = [(bi, s, e) for bi, s, e in body if _unterminated(text, s, e)]
    loose = len(missing) + sum(1 for b in blocks[1:] if b.kind == HEADLINE)
    house_style = loose >= _UNTERMINATED_STYLE_MIN and loose >= _UNTERMINATED_STYLE_SHARE * len(blocks)
    for bi, s, e in missing:
        last = text[e - 1]
        m = _LAST_TOKEN_RE.search(text, s, e)
        if m is None:
            continue
        if len(blocks) > 1 and _headline_like(text, s, e):
            continue  # a long headline: "Thüringen overtakes Saxony - the state now has ..."
        headline_shape = (len(blocks) > 1 and len(text[s:e].split()) <= _HEADLINE_MAX_WORDS_LOOSE
                          and not _SENTENCE_INSIDE_RE.search(text, s, e))
        word = m.group()
        first = _FIRST_LETTER_RE.search(text, s, e)
        informal = bool(first) and first.group().islower() and first.start() == s
        list_follows = bi + 1 < len(blocks) and _LIST_ITEM_RE.match(text, blocks[bi + 1].start) is not None
        severity = "info" if house_style or informal or list_follows or headline_shape else None
        if last in _CLOSERS:
            what = "bracket" if last in ")]" else "quote"
            yield Hit("P005", e - 1, e, f"The paragraph ends with a closing {what} but no period.",
                      (unsafe(last + "."),), severity)
            continue
        if last in ",-–—/":
            yield Hit("P005", m.start(), e, f"The paragraph ends with “{last}” instead of terminal punctuation.",
                      (unsafe(word[:-1] + "."),), severity)
            continue
        sure = (last.isalnum() and len(text[s:e].split()) >= 6 and bi not in open_blocks
                and bool(first) and first.group().isupper())
        msg = "The paragraph does not end with a period or other terminal punctuation."
        if house_style:
            msg = "The paragraph does not end with terminal punctuation (like several others in this story)."
        yield Hit("P005", m.start(), e, msg, (Suggestion(word + ".", "safe" if sure else "unsafe"),), severity)


# -- P006 ---------------------------------------------------------------------

_SCORE_RE = re.compile(r"\d+-\d+")
_BLANK = " \t\u00a0"
_PAIRS = {")": "(", "\"": "\"", "”": "“"}
_OPENERS = set("(\"“")


@lru_cache(maxsize=None)
def _legit_doubles(target: str) -> frozenset[str]:
    return frozenset(r[0].lower() for r in resources.tsv("punctuation/legit_doubles.tsv")
                     if len(r) >= 2 and (r[1] == "*" or target in r[1].split(",")))


def _doubled_hits(doc: Document, target: str) -> Iterator[Hit]:
    """Consecutive equal words with only spaces between (or “(SANParks) (SANParks)”)."""
    text = doc.text
    starts, ends, texts = doc.word_columns
    legit = _legit_doubles(target)
    lows = list(map(str.lower, texts))
    # Only a word whose lower-case form is the next one's can be doubled: map and compress
    # find those without a Python-level step per word.
    for i in compress(count(), map(eq, lows, lows[1:])):
        at, bt = texts[i], texts[i + 1]
        if len(at) != len(bt):
            continue
        a_start, a_end, b_start, b_end = starts[i], ends[i], starts[i + 1], ends[i + 1]
        gap = text[a_end:b_start]
        start, end, keep_end = a_start, b_end, a_end
        if not gap or gap.strip(_BLANK):
            # "(SANParks) (SANParks)", "\"non-serious \"non-serious": the same marks around both
            opener, close = gap[-1], gap[0]
            if a_start == 0 or text[a_start - 1] != opener or opener not in _OPENERS:
                continue
            if close in _PAIRS and _PAIRS[close] == opener and not gap[1:-1].strip(_BLANK) \
                    and text[b_end:b_end + 1] == close:
                start, end, keep_end = a_start - 1, b_end + 1, a_end + 1
            elif not gap[:-1].strip(_BLANK) and len(gap) >= 2:
                start, end, keep_end = a_start - 1, b_end, a_end
            else:
                continue
        if lows[i] in legit or _SCORE_RE.fullmatch(at):
            continue
        after = text[end:end + 2]
        if after[:1] in ("…", "/", "-") or after == ".." or (after[:1] in ".," and after[1:2].isalnum()):
            continue  # a stutter ("la la…"), a fraction ("1 1/2"), a decimal ("1 1.5")
        if at.isdigit() and _in_number_run(text, start, end):
            continue
        yield Hit("P006", start, end, f"“{bt}” is repeated.", (safe(text[start:keep_end]),))


_NUM_BEFORE_RE = re.compile(r"\d[.,%]?[ \t]+$")
_NUM_AFTER_RE = re.compile(r"[ \t]+\d")


def _in_number_run(text: str, start: int, end: int) -> bool:
    return bool(_NUM_BEFORE_RE.search(text, max(0, start - 12), start) or _NUM_AFTER_RE.match(text, end))


# -- P007 ---------------------------------------------------------------------

_H = "[ \t\u00a0\u202f\u2009]"  # one blank
_HS = _H + "+"
# A pattern searched over the whole story that opens with blanks writes them {_H}{_H}*, not {_HS}: the
# same matches, but a leading character set lets the regex engine skip to the next blank in a tight
# loop instead of trying a match at every offset.
# Candidates only; the context is checked in Python (leading look-behinds make
# a pattern try every position).
# A mark and the white space before it, searched in the reversed text: forwards every space of
# the story (one character in six) starts a candidate; backwards only the marks do.
_SPACE_BEFORE_REVERSED_RE = re.compile(rf"[,.;:!?)\]}}%]{_HS}")
_SPACE_AFTER_RE = re.compile(rf"[(\[{{]{_HS}(?=\S)")
_CONTRACTION_RE = re.compile(rf"{_H}{_H}*(n['’]t|['’](?:s|re|ve|ll|d|m))(?![\w'’])")
_INVERTED_SPACE_RE = re.compile(rf"[¿¡]{_HS}(?=\w)")
_EMOTICON_RE = re.compile(r"-?[)(DPp](?!\w)")
_NAMES = {",": "a comma", ";": "a semicolon", ":": "a colon", "!": "an exclamation mark",
          "?": "a question mark", ")": "a closing bracket", "]": "a closing bracket", "}": "a closing brace",
          ".": "a period", "%": "a percent sign"}
_FRENCH_SPACED = set(";:!?")


def _spaces_before_marks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every maximal run of blanks right before a mark, left to right.

    These are the matches of a forward search for blanks followed by a mark, which would
    start a match attempt at every space of the story; the reversed text has one per mark.
    """
    n = len(text)
    found = list(_SPACE_BEFORE_REVERSED_RE.finditer(text[::-1]))
    return [(n - m.end(), n - 1 - m.start()) for m in reversed(found)]


def _spacing_hits(text: str, target: str) -> Iterator[Hit]:
    lang = LANG_NAMES.get(target, "This language")
    french = target == "fr"
    for s, e in _spaces_before_marks(text):
        mark = text[e]
        prev = text[s - 1] if s > 0 else ""
        if not prev or prev.isspace() or prev in "([{":
            continue
        nxt = text[e + 1:e + 2]
        if mark == "%":
            if target == "en" and prev.isdigit():
                yield Hit("P007", s, e + 1, "Space before the percent sign; English writes 50%.", (safe("%"),), "info")
            continue
        if french and mark in _FRENCH_SPACED:
            continue  # French spacing
        if mark == "." and (prev == "." or nxt == "." or nxt.isalnum() or nxt == "_"):
            continue  # an ellipsis, a decimal (.45), a name (.NET)
        if mark in ";:" and _EMOTICON_RE.match(text, e + 1):
            continue  # :) ;-(
        spaced = text[s:e]
        if mark in _FRENCH_SPACED and ("\u00a0" in spaced or "\u202f" in spaced):
            msg = f"French-style space before {_NAMES[mark]}; {lang} puts none."
        else:
            msg = f"Space before {_NAMES[mark]}; {lang} puts none."
        yield Hit("P007", s, e + 1, msg, (safe(mark),))
    for m in _SPACE_AFTER_RE.finditer(text):
        mark = m.group()[0]
        yield Hit("P007", m.start(), m.end(), f"Space after the opening bracket {mark}.", (safe(mark),))
    if " n't" in text or " n’t" in text or " '" in text or " ’" in text:
        for m in _CONTRACTION_RE.finditer(text):
            if m.start() == 0 or not text[m.start() - 1].isalpha():
                continue
            mark = m.group(1)
            yield Hit("P007", m.start(), m.end(), f"Space before “{mark}”: tokenized text splits the contraction.",
                      (safe(mark),))
    if target == "es" and ("¿" in text or "¡" in text):
        for m in _INVERTED_SPACE_RE.finditer(text):
            if m.start() == 0 or text[m.start() - 1].isspace():
                mark = m.group()[0]
                yield Hit("P007", m.start(), m.end(), f"Space after the opening mark {mark}.", (safe(mark),))


_OPEN_QUOTE_SPACE_RE = re.compile(rf"“{_HS}(?=\w)")
_CLOSE_QUOTE_SPACE_RE = re.compile(rf"{_H}{_H}*”(?=\s|[.,;:!?)]|$)")
_STRAIGHT_SPACED_RE = re.compile(r"\"[ \t]+\S[^\"\n]*?\S[ \t]+\"(?=\s|[.,;:!?]|$)")


def _quote_space_hits(text: str) -> Iterator[Hit]:
    if "“" in text:
        for m in _OPEN_QUOTE_SPACE_RE.finditer(text):
            if m.start() == 0 or text[m.start() - 1] in " \t\n\u00a0([—–/":
                yield Hit("P007", m.start(), m.end(), "Space after the opening quote “.", (safe("“"),))
    if " ”" in text or "\u00a0”" in text or "\t”" in text:
        for m in _CLOSE_QUOTE_SPACE_RE.finditer(text):
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".,!?"):
                yield Hit("P007", m.start(), m.end(), "Space before the closing quote ”.", (safe("”"),))
    if "\" " in text:
        for m in _STRAIGHT_SPACED_RE.finditer(text):
            if m.start() == 0 or text[m.start() - 1].isspace():
                g = m.group()
                inner = g[1:-1]
                lead = len(inner) - len(inner.lstrip(" \t"))
                trail = len(inner) - len(inner.rstrip(" \t"))
                yield Hit("P007", m.start(), m.start() + 1 + lead, "Space after the opening quote \".", (safe("\""),))
                yield Hit("P007", m.end() - 1 - trail, m.end(), "Space before the closing quote \".", (safe("\""),))


# -- P008 ---------------------------------------------------------------------

_SPACES_RE = re.compile(r"  +")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"”’»)]*$")


def _space_run_hits(text: str) -> Iterator[Hit]:
    if "  " not in text:
        return
    for m in _SPACES_RE.finditer(text):
        s, e = m.start(), m.end()
        if s == 0 or text[s - 1].isspace() or e >= len(text) or text[e].isspace():
            continue  # indentation or trailing spaces
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if len(_SPACES_RE.findall(line)) >= 3:
            continue  # a table laid out with spaces
        if _SENTENCE_END_RE.search(text, max(line_start, s - 4), s):
            yield Hit("P008", s, e, "Two spaces after the end of a sentence; news style uses one.",
                      (safe(" "),), "info")
        else:
            yield Hit("P008", s, e, "Several spaces in a row where one belongs.", (safe(" "),), "warning")


# -- the check ------------------------------------------------------------------


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    """Every P finding in ``doc``, sorted by position (offsets into ``doc.text``)."""
    text = doc.text
    target = (ctx.target_lang or "en").lower()
    q_hits, open_blocks = quote_hits(doc)
    hits: list[Hit] = q_hits
    hits.extend(bracket_hits(doc))
    hits.extend(_inverted_close_hits(text))
    hits.extend(_abbreviation_hits(text, target))
    hits.extend(_terminal_hits(doc, open_blocks))
    hits.extend(_doubled_hits(doc, target))
    hits.extend(_spacing_hits(text, target))
    if target != "fr":
        hits.extend(_quote_space_hits(text))
    hits.extend(_space_run_hits(text))
    hits.extend(source_typography_hits(doc, target))
    hits.extend(number_format_hits(doc, target))
    hits.extend(mojibake_hits(doc))
    mojibake = [h for h in hits if h.code == "P011"]
    if mojibake:
        # The garbled characters (Ã¡ holds a ¡) are not typography of their own.
        hits = [h for h in hits
                if h.code == "P011" or not any(h.start < m.end and m.start < h.end for m in mojibake)]
    hits.sort(key=lambda h: (h.start, h.end, h.code))
    for h in hits:
        yield _BY_CODE[h.code].finding(h.start, h.end, h.message, h.suggestions, severity=h.severity)
